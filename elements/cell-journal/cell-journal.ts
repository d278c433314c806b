import { html, nothing } from "lit";
import type { JournalPost } from "../../core/protocol/public-content.js";
import { safeLink } from "../../core/public/links.js";
import type { Lang, WidgetStrings } from "../../core/public/strings/index.js";
import type { VerifiedEdition } from "../../core/public/verify.js";
import { formatRange } from "../shared/dates.js";
import { EditionElement } from "../shared/edition-element.js";
import { clip } from "../shared/safe.js";

/**
 * A cell's public journal: its latest posts, pinned first, from the cell's signed edition (verified in the
 * page with WebCrypto; nothing is shown unless it is signed by the cell), dated in the cell's time zone.
 *
 * @tagname cell-journal
 * @attr cell - the cell's address(es): `https://relay.example.org/c/<cellId>`, several separated by spaces
 * @attr lang - `fr` (default) or `en`
 * @attr limit - posts shown at first and added by "more" (default 5)
 * @attr post - show only the post with this id
 * @csspart list - the list of posts
 * @csspart post - one post
 * @csspart title - a post's title
 * @csspart meta - a post's author and date
 * @csspart text - a post's text
 * @csspart link - a post's link
 * @csspart more - the "more posts" button
 * @csspart status - loading and error messages
 * @cssprop --cellule-font - font family (default: the page's)
 * @cssprop --cellule-color - text colour
 * @cssprop --cellule-accent - link colour
 * @cssprop --cellule-muted - colour of dates and messages
 * @cssprop --cellule-gap - space between posts
 * @cssprop --cellule-button-background - background of the "more posts" button (default: transparent)
 * @cssprop --cellule-radius - corner radius of the button (default: 0.25em)
 * @cssprop --cellule-line-height - line height (default: 1.5)
 * @cssprop --cellule-error - colour of error messages (default: #a40000)
 */
export class CellJournal extends EditionElement {
  static override properties = {
    post: {},
    shown: { state: true },
  };

  post: string | null = null;
  private shown = 0;

  protected renderEdition(
    edition: VerifiedEdition,
    { lang, t, zone }: { lang: Lang; t: WidgetStrings; zone: string },
  ) {
    const all = (edition.posts as JournalPost[]).filter((p) => !this.post || p.id === this.post);
    if (all.length === 0) return html`<p part="status" class="status">${t.noPosts}</p>`;
    const step = this.count;
    const count = Math.max(this.shown, step);
    // Templates without whitespace between tags: every byte counts in the widget bundle.
    return html`<ol part="list">${all.slice(0, count).map((p) => {
      const href = safeLink(p.link);
      const when = formatRange(p.date, undefined, lang, zone, "day");
      return html`<li part="post"><h3 part="title"><bdi>${clip(p.title, 300)}</bdi></h3><p part="meta" class="muted">${
        p.pinned ? html`<strong>${t.pinned}</strong> · ` : nothing
      }<bdi>${t.by(clip(p.author, 120))}</bdi>${
        when ? html` · <time datetime=${new Date(p.date).toISOString()}>${when}</time>` : nothing
      }</p><div part="text" class="text">${clip(p.text, 20_000)}</div>${
        href
          ? html`<p><a part="link" href=${href} rel="noopener noreferrer nofollow" target="_blank"><bdi>${clip(p.linkTitle || href, 300)}</bdi></a></p>`
          : nothing
      }</li>`;
    })}</ol>${
      count < all.length
        ? html`<button part="more" @click=${() => (this.shown = count + step)}>${t.more}</button>`
        : nothing
    }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-journal": CellJournal;
  }
}
