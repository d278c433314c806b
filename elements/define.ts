/**
 * Idempotent custom element registration. A blog may load the widget script twice (two plugins, a cached
 * and a fresh copy): the second registration of the same element is skipped, and a clash between two
 * different versions is reported once instead of throwing.
 */

/** Version of this widget kit, recorded on each element class it registers. */
export const ELEMENTS_VERSION = "0.1.0";

const VERSION = Symbol.for("cellule.elements.version");

/** Registers `ctor` as `name` unless an element of that name exists; returns the registered class. */
export function defineElement(name: string, ctor: CustomElementConstructor): CustomElementConstructor {
  const existing = customElements.get(name);
  if (existing) {
    const theirs = (existing as unknown as Record<symbol, string>)[VERSION];
    if (theirs !== ELEMENTS_VERSION) {
      console.warn(
        `cellule: <${name}> is already defined (version ${theirs ?? "unknown"}); keeping it, not ${ELEMENTS_VERSION}`,
      );
    }
    return existing;
  }
  (ctor as unknown as Record<symbol, string>)[VERSION] = ELEMENTS_VERSION;
  customElements.define(name, ctor);
  return ctor;
}
