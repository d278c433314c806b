import { html, nothing } from "lit";
import type { CellEvent } from "../../core/protocol/public-content.js";
import type { Lang, WidgetStrings } from "../../core/public/strings/index.js";
import type { VerifiedEdition } from "../../core/public/verify.js";
import { formatRange, isTime } from "../shared/dates.js";
import { EditionElement } from "../shared/edition-element.js";
import { clip } from "../shared/safe.js";
import { baseStyles, listStyles } from "../shared/styles.js";

/** The "add to my calendar" link of an event, when its ID makes a URL (a lone surrogate does not). */
function ics(base: string, id: unknown, text: string) {
  try {
    return html`<a part="ics" href="${base}/${encodeURIComponent(String(id))}.ics" rel="noopener noreferrer">${text}</a>`;
  } catch {
    return nothing;
  }
}

/**
 * A cell's upcoming public events (actions, meetings, demonstrations), from its signed edition, each with
 * an "add to my calendar" link (the relay serves each public event as an .ics file), and a link to
 * subscribe to the cell's calendar feed.
 *
 * @tagname cell-events
 * @attr cell - the cell's address(es): `https://relay.example.org/c/<cellId>`, several separated by spaces
 * @attr lang - `fr` (default) or `en`
 * @attr limit - how many events to show (default 5)
 * @csspart list - the list of events
 * @csspart event - one event
 * @csspart title - an event's title
 * @csspart when - its date and time
 * @csspart place - its place
 * @csspart description - its description
 * @csspart ics - the "add to my calendar" link
 * @csspart subscribe - the link to the calendar feed
 * @csspart status - loading and error messages
 * @cssprop --cellule-font - font family (default: the page's)
 * @cssprop --cellule-color - text colour
 * @cssprop --cellule-accent - link colour
 * @cssprop --cellule-muted - colour of dates and messages
 * @cssprop --cellule-gap - space between events
 * @cssprop --cellule-line-height - line height (default: 1.5)
 * @cssprop --cellule-error - colour of error messages (default: #a40000)
 */
export class CellEvents extends EditionElement {
  static override properties = {
    limit: { type: Number },
  };

  static override styles = [baseStyles, listStyles];

  limit = 5;

  protected renderEdition(
    edition: VerifiedEdition,
    { lang, t, relay }: { lang: Lang; t: WidgetStrings; relay: string },
  ) {
    const now = Date.now();
    const upcoming = (edition.events as CellEvent[])
      .filter((e) => isTime(e.start) && (isTime(e.end) ? e.end : e.start) >= now)
      .sort((a, b) => a.start - b.start)
      .slice(0, EditionElement.count(this.limit));
    const base = `${relay}c/${edition.cell}/events`;
    return html`
      ${
        upcoming.length === 0
          ? html`<p part="status" class="status">${t.noEvents}</p>`
          : html`<ol part="list">
              ${upcoming.map(
                (e) => html`<li part="event">
                  <article>
                    <h3 part="title"><bdi>${clip(e.title, 300)}</bdi></h3>
                    <p part="when" class="muted"><time datetime=${new Date(e.start).toISOString()}>${formatRange(e.start, e.end, lang)}</time></p>
                    ${e.place ? html`<p part="place" class="muted"><bdi>${clip(e.place, 300)}</bdi></p>` : nothing}
                    ${e.description ? html`<div part="description" class="text">${clip(e.description, 10_000)}</div>` : nothing}
                    ${ics(base, e.id, t.addToCalendar)}
                  </article>
                </li>`,
              )}
            </ol>`
      }
      <p><a part="subscribe" href="${base}.ics" rel="noopener noreferrer">${t.subscribe}</a></p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-events": CellEvents;
  }
}
