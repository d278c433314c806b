import { html, nothing } from "lit";
import type { CellEvent } from "../../core/protocol/public-content.js";
import type { Lang, WidgetStrings } from "../../core/public/strings/index.js";
import type { VerifiedEdition } from "../../core/public/verify.js";
import { formatRange, isTime } from "../shared/dates.js";
import { EditionElement } from "../shared/edition-element.js";
import { clip } from "../shared/safe.js";

/**
 * A cell's upcoming public events (actions, meetings, demonstrations), from its signed edition, each with
 * an "add to my calendar" link (the relay serves each public event as an .ics file), and a link to
 * subscribe to the cell's calendar feed. Times are in the cell's time zone (its profile's, Europe/Paris by
 * default: named in each time's tooltip); all-day events show their days; a cancelled event is shown as
 * cancelled.
 *
 * @tagname cell-events
 * @attr cell - the cell's address(es): `https://relay.example.org/c/<cellId>`, several separated by spaces
 * @attr lang - `fr` (default) or `en`
 * @attr limit - how many events to show (default 5)
 * @csspart list - the list of events
 * @csspart event - one event
 * @csspart title - an event's title
 * @csspart when - its date and time
 * @csspart cancelled - the word "cancelled" of a cancelled event
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
  protected renderEdition(
    edition: VerifiedEdition,
    { lang, t, relay, zone }: { lang: Lang; t: WidgetStrings; relay: string; zone: string },
  ) {
    // Editions list events soonest first (core/site/edition.ts). All-day events end at the end of their
    // last day (86_400_000 ms after it starts).
    const upcoming = (edition.events as CellEvent[])
      .filter(
        (e) =>
          isTime(e.start) &&
          // biome-ignore lint/complexity/useMathMinMax: Math.max gives NaN for an end that is not a number (a hostile edition's): the event would be dropped
          (e.end! > e.start ? e.end! : e.start) + (e.allDay ? 864e5 : 0) >= Date.now(),
      )
      .slice(0, this.count);
    const base = `${relay}c/${edition.cell}/events`;
    // Templates without whitespace between tags: every byte counts in the widget bundle.
    return html`${
      upcoming.length === 0
        ? html`<p part="status" class="status">${t.noEvents}</p>`
        : html`<ol part="list">${upcoming.map(
            (e) =>
              html`<li part="event"><h3 part="title"><bdi>${clip(e.title, 300)}</bdi></h3><p part="when" class="muted">${
                e.cancelled ? html`<strong part="cancelled">${t.cancelled}</strong> · ` : nothing
              }<time datetime=${new Date(e.start).toISOString()}>${formatRange(e.start, e.end, lang, zone, e.allDay)}</time></p>${
                e.place ? html`<p part="place" class="muted"><bdi>${clip(e.place, 300)}</bdi></p>` : nothing
              }${
                e.description
                  ? html`<div part="description" class="text">${clip(e.description, 10_000)}</div>`
                  : nothing
              }${
                // The relay serves each event as a file; an ID that a URL path would change gets no link.
                /^[\w.-]+$/.test(e.id)
                  ? html`<a part="ics" href="${base}/${e.id}.ics" rel="noopener noreferrer">${t.addToCalendar}</a>`
                  : nothing
              }</li>`,
          )}</ol>`
    }<p><a part="subscribe" href="${base}.ics" rel="noopener noreferrer">${t.subscribe}</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-events": CellEvents;
  }
}
