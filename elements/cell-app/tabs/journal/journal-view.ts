/**
 * The journal in the member space, as a function of its posts: public, members' and officers' ones,
 * pinned first then newest, each marked with who reads it; for those who write a post's journal, its
 * tools (edit, pin, unpublish, delete after a confirmation) and a form to write one. Everything shown is
 * text; a refused field is named in the form that sent it.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { JournalPost, Visibility } from "../../../../core/index.js";
import { safeLink } from "../../../../core/public/links.js";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";
import { formatDate } from "../../../shared/dates.js";
import { field } from "../../forms.js";

/** A post as its form gives it. */
export interface PostForm {
  title: string;
  text: string;
  link: string;
  linkTitle: string;
  visibility: Visibility;
}

/** What the view's buttons and forms ask the controller. */
export interface JournalActions {
  /** `done` is called once written (the form is then emptied). */
  write(form: PostForm, done: () => void): void;
  /** Opens the post's form, or closes it (`undefined`). */
  edit(post: JournalPost | undefined): void;
  save(post: JournalPost, form: PostForm): void;
  pin(post: JournalPost): void;
  unpublish(post: JournalPost): void;
  /** Asks for a confirmation, then deletes. */
  remove(post: JournalPost): void;
}

/** What the view needs besides the posts. */
export interface JournalState {
  /** The visibilities this member may write (empty: no form). */
  visibilities: readonly Visibility[];
  canEdit(post: JournalPost): boolean;
  editing: string | undefined;
  confirming: string | undefined;
  problems: ReadonlyMap<string, string>;
  actions: JournalActions;
  /** The cell's time zone, dates are shown in. */
  zone: string;
}

const read = (form: HTMLFormElement): PostForm => ({
  title: field(form, "title"),
  text: field(form, "text"),
  link: field(form, "link"),
  linkTitle: field(form, "linkTitle"),
  visibility: field(form, "visibility") as Visibility,
});

/** A post's form (new when `post` is undefined). Checked by the core, not the browser: its messages name fields. */
function postForm(
  t: AppStrings,
  s: JournalState,
  post: JournalPost | undefined,
  submit: (form: PostForm, el: HTMLFormElement) => void,
) {
  const problem = s.problems.get(post?.id ?? "new");
  const id = post?.id ?? "new";
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const el = e.target as HTMLFormElement;
    submit(read(el), el);
  };
  return html`<form novalidate class="post-form" data-form=${id} @submit=${onSubmit}>
    ${problem ? html`<p role="alert" class="status error">${problem}</p>` : nothing}
    <label>${t.postTitle} <input name="title" maxlength="300" .value=${post?.title ?? ""} /></label>
    <label>${t.postText} <textarea name="text" rows="5" .value=${post?.text ?? ""}></textarea></label>
    <label>${t.postLink} <input name="link" type="url" inputmode="url" .value=${post?.link ?? ""} /></label>
    <label>${t.postLinkTitle} <input name="linkTitle" maxlength="300" .value=${post?.linkTitle ?? ""} /></label>
    <label>${t.visibility}
      <select name="visibility">
        ${s.visibilities.map(
          (v) =>
            html`<option value=${v} ?selected=${(post?.visibility ?? "members") === v}>${t.visibilities[v]}</option>`,
        )}
      </select>
    </label>
    <button type="submit">${post ? t.saveChanges : t.publish}</button>
    ${post ? html`<button type="button" @click=${() => s.actions.edit(undefined)}>${t.stopEditing}</button>` : nothing}
  </form>`;
}

/** The marks of a post: who reads it, pinned, unpublished, edited. */
function marks(t: AppStrings, p: JournalPost) {
  const all = [
    p.visibility === "members" ? t.membersOnly : p.visibility === "officers" ? t.officersOnly : undefined,
    p.pinned ? t.pinnedMark : undefined,
    p.unpublished ? t.unpublishedMark : undefined,
  ].filter(Boolean);
  return all.map((m) => html`<span class="badge">${m}</span> · `);
}

/** A post's link, if the one allow-list keeps it (a post may come from any member's device). */
function link(p: JournalPost) {
  const href = safeLink(p.link);
  return href
    ? html`<p><a href=${href} rel="noopener noreferrer nofollow" target="_blank">${p.linkTitle || href}</a></p>`
    : nothing;
}

/** Posts, pinned first then newest; those who write a journal get its tools and a form. */
export function journalView(
  t: AppStrings,
  lang: Lang,
  posts: JournalPost[],
  s: JournalState,
): TemplateResult {
  const a = s.actions;
  return html`${
    s.visibilities.length > 0
      ? html`<details ?open=${s.problems.has("new")}>
          <summary>${t.write}</summary>
          ${postForm(t, s, undefined, (form, el) => a.write(form, () => el.reset()))}
        </details>`
      : nothing
  }
    ${
      posts.length === 0
        ? html`<p>${t.noPosts}</p>`
        : html`<ol class="posts">
            ${posts.map(
              (p) => html`<li data-post=${p.id}>
                <article>
                  <h3>${p.title}</h3>
                  <p class="meta">${marks(t, p)}${p.author} · ${formatDate(p.date, lang, s.zone)}</p>
                  <p class="text">${p.text}</p>
                  ${link(p)}
                  ${
                    s.canEdit(p)
                      ? s.editing === p.id
                        ? postForm(t, s, p, (form) => a.save(p, form))
                        : html`<div role="group" aria-label=${p.title} class="tools">
                            <button @click=${() => a.edit(p)}>${t.edit}</button>
                            <button @click=${() => a.pin(p)}>${p.pinned ? t.unpin : t.pin}</button>
                            <button @click=${() => a.unpublish(p)}>${p.unpublished ? t.republish : t.unpublish}</button>
                            <button @click=${() => a.remove(p)}>${s.confirming === p.id ? t.confirmDelete : t.deleteItem}</button>
                          </div>`
                      : nothing
                  }
                </article>
              </li>`,
            )}
          </ol>`
    }`;
}
