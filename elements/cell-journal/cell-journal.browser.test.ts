import "../define-all.js";
import { mount, post, publishTestEdition, rendered } from "../shared/edition.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const titles = (root: ShadowRoot) =>
  [...root.querySelectorAll("[part=title]")].map((e) => e.textContent?.trim());

describe("<cell-journal>", () => {
  it("shows the verified public posts, pinned first, in French, then more on request", async () => {
    const { cellId, relay } = await publishTestEdition({
      posts: [
        post("a", "Assemblée", { date: Date.UTC(2026, 10, 22) }),
        post("b", "Tract", {
          date: Date.UTC(2026, 10, 21),
          link: "https://exemple.org/tract.pdf",
          linkTitle: "Le tract",
        }),
        post("c", "Charte", { date: Date.UTC(2026, 9, 1), pinned: true }),
        post("secret", "Réunion interne", { visibility: "members" }),
      ],
    });
    const { el, remove } = mount(`<cell-journal cell="${relay}/c/${cellId}" limit="2"></cell-journal>`);
    try {
      await rendered(el, (r) => titles(r).length > 0, "posts");
      const root = el.shadowRoot!;
      check(titles(root).join("|") === "Charte|Assemblée", `first page: ${titles(root)}`);
      check(
        root.textContent!.includes("Épinglé") && root.textContent!.includes("par Fatima"),
        "French labels",
      );
      check(!root.textContent!.includes("Réunion interne"), "members-only posts never shown");
      (root.querySelector("[part=more]") as HTMLButtonElement).click();
      await rendered(el, (r) => titles(r).length === 3, "the next page");
      const link = root.querySelector("a[part=link]") as HTMLAnchorElement;
      check(
        link.href === "https://exemple.org/tract.pdf" && link.textContent === "Le tract",
        "the post's link",
      );
      check(link.rel.includes("noopener"), "links open without access to the page");
    } finally {
      remove();
    }
  });

  it("speaks English with lang=en, and shows one post with post=", async () => {
    const { cellId, relay } = await publishTestEdition({
      posts: [post("a", "Assembly"), post("b", "Leaflet")],
    });
    const { el, remove } = mount(
      `<cell-journal cell="${relay}/c/${cellId}" lang="en" post="b"></cell-journal>`,
    );
    try {
      await rendered(el, (r) => titles(r).length > 0, "the post");
      check(titles(el.shadowRoot!).join("|") === "Leaflet", `${titles(el.shadowRoot!)}`);
      check(el.shadowRoot!.textContent!.includes("by Fatima"), "English labels");
    } finally {
      remove();
    }
  });

  it("falls back to the next relay when the first is down", async () => {
    const { cellId, relay } = await publishTestEdition({ posts: [post("a", "Assemblée")] });
    const { el, remove } = mount(
      `<cell-journal cell="http://127.0.0.1:9/c/${cellId} ${relay}/c/${cellId}"></cell-journal>`,
    );
    try {
      await rendered(el, (r) => titles(r).length === 1, "the post from the second relay");
    } finally {
      remove();
    }
  });

  it("says so, and shows nothing, when the edition is tampered with or the address is wrong", async () => {
    const { cellId, relay } = await publishTestEdition({ posts: [post("a", "Assemblée")] });
    // A hostile cache between the page and the relay rewrites one word of the edition.
    const realFetch = window.fetch;
    window.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      if (!String(input).includes("/edition.json")) return response;
      const text = (await response.text()).replace("Assemblée", "Assemblee");
      return new Response(text, { status: 200 });
    };
    const tampered = mount(`<cell-journal cell="${relay}/c/${cellId}"></cell-journal>`);
    const wrong = mount(`<cell-journal cell="https://relais.example.org/pas-une-cellule"></cell-journal>`);
    try {
      await rendered(tampered.el, (r) => !!r.querySelector("[role=alert]"), "the refusal");
      check(titles(tampered.el.shadowRoot!).length === 0, "nothing shown");
      check(tampered.el.shadowRoot!.textContent!.includes("signé par cette cellule"), "says why");
      await rendered(wrong.el, (r) => r.textContent!.includes("Adresse de cellule"), "the address message");
    } finally {
      window.fetch = realFetch;
      tampered.remove();
      wrong.remove();
    }
  });

  it("keeps hostile content inert: markup as text, no javascript: links, bidi isolated, huge fields clipped", async () => {
    const { cellId, relay } = await publishTestEdition({
      posts: [
        post("x", '<img src=x onerror="window.__pwned=1">', {
          text: `\u202Egnp.exe ${"x".repeat(90_000)}`,
          link: "https://exemple.org/ok",
          linkTitle: "<script>window.__pwned=1</script>",
          author: '"><svg onload=window.__pwned=1>',
        }),
      ],
    });
    const { el, remove } = mount(`<cell-journal cell="${relay}/c/${cellId}"></cell-journal>`);
    try {
      await rendered(el, (r) => titles(r).length === 1, "the hostile post");
      const root = el.shadowRoot!;
      check(!root.querySelector("img, script, svg"), "no element made from content");
      check(titles(root)[0] === '<img src=x onerror="window.__pwned=1">', "the markup shows as text");
      check((window as { __pwned?: number }).__pwned === undefined, "nothing ran");
      const text = root.querySelector("[part=text]")!.textContent!;
      check(text.length <= 20_000, `text clipped: ${text.length}`);
      check(getComputedStyle(root.querySelector("[part=text]")!).unicodeBidi === "isolate", "bidi isolated");
    } finally {
      remove();
    }
  });

  it("shows text as the relay's page does: no bidi override, no control character; links as parsed", async () => {
    const hidden =
      "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u0000\u0007\u001b\u007f\u0085\u009f";
    const { cellId, relay } = await publishTestEdition({
      posts: [
        post("x", `\u202Egnp.exe${hidden}`, {
          text: `ligne 1\r\nligne 2\tfin${hidden}`,
          author: `\u2067שלום\u200f\u2069${hidden}`,
          link: " https://exemple.org/a b",
          linkTitle: `Le${hidden} tract`,
        }),
      ],
    });
    const { el, remove } = mount(`<cell-journal cell="${relay}/c/${cellId}"></cell-journal>`);
    try {
      await rendered(el, (r) => titles(r).length === 1, "the post");
      const root = el.shadowRoot!;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
      const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
      check(!bad.test(root.textContent!), `hidden characters shown: ${JSON.stringify(root.textContent)}`);
      check(titles(root)[0] === "gnp.exe", `title: ${titles(root)[0]}`);
      check(
        root.querySelector("[part=text]")!.textContent === "ligne 1\nligne 2\tfin",
        "tab and line feed kept",
      );
      check(
        root.querySelector("[part=meta]")!.textContent!.includes("שלום\u200f"),
        "right-to-left text kept",
      );
      const link = root.querySelector("a[part=link]") as HTMLAnchorElement;
      check(link.getAttribute("href") === "https://exemple.org/a%20b", `href: ${link.getAttribute("href")}`);
      check(link.textContent === "Le tract", `link text: ${link.textContent}`);
    } finally {
      remove();
    }
  });
});
