import { css, html, LitElement, nothing } from "lit";
import type { CellEvent } from "../../core/public/content.js";
import { icsCalendar } from "../../core/public/ical.js";
import { EditionController } from "../shared/edition-controller.js";
import { clip } from "../shared/safe.js";
import { statusLine } from "../shared/status.js";
import { stringsFor } from "../shared/strings.js";
import { baseStyles, listStyles } from "../shared/styles.js";

const finite = (v: unknown): v is number =>
  typeof v === "number" && Number.isFinite(v) && Math.abs(v) < 8.64e15;

/**
 * A cell's upcoming public events (actions, meetings, demonstrations), from its signed edition, each with
 * an "add to my calendar" file (.ics), and a link to subscribe to the cell's calendar feed.
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
 * @csspart ics - the "add to my calendar" button
 * @csspart subscribe - the link to the calendar feed
 * @csspart status - loading and error messages
 * @cssprop --cellule-font - font family (default: the page's)
 * @cssprop --cellule-color - text colour
 * @cssprop --cellule-accent - link colour
 * @cssprop --cellule-muted - colour of dates and messages
 * @cssprop --cellule-gap - space between events
 */
export class CellEvents extends LitElement {
  static override properties = {
    cell: { type: String },
    // The blogger types `lang`; the property has another name so as not to shadow HTMLElement.lang.
    locale: { type: String, attribute: "lang" },
    limit: { type: Number },
  };

  static override styles = [
    baseStyles,
    listStyles,
    css`
      .when,
      .place {
        margin: 0;
        color: var(--cellule-muted, #555);
      }
    `,
  ];

  cell: string | null = null;
  locale: string | null = null;
  limit = 5;
  private readonly edition = new EditionController(this);

  override render() {
    const { lang, t } = stringsFor(this.locale);
    const state = this.edition.state;
    if (state.status !== "ready") return statusLine(state, t);
    const now = Date.now();
    const upcoming = (state.edition.events as CellEvent[])
      .filter((e) => e.visibility === "public" && finite(e.start) && (finite(e.end) ? e.end : e.start) >= now)
      .sort((a, b) => a.start - b.start)
      .slice(0, Math.max(1, Math.floor(Number(this.limit)) || 5));
    const feed = `${state.relay}c/${state.edition.cell}/events.ics`;
    const format = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "fr-FR", {
      dateStyle: "full",
      timeStyle: "short",
    });
    const when = (e: CellEvent) =>
      finite(e.end) && e.end > e.start
        ? format.formatRange(new Date(e.start), new Date(e.end))
        : format.format(new Date(e.start));
    return html`
      ${
        upcoming.length === 0
          ? html`<p part="status" class="status">${t.noEvents}</p>`
          : html`<ol part="list">
              ${upcoming.map(
                (e) => html`<li part="event">
                  <article>
                    <h3 part="title"><bdi>${clip(e.title, 300)}</bdi></h3>
                    <p part="when" class="when"><time datetime=${new Date(e.start).toISOString()}>${when(e)}</time></p>
                    ${e.place ? html`<p part="place" class="place"><bdi>${clip(e.place, 300)}</bdi></p>` : nothing}
                    ${e.description ? html`<div part="description" class="text">${clip(e.description, 10_000)}</div>` : nothing}
                    <button part="ics" @click=${() => this.download(e)}>${t.addToCalendar}</button>
                  </article>
                </li>`,
              )}
            </ol>`
      }
      <p><a part="subscribe" href=${feed} rel="noopener noreferrer">${t.subscribe}</a></p>
    `;
  }

  /** Hands the visitor a calendar file of one event. */
  private download(event: CellEvent): void {
    const state = this.edition.state;
    if (state.status !== "ready") return;
    const ics = icsCalendar(String(state.edition.profile.name ?? ""), state.edition.cell, Date.now(), [
      event as unknown as Record<string, unknown>,
    ]);
    const url = URL.createObjectURL(new Blob([ics], { type: "text/calendar;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${clip(event.title, 60).replace(/[^\p{L}\p{N}]+/gu, "-") || "evenement"}.ics`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-events": CellEvents;
  }
}
