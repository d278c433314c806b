import "../define-all.js";
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

  it("on a page without WebCrypto (plain http), say they cannot verify, and tell the console why", async () => {
    const { cellId, relay } = await publishTestEdition({ posts: [post("p1", "Assemblée")] });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
    // What a browser does on an insecure page: no crypto.subtle.
    Object.defineProperty(crypto, "subtle", { value: undefined, configurable: true });
    const { el, remove } = mount(`<cell-journal cell="${relay}/c/${cellId}"></cell-journal>`);
    try {
      await rendered(el, (r) => !!r.querySelector("[role=alert]"), "the message");
      const text = el.shadowRoot!.textContent!;
      check(text.includes("impossible de vérifier") && !text.includes("Assemblée"), text);
      check(
        warnings.some((w) => w.includes("secure context")),
        `the console says why: ${warnings.join(" | ")}`,
      );
    } finally {
      remove();
      delete (crypto as { subtle?: SubtleCrypto }).subtle;
      console.warn = warn;
    }
    check(crypto.subtle !== undefined, "WebCrypto is back for the other tests");
  });
});
