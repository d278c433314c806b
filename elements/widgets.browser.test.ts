/**
 * What every widget that shows an edition must do, checked for each of them: render it in French and
 * English, fall back to the next relay, refuse a tampered edition (and say so), and keep hostile content
 * inert.
 */
import "./define-all.js";
import type { CellEvent } from "../core/protocol/public-content.js";
import { mount, post, publishTestEdition, rendered } from "./shared/edition.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const event = (extra: Partial<CellEvent>): CellEvent => ({
  id: "e1",
  title: "Manifestation",
  description: "Départ 14 h",
  place: "République",
  start: Date.now() + 86_400_000,
  end: Date.now() + 90_000_000,
  visibility: "public",
  ...extra,
});

/** Each widget, the content it shows, and how to see that it is shown. */
const WIDGETS = [
  { tag: "cell-card", shown: "[part=name]", fr: "Contact", en: "Contact" },
  { tag: "cell-journal", shown: "[part=post]", fr: "par Fatima", en: "by Fatima" },
  { tag: "cell-events", shown: "[part=event]", fr: "Ajouter à mon agenda", en: "Add to my calendar" },
  { tag: "cell-contact", shown: "form", fr: "Votre nom", en: "Your name" },
];

const content = () => ({
  profile: { name: "Cellule du 11e", contact: "cellule@example.org", description: "Une cellule" },
  posts: [post("p1", "Assemblée")],
  events: [event({})],
});

describe("every edition widget", () => {
  for (const w of WIDGETS) {
    it(`<${w.tag}> speaks French and English, falls back to the next relay, refuses a tampered edition`, async () => {
      const { cellId, relay } = await publishTestEdition(content());
      const fr = mount(`<${w.tag} cell="http://127.0.0.1:9/c/${cellId} ${relay}/c/${cellId}"></${w.tag}>`);
      const en = mount(`<${w.tag} lang="en" cell="${relay}/c/${cellId}"></${w.tag}>`);
      try {
        await rendered(fr.el, (r) => !!r.querySelector(w.shown), "the French widget, from the second relay");
        check(fr.el.shadowRoot!.textContent!.includes(w.fr), fr.el.shadowRoot!.textContent!);
        await rendered(en.el, (r) => !!r.querySelector(w.shown), "the English widget");
        check(en.el.shadowRoot!.textContent!.includes(w.en), en.el.shadowRoot!.textContent!);
      } finally {
        fr.remove();
        en.remove();
      }

      const other = await publishTestEdition(content());
      const realFetch = window.fetch;
      window.fetch = async (input, init) => {
        const response = await realFetch(input, init);
        if (!String(input).includes("/edition.json")) return response;
        return new Response((await response.text()).replace("Cellule du 11e", "Cellule du 12e"), {
          status: 200,
        });
      };
      const tampered = mount(`<${w.tag} cell="${relay}/c/${other.cellId}"></${w.tag}>`);
      try {
        await rendered(tampered.el, (r) => !!r.querySelector("[role=alert]"), "the refusal");
        check(!tampered.el.shadowRoot!.querySelector(w.shown), "nothing shown");
        check(tampered.el.shadowRoot!.textContent!.includes("signé par cette cellule"), "says why");
      } finally {
        window.fetch = realFetch;
        tampered.remove();
      }
    });
  }

  it("keep hostile profiles and events inert: markup as text, bidi isolated, huge fields clipped", async () => {
    const huge = "x".repeat(1_000_000);
    // Signed by the cell, but beyond what an honest publisher writes: a hostile or broken cell.
    const { cellId, relay } = await publishTestEdition({
      profile: { place: "\u202Eecalp", description: HOSTILE, contact: "javascript:alert(1)" },
      events: [event({ title: HOSTILE, description: "<script>window.__pwned=1</script>" })],
      tamper: (body) => {
        body.profile.name = `${HOSTILE}${huge}`;
        body.events[0]!.place = `\u202E${huge}`;
      },
    });
    const card = mount(`<cell-card cell="${relay}/c/${cellId}"></cell-card>`);
    const events = mount(`<cell-events cell="${relay}/c/${cellId}"></cell-events>`);
    try {
      await rendered(card.el, (r) => !!r.querySelector("[part=name]"), "the card");
      await rendered(events.el, (r) => !!r.querySelector("[part=event]"), "the events");
      for (const root of [card.el.shadowRoot!, events.el.shadowRoot!]) {
        check(!root.querySelector("img, script, svg"), "no element made from content");
        check(!root.querySelector('a[href^="javascript"]'), "no javascript: link");
        check(root.textContent!.length < 20_000, `clipped: ${root.textContent!.length}`);
      }
      check(
        card.el.shadowRoot!.querySelector("[part=name]")!.textContent!.startsWith(HOSTILE),
        "markup as text",
      );
      const place = events.el.shadowRoot!.querySelector("[part=place] bdi")!;
      check(getComputedStyle(place).unicodeBidi === "isolate", "bidi isolated");
      check((window as { __pwned?: number }).__pwned === undefined, "nothing ran");
    } finally {
      card.remove();
      events.remove();
    }
  });
});
