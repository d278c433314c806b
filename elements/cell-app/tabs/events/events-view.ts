/**
 * The events in the member space, as a function of them and their answers: upcoming public and
 * members-only events, in the cell's time zone (said once above them), a cancelled one marked so, each
 * with the answer buttons and who comes; for those who write an event's agenda, its tools (edit, cancel or
 * restore, delete after a confirmation) and a form to create one. Everything shown is text; a refused
 * field is named in the form that sent it.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { CellEvent, RsvpAnswer, RsvpSummary, Visibility } from "../../../../core/index.js";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";
import { formatRange } from "../../../shared/dates.js";
import { field } from "../../forms.js";
import { fromDay, fromWall, toDay, toWall } from "./zoned.js";

/** An event as its form gives it (times already read in the cell's time zone). */
export interface EventForm {
  title: string;
  place: string;
  description: string;
  start: number;
  end?: number;
  allDay: boolean;
  visibility: Visibility;
}

/** What the view's buttons and forms ask the controller. */
export interface EventsActions {
  answer(e: CellEvent, a: RsvpAnswer): void;
  toggleAllDay(form: string, on: boolean): void;
  /** `done` is called once written (the form is then emptied). */
  create(form: EventForm, done: () => void): void;
  edit(e: CellEvent | undefined): void;
  save(e: CellEvent, form: EventForm): void;
  /** Cancels, or restores a cancelled event. */
  cancel(e: CellEvent): void;
  /** Asks for a confirmation, then deletes. */
  remove(e: CellEvent): void;
}

/** What the view needs besides the events and answers. */
export interface EventsState {
  zone: string;
  visibilities: readonly Visibility[];
  canEdit(e: CellEvent): boolean;
  editing: string | undefined;
  confirming: string | undefined;
  problems: ReadonlyMap<string, string>;
  allDay: ReadonlySet<string>;
  actions: EventsActions;
}

function read(form: HTMLFormElement, zone: string): EventForm {
  const allDay = (form.elements.namedItem("allDay") as HTMLInputElement).checked;
  const when = (name: string) => {
    const text = field(form, name);
    return allDay ? fromDay(text) : fromWall(text, zone);
  };
  const end = field(form, "end").trim();
  return {
    title: field(form, "title"),
    place: field(form, "place"),
    description: field(form, "description"),
    start: when("start"),
    ...(end ? { end: when("end") } : {}),
    allDay,
    visibility: field(form, "visibility") as Visibility,
  };
}

/** An event's form (new when `e` is undefined). Checked by the core, not the browser: its messages name fields. */
function eventForm(
  t: AppStrings,
  s: EventsState,
  e: CellEvent | undefined,
  submit: (form: EventForm, el: HTMLFormElement) => void,
) {
  const id = e?.id ?? "new";
  const problem = s.problems.get(id);
  const allDay = s.allDay.has(id);
  const type = allDay ? "date" : "datetime-local";
  // A value typed for the other kind of input is dropped by the browser: shown again from the event.
  const value = (ms: number | undefined) =>
    ms === undefined || !e || !!e.allDay !== allDay ? "" : allDay ? toDay(ms) : toWall(ms, s.zone);
  const onSubmit = (ev: SubmitEvent) => {
    ev.preventDefault();
    const el = ev.target as HTMLFormElement;
    submit(read(el, s.zone), el);
  };
  return html`<form novalidate class="event-form" data-form=${id} @submit=${onSubmit}>
    ${problem ? html`<p role="alert" class="status error">${problem}</p>` : nothing}
    <label>${t.eventTitle} <input name="title" maxlength="300" .value=${e?.title ?? ""} /></label>
    <label>${t.eventPlace} <input name="place" maxlength="300" .value=${e?.place ?? ""} /></label>
    <label class="check"
      ><input type="checkbox" name="allDay" .checked=${allDay} @change=${(ev: Event) => s.actions.toggleAllDay(id, (ev.target as HTMLInputElement).checked)} />
      ${t.allDay}</label
    >
    <label>${t.eventStart} <input name="start" type=${type} .value=${value(e?.start)} /></label>
    <label>${t.eventEnd} <input name="end" type=${type} .value=${value(e?.end)} /></label>
    <label>${t.eventDescription} <textarea name="description" rows="4" .value=${e?.description ?? ""}></textarea></label>
    <label>${t.visibility}
      <select name="visibility">
        ${s.visibilities.map(
          (v) =>
            html`<option value=${v} ?selected=${(e?.visibility ?? "members") === v}>${t.visibilities[v]}</option>`,
        )}
      </select>
    </label>
    <p class="meta">${t.timesIn(s.zone)}</p>
    <button type="submit">${e ? t.saveChanges : t.createEvent}</button>
    ${e ? html`<button type="button" @click=${() => s.actions.edit(undefined)}>${t.stopEditing}</button>` : nothing}
  </form>`;
}

/** Upcoming events, each with the answer buttons and who comes; those who write an agenda get its tools. */
export function eventsView(
  t: AppStrings,
  lang: Lang,
  events: CellEvent[],
  answers: Map<string, RsvpSummary>,
  mine: (e: CellEvent) => RsvpAnswer | undefined,
  s: EventsState,
): TemplateResult {
  const a = s.actions;
  const labels: [RsvpAnswer, string][] = [
    ["yes", t.yes],
    ["maybe", t.maybe],
    ["no", t.no],
  ];
  const create =
    s.visibilities.length > 0
      ? html`<details ?open=${s.problems.has("new")}>
          <summary>${t.newEvent}</summary>
          ${eventForm(t, s, undefined, (form, el) => a.create(form, () => el.reset()))}
        </details>`
      : nothing;
  if (events.length === 0) return html`${create}<p>${t.noEvents}</p>`;
  return html`${create}<p class="meta">${t.timesIn(s.zone)}</p>
    <ol class="events">
    ${events.map((e) => {
      const answered = answers.get(e.id);
      return html`<li data-event=${e.id} class=${e.cancelled ? "cancelled" : ""}>
        <article aria-labelledby="event-${e.id}">
          <h3 id="event-${e.id}">${e.cancelled ? html`<span class="badge">${t.cancelledMark}</span> ` : nothing}${e.title}</h3>
          <p class="meta">
            ${e.visibility === "members" ? html`<span class="badge">${t.membersOnly}</span> · ` : nothing}
            ${formatRange(e.start, e.end, lang, s.zone, e.allDay)}${e.place ? html` · ${e.place}` : nothing}
          </p>
          <p class="text">${e.description}</p>
          ${
            e.cancelled
              ? nothing
              : html`<div role="group" aria-label=${e.title}>
                  ${labels.map(
                    ([answer, label]) =>
                      html`<button aria-pressed=${mine(e) === answer ? "true" : "false"} @click=${() => a.answer(e, answer)}>${label}</button>`,
                  )}
                </div>`
          }
          ${
            answered
              ? html`<p class="meta">${t.counts(answered.yes, answered.maybe, answered.no)} — ${answered.who
                  .filter((w) => w.answer === "yes")
                  .map((w) => w.name)
                  .join(", ")}</p>`
              : nothing
          }
          ${
            s.canEdit(e)
              ? s.editing === e.id
                ? eventForm(t, s, e, (form) => a.save(e, form))
                : html`<div role="group" aria-label=${`${t.edit} — ${e.title}`} class="tools">
                    <button @click=${() => a.edit(e)}>${t.edit}</button>
                    <button @click=${() => a.cancel(e)}>${e.cancelled ? t.restoreEvent : t.cancelEvent}</button>
                    <button @click=${() => a.remove(e)}>${s.confirming === e.id ? t.confirmDelete : t.deleteItem}</button>
                  </div>`
              : nothing
          }
        </article>
      </li>`;
    })}
  </ol>`;
}
