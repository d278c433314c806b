/** "My devices" in the member space: the link in progress on this trusted device, and revocations. */
import { html, type ReactiveControllerHost } from "lit";
import { type Cell, CheckCodeError, ExpiredLinkError, type LinkOffer } from "../../core/index.js";
import type { AppStrings } from "./strings.js";
import { devicesView } from "./views-devices.js";

/** See the module comment. */
export class MyDevices {
  private offer: LinkOffer | undefined;
  private answers = 0;
  /** What the last action said: a confirmation, or why nothing was linked. */
  private said: { text: keyof AppStrings; ok: boolean } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly fail: (error: unknown) => void,
  ) {}

  view(t: AppStrings, cell: Cell, current: string) {
    const me = cell.me();
    const devices = [...cell.state.devices.values()]
      .filter((d) => d.member === me?.id && !d.removed && !d.recovery)
      .map((d) => ({ id: d.id as string, current: d.id === current }));
    const said = this.said;
    return html`${devicesView(t, devices, this.offer && { code: this.offer.code, answers: this.answers }, {
      start: () => void this.start(cell),
      confirm: (code) => void this.confirm(code),
      revoke: (id) => void cell.removeDevice(id).catch(this.fail),
    })}
    ${said ? html`<p role=${said.ok ? "status" : "alert"}>${t[said.text] as string}</p>` : ""}`;
  }

  private async start(cell: Cell): Promise<void> {
    this.offer?.close();
    this.said = undefined;
    this.answers = 0;
    try {
      this.offer = await cell.startLink();
      this.offer.on("request", () => {
        this.answers++;
        this.host.requestUpdate();
      });
    } catch (error) {
      this.fail(error);
    }
    this.host.requestUpdate();
  }

  private async confirm(checkCode: string): Promise<void> {
    try {
      await this.offer?.confirm(checkCode);
      this.offer = undefined;
      this.said = { text: "linked", ok: true };
    } catch (error) {
      if (error instanceof CheckCodeError) this.said = { text: "wrongCheck", ok: false };
      else if (error instanceof ExpiredLinkError) {
        this.offer = undefined;
        this.said = { text: "expiredLink", ok: false };
      } else this.fail(error);
    }
    this.host.requestUpdate();
  }
}
