/**
 * The cell's site: its public profile and pages, its public journal and agenda, and the members-only
 * journal and agenda, as documents named in the governance log (so that every device finds the same ones).
 * An officer who may set document policies creates them the first time they are asked for.
 */
import type { Cell } from "./cell.js";
import { UnknownDocumentError } from "./errors.js";
import { hasRight } from "./governance/rules.js";
import type { DocId } from "./ids.js";
import type { Kit } from "./kit.js";
import type { PublicPages, PublicProfile } from "./public/content.js";
import { Agenda, Journal, PublicSite } from "./public/documents.js";

/** The names of the site's documents in the log. */
export const SITE_NAMES = {
  site: "site",
  journal: "journal",
  agenda: "agenda",
  membersJournal: "members-journal",
  membersAgenda: "members-agenda",
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
}

/** What a new site starts with. */
export interface SiteDefaults {
  profile?: Partial<PublicProfile>;
  pages?: Partial<PublicPages>;
}

/**
 * Opens the cell's site; creates and names it when it does not exist yet and this device's member may set
 * policies. `UnknownDocumentError` when it does not exist and this device may not create it, or when its
 * documents have not reached this device yet.
 */
export async function openSite(cell: Cell, kit: Kit, defaults: SiteDefaults = {}): Promise<CellSite> {
  const id = (name: string) => cell.named(name);
  if (!id(SITE_NAMES.site)) await createSite(cell, kit, defaults);
  const need = (name: string): DocId => {
    const doc = id(name);
    if (!doc) throw new UnknownDocumentError(`the cell has no document named ${name}`);
    return doc;
  };
  return {
    site: await PublicSite.open(kit, need(SITE_NAMES.site)),
    journal: await Journal.open(kit, need(SITE_NAMES.journal)),
    agenda: await Agenda.open(kit, need(SITE_NAMES.agenda)),
    membersJournal: await Journal.open(kit, need(SITE_NAMES.membersJournal)),
    membersAgenda: await Agenda.open(kit, need(SITE_NAMES.membersAgenda)),
  };
}

async function createSite(cell: Cell, kit: Kit, defaults: SiteDefaults): Promise<void> {
  const state = cell.state;
  if (!hasRight(state.rules, cell.me()?.roles ?? [], "set-policy"))
    throw new UnknownDocumentError(
      "the cell's site is not set up yet: an officer who may set policies does it",
    );
  const pub = cell.scopeId("public");
  const members = cell.scopeId("members");
  const profile: PublicProfile = {
    name: state.name,
    place: "",
    description: "",
    contact: "",
    relays: state.relays,
    ...defaults.profile,
  };
  const pages: PublicPages = { about: "", contact: "", whyJoin: "", ...defaults.pages };
  const docs: [string, { id: DocId }, string][] = [
    [SITE_NAMES.site, await PublicSite.create(kit, pub, profile, pages), "public"],
    [SITE_NAMES.journal, await Journal.create(kit, pub), "public"],
    [SITE_NAMES.agenda, await Agenda.create(kit, pub), "public"],
    [SITE_NAMES.membersJournal, await Journal.create(kit, members), "members"],
    [SITE_NAMES.membersAgenda, await Agenda.create(kit, members), "members"],
  ];
  for (const [name, doc, scope] of docs) {
    await cell.setPolicy(doc.id, { scope, writers: state.rules.scopes[scope]?.writers ?? [], name });
  }
}
