import "../index.js";
import { mount, post, publishTestEdition, rendered } from "./edition.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

describe("editions on a page", () => {
  it("are fetched and verified once for every widget of the same cell", async () => {
    const { cellId, relay } = await publishTestEdition({ posts: [post("p1", "Assemblée")] });
    const address = `${relay}/c/${cellId}`;
    const { el, remove } = mount(
      `<div><cell-card cell="${address}"></cell-card><cell-journal cell="${address}"></cell-journal><cell-events cell="${address}"></cell-events></div>`,
    );
    try {
      const [card, journal, events] = [...el.children] as HTMLElement[];
      await rendered(card!, (r) => !!r.querySelector("[part=name]"), "the card");
      await rendered(journal!, (r) => !!r.querySelector("[part=post]"), "the journal");
      await rendered(events!, (r) => !!r.querySelector("[part=subscribe]"), "the events");
      const fetched = performance
        .getEntriesByType("resource")
        .filter((e) => e.name === `${address}/edition.json`);
      check(fetched.length === 1, `${fetched.length} fetches of the edition`);
    } finally {
      remove();
    }
  });
});
