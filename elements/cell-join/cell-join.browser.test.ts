import "../define-all.js";
import { mount } from "../shared/edition.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const CELL = "b".repeat(64);

describe("<cell-join>", () => {
  it("links to the member space's join page in a new tab, never loading anything on the blog", async () => {
    const { el, remove } = mount(`<cell-join cell="https://relais.example.org/c/${CELL}"></cell-join>`);
    const custom = mount(
      `<cell-join lang="en" cell="https://relais.example.org/c/${CELL}" app="https://membres.example.org/" invite="cellule:abc def">Nous rejoindre</cell-join>`,
    );
    try {
      await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      await (custom.el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      const a = el.shadowRoot!.querySelector("a[part=button]") as HTMLAnchorElement;
      check(a.href === `https://relais.example.org/app/#join=${CELL}`, a.href);
      check(a.target === "_blank" && a.rel === "noopener", "new tab, no opener");
      check(a.textContent!.includes("Adhérer"), a.textContent!);
      const b = custom.el.shadowRoot!.querySelector("a") as HTMLAnchorElement;
      check(b.href === `https://membres.example.org/#join=${CELL}&invite=cellule%3Aabc%20def`, b.href);
      check(b.title.startsWith("Opens in a new tab"), b.title);
      check(custom.el.textContent === "Nous rejoindre", "the blogger's own label through the slot");
    } finally {
      remove();
      custom.remove();
    }
  });

  it("refuses an invalid address or a member space that is not http(s)", async () => {
    for (const attrs of [
      `cell="javascript:alert(1)"`,
      `cell="https://r.example.org/c/${CELL}" app="javascript:alert(1)"`,
    ]) {
      const { el, remove } = mount(`<cell-join ${attrs}></cell-join>`);
      try {
        await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
        check(el.shadowRoot!.querySelector("a") === null, `no link for ${attrs}`);
        check(el.shadowRoot!.querySelector("[role=alert]") !== null, "says so");
      } finally {
        remove();
      }
    }
  });
});
