import "../define-all.js";
import { verifyEdition } from "../../core/public/verify.js";
import { mount, rendered, rotatedOutEdition } from "./edition.test-support.js";
import { remember } from "./edition-memory.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

describe("a page that verified a cell's newer chain", () => {
  for (const tag of ["cell-card", "cell-contact"])
    it(`<${tag}> refuses a relay's edition signed by a rotated-out key (and seals nothing to it)`, async () => {
      const { cellId, relay, newer } = await rotatedOutEdition();
      // What a widget of this page left when it verified the edition after the rotation.
      remember(await verifyEdition(newer, cellId));
      const warn = console.warn;
      console.warn = () => {};
      const { el, remove } = mount(`<${tag} cell="${relay}/c/${cellId}"></${tag}>`);
      try {
        await rendered(el, (r) => !!r.querySelector("[role=alert]"), "the refusal");
        const text = el.shadowRoot!.textContent!;
        check(!text.includes("DEFACED") && !el.shadowRoot!.querySelector("form"), text);
      } finally {
        remove();
        console.warn = warn;
        localStorage.removeItem(`cellule:${cellId}`);
      }
    });

  it("shows the cell on a first visit, and remembers it", async () => {
    const { cellId, relay } = await rotatedOutEdition();
    const { el, remove } = mount(`<cell-card cell="${relay}/c/${cellId}/"></cell-card>`);
    try {
      await rendered(el, (r) => !!r.querySelector("[part=name]"), "the card");
      const seen = JSON.parse(localStorage.getItem(`cellule:${cellId}`)!);
      check(seen[0] === 1, JSON.stringify(seen));
    } finally {
      remove();
      localStorage.removeItem(`cellule:${cellId}`);
    }
  });
});
