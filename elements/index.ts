/**
 * Cellule's Lit web components for blogs and the member space. Importing this module registers every
 * widget, once (a blog may load it twice): `<cell-card>`, `<cell-journal>`, `<cell-events>`.
 * @packageDocumentation
 */
import { CellCard } from "./cell-card/cell-card.js";
import { CellEvents } from "./cell-events/cell-events.js";
import { CellJournal } from "./cell-journal/cell-journal.js";
import { defineElement } from "./define.js";

export { CellCard } from "./cell-card/cell-card.js";
export { CellEvents } from "./cell-events/cell-events.js";
export { CellJournal } from "./cell-journal/cell-journal.js";
export { defineElement, ELEMENTS_VERSION } from "./define.js";

defineElement("cell-card", CellCard);
defineElement("cell-events", CellEvents);
defineElement("cell-journal", CellJournal);
