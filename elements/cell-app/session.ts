/**
 * The member space's session on this device: its keys and documents (IndexedDB on the member space's
 * origin, never a blog's), the cell it belongs to, and the way in — an invitation link, or a request to
 * join that an officer accepts. `<cell-app>` renders what `state` says.
 *
 * Links: `#join=<cellId>` (ask to join) or `#join=<cellId>&invite=<invitation text>` (redeem directly).
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { dexieKeystore, dexieStorage } from "../../adapters/dexie/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import {
  Cell,
  type CellSite,
  createKit,
  JoinRequest,
  type Kit,
  openSite,
  type ReceivedContact,
  Rsvps,
  type VerifiedEdition,
  verifyEdition,
} from "../../core/index.js";

/** What the member space shows. */
export type SessionState =
  | { status: "starting" }
  | { status: "welcome"; checkCode?: string }
  | { status: "join"; cellId: string; invite?: string; edition?: VerifiedEdition }
  | { status: "waiting"; cellName: string }
  | { status: "member"; cell: Cell; site?: CellSite; rsvps?: Rsvps; phrase?: string }
  | { status: "error"; message: string };

/** Where the member space runs: its relays, its Automerge WASM file. */
export interface SessionOptions {
  /** Default: the relay serving the page and the others it lists (`relays.json`), else the page's origin. */
  relays?: string[];
  automergeWasm: string;
  /** IndexedDB name prefix (tests use their own). @default "cellule-app" */
  database?: string;
}

/** Parses the member space's link fragment. */
export function parseLink(hash: string): { cellId: string; invite?: string } | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const cellId = params.get("join") ?? "";
  if (!/^[0-9a-f]{64}$/.test(cellId)) return undefined;
  const invite = params.get("invite") ?? undefined;
  return invite ? { cellId, invite } : { cellId };
}

/** The relays the relay serving this page lists (`relays.json` beside it), else the page's origin. */
async function servedRelays(): Promise<string[]> {
  try {
    const res = await fetch(new URL("relays.json", location.href));
    const { relays } = (await res.json()) as { relays: unknown };
    if (Array.isArray(relays) && relays.length > 0 && relays.every((r) => typeof r === "string"))
      return relays;
  } catch {
    // A static host without relays.json.
  }
  return [location.origin];
}

/** See the module comment. */
export class MemberSession implements ReactiveController {
  state: SessionState = { status: "starting" };
  kit: Kit | undefined;
  /** The relays this device talks to. */
  relays: string[] = [];
  /** Requests and contacts officers see (refreshed with the cell). */
  contacts: ReceivedContact[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: SessionOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.state.status === "starting") void this.start().catch((e) => this.fail(e));
  }

  /** Opens this device's keys and cell, or the way in a link gives. */
  async start(): Promise<void> {
    const name = this.options.database ?? "cellule-app";
    const storage = dexieStorage(name);
    this.relays = this.options.relays ?? (await servedRelays());
    this.kit = await createKit({
      storage,
      keystore: dexieKeystore(`${name}-keys`),
      transports: [relayClient({ relays: this.relays, storage })],
      automergeWasm: this.options.automergeWasm,
      deviceName: "member-space",
    });
    void navigator.storage?.persist?.();
    const [known] = await Cell.list(this.kit);
    if (known) return this.enter(await Cell.open(this.kit, known));
    const [pending] = await JoinRequest.pending(this.kit);
    if (pending) return this.wait(pending.whenInvited(), pending.name);
    const link = parseLink(location.hash);
    if (!link) return this.show({ status: "welcome" });
    this.show({ status: "join", ...link });
    if (!link.invite) {
      const edition = await this.edition(link.cellId);
      this.show({ status: "join", ...link, edition });
    }
  }

  /** Joins with the invitation of the link, or sends a request to join; then waits for admission. */
  async join(form: { name: string; reach: string; message: string }): Promise<void> {
    const state = this.state;
    if (state.status !== "join" || !this.kit) return;
    if (state.invite) {
      const cell = await Cell.join(this.kit, state.invite, { name: form.name });
      return this.wait(Promise.resolve(cell), state.edition?.profile.name ?? "");
    }
    if (!state.edition) throw new Error("the cell's edition is not loaded");
    const chain = state.edition.chain;
    const request = await JoinRequest.send(this.kit, {
      cell: state.cellId,
      admission: state.edition.admissionKey,
      keyIndex: chain.length - 1,
      ...form,
      lang: document.documentElement.lang === "en" ? "en" : "fr",
    });
    await this.wait(request.whenInvited(), state.edition.profile.name);
  }

  /**
   * Links this new device with the code a trusted device of the member shows; the check code to type
   * there appears in `state`, then the cell opens once the trusted device confirmed it.
   */
  async link(code: string): Promise<void> {
    if (!this.kit) return;
    const { checkCode, cell } = await Cell.link(this.kit, code);
    this.show({ status: "welcome", checkCode: await checkCode });
    await this.enter(await cell);
  }

  /** Restores a membership on this device from its recovery phrase (`InvalidArgumentError`: a wrong word). */
  async restore(phrase: string): Promise<void> {
    if (!this.kit) return;
    await this.enter(await Cell.recover(this.kit, phrase), false);
  }

  /** The recovery phrase was written down: it is not shown again. */
  phraseNoted(): void {
    if (this.state.status === "member") this.show({ ...this.state, phrase: undefined });
  }

  /** Refreshes what officers see (contacts and requests to join). */
  async refreshContacts(): Promise<void> {
    if (this.state.status !== "member") return;
    this.contacts = await this.state.cell.contacts().catch(() => []);
    this.host.requestUpdate();
  }

  private async wait(invited: Promise<Cell>, cellName: string): Promise<void> {
    this.show({ status: "waiting", cellName });
    const cell = await invited;
    cell.on("change", () => this.host.requestUpdate());
    await cell.whenMember(7 * 86_400_000);
    await this.enter(cell, true);
  }

  /** Opens the cell; a member who just joined gets their recovery phrase, shown once. */
  private async enter(cell: Cell, joined = false): Promise<void> {
    // Removed or declined: the app says so (see `<cell-app>`) and opens nothing.
    if (cell.status === "removed" || cell.status === "declined") return this.show({ status: "member", cell });
    if (cell.status !== "member") {
      this.show({ status: "waiting", cellName: "" });
      await cell.whenMember(7 * 86_400_000);
    }
    cell.on("change", () => this.host.requestUpdate());
    cell.on("contact", () => void this.refreshContacts());
    const phrase = joined
      ? await cell.createRecovery(document.documentElement.lang === "en" ? "en" : "fr")
      : undefined;
    this.show({ status: "member", cell, ...(phrase ? { phrase } : {}) });
    const [site, rsvps] = await Promise.all([
      this.retry(() => openSite(cell)),
      this.retry(() => Rsvps.open(cell)),
    ]);
    const current = this.state.status === "member" ? this.state.phrase : undefined;
    this.show({ status: "member", cell, site, rsvps, ...(current ? { phrase: current } : {}) });
    await this.refreshContacts();
  }

  /** Documents named in the log may take a moment to reach a new device. */
  private async retry<T>(open: () => Promise<T>): Promise<T> {
    for (let delay = 100; ; delay = Math.min(delay * 2, 3000)) {
      try {
        return await open();
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async edition(cellId: string): Promise<VerifiedEdition> {
    for (const relay of this.relays) {
      try {
        const res = await fetch(`${relay}/c/${cellId}/edition.json`);
        if (res.ok) return await verifyEdition(new Uint8Array(await res.arrayBuffer()), cellId);
      } catch {
        // The next relay.
      }
    }
    throw new Error("the cell's relays do not answer");
  }

  private show(state: SessionState): void {
    this.state = state;
    this.host.requestUpdate();
  }

  private fail(error: unknown): void {
    this.show({ status: "error", message: error instanceof Error ? error.message : String(error) });
  }
}
