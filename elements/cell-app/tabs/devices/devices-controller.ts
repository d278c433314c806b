/**
 * The devices tab's state: the link offer in progress on this trusted device (closed, and no longer
 * listened to, once the element leaves the page), how many new devices answered it, and what the last
 * confirmation said; revoking a lost device.
 */
import { html, type ReactiveController, type ReactiveControllerHost } from "lit";
import { parseDeviceId } from "../../../../core/base/ids.js";
import { type Cell, CheckCodeError, ExpiredLinkError, type LinkOffer } from "../../../../core/index.js";
import type { Run } from "../../actions.js";
import type { MemberSession } from "../../session.js";
import type { TabContext, TabView } from "../tab.js";
import { devicesView } from "./devices-view.js";

/** What a confirmation said: a device linked, or why none was. */
type Said = { text: "linked" | "wrongCheck" | "expiredLink" | "linkAborted"; ok: boolean };

/** See the module comment. */
export class DevicesController implements ReactiveController, TabView {
  private offer: LinkOffer | undefined;
  private answers = 0;
  private said: Said | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly session: MemberSession,
    private readonly run: Run,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
  }

  hostDisconnected(): void {
    this.connected = false;
    this.closeOffer();
    this.said = undefined;
  }

  view({ t, cell }: TabContext) {
    const me = cell.me();
    const current = this.session.kit?.device.id;
    const devices = [...cell.state.devices.values()]
      .filter((d) => d.member === me?.id && !d.removed && !d.recovery)
      .map((d) => ({ id: d.id as string, current: d.id === current, ...(d.name ? { name: d.name } : {}) }));
    const said = this.said;
    return html`${devicesView(
      t,
      devices,
      this.offer && { code: this.offer.code, qr: this.offer.qr, answers: this.answers },
      {
        start: () => this.run(() => this.start(cell)),
        confirm: (code) => this.run(() => this.confirm(code)),
        revoke: (id) => this.run(() => cell.removeDevice(parseDeviceId(id))),
      },
    )}
    ${said ? html`<p role=${said.ok ? "status" : "alert"}>${t[said.text]}</p>` : ""}`;
  }

  private async start(cell: Cell): Promise<void> {
    this.closeOffer();
    this.said = undefined;
    try {
      const offer = await cell.startLink();
      // The element left the page meanwhile: nobody is there to confirm.
      if (!this.connected) return offer.close();
      this.offer = offer;
      offer.on("request", () => {
        this.answers++;
        this.host.requestUpdate();
      });
      // A second device answered: someone else knows the code, nothing can be linked with it.
      offer.on("aborted", () => {
        this.closeOffer();
        this.said = { text: "linkAborted", ok: false };
        this.host.requestUpdate();
      });
    } finally {
      this.host.requestUpdate();
    }
  }

  private async confirm(checkCode: string): Promise<void> {
    try {
      await this.offer?.confirm(checkCode);
      this.offer = undefined;
      this.said = { text: "linked", ok: true };
    } catch (error) {
      if (error instanceof CheckCodeError && this.offer?.aborted) {
        this.closeOffer();
        this.said = { text: "linkAborted", ok: false };
      } else if (error instanceof CheckCodeError) this.said = { text: "wrongCheck", ok: false };
      else if (error instanceof ExpiredLinkError) {
        this.closeOffer();
        this.said = { text: "expiredLink", ok: false };
      } else throw error;
    } finally {
      this.host.requestUpdate();
    }
  }

  /** Stops the link in progress: its code no longer works, and nothing listens to it. */
  private closeOffer(): void {
    this.offer?.close();
    this.offer = undefined;
    this.answers = 0;
  }
}
