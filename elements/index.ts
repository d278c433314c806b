/**
 * Cellule's Lit web components for blogs and the member space. Importing this module registers every
 * widget, once (a blog may load it twice): `<cell-card>`, `<cell-journal>`, `<cell-events>`, `<cell-contact>`,
 * `<cell-join>`.
 * @packageDocumentation
 */
import { CellCard } from "./cell-card/cell-card.js";
import { CellContact } from "./cell-contact/cell-contact.js";
import { CellEvents } from "./cell-events/cell-events.js";
import { CellJoin } from "./cell-join/cell-join.js";
import { CellJournal } from "./cell-journal/cell-journal.js";
import { defineElement } from "./define.js";
import { loadEdition } from "./shared/edition-controller.js";

export { CellCard } from "./cell-card/cell-card.js";
export { CellContact, ContactSentEvent } from "./cell-contact/cell-contact.js";
export { CellEvents } from "./cell-events/cell-events.js";
export { CellJoin } from "./cell-join/cell-join.js";
export { CellJournal } from "./cell-journal/cell-journal.js";
export { defineElement, ELEMENTS_VERSION } from "./define.js";

// Editions start loading before the elements upgrade: the fetch overlaps with Lit's start-up.
for (const el of document.querySelectorAll("cell-card, cell-journal, cell-events, cell-contact"))
  loadEdition(el.getAttribute("cell"));

defineElement("cell-card", CellCard);
defineElement("cell-contact", CellContact);
defineElement("cell-events", CellEvents);
defineElement("cell-join", CellJoin);
defineElement("cell-journal", CellJournal);
