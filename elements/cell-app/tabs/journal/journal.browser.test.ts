/**
 * The journal tab in real Chromium, on a founder's real cell through the test relay: an editor writes a
 * public post with a link, edits it, pins, unpublishes and publishes it again, moves a post to the
 * officers' journal, deletes one after a confirmation; bad input shows a message naming the field and
 * writes nothing.
 */
import { assert, deepEqual } from "../../../../core/testing/assert.js";
import { alertOf, button, fill, root, tabOfFounder, until } from "../site/tab-host.test-support.js";
import { JournalController } from "./journal-controller.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: (this: { timeout(ms: number): void }) => Promise<void>) => void;

const open = () => tabOfFounder((host, session, run) => new JournalController(host, session, run));
const titles = (host: HTMLElement) =>
  [...host.shadowRoot!.querySelectorAll("li[data-post] h3")].map((h) => h.textContent?.trim());

describe("the journal tab", () => {
  it("writes, edits, pins, unpublishes and deletes posts, and writes for officers only", async function () {
    this.timeout(60_000);
    const { host, open: cell, close } = await open();
    try {
      await until(() => !!root(host).querySelector("details summary"), "the form to write");
      (root(host).querySelector("details summary") as HTMLElement).click();
      await fill(host, "new", {
        title: "Assemblée générale",
        text: "Mardi 19 h",
        link: "https://example.org/ag",
        linkTitle: "L'ordre du jour",
        visibility: "public",
      });
      await until(() => titles(host).includes("Assemblée générale"), "the post");
      const [post] = await cell.site.journal.newest(5);
      deepEqual(
        [post?.title, post?.link, post?.visibility],
        ["Assemblée générale", "https://example.org/ag", "public"],
        "written in the public journal",
      );
      const form = root(host).querySelector<HTMLFormElement>('form[data-form="new"]')!;
      deepEqual((form.elements.namedItem("title") as HTMLInputElement).value, "", "the form is emptied");

      const tools = `li[data-post="${post!.id}"]`;
      (await button(host, "Modifier", tools)).click();
      await fill(host, post!.id, { title: "AG de rentrée", link: "", linkTitle: "" });
      await until(() => titles(host).includes("AG de rentrée"), "the edited title");
      const edited = (await cell.site.journal.newest(5))[0]!;
      deepEqual(
        [edited.title, edited.link, typeof edited.edited],
        ["AG de rentrée", undefined, "number"],
        "edited, link taken away",
      );

      (await button(host, "Épingler", tools)).click();
      await until(async () => !!(await cell.site.journal.newest(1))[0]?.pinned, "pinned");
      (await button(host, "Dépublier", tools)).click();
      await until(async () => !!(await cell.site.journal.newest(1))[0]?.unpublished, "unpublished");
      await until(
        () => root(host).querySelector(tools)!.textContent!.includes("dépublié"),
        "marked unpublished",
      );
      (await button(host, "Republier", tools)).click();
      await until(async () => !(await cell.site.journal.newest(1))[0]?.unpublished, "published again");

      // For officers: to the officers' journal, which the founder reads.
      await fill(host, "new", {
        title: "Bureau jeudi",
        text: "Ordre du jour",
        link: "",
        visibility: "officers",
      });
      const officers = (await cell.site.officersJournal())!;
      await until(async () => (await officers.newest(5)).length === 1, "the officers' post");
      await until(() => titles(host).includes("Bureau jeudi"), "shown");
      assert(root(host).textContent!.includes("responsables"), "marked for officers");

      // Moved to the members' journal by changing its visibility.
      const o = (await officers.newest(1))[0]!;
      (await button(host, "Modifier", `li[data-post="${o.id}"]`)).click();
      await fill(host, o.id, { visibility: "members" });
      await until(
        async () => (await cell.site.membersJournal.newest(5)).length === 1,
        "moved to the members",
      );
      deepEqual((await officers.newest(5)).length, 0, "gone from the officers' journal");

      // Deleted after a confirmation.
      (await button(host, "Supprimer", tools)).click();
      (await button(host, "Confirmer la suppression", tools)).click();
      await until(async () => (await cell.site.journal.newest(5)).length === 0, "deleted");
      await until(() => !titles(host).includes("AG de rentrée"), "gone from the list");
    } finally {
      await close();
    }
  });

  it("names the refused field and writes nothing", async function () {
    this.timeout(60_000);
    const { host, open: cell, close } = await open();
    try {
      await fill(host, "new", { title: "  ", text: "x", link: "", visibility: "public" });
      deepEqual(
        await alertOf(host, "new"),
        "Champ « Titre » refusé : vérifiez-le, rien n'a été enregistré.",
        "empty title",
      );
      await fill(host, "new", { title: "Tract", link: "javascript:alert(1)", visibility: "public" });
      await until(
        () =>
          (root(host).querySelector('form[data-form="new"] [role=alert]')?.textContent ?? "").includes(
            "Lien",
          ),
        "the link named",
      );
      await fill(host, "new", { title: "Tract", link: "", linkTitle: "Le tract", visibility: "public" });
      await until(
        () =>
          (root(host).querySelector('form[data-form="new"] [role=alert]')?.textContent ?? "").includes(
            "Texte du lien",
          ),
        "the link text named",
      );
      deepEqual((await cell.site.journal.newest(5)).length, 0, "nothing written");
      deepEqual(root(host).querySelector(".problem"), null, "no other problem");
      await fill(host, "new", { title: "Tract", linkTitle: "", visibility: "public" });
      await until(async () => (await cell.site.journal.newest(5)).length === 1, "then written");
      await until(() => !root(host).querySelector('form[data-form="new"] [role=alert]'), "the message gone");
    } finally {
      await close();
    }
  });
});
