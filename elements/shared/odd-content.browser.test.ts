import "../define-all.js";
import type { EditionBody } from "../../core/protocol/edition-format.js";
import { mount, post, publishTestEdition, rendered } from "./edition.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** A validly signed edition whose lists hold what no honest publisher writes (review L4). */
const odd = (body: EditionBody) => {
  const soon = Date.now() + 86_400_000;
  const event = {
    title: "Réunion",
    description: "",
    place: "",
    start: soon,
    end: soon,
    visibility: "public",
  };
  (body as unknown as Record<string, unknown[]>).posts = [
    null,
    7,
    "x",
    [],
    { ...post("p\ud800", "\udc00 seul"), date: "hier", link: "https://\ud800" },
    post("p1", "Assemblée"),
  ];
  (body as unknown as Record<string, unknown[]>).events = [
    null,
    { ...event, id: "\ud800", title: "Surrogat" },
    { ...event, id: { x: 1 }, title: "Objet", end: "x" },
    { ...event, id: "e1", title: "Manif" },
  ];
};

describe("widgets given a signed edition with odd content", () => {
  it("<cell-journal> shows the posts it can and skips the rest", async () => {
    const { cellId, relay } = await publishTestEdition({ tamper: odd });
    const { el, remove } = mount(`<cell-journal cell="${relay}/c/${cellId}" limit="10"></cell-journal>`);
    try {
      await rendered(el, (r) => r.querySelectorAll("[part=post]").length === 2, "two posts");
      check(el.shadowRoot!.textContent!.includes("Assemblée"), el.shadowRoot!.innerHTML);
    } finally {
      remove();
    }
  });

  it("<cell-journal post=…> too", async () => {
    const { cellId, relay } = await publishTestEdition({ tamper: odd });
    const { el, remove } = mount(`<cell-journal cell="${relay}/c/${cellId}" post="p1"></cell-journal>`);
    try {
      await rendered(el, (r) => r.querySelectorAll("[part=post]").length === 1, "the post");
    } finally {
      remove();
    }
  });

  it("<cell-events> shows the events it can, without a calendar link it cannot make", async () => {
    const { cellId, relay } = await publishTestEdition({ tamper: odd });
    const { el, remove } = mount(`<cell-events cell="${relay}/c/${cellId}" limit="10"></cell-events>`);
    try {
      await rendered(el, (r) => r.querySelectorAll("[part=event]").length === 3, "three events");
      const text = el.shadowRoot!.textContent!;
      check(text.includes("Manif") && text.includes("Objet"), text);
    } finally {
      remove();
    }
  });
});
