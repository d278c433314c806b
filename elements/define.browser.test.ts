import { defineElement, ELEMENTS_VERSION } from "./index.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => void | Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

describe("defineElement", () => {
  it("registers once, and a second load of the script is harmless", () => {
    class A extends HTMLElement {}
    class B extends HTMLElement {}
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      check(defineElement("cellule-test-once", A) === A, "first registration returns the class");
      check(defineElement("cellule-test-once", B) === A, "second registration keeps the first class");
      check(warnings.length === 0, "same version: no warning");
      check(customElements.get("cellule-test-once") === A, "the registry holds the first class");
    } finally {
      console.warn = warn;
    }
  });

  it("warns once about a clash with an element defined by other code", () => {
    class Foreign extends HTMLElement {}
    customElements.define("cellule-test-foreign", Foreign);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      check(
        defineElement("cellule-test-foreign", class extends HTMLElement {}) === Foreign,
        "keeps the foreign class",
      );
    } finally {
      console.warn = warn;
    }
    check(
      warnings.length === 1 && warnings[0]!.includes(ELEMENTS_VERSION),
      `one warning naming the version: ${warnings}`,
    );
  });
});
