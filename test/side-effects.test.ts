/**
 * Importing the package's entries runs nothing (package.json's `sideEffects`): `cellule` (core/index.ts)
 * picks its crypto route on the first signature, not at import, and keeps it; `cellule/elements`
 * (elements/index.ts) neither touches the page nor registers an element. `cellule/elements/define-all` does
 * both, and is what `sideEffects` names. In Node, where there is no `document`: touching it would throw.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("importing an entry of the package", () => {
  it("cellule: looks up node:crypto on the first signature, once, and not at import", async () => {
    const lookup = vi.spyOn(process, "getBuiltinModule");
    await import("../core/index.js");
    const { crypto } = await import("../core/internals.js");
    expect(lookup).not.toHaveBeenCalledWith("node:crypto");
    const pair = await crypto.generateSigningKeyPair();
    expect(lookup).not.toHaveBeenCalledWith("node:crypto");
    const data = new Uint8Array([1, 2, 3]);
    const signature = await crypto.sign(pair.privateKey, data);
    expect(lookup).toHaveBeenCalledWith("node:crypto");
    lookup.mockClear();
    expect(await crypto.verify(pair.publicKey, signature, data)).toBe(true);
    await crypto.sign(pair.privateKey, data);
    expect(lookup).not.toHaveBeenCalled();
  });

  it("cellule/elements: no page access, no registration; define-all registers every widget", async () => {
    const defined: string[] = [];
    const registry = new Map<string, CustomElementConstructor>();
    vi.stubGlobal("customElements", {
      define: (name: string, ctor: CustomElementConstructor) => {
        defined.push(name);
        registry.set(name, ctor);
      },
      get: (name: string) => registry.get(name),
    });
    expect("document" in globalThis).toBe(false);
    const elements = await import("../elements/index.js");
    expect(typeof elements.CellCard).toBe("function");
    expect(defined).toEqual([]);

    const queried: string[] = [];
    vi.stubGlobal("document", {
      querySelectorAll: (selector: string) => {
        queried.push(selector);
        return [];
      },
    });
    await import("../elements/define-all.js");
    expect(queried).toHaveLength(1);
    expect(defined.sort()).toEqual(["cell-card", "cell-contact", "cell-events", "cell-join", "cell-journal"]);
    expect(registry.get("cell-card")).toBe(elements.CellCard);
  });

  it("package.json names define-all as having effects, and neither pure entry", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const effects: string[] = pkg.sideEffects;
    expect(effects).toContain(pkg.exports["./elements/define-all"].default);
    for (const entry of [".", "./elements", "./testing"])
      expect(effects, entry).not.toContain(pkg.exports[entry].default);
  });
});
