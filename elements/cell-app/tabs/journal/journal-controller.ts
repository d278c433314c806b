import type { JournalPost } from "../../../../core/index.js";
import type { OpenCell } from "../../session.js";
import { afterWrites, CellTabController, type TabContext } from "../tab.js";
import { journalView } from "./journal-view.js";

/** How many of the newest posts of each journal are shown. */
const NEWEST = 30;

/** See the module comment. */
export class JournalController extends CellTabController {
  private posts: JournalPost[] = [];

  protected follow(open: OpenCell): () => void {
    void this.reload(open);
    return afterWrites(open.kit, () => void this.reload(open));
  }

  protected forget(): void {
    this.posts = [];
  }

  view({ t, lang, cell, access }: TabContext) {
    // Editors write once the journals are open.
    const canWrite = access.roles.has("editor") && !!this.current;
    return journalView(t, lang, this.posts, canWrite, (post) => this.write(post, cell.me()?.name ?? ""));
  }

  private async reload(open: OpenCell): Promise<void> {
    const [pub, members] = await Promise.all([
      open.site.journal.newest(NEWEST),
      open.site.membersJournal.newest(NEWEST),
    ]);
    if (this.current !== open) return;
    this.posts = [...pub, ...members].sort((a, b) => b.date - a.date);
    this.host.requestUpdate();
  }

  private write(post: { title: string; text: string; members: boolean }, author: string): void {
    const site = this.current?.site;
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
