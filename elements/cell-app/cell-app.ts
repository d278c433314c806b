import { html, LitElement, nothing, type PropertyDeclarations } from "lit";
import {
  type Cell,
  type CellEvent,
  type CellSite,
  hasRight,
  invitationToText,
  type JournalPost,
  type MemberState,
  type ReceivedContact,
  type RsvpAnswer,
  type RsvpSummary,
  type Rsvps,
} from "../../core/index.js";
import { stringsFor } from "../shared/strings.js";
import { appStyles } from "./app-styles.js";
import { OfficerBooks } from "./books.js";
import { MyDevices } from "./devices.js";
import { MemberSession } from "./session.js";
import { appStrings } from "./strings.js";
import { eventsView, joinView, journalView, officersView } from "./views.js";
import { linkThisDeviceView, recoveryView, restoreView } from "./views-devices.js";
import { type InviteOptions, inviteView } from "./views-invite.js";

/** Where the member space keeps the language chosen in its settings. */
const LANG_KEY = "cellule-app-lang";

type Tab = "journal" | "events" | "officers" | "booklet" | "treasury" | "devices" | "settings";

/**
 * The member space (tier T2): on the member space's own origin, this device's keys and the whole cell
 * (Automerge, IndexedDB), the way in (an invitation link, or a request to join), then the cell's journal,
 * its events with answers, and what officers handle.
 *
 * @tagname cell-app
 * @attr relays - the cell's relays (base URLs separated by spaces); default: those the relay serving the
 *   page lists at `relays.json`, else this page's origin
 * @attr wasm - URL of Automerge's WASM file (default `automerge.wasm` beside the page)
 * @attr lang - `fr` (default) or `en`
 * @csspart tabs - the navigation between views
 */
export class CellApp extends LitElement {
  static override properties: PropertyDeclarations = {
    relays: { type: String },
    wasm: { type: String },
    locale: { type: String, attribute: "lang" },
    tab: { state: true },
    problem: { state: true },
  };

  static override styles = appStyles;

  relays: string | null = null;
  wasm: string | null = null;
  locale: string | null = null;
  private tab: Tab = "journal";
  private session!: MemberSession;
  /** The last failed action, shown until the next one. */
  private problem = "";
  private posts: JournalPost[] = [];
  private events: CellEvent[] = [];
  private answers = new Map<string, RsvpSummary>();
  private loaded: Cell | undefined;
  /** The link of the last invitation made here. */
  private inviteLink: string | undefined;
  private readonly books = new OfficerBooks(this, (e) => this.fail(e));
  private readonly devices = new MyDevices(this, (e) => this.fail(e));

  override connectedCallback(): void {
    super.connectedCallback();
    this.locale ??= localStorage.getItem(LANG_KEY) ?? document.documentElement.lang;
    // Created once connected, when the attributes are known; it starts the session (hostConnected).
    this.session ??= new MemberSession(this, {
      relays: this.relays?.split(/\s+/).filter(Boolean),
      automergeWasm: this.wasm ?? new URL("automerge.wasm", location.href).href,
    });
  }

  override firstUpdated(): void {
    // The user's next action (a form sent, a button pressed): the last failure's message is out of date.
    // Changes arriving from other devices leave it, so that it stays until read.
    const next = (e: Event) => {
      if (e.type === "submit" || (e.target as Element).closest?.("button")) this.problem = "";
    };
    this.renderRoot.addEventListener("submit", next, { capture: true });
    this.renderRoot.addEventListener("click", next, { capture: true });
  }

  override render() {
    const { lang } = stringsFor(this.locale);
    const t = appStrings(lang);
    return html`${this.problem ? html`<p role="alert" class="status error">${t.error} ${this.problem}</p>` : nothing}
      ${this.view(t)}`;
  }

  private view(t: ReturnType<typeof appStrings>) {
    const s = this.session.state;
    if (s.status === "member" && s.phrase)
      return html`<main><h1>${s.cell.state.name}</h1>${recoveryView(t, s.phrase, () => this.session.phraseNoted())}</main>`;
    if (s.status === "member" && (s.cell.status === "removed" || s.cell.status === "declined"))
      return html`<main>
        <h1>${s.cell.state.name}</h1>
        <p role="alert">${s.cell.status === "removed" ? t.removed : t.declined}</p>
      </main>`;
    if (s.status === "member") return this.member(s.cell, s.site, s.rsvps);
    const content =
      s.status === "starting"
        ? html`<p role="status">${t.starting}</p>`
        : s.status === "welcome"
          ? html`<p>${t.welcome}</p>
              ${linkThisDeviceView(t, s.checkCode, (code) => this.session.link(code).catch((e) => this.fail(e)))}
              ${s.checkCode ? nothing : restoreView(t, (phrase) => this.session.restore(phrase).catch((e) => this.fail(e)))}`
          : s.status === "error"
            ? html`<p role="alert">${t.error} ${s.message}</p>`
            : s.status === "join"
              ? joinView(t, s.edition?.profile.name ?? "", !!s.invite, (form) =>
                  this.session.join(form).catch((e) => this.fail(e)),
                )
              : html`<p role="status">${t.waiting(s.cellName)}</p>`;
    return html`<main><h1>${t.title}</h1>${content}</main>`;
  }

  private member(cell: Cell, site: CellSite | undefined, rsvps: Rsvps | undefined) {
    const { lang } = stringsFor(this.locale);
    const t = appStrings(lang);
    if (site && rsvps && this.loaded !== cell) this.watch(cell, site, rsvps);
    const me = cell.me();
    const roles = me?.roles ?? new Set<string>();
    const officer = cell.state.rules.officers.some((r) => roles.has(r));
    const reads = (scope: string) =>
      (cell.state.rules.scopes[scope]?.readers ?? []).some((r) => roles.has(r));
    const tabs: [Tab, string][] = [
      ["journal", t.journal],
      ["events", t.events],
      ...(officer ? ([["officers", t.officers]] as [Tab, string][]) : []),
      ...(reads("officers") ? ([["booklet", t.booklet]] as [Tab, string][]) : []),
      ...(reads("treasury") ? ([["treasury", t.treasury]] as [Tab, string][]) : []),
      ["devices", t.devices],
      ["settings", t.settings],
    ];
    const tab = tabs.some(([id]) => id === this.tab) ? this.tab : "journal";
    return html`<header>
        <h1>${cell.state.name}</h1>
        <nav part="tabs" aria-label=${t.title}>
          ${tabs.map(
            ([id, label]) =>
              html`<button aria-current=${tab === id ? "page" : "false"} @click=${() => this.show(id)}>${label}</button>`,
          )}
        </nav>
      </header>
      <main>
        <h2>${tabs.find(([id]) => id === tab)![1]}</h2>
        ${
          tab === "journal"
            ? journalView(t, lang, this.posts, roles.has("editor"), (p) =>
                this.write(site!, p, me?.name ?? ""),
              )
            : tab === "events"
              ? eventsView(
                  t,
                  lang,
                  this.events,
                  this.answers,
                  (e) => this.answers.get(e.id)?.who.find((w) => w.member === me?.id)?.answer,
                  (e, a) => this.answer(rsvps!, e, a),
                )
              : tab === "officers"
                ? html`${officersView(t, lang, this.pending(cell), this.requests(cell), {
                    admit: (m: MemberState) => void cell.admit(m.id).catch((e) => this.fail(e)),
                    decline: (m: MemberState) => void cell.decline(m.id).catch((e) => this.fail(e)),
                    accept: (c: ReceivedContact) => void cell.acceptJoin(c).catch((e) => this.fail(e)),
                    ...(reads("officers")
                      ? {
                          record: (c: ReceivedContact) =>
                            void this.books.addContact(cell, c).catch((e) => this.fail(e)),
                        }
                      : {}),
                  })}
                  ${
                    hasRight(cell.state.rules, roles, "invite")
                      ? inviteView(t, this.invitable(cell, roles), this.inviteLink, (o) =>
                          this.invite(cell, o),
                        )
                      : nothing
                  }`
                : tab === "booklet"
                  ? this.books.bookletTab(t, cell)
                  : tab === "treasury"
                    ? this.books.treasuryTab(t, cell)
                    : tab === "devices"
                      ? this.devices.view(t, cell, this.session.kit!.device.id)
                      : this.settingsView(t, lang)
        }
      </main>
      ${site ? nothing : html`<p role="status">${t.starting}</p>`}`;
  }

  /** Settings: the language (kept on this device). */
  private settingsView(t: ReturnType<typeof appStrings>, lang: string) {
    const choose = (e: Event) => {
      const value = (e.target as HTMLSelectElement).value;
      localStorage.setItem(LANG_KEY, value);
      this.locale = value;
      document.documentElement.lang = value;
    };
    return html`<label>${t.language}
      <select @change=${choose}>
        <option value="fr" ?selected=${lang === "fr"}>Français</option>
        <option value="en" ?selected=${lang === "en"}>English</option>
      </select>
    </label>`;
  }

  private pending(cell: Cell): MemberState[] {
    return cell.members().filter((m) => m.status === "pending");
  }

  /** The roles an invitation may carry: member, and the others for those who may set roles. */
  private invitable(cell: Cell, roles: ReadonlySet<string>): string[] {
    const others = Object.keys(cell.state.rules.roles).filter((r) => r !== "member");
    return ["member", ...(hasRight(cell.state.rules, roles, "set-role") ? others : [])];
  }

  /** Makes an invitation and shows its link (and QR code). */
  private invite(cell: Cell, options: InviteOptions): void {
    void cell
      .invite({ ...options, relays: this.session.relays })
      .then((invitation) => {
        const page = new URL(location.pathname, location.origin).href;
        this.inviteLink = `${page}#join=${cell.id}&invite=${encodeURIComponent(invitationToText(invitation))}`;
        this.requestUpdate();
      })
      .catch((e) => this.fail(e));
  }

  /** Contacts, without the requests to join whose device is now in the cell. */
  private requests(cell: Cell): ReceivedContact[] {
    const signing = new Set([...cell.state.devices.values()].map((d) => d.keys.signing));
    return this.session.contacts.filter((c) => !c.device || !signing.has(c.device.signing));
  }

  /** Loads posts, events and answers now and after every change that reaches this device. */
  private watch(cell: Cell, site: CellSite, rsvps: Rsvps): void {
    this.loaded = cell;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reload = async () => {
      const now = Date.now();
      const [pub, mem, pubEvents, memEvents] = await Promise.all([
        site.journal.newest(30),
        site.membersJournal.newest(30),
        site.agenda.upcoming(now),
        site.membersAgenda.upcoming(now),
      ]);
      this.posts = [...pub, ...mem].sort((a, b) => b.date - a.date);
      this.events = [...pubEvents, ...memEvents].sort((a, b) => a.start - b.start);
      this.answers = new Map(
        await Promise.all(this.events.map(async (e) => [e.id, await rsvps.summary(e)] as const)),
      );
      await this.books.reload(cell);
      this.requestUpdate();
    };
    this.session.kit!.on("written", () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 100);
    });
    void reload();
  }

  private write(
    site: CellSite,
    post: { title: string; text: string; members: boolean },
    author: string,
  ): void {
    const journal = post.members ? site.membersJournal : site.journal;
    const date = Date.now();
    void journal
      .put({
        id: `${date.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        title: post.title,
        text: post.text,
        author,
        date,
      })
      .catch((e) => this.fail(e));
  }

  private answer(rsvps: Rsvps, event: CellEvent, answer: RsvpAnswer): void {
    void rsvps.answer(event, answer).catch((e) => this.fail(e));
  }

  /** Another view; the last failure's message goes. */
  private show(tab: Tab): void {
    this.tab = tab;
    this.problem = "";
  }

  private fail(error: unknown): void {
    this.problem = error instanceof Error ? error.message : String(error);
    this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-app": CellApp;
  }
}
