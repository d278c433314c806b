/**
 * The member space's session on this device: its keys and documents (IndexedDB on the member space's
 * origin, never a blog's), the cell it belongs to, and the way in — an invitation link (see `links.ts`), or
 * a request to join that an officer accepts. `<cell-app>` renders what `state` says; the tabs' controllers
 * bind to the cell once its documents are open (`whileOpen`).
 *
 * While the element is in the page, the session watches its member's cell with one change handler. When
 * the element leaves the page, the handler goes, the tabs are unbound and the Kit is closed; steps still
 * under way stop at their next one. Put back, the element opens everything again.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { dexieKeystore, dexieStorage, eraseDatabases } from "../../adapters/dexie/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import {
  Cell,
  type CellSite,
  type CelluleError,
  checkProfile,
  createKit,
  type ForeignEdition,
  foreignEditions,
  hasRight,
  InvalidArgumentError,
  JoinRequest,
  type Kit,
  openSite,
  Rsvps,
  type StorageKey,
  UnknownDocumentError,
  type VerifiedEdition,
  verifyEdition,
} from "../../core/index.js";
import { fetchFromRelays } from "../../core/public/relay-http.js";
import { EditionKeeper } from "./edition-keeper.js";
import { linkCodeIn, parseLink } from "./links.js";
import { type Place, Places } from "./places.js";

/** What the member space shows. */
export type SessionState =
  | { status: "starting" }
  | { status: "welcome"; checkCode?: string; founding?: boolean }
  | { status: "join"; cellId: string; invite?: string; edition?: VerifiedEdition }
  | { status: "waiting"; cellName: string }
  | {
      status: "member";
      cell: Cell;
      site?: CellSite;
      rsvps?: Rsvps;
      phrase?: string;
      /** Just founded here: the blog snippet is shown once, after the phrase. */
      founded?: boolean;
      /** For those who may publish: relays serving a publication chain the cell did not make. */
      foreign?: ForeignEdition[];
    }
  | { status: "error"; message: string };

/** Where the member space runs: its relays, its Automerge WASM file. */
export interface SessionOptions {
  /** Default: the relay serving the page and the others it lists (`relays.json`), else the page's origin. */
  relays?: string[];
  automergeWasm: string;
  /** IndexedDB name prefix (tests use their own). @default "cellule-app" */
  database?: string;
}

/** What a founder types to found a cell (see `MemberSession.found`). */
export interface FoundingForm {
  name: string;
  place: string;
  description: string;
  founderName: string;
  /** The cell's relays (http or https base URLs); by default the relays this page talks to. */
  relays: string[];
}

/** The member's cell with its documents open: what the tabs' controllers bind to. */
export interface OpenCell {
  kit: Kit;
  cell: Cell;
  site: CellSite;
  rsvps: Rsvps;
}

/** A tab's binding to the open cell, and how to undo it (see `whileOpen`). */
interface Binding {
  bind: (open: OpenCell) => () => void;
  unbind?: () => void;
}

/** How long a member may wait for an officer to admit them. */
const ADMISSION_MS = 7 * 86_400_000;

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
  /** This device's Kit while the element is in the page (and once it is made). */
  kit: Kit | undefined;
  /** The relays this device talks to. */
  relays: string[] = [];
  private opened: OpenCell | undefined;
  private readonly bindings = new Set<Binding>();
  /** Removes the change handler on the member's cell. */
  private unwatch: (() => void) | undefined;
  /** The start under way since the element was last put in the page (stale ones stop). */
  private run: object | undefined;
  /** The previous Kit closing: a new start waits for it to let go of IndexedDB. */
  private closing: Promise<void> = Promise.resolve();
  /** Publishes the open cell's edition while its member may (see edition-keeper.ts). */
  private keeper: EditionKeeper | undefined;
  /** This device's cells, a Kit each (read when the element enters the page). */
  private placesOf: Places | undefined;

  /** `options` is read when the element is put in the page, once its attributes are known. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: () => SessionOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const run = {};
    this.run = run;
    this.start(run).catch((error) => {
      if (this.run === run) this.show({ status: "error", message: messageOf(error) });
    });
  }

  hostDisconnected(): void {
    const kit = this.kit;
    const keeper = this.keeper;
    this.run = undefined;
    this.kit = undefined;
    this.keeper = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
    this.setOpen(undefined);
    this.state = { status: "starting" };
    if (kit)
      this.closing = (async () => {
        await keeper?.close();
        await kit.close();
      })().catch((error) => console.warn("cellule: closing the Kit:", error));
  }

  /** This device's cells in the member space (each with a Kit of its own), for the switcher. */
  places(): Place[] {
    return this.placesOf?.list() ?? [];
  }

  /** The database of the place in use (the cell open now, or the welcome of a new one). */
  currentPlace(): string | undefined {
    return this.placesOf?.current();
  }

  /** Opens another of this device's cells. */
  switchTo(database: string): void {
    this.placesOf?.use(database);
    this.restart();
  }

  /** Opens the welcome of a new place, to join or found another cell with a key of its own. */
  another(): void {
    this.placesOf?.fresh();
    this.restart();
  }

  /**
   * Erases this device's keys and cells at once, without network (a device that may be seized): every
   * Kit is closed and every database of the member space deleted, with the list of places; the page opens
   * on the welcome. The other devices see this one as gone once an officer revokes it. `StorageError` when
   * another tab of the member space holds a database open and does not let go.
   */
  async erase(): Promise<void> {
    const prefix = this.options().database ?? "cellule-app";
    const known = [
      ...(this.placesOf?.list().map((p) => p.database) ?? []),
      this.placesOf?.current() ?? prefix,
    ];
    this.hostDisconnected();
    await this.closing;
    await eraseDatabases(prefix, known);
    this.placesOf?.clear();
    // An invitation or a link code in the address would start a new place at once.
    history.replaceState(null, "", location.pathname + location.search);
    this.hostConnected();
  }

  /** Shows or hides the founding form on the welcome screen. */
  setFounding(founding: boolean): void {
    if (this.state.status === "welcome") this.show({ status: "welcome", founding });
  }

  /**
   * Founds a cell on this device, whose member becomes its secretary (and every other officer): the
   * genesis, the relay list in the log, the site with its profile, then the recovery phrase once and the
   * blog snippet; the first edition goes out as the cell opens (see edition-keeper.ts). Bad input is an
   * `InvalidArgumentError` naming the field, before anything is written.
   */
  async found(form: FoundingForm): Promise<void> {
    const kit = this.kit;
    if (this.state.status !== "welcome" || !kit) return;
    const relays = form.relays.length > 0 ? form.relays : this.relays;
    const profile = checkProfile({ ...form, contact: "", relays });
    if (!form.founderName.trim()) throw new InvalidArgumentError("founderName cannot be empty");
    const cell = await Cell.create(kit, { name: profile.name, founderName: form.founderName.trim() });
    // Rules from before the founder could set relays keep the list in the profile only.
    if (hasRight(cell.state.rules, cell.me()?.roles ?? [], "set-relays")) await cell.setRelays(relays);
    await openSite(cell, { profile });
    await this.enter(kit, cell, { joined: true, founded: true });
  }

  /** Closes this place's Kit and opens the one now in use. */
  private restart(): void {
    this.hostDisconnected();
    this.hostConnected();
  }

  /**
   * Runs `bind` with the open cell (now if it is open, else once it is), and what `bind` returns once the
   * cell closes or the returned function is called: how a tab's controller subscribes to the cell.
   */
  whileOpen(bind: (open: OpenCell) => () => void): () => void {
    const binding: Binding = { bind };
    this.bindings.add(binding);
    if (this.opened) binding.unbind = bind(this.opened);
    return () => {
      this.bindings.delete(binding);
      binding.unbind?.();
      binding.unbind = undefined;
    };
  }

  /** Joins with the invitation of the link, or sends a request to join; then waits for admission. */
  async join(form: { name: string; reach: string; message: string }): Promise<void> {
    const { state, kit } = this;
    if (state.status !== "join" || !kit) return;
    if (state.invite) {
      const cell = await Cell.join(kit, state.invite, { name: form.name });
      return this.wait(kit, cell.id, Promise.resolve(cell), state.edition?.profile.name ?? "");
    }
    if (!state.edition) throw new UnknownDocumentError("the cell's edition has not reached this device yet");
    const chain = state.edition.chain;
    const request = await JoinRequest.send(kit, {
      cell: state.cellId,
      admission: state.edition.admissionKey,
      keyIndex: chain.length - 1,
      ...form,
      lang: document.documentElement.lang === "en" ? "en" : "fr",
    });
    await this.wait(kit, state.cellId, request.whenInvited(), state.edition.profile.name);
  }

  /**
   * Links this new device with the code a trusted device of the member shows; the check code to type
   * there appears in `state`, then the cell opens once the trusted device confirmed it.
   */
  async link(code: string): Promise<void> {
    const kit = this.kit;
    if (!kit) return;
    const { checkCode, cell } = await Cell.link(kit, code);
    this.show({ status: "welcome", checkCode: await checkCode }, kit);
    await this.enter(kit, await cell);
  }

  /** Restores a membership on this device from its recovery phrase (`InvalidArgumentError`: a wrong word). */
  async restore(phrase: string): Promise<void> {
    const kit = this.kit;
    if (!kit) return;
    await this.enter(kit, await Cell.recover(kit, phrase));
  }

  /** The recovery phrase was written down: it is not shown again. */
  phraseNoted(): void {
    if (this.state.status === "member") this.show({ ...this.state, phrase: undefined });
  }

  /** The founder has seen the blog snippet (it stays in the settings). */
  snippetNoted(): void {
    if (this.state.status === "member") this.show({ ...this.state, founded: undefined });
  }

  /** The relays of `cell`'s log, else those this page talks to. */
  relaysOf(cell: Cell): string[] {
    return cell.status !== "joining" && cell.state.relays.length > 0 ? [...cell.state.relays] : this.relays;
  }

  /** Records the place in use as `cell`'s, under its current name. */
  private remember(cell: Cell): void {
    const database = this.placesOf?.current();
    const name = cell.status === "joining" ? "" : cell.state.name;
    if (database) this.placesOf?.remember(database, cell.id, name);
  }

  /** Opens this device's keys and cell, or the way in a link gives. */
  private async start(run: object): Promise<void> {
    await this.closing;
    const options = this.options();
    const places = new Places(options.database ?? "cellule-app");
    this.placesOf = places;
    choosePlace(places);
    const name = places.current();
    // A damaged row is set aside and refetched by the Kit (reported before the Kit exists: once it does).
    const damaged: { error: CelluleError; key: StorageKey }[] = [];
    let opened: Kit | undefined;
    const storage = dexieStorage(name, {
      onCorrupt: (r) => (opened ? opened.reportCorrupt(r.error, r.key) : damaged.push(r)),
    });
    const relays = options.relays ?? (await servedRelays());
    const kit = await createKit({
      storage,
      keystore: dexieKeystore(`${name}-keys`),
      transports: [relayClient({ relays, storage })],
      automergeWasm: options.automergeWasm,
      deviceName: "member-space",
    });
    opened = kit;
    for (const r of damaged.splice(0)) kit.reportCorrupt(r.error, r.key);
    if (this.run !== run) return void kit.close();
    this.kit = kit;
    this.relays = relays;
    void navigator.storage?.persist?.();
    const [known] = await Cell.list(kit);
    if (known) return this.enter(kit, await Cell.open(kit, known));
    const [pending] = await JoinRequest.pending(kit);
    if (pending) return this.wait(kit, pending.cell, pending.whenInvited(), pending.name);
    const link = parseLink(location.hash);
    if (!link) return this.show({ status: "welcome" }, kit);
    this.show({ status: "join", ...link }, kit);
    if (!link.invite) {
      const edition = await this.edition(link.cellId);
      this.show({ status: "join", ...link, edition }, kit);
    }
  }

  /**
   * Until an officer admits this device's member. The waiting screen does not depend on the cell, so the
   * session adds no handler of its own here (`whenMember` has one until it settles).
   */
  private async wait(kit: Kit, cellId: string, invited: Promise<Cell>, cellName: string): Promise<void> {
    // The switcher lists the cell while it is asked (a Kit holds it already).
    const database = this.placesOf?.current();
    if (database) this.placesOf?.remember(database, cellId, cellName);
    this.show({ status: "waiting", cellName }, kit);
    const cell = await invited;
    if (this.kit !== kit) return;
    await cell.whenMember(ADMISSION_MS);
    await this.enter(kit, cell, { joined: true });
  }

  /**
   * Opens the cell; a member who just joined gets their recovery phrase, shown once (and a founder, after
   * it, the blog snippet). The place in use is recorded as this cell's.
   */
  private async enter(
    kit: Kit,
    cell: Cell,
    { joined = false, founded = false }: { joined?: boolean; founded?: boolean } = {},
  ): Promise<void> {
    if (this.kit !== kit) return;
    this.remember(cell);
    // Removed or declined: the app says so (see `<cell-app>`) and opens nothing.
    if (cell.status === "removed" || cell.status === "declined")
      return this.show({ status: "member", cell }, kit);
    if (cell.status !== "member") {
      this.show({ status: "waiting", cellName: "" }, kit);
      await cell.whenMember(ADMISSION_MS);
      if (this.kit !== kit) return;
    }
    const keeper = new EditionKeeper(cell, () => this.relaysOf(cell));
    this.keeper = keeper;
    let following = this.relays.join(" ");
    // The relay list in the log is what the device talks to (the page's relays until the log has one).
    const follow = () => {
      const relays = this.relaysOf(cell);
      if (relays.join(" ") === following) return;
      following = relays.join(" ");
      kit.useRelays(relays);
    };
    follow();
    this.unwatch?.();
    this.unwatch = cell.on("change", () => {
      this.remember(cell);
      follow();
      keeper.update();
      this.host.requestUpdate();
    });
    const phrase = joined
      ? await cell.createRecovery(document.documentElement.lang === "en" ? "en" : "fr")
      : undefined;
    this.show(
      { status: "member", cell, ...(phrase ? { phrase } : {}), ...(founded ? { founded } : {}) },
      kit,
    );
    const [site, rsvps] = await Promise.all([
      this.retry(kit, () => openSite(cell)),
      this.retry(kit, () => Rsvps.open(cell)),
    ]);
    if (!site || !rsvps || this.kit !== kit) return;
    const { phrase: shown, founded: snippet } = this.state.status === "member" ? this.state : {};
    this.show(
      {
        status: "member",
        cell,
        site,
        rsvps,
        ...(shown ? { phrase: shown } : {}),
        ...(snippet ? { founded: snippet } : {}),
      },
      kit,
    );
    this.setOpen({ kit, cell, site, rsvps });
    keeper.update();
    await this.watchPublicFace(kit, cell);
  }

  /** Tells those who may publish which relays serve a chain the cell did not make (see public-face.ts). */
  private async watchPublicFace(kit: Kit, cell: Cell): Promise<void> {
    if (!hasRight(cell.state.rules, cell.me()?.roles ?? [], "publish")) return;
    const foreign = await foreignEditions(cell, [...new Set([...this.relays, ...cell.state.relays])]);
    const state = this.state;
    if (foreign.length === 0 || this.kit !== kit || state.status !== "member" || state.cell !== cell) return;
    this.show({ ...state, foreign }, kit);
  }

  /** Documents named in the log may take a moment to reach a new device; `undefined` once `kit` is closed. */
  private async retry<T>(kit: Kit, open: () => Promise<T>): Promise<T | undefined> {
    for (let delay = 100; this.kit === kit; delay = Math.min(delay * 2, 3000)) {
      try {
        return await open();
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    return undefined;
  }

  private async edition(cellId: string): Promise<VerifiedEdition> {
    const { value } = await fetchFromRelays(this.relays, `c/${cellId}/edition.json`, {
      check: (bytes) => verifyEdition(bytes, cellId),
    });
    return value;
  }

  /** Unbinds the tabs from the cell that was open, and binds them to `open`. */
  private setOpen(open: OpenCell | undefined): void {
    for (const binding of this.bindings) {
      binding.unbind?.();
      binding.unbind = undefined;
    }
    this.opened = open;
    if (open) for (const binding of this.bindings) binding.unbind = binding.bind(open);
  }

  /** Shows `state`, unless it comes from a step of a Kit that is closed since. */
  private show(state: SessionState, kit = this.kit): void {
    if (kit !== this.kit) return;
    this.state = state;
    this.host.requestUpdate();
  }
}

/**
 * Which place the page opens: the one of the cell a `#join` link names if this device has it; a new one
 * for a link to a cell it has not, or a device link code, when the place in use holds a cell already (a
 * Kit holds one cell); else the place last used.
 */
function choosePlace(places: Places): void {
  const link = parseLink(location.hash);
  const known = link && places.of(link.cellId);
  if (known) places.use(known.database);
  else if ((link || linkCodeIn(location.hash)) && places.currentHoldsCell()) places.fresh();
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
