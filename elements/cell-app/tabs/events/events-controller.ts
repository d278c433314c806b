/**
 * The events tab's state: the upcoming public and members-only events (cancelled ones too, shown as
 * cancelled) with their answers, and what editors (who write an agenda and may publish) do with its events: create, edit,
 * cancel and restore, delete (after a confirmation). Times are typed and shown in the cell's time zone;
 * a refused field is shown in the form that sent it, and nothing is written then.
 */
import {
  type Agenda,
  type CellEvent,
  type RsvpAnswer,
  type RsvpSummary,
  timeZoneOf,
  type Visibility,
} from "../../../../core/index.js";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import type { OpenCell } from "../../session.js";
import { attempt, edits } from "../site/content-forms.js";
import { afterWrites, CellTabController, type TabContext } from "../tab.js";
import { type EventForm, eventsView } from "./events-view.js";

/** See the module comment. */
export class EventsController extends CellTabController {
  private events: CellEvent[] = [];
  private answers = new Map<string, RsvpSummary>();
  private editing: string | undefined;
  private confirming: string | undefined;
  /** Refused fields, by form (`new`, or an event's ID). */
  private readonly problems = new Map<string, string>();
  /** Forms whose "all day" box is ticked (`new`, or an event's ID). */
  private readonly allDay = new Set<string>();

  protected follow(open: OpenCell): () => void {
    void this.reload(open);
    return afterWrites(open.kit, () => void this.reload(open));
  }

  protected forget(): void {
    this.events = [];
    this.answers = new Map();
    this.editing = this.confirming = undefined;
    this.problems.clear();
    this.allDay.clear();
  }

  view({ t, lang, cell }: TabContext) {
    const me = cell.me()?.id;
    const open = this.current;
    const mine = (e: CellEvent) => this.answers.get(e.id)?.who.find((w) => w.member === me)?.answer;
    const can = (v: Visibility) => !!open && v !== "officers" && edits(cell, v);
    return eventsView(t, lang, this.events, this.answers, mine, {
      zone: timeZoneOf(open?.site.site.profile),
      visibilities: (["public", "members"] as const).filter(can),
      canEdit: (e) => can(e.visibility),
      editing: this.editing,
      confirming: this.confirming,
      problems: this.problems,
      allDay: this.allDay,
      actions: {
        answer: (e, a) => this.answer(e, a),
        toggleAllDay: (form, on) => this.set(() => (on ? this.allDay.add(form) : this.allDay.delete(form))),
        create: (form, done) => this.create(t, form, done),
        edit: (e) =>
          this.set(() => {
            this.editing = e?.id;
            if (e?.allDay) this.allDay.add(e.id);
          }),
        save: (e, form) => this.save(t, e, form),
        cancel: (e) => this.change(e, (a) => a.cancel(e.id, e.start, !e.cancelled)),
        remove: (e) =>
          this.confirming === e.id
            ? this.change(e, (a) => a.remove(e.id, e.start).then(() => (this.confirming = undefined)))
            : this.set(() => (this.confirming = e.id)),
      },
    });
  }

  private set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  private agenda(v: Visibility): Agenda | undefined {
    const site = this.current?.site;
    return v === "public" ? site?.agenda : v === "members" ? site?.membersAgenda : undefined;
  }

  private async reload(open: OpenCell): Promise<void> {
    const now = Date.now();
    const [pub, members] = await Promise.all([
      open.site.agenda.upcoming(now),
      open.site.membersAgenda.upcoming(now),
    ]);
    const events = [...pub, ...members].sort((a, b) => a.start - b.start);
    const answers = new Map(
      await Promise.all(events.map(async (e) => [e.id, await open.rsvps.summary(e)] as const)),
    );
    if (this.current !== open) return;
    this.events = events;
    this.answers = answers;
    this.host.requestUpdate();
  }

  private labels(t: AppStrings): Record<string, string> {
    return {
      title: t.eventTitle,
      place: t.eventPlace,
      start: t.eventStart,
      end: t.eventEnd,
      description: t.eventDescription,
      visibility: t.visibility,
    };
  }

  private create(t: AppStrings, form: EventForm, done: () => void): void {
    const agenda = this.agenda(form.visibility);
    if (!agenda) return;
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const { visibility: _, ...event } = form;
    this.run(async () => {
      const ok = await attempt(t, "new", this.labels(t), this.problems, () =>
        agenda.put({ id, ...withoutEmptyEnd(event) }),
      );
      if (ok) {
        this.allDay.delete("new");
        done();
      }
      this.host.requestUpdate();
    });
  }

  private save(t: AppStrings, e: CellEvent, form: EventForm): void {
    const from = this.agenda(e.visibility);
    const to = this.agenda(form.visibility);
    if (!from || !to) return;
    const { visibility: _, ...changes } = form;
    this.run(async () => {
      const ok = await attempt(t, e.id, this.labels(t), this.problems, async () => {
        // An end left empty is taken away.
        if (from === to) return from.edit(e.id, e.start, { ...changes, end: changes.end });
        // Another visibility is another agenda: written there first (checked), then removed here.
        await to.put({ id: e.id, ...(e.cancelled ? { cancelled: true } : {}), ...withoutEmptyEnd(changes) });
        await from.remove(e.id, e.start);
      });
      if (ok) this.editing = undefined;
      this.host.requestUpdate();
    });
  }

  private change(e: CellEvent, act: (agenda: Agenda) => Promise<unknown>): void {
    const agenda = this.agenda(e.visibility);
    if (agenda) this.run(() => act(agenda));
  }

  private answer(event: CellEvent, answer: RsvpAnswer): void {
    const rsvps = this.current?.rsvps;
    if (rsvps) this.run(() => rsvps.answer(event, answer));
  }
}

/** An event's fields without an `end` key when it has none, and `allDay` only when true. */
function withoutEmptyEnd<T extends { end?: number; allDay?: boolean }>(e: T): T {
  const { end, allDay, ...rest } = e;
  return { ...rest, ...(end !== undefined ? { end } : {}), ...(allDay ? { allDay: true } : {}) } as T;
}
