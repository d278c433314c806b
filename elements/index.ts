/**
 * Cellule's Lit web components for blogs and the member space. The public widgets come with the public-face
 * work; this entry point already provides the registration every widget uses.
 * @packageDocumentation
 */
export { defineElement, ELEMENTS_VERSION } from "./define.js";
