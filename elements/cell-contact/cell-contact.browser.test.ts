import "../define-all.js";
import { contactTopic, openContact } from "../../core/public/contact.js";
import { mount, publishTestEdition, rendered } from "../shared/edition.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The envelopes a relay holds under a topic (`GET /t/<topic>`: `seq u64 ‖ length u32 ‖ envelope` records). */
async function inbox(relay: string, topic: string): Promise<Uint8Array[]> {
  const bytes = new Uint8Array(await (await fetch(`${relay}/t/${topic}`)).arrayBuffer());
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = new DataView(bytes.buffer, at + 8, 4).getUint32(0);
    out.push(bytes.slice(at + 12, at + 12 + length));
    at += 12 + length;
  }
  return out;
}

function fill(root: ShadowRoot, values: Record<string, string>, consent: boolean): void {
  for (const [name, value] of Object.entries(values)) {
    const input = root.querySelector(`[name=${name}]`) as HTMLInputElement;
    input.value = value;
  }
  (root.querySelector("[name=consent]") as HTMLInputElement).checked = consent;
}

const submit = (root: ShadowRoot) => (root.querySelector("[part=send]") as HTMLButtonElement).click();

describe("<cell-contact>", () => {
  it("seals the visitor's request to the cell's admission key; the relay holds only ciphertext", async () => {
    const { cellId, relay, admission } = await publishTestEdition({});
    const { el, remove } = mount(`<cell-contact cell="${relay}/c/${cellId}"></cell-contact>`);
    const sent: Event[] = [];
    el.addEventListener("cell-contact-sent", (e) => sent.push(e));
    try {
      await rendered(el, (r) => !!r.querySelector("form"), "the form");
      const root = el.shadowRoot!;
      // Every field has a visible label; the consent is a real checkbox.
      for (const input of root.querySelectorAll("input, textarea"))
        check(input.closest("label") !== null, `${(input as HTMLInputElement).name} is labelled`);
      const before = (await inbox(relay, await contactTopic(cellId))).length;

      // Incomplete: nothing leaves the page, the visitor is told why.
      fill(root, { name: "Camille", reach: "", message: "Bonjour" }, true);
      submit(root);
      await rendered(
        el,
        (r) => r.querySelector("[role=alert]")?.textContent !== "",
        "the incomplete message",
      );
      fill(root, { name: "Camille", reach: "camille@example.org", message: "Bonjour" }, false);
      submit(root);
      await new Promise((r) => setTimeout(r, 200));
      check(
        (await inbox(relay, await contactTopic(cellId))).length === before,
        "nothing sent without consent",
      );

      fill(
        root,
        { name: "Camille <img src=x onerror=alert(1)>", reach: "camille@example.org", message: "Bonjour !" },
        true,
      );
      submit(root);
      await rendered(el, (r) => r.textContent!.includes("Votre message est parti"), "the confirmation");
      check(sent.length === 1, "one cell-contact-sent event");
      const stored = await inbox(relay, await contactTopic(cellId));
      check(stored.length === before + 1, `${stored.length} requests on the relay`);
      const raw = new TextDecoder("latin1").decode(stored.at(-1)!);
      check(!raw.includes("Camille") && !raw.includes("camille@"), "the relay holds no plaintext");
      const opened = await openContact(stored.at(-1)!, cellId, () => [admission.privateKey]);
      check(opened.name === "Camille <img src=x onerror=alert(1)>", opened.name);
      check(opened.reach === "camille@example.org" && opened.message === "Bonjour !", JSON.stringify(opened));
      check(opened.consent === true && opened.lang === "fr" && opened.keyIndex === 0, JSON.stringify(opened));
      // The blog's origin keeps nothing of the visitor's: only what the page verified of the cell's
      // public edition (edition-memory.ts).
      const kept = Object.entries(localStorage);
      check(
        kept.every(([k, v]) => k.startsWith("cellule:") && !/Camille|camille@|Bonjour/.test(v)) &&
          sessionStorage.length === 0,
        `web storage: ${JSON.stringify(kept)}`,
      );
      check((await indexedDB.databases()).length === 0, "no IndexedDB database");
      check(document.cookie === "", "no cookie");
    } finally {
      remove();
    }
  });

  it("keeps what was typed when every relay is down, and sends through the next relay", async () => {
    const { cellId, relay, admission } = await publishTestEdition({});
    // The first address answers with the edition but refuses posts (a read-only cache); the dead one fails.
    const { el, remove } = mount(
      `<cell-contact lang="en" cell="${relay}/c/${cellId} http://127.0.0.1:9/c/${cellId}"></cell-contact>`,
    );
    const realFetch = window.fetch;
    let failPosts = true;
    window.fetch = (input, init) =>
      failPosts && init?.method === "POST"
        ? Promise.reject(new TypeError("offline"))
        : realFetch(input, init);
    try {
      await rendered(el, (r) => !!r.querySelector("form"), "the form");
      const root = el.shadowRoot!;
      fill(root, { name: "Sam", reach: "+33 6 12 34 56 78", message: "Hello" }, true);
      submit(root);
      await rendered(el, (r) => r.textContent!.includes("Sending failed"), "the failure message");
      check((root.querySelector("[name=name]") as HTMLInputElement).value === "Sam", "the name is kept");
      failPosts = false;
      submit(root);
      await rendered(el, (r) => r.textContent!.includes("Thank you"), "the confirmation");
      const stored = await inbox(relay, await contactTopic(cellId));
      const opened = await openContact(stored.at(-1)!, cellId, () => [admission.privateKey]);
      check(opened.name === "Sam" && opened.lang === "en", JSON.stringify(opened));
    } finally {
      window.fetch = realFetch;
      remove();
    }
  });
});
