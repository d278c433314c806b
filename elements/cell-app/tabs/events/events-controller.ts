import type { CellEvent, RsvpAnswer, RsvpSummary } from "../../../../core/index.js";
import type { OpenCell } from "../../session.js";
import { afterWrites, CellTabController, type TabContext } from "../tab.js";
import { eventsView } from "./events-view.js";

/** See the module comment. */
export class EventsController extends CellTabController {
  private events: CellEvent[] = [];
  private answers = new Map<string, RsvpSummary>();

  protected follow(open: OpenCell): () => void {
    void this.reload(open);
    return afterWrites(open.kit, () => void this.reload(open));
  }

  protected forget(): void {
    this.events = [];
    this.answers = new Map();
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
    if (this.current !== open) return;
    this.events = events;
    this.answers = answers;
    this.host.requestUpdate();
  }

  private answer(event: CellEvent, answer: RsvpAnswer): void {
    const rsvps = this.current?.rsvps;
    if (rsvps) this.run(() => rsvps.answer(event, answer));
  }
}
