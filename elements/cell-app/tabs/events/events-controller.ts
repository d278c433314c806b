/**
 * The events tab's state: the upcoming public and members-only events and their answers, read when the
 * cell opens and again after writes while the element is in the page; this member's answers.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CellEvent, RsvpAnswer, RsvpSummary } from "../../../../core/index.js";
import type { Run } from "../../actions.js";
import type { MemberSession, OpenCell } from "../../session.js";
import { afterWrites, type TabContext, type TabView } from "../tab.js";
import { eventsView } from "./events-view.js";

/** See the module comment. */
export class EventsController implements ReactiveController, TabView {
  private events: CellEvent[] = [];
  private answers = new Map<string, RsvpSummary>();
  private open: OpenCell | undefined;
  private unbind: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly session: MemberSession,
    private readonly run: Run,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unbind = this.session.whileOpen((open) => {
      this.open = open;
      void this.reload(open);
      const stop = afterWrites(open.kit, () => void this.reload(open));
      return () => {
        stop();
        this.open = undefined;
        this.events = [];
        this.answers = new Map();
      };
    });
  }

  hostDisconnected(): void {
    this.unbind?.();
    this.unbind = undefined;
  }

  view({ t, lang, cell }: TabContext) {
    const me = cell.me()?.id;
    const mine = (e: CellEvent) => this.answers.get(e.id)?.who.find((w) => w.member === me)?.answer;
    return eventsView(t, lang, this.events, this.answers, mine, (e, a) => this.answer(e, a));
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
    if (this.open !== open) return;
    this.events = events;
    this.answers = answers;
    this.host.requestUpdate();
  }

  private answer(event: CellEvent, answer: RsvpAnswer): void {
    const rsvps = this.open?.rsvps;
    if (rsvps) this.run(() => rsvps.answer(event, answer));
  }
}
