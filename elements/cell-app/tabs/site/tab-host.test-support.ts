/**
 * For the content tabs' browser tests: a founder's real cell (memory storage, the test relay, Automerge in
 * Chromium), made editor too so that she writes every scope, and one tab's controller drawn by a small
 * host element the way `<cell-app>` draws it (the same context, the same problem banner). The session is
 * reduced to what a tab uses of it: `whileOpen`, bound to the open cell at once.
 */
import { html, LitElement, nothing } from "lit";
import { memoryKeystore, memoryStorage } from "../../../../adapters/memory/index.js";
import { relayClient } from "../../../../adapters/relay-client/index.js";
import { Cell, createKit, type Kit, openSite, Rsvps } from "../../../../core/index.js";
import { appStrings } from "../../../../core/public/strings/index.js";
import { defineElement } from "../../../define.js";
import { type Run, runner } from "../../actions.js";
import type { MemberSession, OpenCell } from "../../session.js";
import { accessOf, type TabView } from "../tab.js";

const WASM = "/__cellule__/automerge.wasm";

/** Draws one tab for the open cell, with the app's problem banner. */
export class TabHost extends LitElement {
  static override properties = { problem: { state: true } };
  tab: TabView | undefined;
  cell: Cell | undefined;
  problem = "";
  override render() {
    const t = appStrings("fr");
    if (!this.tab || !this.cell) return nothing;
    return html`${this.problem ? html`<p role="alert" class="problem">${this.problem}</p>` : nothing}
      ${this.tab.view({ t, lang: "fr", cell: this.cell, access: accessOf(this.cell) })}`;
  }
}
defineElement("tab-host", TabHost);

export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A founder's open cell, and `make`'s tab drawn in the page for it; `close()` removes both. */
export async function tabOfFounder<T extends TabView>(
  make: (host: TabHost, session: MemberSession, run: Run) => T,
): Promise<{ host: TabHost; tab: T; open: OpenCell; close(): Promise<void> }> {
  const url = (await (await fetch("/__cellule__/relay.json")).json()).url;
  const kit: Kit = await createKit({
    storage: memoryStorage(),
    keystore: memoryKeystore(),
    transports: [relayClient({ relays: [url], storage: memoryStorage(), minBackoffMs: 50 })],
    automergeWasm: WASM,
  });
  const cell = await Cell.create(kit, { name: "Cellule des Pentes", founderName: "Nadia" });
  await cell.grant(cell.me()!.id, "editor");
  const [site, rsvps] = await Promise.all([openSite(cell), Rsvps.open(cell)]);
  const open: OpenCell = { kit, cell, site, rsvps };
  const host = document.createElement("tab-host") as TabHost;
  const session = {
    whileOpen: (bind: (o: OpenCell) => () => void) => bind(open),
  } as unknown as MemberSession;
  const tab = make(
    host,
    session,
    runner((error) => {
      host.problem = error instanceof Error ? error.message : String(error);
    }),
  );
  host.tab = tab;
  host.cell = cell;
  document.body.append(host);
  return {
    host,
    tab,
    open,
    close: async () => {
      host.remove();
      await kit.close(0);
    },
  };
}

/** The host's shadow root. */
export const root = (host: TabHost): ShadowRoot => host.shadowRoot!;

/** Fills the form `data-form=id`'s fields by name (checkboxes: true/false), then sends it. */
export async function fill(
  host: TabHost,
  id: string,
  values: Record<string, string | boolean>,
): Promise<void> {
  await until(() => !!root(host).querySelector(`form[data-form="${id}"]`), `the form ${id}`);
  for (const [name, value] of Object.entries(values)) {
    const form = root(host).querySelector<HTMLFormElement>(`form[data-form="${id}"]`)!;
    const input = form.elements.namedItem(name) as HTMLInputElement;
    if (typeof value === "boolean") {
      if (input.checked !== value) input.click();
      await host.updateComplete;
    } else input.value = value;
  }
  root(host).querySelector<HTMLFormElement>(`form[data-form="${id}"]`)!.requestSubmit();
}

/** The button labelled `label` (inside `within` when given), once it is there. */
export async function button(host: TabHost, label: string, within = ""): Promise<HTMLButtonElement> {
  const find = () =>
    [...root(host).querySelectorAll<HTMLButtonElement>(`${within} button`)].find(
      (b) => b.textContent?.trim() === label,
    );
  await until(() => !!find(), `the button "${label}"`);
  return find()!;
}

/** The text of the form's alert, once there is one. */
export async function alertOf(host: TabHost, id: string): Promise<string> {
  const find = () => root(host).querySelector(`form[data-form="${id}"] [role=alert]`)?.textContent ?? "";
  await until(() => !!find(), `a message in the form ${id}`);
  return find();
}
