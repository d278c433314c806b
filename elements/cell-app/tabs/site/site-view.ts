/**
 * The public page tab, as a function of the cell's profile and pages: two forms, for those who write the
 * public scope (others read them), checked by the core (a refused field is named, nothing written).
 * The time zone is typed as its IANA name, with the names `Intl` knows offered; the accent colour as
 * `#rrggbb`, shown beside it.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { PublicPages, PublicProfile } from "../../../../core/index.js";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import { field } from "../../forms.js";

/** What the profile form gives. */
export type ProfileFields = Pick<PublicProfile, "name" | "place" | "description" | "contact"> & {
  timeZone: string;
  accent: string;
};

/** What the view shows and asks. */
export interface SiteState {
  profile: PublicProfile & { timeZone: string };
  pages: PublicPages;
  canWrite: boolean;
  problems: ReadonlyMap<string, string>;
  saved: ReadonlySet<string>;
  saveProfile(fields: ProfileFields): void;
  savePages(pages: PublicPages): void;
}

/** `#abc` as `#aabbcc` (what a colour input takes). */
const long = (hex: string): string =>
  hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join("")}` : hex;

/** The time zones offered (any other name `Intl` knows is taken too). */
const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
};

const status = (t: AppStrings, s: SiteState, form: string) => {
  const problem = s.problems.get(form);
  if (problem) return html`<p role="alert" class="status error">${problem}</p>`;
  return s.saved.has(form) ? html`<p role="status" class="status">${t.saved}</p>` : nothing;
};

/** The profile and pages forms (or, before the site is open, nothing to show yet). */
export function siteView(t: AppStrings, s: SiteState | undefined): TemplateResult {
  if (!s) return html`<p role="status">${t.starting}</p>`;
  const p = s.profile;
  const off = !s.canWrite;
  const onProfile = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    s.saveProfile({
      name: field(form, "name"),
      place: field(form, "place"),
      description: field(form, "description"),
      contact: field(form, "contact"),
      timeZone: field(form, "timeZone").trim(),
      accent: field(form, "accent"),
    });
  };
  const onPages = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    s.savePages({
      about: field(form, "about"),
      whyJoin: field(form, "whyJoin"),
      contact: field(form, "contact"),
    });
  };
  return html`<section aria-labelledby="site-profile">
      <h3 id="site-profile">${t.profileTitle}</h3>
      <form novalidate data-form="profile" @submit=${onProfile}>
        ${status(t, s, "profile")}
        <fieldset ?disabled=${off}>
          <label>${t.profileName} <input name="name" maxlength="300" .value=${p.name} /></label>
          <label>${t.profilePlace} <input name="place" maxlength="300" .value=${p.place} /></label>
          <label>${t.profileDescription} <textarea name="description" rows="4" .value=${p.description}></textarea></label>
          <label>${t.profileContact} <input name="contact" maxlength="300" .value=${p.contact} /></label>
          <label>${t.timeZone} <input name="timeZone" list="site-zones" autocomplete="off" .value=${p.timeZone} /></label>
          <datalist id="site-zones">${zones().map((z) => html`<option value=${z}></option>`)}</datalist>
          <label>${t.accent}
            <input name="accent" placeholder="#c0392b" maxlength="7" .value=${p.accent ?? ""} />
            ${
              // A colour input shows the colour without an inline style (the page's policy allows none).
              p.accent
                ? html`<input type="color" disabled tabindex="-1" aria-hidden="true" .value=${long(p.accent)} />`
                : html`<span class="meta">${t.noAccent}</span>`
            }
          </label>
          <button type="submit">${t.saveProfile}</button>
        </fieldset>
      </form>
    </section>
    <section aria-labelledby="site-pages">
      <h3 id="site-pages">${t.pagesTitle}</h3>
      <form novalidate data-form="pages" @submit=${onPages}>
        ${status(t, s, "pages")}
        <fieldset ?disabled=${off}>
          <label>${t.pageAbout} <textarea name="about" rows="5" .value=${s.pages.about}></textarea></label>
          <label>${t.pageWhyJoin} <textarea name="whyJoin" rows="5" .value=${s.pages.whyJoin}></textarea></label>
          <label>${t.pageContact} <textarea name="contact" rows="3" .value=${s.pages.contact}></textarea></label>
          <button type="submit">${t.savePages}</button>
        </fieldset>
      </form>
    </section>`;
}
