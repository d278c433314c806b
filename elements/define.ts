/**
 * Idempotent custom element registration. A blog may load the widget script twice (two plugins, a cached
 * and a fresh copy): the second registration of the same element is skipped, and a clash between two
 * different versions is reported once instead of throwing.
 */

/** package.json's version, written in by every build (rollup.config.mjs, web-test-runner.config.mjs). */
declare const __CELLULE_VERSION__: string;

/**
 * Version of this widget kit (package.json's), recorded on each element class it registers; `"source"`
 * when the file runs unbuilt (e.g. under vitest).
 */
export const ELEMENTS_VERSION: string =
  typeof __CELLULE_VERSION__ === "string" ? __CELLULE_VERSION__ : "source";

const VERSION = Symbol.for("cellule.elements.version");

/** An element class with the version of the kit that registered it. */
type Versioned = CustomElementConstructor & { [VERSION]?: string };

/** Registers `ctor` as `name` unless an element of that name exists; returns the registered class. */
export function defineElement(name: string, ctor: CustomElementConstructor): CustomElementConstructor {
  const existing = customElements.get(name);
  if (existing) {
    const theirs = (existing as Versioned)[VERSION];
    if (theirs !== ELEMENTS_VERSION) {
      console.warn(
        `cellule: <${name}> is already defined (version ${theirs ?? "unknown"}); keeping it, not ${ELEMENTS_VERSION}`,
      );
    }
    return existing;
  }
  (ctor as Versioned)[VERSION] = ELEMENTS_VERSION;
  customElements.define(name, ctor);
  return ctor;
}
