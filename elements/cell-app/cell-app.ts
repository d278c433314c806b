import { html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from "lit";
import { type Cell, hasRight } from "../../core/index.js";
import { type AppStrings, appStrings, type Lang, langOf } from "../../core/public/strings/index.js";
import { type AccentProperties, accentProperties } from "./accent.js";
import { runner } from "./actions.js";
import { appStyles } from "./cell-app.styles.js";
import { emptyState } from "./empty-state.js";
import { errorText } from "./error-text.js";
import { foundingView, snippetView } from "./found-view.js";
import { icon, isIcon } from "./icons.js";
import { MemberSession, type SessionState } from "./session.js";
import { joinView, recoveryView, welcomeView } from "./session-view.js";
import { type BlogSnippets, blogSnippets } from "./snippet.js";
import { type SyncState, SyncStatus } from "./sync-status.js";
import { BookletController } from "./tabs/booklet/booklet-controller.js";
import { DevicesController } from "./tabs/devices/devices-controller.js";
import { EventsController } from "./tabs/events/events-controller.js";
import { JournalController } from "./tabs/journal/journal-controller.js";
import { MembersController } from "./tabs/members/members-controller.js";
import { OfficersController } from "./tabs/officers/officers-controller.js";
import { SettingsController } from "./tabs/settings/settings-controller.js";
import { SiteController } from "./tabs/site/site-controller.js";
import { type Access, accessOf, type TabView } from "./tabs/tab.js";
import { TreasuryController } from "./tabs/treasury/treasury-controller.js";

/** The member space's tabs (each also names its label in the strings). */
type Tab =
  | "journal"
  | "events"
  | "site"
  | "members"
  | "officers"
  | "booklet"
  | "treasury"
  | "devices"
  | "settings";

const everyone = (): boolean => true;

/** The tabs in their order, and who sees each. */
const TABS: readonly { id: Tab; shownTo: (access: Access, cell: Cell) => boolean }[] = [
  { id: "journal", shownTo: everyone },
  { id: "events", shownTo: everyone },
  { id: "site", shownTo: (_, cell) => hasRight(cell.state.rules, cell.me()?.roles ?? [], "publish") },
  { id: "members", shownTo: everyone },
  { id: "officers", shownTo: (access) => access.officer },
  { id: "booklet", shownTo: (access) => access.reads("officers") },
  { id: "treasury", shownTo: (access) => access.reads("treasury") },
  { id: "devices", shownTo: everyone },
  { id: "settings", shownTo: everyone },
];

/**
 * The member space (tier T2): on the member space's own origin, this device's keys and the whole cell
 * (Automerge, IndexedDB), the way in (an invitation link, or a request to join), then the cell's journal,
 * its events with answers, and what officers handle. The element is the shell: the session
 * (`session.ts`) and each tab's controller (`tabs/<tab>/<tab>-controller.ts`, drawn by the view beside it)
 * hold the state; the shell shows the session's screen, the tabs the member may see, and the last problem.
 *
 * @tagname cell-app
 * @attr relays - the cell's relays (base URLs separated by spaces); default: those the relay serving the
 *   page lists at `relays.json`, else this page's origin
 * @attr wasm - URL of Automerge's WASM file (default `automerge.wasm` beside the page)
 * @attr lang - `fr` (default) or `en`
 * @csspart tabs - the navigation between views (a bottom bar on a phone, a side bar from 56rem)
 * @csspart header - the bar with the cell's name, what is waiting to be sent, and the cell switcher
 * @cssprop --cellule-accent - the accent colour when the cell's profile names none (set on the element
 *   from the profile's `accent` otherwise, with `--cellule-on-accent`, `--cellule-accent-text-light` and
 *   `--cellule-accent-text-dark`, see accent.ts)
 * @cssprop --cellule-font - the app's font
 */
export class CellApp extends LitElement {
  static override properties: PropertyDeclarations = {
    relays: { type: String },
    wasm: { type: String },
    locale: { type: String, attribute: "lang" },
    database: { attribute: false },
    tab: { state: true },
    problem: { state: true },
  };

  static override styles = appStyles;

  relays: string | null = null;
  wasm: string | null = null;
  locale: string | null = null;
  /**
   * The IndexedDB name prefix of this device's keys and cell (tests give their own), read when the element
   * enters the page. @default "cellule-app"
   */
  database: string | null = null;
  private tab: Tab = "journal";
  /** The last failed action's error, shown (in the member space's words) until the next one. */
  private problem: unknown;
  /** Runs what a button or a form asks for; a failure shows as the problem. */
  private readonly run = runner((error) => {
    this.problem = error;
  });
  private readonly session = new MemberSession(this, () => ({
    relays: this.relays?.split(/\s+/).filter(Boolean),
    automergeWasm: this.wasm ?? new URL("automerge.wasm", location.href).href,
    ...(this.database ? { database: this.database } : {}),
  }));
  /** What is waiting to be sent, and whether a relay is connected (the header's status). */
  private readonly sync = new SyncStatus(this, this.session);
  /** The accent properties set on the element (from the open cell's profile). */
  private accent: AccentProperties | undefined;
  private readonly booklet = new BookletController(this, this.session, this.run);
  private readonly devices = new DevicesController(this, this.session, this.run);
  /** Each tab's controller, which draws it. */
  private readonly tabs: Record<Tab, TabView> = {
    journal: new JournalController(this, this.session, this.run),
    events: new EventsController(this, this.session, this.run),
    site: new SiteController(this, this.session, this.run),
    members: new MembersController(this, this.run),
    officers: new OfficersController(this, this.session, this.run, this.booklet),
    booklet: this.booklet,
    treasury: new TreasuryController(this, this.session, this.run, this.booklet),
    devices: this.devices,
    settings: new SettingsController(
      this,
      this.run,
      () => this.snippets(),
      () => this.session.erase(),
    ),
  };

  override firstUpdated(): void {
    // The user's next action (a form sent, a button pressed): the last failure's message is out of date.
    // Changes arriving from other devices leave it, so that it stays until read.
    const next = (e: Event) => {
      if (e.type === "submit" || (e.target as Element).closest?.("button")) this.problem = undefined;
    };
    this.renderRoot.addEventListener("submit", next, { capture: true });
    this.renderRoot.addEventListener("click", next, { capture: true });
  }

  override render() {
    const lang = langOf(this.locale);
    const t = appStrings(lang);
    return this.screen(t, lang);
  }

  override updated(): void {
    this.useAccent();
  }

  /** The last failed action, above the content. */
  private problemNotice(t: AppStrings) {
    return this.problem !== undefined
      ? html`<p role="alert" class="status error notice">${t.error} ${errorText(this.problem, t)}</p>`
      : nothing;
  }

  /**
   * A screen without the tabs (the way in, the phrase, a removal): the header with `title` (the app's
   * name, or the cell's), then `content` in one column.
   */
  private page(t: AppStrings, title: string, content: unknown, mark: unknown = icon("cells")) {
    return html`<div class="page">
      <header class="bar" part="header"><span class="mark" aria-hidden="true">${mark}</span><h1>${title}</h1></header>
      <div class="content">${this.problemNotice(t)}<main>${content}</main></div>
    </div>`;
  }

  /** What the session's state shows: the way in, or the member's cell. */
  private screen(t: AppStrings, lang: Lang): TemplateResult {
    const s = this.session.state;
    const page = (content: unknown) => this.page(t, t.title, content);
    switch (s.status) {
      case "member":
        return this.member(s, t, lang);
      case "starting":
        return page(html`<p role="status" class="card">${t.starting}</p>`);
      case "welcome":
        return page(
          s.founding
            ? foundingView(
                t,
                this.session.relays,
                (form) => this.run(() => this.session.found(form)),
                () => this.session.setFounding(false),
              )
            : welcomeView(t, s.checkCode, {
                link: (code) => this.run(() => this.session.link(code)),
                restore: (phrase) => this.run(() => this.session.restore(phrase)),
                found: () => this.session.setFounding(true),
              }),
        );
      case "error":
        return page(html`<p role="alert" class="card">${t.error} ${s.message}</p>`);
      case "join":
        return page(
          joinView(t, s.edition?.profile.name ?? "", !!s.invite, (form) =>
            this.run(() => this.session.join(form)),
          ),
        );
      case "waiting":
        return page(emptyState("waiting", t.waiting(s.cellName), "status"));
    }
  }

  /** The member's cell: the recovery phrase once, a removal, or the tabs they may see. */
  private member(s: Extract<SessionState, { status: "member" }>, t: AppStrings, lang: Lang) {
    const { cell } = s;
    const name = cell.state.name;
    const mark = initialOf(name);
    if (s.phrase)
      return this.page(
        t,
        name,
        recoveryView(t, s.phrase, () => this.session.phraseNoted()),
        mark,
      );
    const snippets = s.founded && this.snippets();
    if (snippets)
      return this.page(
        t,
        name,
        snippetView(t, snippets, () => this.session.snippetNoted()),
        mark,
      );
    if (cell.status === "removed" || cell.status === "declined")
      return this.page(
        t,
        name,
        emptyState("offline", cell.status === "removed" ? t.removed : t.declined, "alert"),
        mark,
      );
    const access = accessOf(cell);
    const shown = TABS.filter((tab) => tab.shownTo(access, cell)).map((tab) => tab.id);
    const tab = shown.includes(this.tab) ? this.tab : "journal";
    return html`<div class="shell">
      <header class="bar" part="header">
        <span class="mark" aria-hidden="true">${mark}</span>
        <h1>${name}</h1>
        ${this.syncLine(t)}
        ${this.switcher(cell, t)}
      </header>
      <div class="body">
        <nav part="tabs" aria-label=${t.title}>
          ${shown.map(
            (id) =>
              html`<button aria-current=${tab === id ? "page" : "false"} @click=${() => this.show(id)}><span class="pill">${isIcon(id) ? icon(id) : nothing}</span><span class="label">${t[id]}</span></button>`,
          )}
        </nav>
        <div class="content">
          ${this.problemNotice(t)}
          ${this.staleNotice(cell, t)}
          ${s.foreign?.length ? html`<p role="alert" class="status error foreign notice">${t.foreignEdition(s.foreign.map((f) => f.relay).join(", "))}</p>` : nothing}
          <main>
            <h2>${t[tab]}</h2>
            ${this.tabs[tab].view({ t, lang, cell, access })}
          </main>
          ${s.site ? nothing : html`<p role="status" class="card">${t.starting}</p>`}
        </div>
      </div>
    </div>`;
  }

  /**
   * What is waiting to be sent and whether a relay is connected, as a polite live region: its words change
   * only when the state does (a count, "sent", offline), so a screen reader hears each change once. How
   * many relays answer is beside it, out of the live region (it changes as connections come and go).
   */
  private syncLine(t: AppStrings) {
    const state = this.sync.state;
    if (!state) return nothing;
    const words: Record<SyncState["kind"], string> = {
      sent: t.syncSent,
      waiting: t.syncWaiting(state.waiting),
      offline: state.waiting > 0 ? `${t.syncOffline} · ${t.syncWaiting(state.waiting)}` : t.syncOffline,
      connecting: t.syncConnecting,
    };
    const shape = state.kind === "offline" ? "offline" : state.kind === "sent" ? "sent" : "waiting";
    return html`<p class="sync ${state.kind}">
      <span role="status" aria-atomic="true" class="sync-words">${icon(shape)} ${words[state.kind]}</span>
      <span class="sync-relays" aria-hidden="true">· ${t.syncRelays(state.connected, state.relays)}</span>
    </p>`;
  }

  /**
   * The open cell's accent (its profile's, when it is a hex colour) on the element, for the styles; the
   * app's own when the profile names none.
   */
  private useAccent(): void {
    const s = this.session.state;
    const next = s.status === "member" ? accentProperties(s.site?.site.profile.accent) : undefined;
    if (JSON.stringify(next) === JSON.stringify(this.accent)) return;
    for (const name of Object.keys(this.accent ?? {})) this.style.removeProperty(name);
    for (const [name, value] of Object.entries(next ?? {})) this.style.setProperty(name, value);
    this.accent = next;
  }

  /** This device's cells (a Kit each), to open another, and the way to join or found one more. */
  private switcher(cell: Cell, t: AppStrings) {
    const current = this.session.currentPlace();
    return html`<details class="switcher">
      <summary>${icon("cells")}<span>${t.myCells}</span></summary>
      <ul>
        ${this.session.places().map(
          (p) =>
            html`<li>
              <button aria-current=${p.database === current ? "true" : "false"} ?disabled=${p.cell === cell.id}
                @click=${() => this.session.switchTo(p.database)}>${p.name || t.unnamedCell}</button>
            </li>`,
        )}
        <li><button @click=${() => this.session.another()}>${t.anotherCell}</button></li>
      </ul>
    </details>`;
  }

  /** The blog snippet of the open cell, for those who may publish (`undefined` for others). */
  private snippets(): BlogSnippets | undefined {
    const s = this.session.state;
    if (s.status !== "member" || !hasRight(s.cell.state.rules, s.cell.me()?.roles ?? [], "publish")) return;
    const relays = this.session.relaysOf(s.cell);
    const onRelay = relays.some((r) => new URL(r).origin === location.origin);
    return blogSnippets(
      s.cell.id,
      relays,
      onRelay ? undefined : new URL(location.pathname, location.origin).href,
    );
  }

  /** While a departed device may still read a scope: says so, and lets those who may rotate renew now. */
  private staleNotice(cell: Cell, t: AppStrings) {
    if (cell.staleScopes().length === 0) return nothing;
    const mayRenew = hasRight(cell.state.rules, cell.me()?.roles ?? [], "rotate");
    return html`<p role="status" class="status stale notice">
      ${t.staleKeys}
      ${mayRenew ? html`<button @click=${() => this.run(() => cell.renewStaleKeys())}>${t.renewKeys}</button>` : nothing}
    </p>`;
  }

  /** Another view; the last failure's message goes. */
  private show(tab: Tab): void {
    this.tab = tab;
    this.problem = undefined;
  }
}

/** The cell's mark in the header: the first letter of its name past "Cellule" (decorative). */
function initialOf(name: string): string {
  const word = name.replace(/^\s*(cellule|cell)\b[\s'’-]*(de |des |du |d'|d’)?/i, "").trim() || name.trim();
  return [...word][0]?.toUpperCase() ?? "·";
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-app": CellApp;
  }
}
