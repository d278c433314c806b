/**
 * The journal in the member space, as a function of its posts: public and members-only ones, newest
 * first, and a form for editors. Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { JournalPost } from "../../../../core/index.js";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";
import { formatDate } from "../../../shared/dates.js";
import { field } from "../../forms.js";

/** Posts, newest first, members-only ones marked; editors get a form. */
export function journalView(
  t: AppStrings,
  lang: Lang,
  posts: JournalPost[],
  canWrite: boolean,
  write: (post: { title: string; text: string; members: boolean }) => void,
): TemplateResult {
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    write({
      title: field(form, "title"),
      text: field(form, "text"),
      members: (form.elements.namedItem("members") as HTMLInputElement).checked,
    });
    form.reset();
  };
  return html`${
    canWrite
      ? html`<details>
          <summary>${t.write}</summary>
          <form @submit=${onSubmit}>
            <label>${t.postTitle} <input name="title" required maxlength="300" /></label>
            <label>${t.postText} <textarea name="text" rows="5" maxlength="100000"></textarea></label>
            <label class="check"><input type="checkbox" name="members" checked /> ${t.forMembers}</label>
            <button type="submit">${t.publish}</button>
          </form>
        </details>`
      : nothing
  }
    ${
      posts.length === 0
        ? html`<p>${t.noPosts}</p>`
        : html`<ol class="posts">
            ${posts.map(
              (p) => html`<li>
                <article>
                  <h3>${p.title}</h3>
                  <p class="meta">
                    ${p.visibility === "members" ? html`<span class="badge">${t.membersOnly}</span> · ` : nothing}
                    ${p.author} · ${formatDate(p.date, lang)}
                  </p>
                  <p class="text">${p.text}</p>
                </article>
              </li>`,
            )}
          </ol>`
    }`;
}
