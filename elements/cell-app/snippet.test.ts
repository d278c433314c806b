/**
 * The blog snippet shown to a founder: every widget names the cell on each relay, the join button names the
 * member space only when no relay serves it, and nothing typed can break out of an attribute or a PHP string.
 */
import { describe, expect, it } from "vitest";
import { blogSnippets } from "./snippet.js";

const cell = "c".repeat(64);
const relays = ["https://relais.example.org/", "https://autre.example.net"];

describe("the blog snippet", () => {
  it("loads the kit from the first relay and names the cell on every relay", () => {
    const { html, spip, wordpress } = blogSnippets(cell, relays);
    const addresses = `https://relais.example.org/c/${cell} https://autre.example.net/c/${cell}`;
    expect(html).toContain(
      '<script type="module" src="https://relais.example.org/widgets/cellule.js"></script>',
    );
    for (const widget of ["card", "join", "journal", "events", "contact"])
      expect(html).toContain(`<cell-${widget} cell="${addresses}"`);
    expect(html).not.toContain("app=");
    expect(spip).toContain(`#ENV{cell,${addresses}}`);
    expect(wordpress).toContain(`const CELLULE_CELL = '${addresses}';`);
    expect(wordpress).toContain("const CELLULE_APP = '';");
  });

  it("names a member space hosted elsewhere, escaped for HTML and PHP", () => {
    const app = `https://membres.example.org/app/?a="b"&c='d'<`;
    const { html, wordpress } = blogSnippets(cell, relays, app);
    expect(html).toContain("app=\"https://membres.example.org/app/?a=&quot;b&quot;&amp;c='d'&lt;\"");
    expect(wordpress).toContain(`const CELLULE_APP = 'https://membres.example.org/app/?a="b"&c=\\'d\\'<';`);
  });
});
