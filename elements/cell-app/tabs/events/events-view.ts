/**
 * The events in the member space, as a function of them and their answers: upcoming public and
 * members-only events, each with the answer buttons and who comes. Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { CellEvent, RsvpAnswer, RsvpSummary } from "../../../../core/index.js";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";
import { formatRange } from "../../../shared/dates.js";

/** Upcoming events, each with the answer buttons and who comes. */
export function eventsView(
  t: AppStrings,
  lang: Lang,
  events: CellEvent[],
  answers: Map<string, RsvpSummary>,
  mine: (e: CellEvent) => RsvpAnswer | undefined,
  answer: (e: CellEvent, a: RsvpAnswer) => void,
): TemplateResult {
  if (events.length === 0) return html`<p>${t.noEvents}</p>`;
  const labels: [RsvpAnswer, string][] = [
    ["yes", t.yes],
    ["maybe", t.maybe],
    ["no", t.no],
  ];
  return html`<ol class="events">
    ${events.map((e) => {
      const s = answers.get(e.id);
      return html`<li>
        <article aria-labelledby="event-${e.id}">
          <h3 id="event-${e.id}">${e.title}</h3>
          <p class="meta">
            ${e.visibility === "members" ? html`<span class="badge">${t.membersOnly}</span> · ` : nothing}
            ${formatRange(e.start, e.end, lang)}${e.place ? html` · ${e.place}` : nothing}
          </p>
          <p class="text">${e.description}</p>
          <div role="group" aria-label=${e.title}>
            ${labels.map(
              ([a, label]) =>
                html`<button aria-pressed=${mine(e) === a ? "true" : "false"} @click=${() => answer(e, a)}>${label}</button>`,
            )}
          </div>
          ${
            s
              ? html`<p class="meta">${t.counts(s.yes, s.maybe, s.no)} — ${s.who
                  .filter((w) => w.answer === "yes")
                  .map((w) => w.name)
                  .join(", ")}</p>`
              : nothing
          }
        </article>
      </li>`;
    })}
  </ol>`;
}
