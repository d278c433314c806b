/**
 * The journal tab's state: the newest posts of the public, members' and officers' journals (the last for
 * those who read the `officers` scope), and what editors (who write a journal and may publish) do with its posts: write,
 * edit, pin, unpublish and publish again, delete (after a confirmation). A post's visibility is its
 * journal's: changing it moves the post. A refused field is shown in the form that sent it; nothing is
 * written then.
 */
import { type Journal, type JournalPost, timeZoneOf, type Visibility } from "../../../../core/index.js";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import type { OpenCell } from "../../session.js";
import { attempt, edits } from "../site/content-forms.js";
import { afterWrites, CellTabController, type TabContext } from "../tab.js";
import { type JournalActions, journalView, type PostForm } from "./journal-view.js";

/** How many of the newest posts of each journal are shown. */
const NEWEST = 30;

/** The scope of each visibility's journal. */
const SCOPES: Record<Visibility, string> = { public: "public", members: "members", officers: "officers" };

/** See the module comment. */
export class JournalController extends CellTabController {
  private posts: JournalPost[] = [];
  /** The officers' journal, once open (`undefined` for those who do not read it, or until it exists). */
  private officers: Journal | undefined;
  /** The post being edited, the post whose deletion waits for a confirmation. */
  private editing: string | undefined;
  private confirming: string | undefined;
  /** Refused fields, by form (`new`, or a post's ID). */
  private readonly problems = new Map<string, string>();

  protected follow(open: OpenCell): () => void {
    void this.reload(open);
    return afterWrites(open.kit, () => void this.reload(open));
  }

  protected forget(): void {
    this.posts = [];
    this.officers = undefined;
    this.editing = this.confirming = undefined;
    this.problems.clear();
  }

  view({ t, lang, cell }: TabContext) {
    const open = this.current;
    const can = (v: Visibility) => !!open && edits(cell, SCOPES[v]) && (v !== "officers" || !!this.officers);
    const visibilities = (["public", "members", "officers"] as const).filter(can);
    const actions: JournalActions = {
      write: (form, done) => this.write(t, form, cell.me()?.name ?? "", done),
      edit: (post) => this.set(() => (this.editing = post?.id)),
      save: (post, form) => this.save(t, post, form),
      pin: (post) => this.change(post, (j) => j.pin(post.id, post.date, !post.pinned)),
      unpublish: (post) => this.change(post, (j) => j.unpublish(post.id, post.date, !post.unpublished)),
      remove: (post) =>
        this.confirming === post.id
          ? this.change(post, (j) => j.remove(post.id, post.date).then(() => (this.confirming = undefined)))
          : this.set(() => (this.confirming = post.id)),
    };
    // Unpublished posts are for those who write their journal.
    const shown = this.posts.filter((p) => !p.unpublished || can(p.visibility));
    return journalView(t, lang, shown, {
      visibilities,
      canEdit: (p) => can(p.visibility),
      editing: this.editing,
      confirming: this.confirming,
      problems: this.problems,
      actions,
      zone: timeZoneOf(open?.site.site.profile),
    });
  }

  private set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  private journal(v: Visibility): Journal | undefined {
    const site = this.current?.site;
    if (!site) return undefined;
    return v === "public" ? site.journal : v === "members" ? site.membersJournal : this.officers;
  }

  private async reload(open: OpenCell): Promise<void> {
    // The officers' journal may not exist yet, or not have reached this device: tried again at each reload.
    this.officers ??= await open.site.officersJournal().catch(() => undefined);
    const journals = [open.site.journal, open.site.membersJournal, ...(this.officers ? [this.officers] : [])];
    const lists = await Promise.all(journals.map((j) => j.newest(NEWEST)));
    if (this.current !== open) return;
    this.posts = lists.flat().sort((a, b) => Number(!!b.pinned) - Number(!!a.pinned) || b.date - a.date);
    this.host.requestUpdate();
  }

  private labels(t: AppStrings): Record<string, string> {
    return {
      title: t.postTitle,
      text: t.postText,
      link: t.postLink,
      linkTitle: t.postLinkTitle,
      visibility: t.visibility,
    };
  }

  private write(t: AppStrings, form: PostForm, author: string, done: () => void): void {
    const journal = this.journal(form.visibility);
    if (!journal) return;
    const date = Date.now();
    const id = `${date.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.run(async () => {
      const ok = await attempt(t, "new", this.labels(t), this.problems, () =>
        journal.put({ id, date, author, ...fields(form) }),
      );
      if (ok) done();
      this.host.requestUpdate();
    });
  }

  private save(t: AppStrings, post: JournalPost, form: PostForm): void {
    const from = this.journal(post.visibility);
    const to = this.journal(form.visibility);
    if (!from || !to) return;
    const { link, linkTitle, ...rest } = fields(form);
    this.run(async () => {
      const ok = await attempt(t, post.id, this.labels(t), this.problems, async () => {
        if (from === to) return from.edit(post.id, post.date, { ...rest, link, linkTitle });
        // Another visibility is another journal: written there first (checked), then removed here.
        const { visibility: _, ...kept } = post;
        await to.put({ ...kept, ...rest, link, linkTitle, edited: Date.now() } as Omit<
          JournalPost,
          "visibility"
        >);
        await from.remove(post.id, post.date);
      });
      if (ok) this.editing = undefined;
      this.host.requestUpdate();
    });
  }

  private change(post: JournalPost, act: (journal: Journal) => Promise<unknown>): void {
    const journal = this.journal(post.visibility);
    if (journal) this.run(() => act(journal));
  }
}

/** A form's fields as a post's: an empty link (or link text) is none. */
function fields(form: PostForm) {
  return {
    title: form.title,
    text: form.text,
    ...(form.link.trim() ? { link: form.link.trim() } : { link: undefined }),
    ...(form.linkTitle.trim() ? { linkTitle: form.linkTitle } : { linkTitle: undefined }),
  };
}
