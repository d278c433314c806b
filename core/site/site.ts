/**
 * The cell's site: its public profile and pages, its public journal and agenda, the members-only journal
 * and agenda, and the officers-only journal, as documents named in the governance log (so that every
 * device finds the same ones). An officer who may set document policies creates them the first time they
 * are asked for. The officers' journal is opened on demand, by those who read the `officers` scope only.
 */

import type { DocId } from "../base/ids.js";
import type { Cell } from "../cell/cell.js";
import { namedDocument } from "../cell/named-document.js";
import { hasAnyRole, scopeRule } from "../governance/rules.js";
import type { PublicPages, PublicProfile } from "../protocol/public-content.js";
import { Agenda, Journal, PublicSite } from "./documents.js";

/** The names of the site's documents in the log. */
export const SITE_NAMES = {
  site: "site",
  journal: "journal",
  agenda: "agenda",
  membersJournal: "members-journal",
  membersAgenda: "members-agenda",
  officersJournal: "officers-journal",
} as const;

/** The cell's site documents. */
export interface CellSite {
  /** Profile and pages (public). */
  site: PublicSite;
  /** Public posts (what editions show). */
  journal: Journal;
  /** Public events. */
  agenda: Agenda;
  /** Members-only posts. */
  membersJournal: Journal;
  /** Members-only events. */
  membersAgenda: Agenda;
  /**
   * The officers-only journal (in the `officers` scope): `undefined` for a member who does not read that
   * scope; `UnknownDocumentError` while it does not exist and this member may not create it (or it has not
   * reached this device yet: ask again later). Opened once, then the same journal.
   */
  officersJournal(): Promise<Journal | undefined>;
}

/** What a new site starts with. */
export interface SiteDefaults {
  profile?: Partial<PublicProfile>;
  pages?: Partial<PublicPages>;
}

/**
 * Opens the cell's site; creates and names it when it does not exist yet and this device's member may set
 * policies (with `defaults`). `UnknownDocumentError` when it does not exist and this device may not create
 * it, or when its documents have not reached this device yet.
 */
export async function openSite(cell: Cell, defaults: SiteDefaults = {}): Promise<CellSite> {
  const { kit } = cell;
  const pub = cell.scopeId("public");
  const members = cell.scopeId("members");
  const profile = (): PublicProfile => ({
    name: cell.state.name,
    place: "",
    description: "",
    contact: "",
    relays: cell.state.relays,
    ...defaults.profile,
  });
  const pages: PublicPages = { about: "", contact: "", whyJoin: "", ...defaults.pages };
  const doc = (name: string, scope: string, create: () => Promise<{ id: DocId }>) =>
    namedDocument(cell, name, scope, create);
  let officers: Promise<Journal> | undefined;
  const officersJournal = async (): Promise<Journal | undefined> => {
    const readers = scopeRule(cell.state.rules, "officers")?.readers ?? [];
    if (!hasAnyRole(cell.me()?.roles ?? new Set(), readers)) return undefined;
    officers ??= doc(SITE_NAMES.officersJournal, "officers", () =>
      Journal.create(kit, cell.scopeId("officers")),
    ).then((id) => Journal.open(kit, id));
    // A failure (not created yet, not arrived yet) is tried again at the next call.
    return officers.catch((error) => {
      officers = undefined;
      throw error;
    });
  };
  return {
    officersJournal,
    site: await PublicSite.open(
      kit,
      await doc(SITE_NAMES.site, "public", () => PublicSite.create(kit, pub, profile(), pages)),
    ),
    journal: await Journal.open(kit, await doc(SITE_NAMES.journal, "public", () => Journal.create(kit, pub))),
    agenda: await Agenda.open(kit, await doc(SITE_NAMES.agenda, "public", () => Agenda.create(kit, pub))),
    membersJournal: await Journal.open(
      kit,
      await doc(SITE_NAMES.membersJournal, "members", () => Journal.create(kit, members)),
    ),
    membersAgenda: await Agenda.open(
      kit,
      await doc(SITE_NAMES.membersAgenda, "members", () => Agenda.create(kit, members)),
    ),
  };
}
