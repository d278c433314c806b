/**
 * The public page tab's state: the cell's profile (name, place, description, contact, time zone, accent
 * colour) and its pages (about, why join, contact), as the site document holds them, kept up to date as it
 * changes (here or on another device), and saved whole by those who write the public scope. A refused
 * field is shown in the form that sent it; nothing is written then. The relays of the profile are not
 * edited here (they follow the governance log).
 */
import { type PublicProfile, timeZoneOf } from "../../../../core/index.js";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import type { OpenCell } from "../../session.js";
import { CellTabController, type TabContext } from "../tab.js";
import { attempt, writes } from "./content-forms.js";
import { type ProfileFields, siteView } from "./site-view.js";

/** See the module comment. */
export class SiteController extends CellTabController {
  /** Refused fields, by form (`profile`, `pages`); forms just saved. */
  private readonly problems = new Map<string, string>();
  private readonly saved = new Set<string>();

  protected follow(open: OpenCell): () => void {
    this.host.requestUpdate();
    return open.site.site.subscribe(() => this.host.requestUpdate());
  }

  protected forget(): void {
    this.problems.clear();
    this.saved.clear();
  }

  view({ t, cell }: TabContext) {
    const site = this.current?.site.site;
    if (!site) return siteView(t, undefined);
    const profile = site.profile;
    return siteView(t, {
      profile: { ...profile, timeZone: timeZoneOf(profile) },
      pages: site.pages,
      canWrite: writes(cell, "public"),
      problems: this.problems,
      saved: this.saved,
      saveProfile: (fields) =>
        this.save(t, "profile", () => site.setProfile({ ...site.profile, ...withoutEmptyAccent(fields) })),
      savePages: (pages) => this.save(t, "pages", () => site.setPages(pages)),
    });
  }

  private save(t: AppStrings, form: string, write: () => void): void {
    const labels = {
      name: t.profileName,
      place: t.profilePlace,
      description: t.profileDescription,
      contact: t.profileContact,
      timeZone: t.timeZone,
      accent: t.accent,
      about: t.pageAbout,
      whyJoin: t.pageWhyJoin,
    };
    // The pages' contact is another field than the profile's.
    const named = form === "pages" ? { ...labels, contact: t.pageContact } : labels;
    this.saved.delete(form);
    this.run(async () => {
      if (await attempt(t, form, named, this.problems, async () => write())) this.saved.add(form);
      this.host.requestUpdate();
    });
  }
}

/** The profile's fields as the form gives them: an empty accent is none. */
function withoutEmptyAccent(fields: ProfileFields): Partial<PublicProfile> {
  const { accent, ...rest } = fields;
  return accent.trim() ? { ...rest, accent: accent.trim() } : { ...rest, accent: undefined };
}
