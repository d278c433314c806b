/**
 * Cellule's Lit web components for blogs and the member space: the classes only. Importing this module
 * registers nothing and touches no DOM; `define-all.ts` registers every widget (what the widget kit a blog
 * loads does), or register the ones you want with `defineElement` (idempotent: a blog may load it twice).
 * @packageDocumentation
 */
export { CellCard } from "./cell-card/cell-card.js";
export { CellContact, ContactSentEvent } from "./cell-contact/cell-contact.js";
export { CellEvents } from "./cell-events/cell-events.js";
export { CellJoin } from "./cell-join/cell-join.js";
export { CellJournal } from "./cell-journal/cell-journal.js";
export { defineElement, ELEMENTS_VERSION } from "./define.js";
