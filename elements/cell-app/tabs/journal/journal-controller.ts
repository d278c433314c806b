/**
 * The journal tab's state: the public and members-only posts, newest first, read when the cell opens and
 * again after writes (made here or received) while the element is in the page; an editor's new post.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { JournalPost } from "../../../../core/index.js";
import type { Run } from "../../actions.js";
import type { MemberSession, OpenCell } from "../../session.js";
import { afterWrites, type TabContext, type TabView } from "../tab.js";
import { journalView } from "./journal-view.js";

/** How many of the newest posts of each journal are shown. */
const NEWEST = 30;

/** See the module comment. */
export class JournalController implements ReactiveController, TabView {
  private posts: JournalPost[] = [];
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
        this.posts = [];
      };
    });
  }

  hostDisconnected(): void {
    this.unbind?.();
    this.unbind = undefined;
  }

  view({ t, lang, cell, access }: TabContext) {
    // Editors write once the journals are open.
    const canWrite = access.roles.has("editor") && !!this.open;
    return journalView(t, lang, this.posts, canWrite, (post) => this.write(post, cell.me()?.name ?? ""));
  }

  private async reload(open: OpenCell): Promise<void> {
    const [pub, members] = await Promise.all([
      open.site.journal.newest(NEWEST),
      open.site.membersJournal.newest(NEWEST),
    ]);
    if (this.open !== open) return;
    this.posts = [...pub, ...members].sort((a, b) => b.date - a.date);
    this.host.requestUpdate();
  }

  private write(post: { title: string; text: string; members: boolean }, author: string): void {
    const site = this.open?.site;
    if (!site) return;
    const journal = post.members ? site.membersJournal : site.journal;
    const date = Date.now();
    this.run(() =>
      journal.put({
        id: `${date.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        title: post.title,
        text: post.text,
        author,
        date,
      }),
    );
  }
}
