/**
 * The cell's public content stored as Automerge documents through the Kit: a `Journal` of posts and an
 * `Agenda` of events (each a `Collection`, so monthly buckets keep documents small), and a `PublicSite`
 * document holding the profile and the pages. A journal or agenda lives in one scope and its records take
 * their visibility from it: in a `public:` scope they are public, in a sealed scope (`members`,
 * `officers`) they are for its readers only and never reach an edition. Input is checked before anything
 * is written. Posts are edited, pinned, unpublished (kept, not shown to readers nor published) and deleted;
 * events edited, cancelled (kept, shown as cancelled) and deleted.
 */

import { InvalidArgumentError, UnknownDocumentError } from "../base/errors.js";
import type { DocId, ScopeId } from "../base/ids.js";
import { Collection } from "../kit/collection.js";
import type { CelluleDocument } from "../kit/document.js";
import type { Kit } from "../kit/kit.js";
import type {
  CellEvent,
  JournalPost,
  PublicPages,
  PublicProfile,
  Visibility,
} from "../protocol/public-content.js";
import { checkEvent, checkPages, checkPost, checkProfile, eventOver } from "../public/content.js";

/**
 * Who reads records in `scope`: everyone for a public one (the public scope is signed, not sealed: a
 * cell's `<cellId>/public`, or any `public:<id>`), officers for a cell's `officers` scope, else members.
 */
export function visibilityOf(scope: ScopeId): Visibility {
  if (scope === "public" || scope.startsWith("public:") || scope.endsWith("/public")) return "public";
  return scope === "officers" || scope.endsWith("/officers") ? "officers" : "members";
}

type Stored<T> = T & { at: number };

/** What a journal and an agenda share: their records, in one collection whose scope says who reads them. */
abstract class ScopedRecords<T extends { id: string }> {
  protected constructor(protected readonly records: Collection<Stored<T>>) {}

  /** The ID other devices open. */
  get id(): DocId {
    return this.records.id;
  }

  /** Who may read these records. */
  get visibility(): Visibility {
    return visibilityOf(this.records.index.scope);
  }

  /** The stored record `id` at `at`; `InvalidArgumentError` when there is none. */
  protected async stored(id: string, at: number): Promise<Stored<T>> {
    const found = typeof id === "string" && Number.isFinite(at) ? await this.records.get(id, at) : undefined;
    if (!found) throw new InvalidArgumentError(`there is no record ${JSON.stringify(id)} here`);
    return found;
  }

  /** Deletes record `id` (stored at `at`: a post's date, an event's start); false when there was none. */
  async remove(id: string, at: number): Promise<boolean> {
    return this.records.remove(id, at);
  }
}

/** What an editor may change in a post (not its ID, author or date). */
export type PostChanges = Partial<
  Pick<JournalPost, "title" | "text" | "link" | "linkTitle" | "pinned" | "unpublished">
>;

/** What may change in an event (not its ID). */
export type EventChanges = Partial<Omit<CellEvent, "id" | "visibility">>;

/** Posts in one scope. */
export class Journal extends ScopedRecords<JournalPost> {
  /** A new journal in `scope` (`public:<cellId>` for the public one, a sealed scope for members-only). */
  static async create(kit: Kit, scope: ScopeId): Promise<Journal> {
    return new Journal(await Collection.create(kit, scope, "journal"));
  }

  /** Opens a journal by its ID. */
  static async open(kit: Kit, id: DocId): Promise<Journal> {
    return new Journal(await Collection.open(kit, id));
  }

  /** Adds or replaces a post; `InvalidArgumentError` (nothing written) if it is not a valid post. */
  async put(post: Omit<JournalPost, "visibility">): Promise<JournalPost> {
    const clean = checkPost({ ...post, visibility: this.visibility });
    await this.records.put({ ...clean, at: clean.date });
    return clean;
  }

  /**
   * Changes post `id` (published at `date`); a `link` or `linkTitle` given as `undefined` is removed.
   * `InvalidArgumentError` (`InvalidFieldError` naming the field; nothing written) for a bad change or
   * an unknown post.
   */
  async edit(id: string, date: number, changes: PostChanges, at = Date.now()): Promise<JournalPost> {
    const { at: _, ...old } = await this.stored(id, date);
    const next: Record<string, unknown> = { ...old, ...changes, id, date, edited: at };
    for (const k of ["link", "linkTitle"] as const)
      if (k in changes && changes[k] === undefined) delete next[k];
    return this.put(next as Omit<JournalPost, "visibility">);
  }

  /** Pins or unpins post `id` (shown first in editions and widgets). */
  async pin(id: string, date: number, pinned = true): Promise<JournalPost> {
    const { at: _, ...old } = await this.stored(id, date);
    return this.put({ ...old, pinned });
  }

  /** Unpublishes post `id` (kept here, not shown nor published), or publishes it again. */
  async unpublish(id: string, date: number, unpublished = true): Promise<JournalPost> {
    const { at: _, ...old } = await this.stored(id, date);
    return this.put({ ...old, unpublished });
  }

  /** The `count` newest posts, newest first, unpublished ones included (pinned ones are ordered by the edition, not here). */
  async newest(count: number): Promise<JournalPost[]> {
    if (!Number.isSafeInteger(count) || count < 0) throw new InvalidArgumentError("count must be 0 or more");
    return (await this.records.newest(count)).map(strip);
  }
}

/** Events in one scope. */
export class Agenda extends ScopedRecords<CellEvent> {
  /** A new agenda in `scope`. */
  static async create(kit: Kit, scope: ScopeId): Promise<Agenda> {
    return new Agenda(await Collection.create(kit, scope, "agenda"));
  }

  /** Opens an agenda by its ID. */
  static async open(kit: Kit, id: DocId): Promise<Agenda> {
    return new Agenda(await Collection.open(kit, id));
  }

  /** Adds or replaces an event; `InvalidArgumentError` (nothing written) if it is not a valid event. */
  async put(event: Omit<CellEvent, "visibility">): Promise<CellEvent> {
    const clean = checkEvent({ ...event, visibility: this.visibility });
    await this.records.put({ ...clean, at: clean.start });
    return clean;
  }

  /**
   * Changes event `id` (starting at `start`); an `end` given as `undefined` is removed. A new start moves
   * it (one change per bucket). `InvalidArgumentError` (`InvalidFieldError` naming the field: `end`
   * before the start; nothing written) for a bad change or an unknown event.
   */
  async edit(id: string, start: number, changes: EventChanges): Promise<CellEvent> {
    const { at: _, visibility: __, ...old } = await this.stored(id, start);
    const next: Record<string, unknown> = { ...old, ...changes, id };
    if ("end" in changes && changes.end === undefined) delete next.end;
    if (next.allDay === false) delete next.allDay;
    const clean = checkEvent({ ...next, visibility: this.visibility });
    if (clean.start !== start) await this.records.remove(id, start);
    await this.records.put({ ...clean, at: clean.start });
    return clean;
  }

  /** Cancels event `id` (kept, shown as cancelled), or restores it with `cancelled` false. */
  async cancel(id: string, start: number, cancelled = true): Promise<CellEvent> {
    return this.edit(id, start, { cancelled });
  }

  /** Every event, soonest first (past ones included). */
  async all(): Promise<CellEvent[]> {
    return (await this.records.all()).map(strip).sort((a, b) => a.start - b.start);
  }

  /** Events not over at `now` (cancelled ones included, to show as cancelled), soonest first. */
  async upcoming(now: number): Promise<CellEvent[]> {
    return (await this.records.all())
      .filter((e) => eventOver(e) >= now)
      .map(strip)
      .sort((a, b) => a.start - b.start);
  }
}

function strip<T>({ at: _, ...rest }: Stored<T>): T {
  return rest as T;
}

interface SiteDoc {
  kind: "public-site";
  /** JSON of the profile and pages, replaced whole (they are small and edited as forms). */
  profile: string;
  pages: string;
}

/** The cell's profile and pages, one document in the public scope. */
export class PublicSite {
  private constructor(private readonly doc: CelluleDocument<SiteDoc>) {}

  /** A new site document; `InvalidArgumentError` for a non-public scope or bad content. */
  static async create(kit: Kit, scope: ScopeId, profile: PublicProfile, pages: PublicPages) {
    if (visibilityOf(scope) !== "public")
      throw new InvalidArgumentError("the public site lives in a public scope");
    const p = JSON.stringify(checkProfile(profile));
    const g = JSON.stringify(checkPages(pages));
    return new PublicSite(await kit.create<SiteDoc>(scope, { kind: "public-site", profile: p, pages: g }));
  }

  /** Opens the site document by its ID. */
  static async open(kit: Kit, id: DocId): Promise<PublicSite> {
    const doc = await kit.open<SiteDoc>(id);
    if (doc.value().kind !== "public-site") throw new UnknownDocumentError(`${id} is not a public site`);
    return new PublicSite(doc);
  }

  get id(): DocId {
    return this.doc.id;
  }

  get profile(): PublicProfile {
    return JSON.parse(this.doc.value().profile);
  }

  get pages(): PublicPages {
    return JSON.parse(this.doc.value().pages);
  }

  /** Replaces the profile; `InvalidArgumentError` (nothing written) if it is not valid. */
  setProfile(profile: PublicProfile): void {
    const text = JSON.stringify(checkProfile(profile));
    this.doc.change((d) => {
      d.profile = text;
    });
  }

  /** Replaces the pages; `InvalidArgumentError` (nothing written) if they are not valid. */
  setPages(pages: PublicPages): void {
    const text = JSON.stringify(checkPages(pages));
    this.doc.change((d) => {
      d.pages = text;
    });
  }

  /** Calls `listener` after every change of the site (local or received). */
  subscribe(listener: () => void): () => void {
    return this.doc.subscribe(() => listener());
  }
}

/** Reads the public content for an edition: the site, the public journal and agenda. */
export async function readPublicContent(
  site: PublicSite,
  journal: Journal,
  agenda: Agenda,
  now: number,
  posts = 50,
) {
  if (journal.visibility !== "public" || agenda.visibility !== "public")
    throw new InvalidArgumentError("an edition reads the public journal and agenda only");
  return {
    profile: site.profile,
    pages: site.pages,
    // Pinned posts may be older than the newest ones: read a margin beyond `posts`.
    posts: await journal.newest(posts * 2),
    events: await agenda.upcoming(now),
  };
}
