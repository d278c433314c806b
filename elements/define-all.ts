/**
 * Registers every widget, once (a blog may load the kit twice): `<cell-card>`, `<cell-journal>`,
 * `<cell-events>`, `<cell-contact>`, `<cell-join>`; and starts loading the editions the page's widgets
 * name. The entry of the widget kit (rollup.config.mjs) and `cellule/elements/define-all`; the one module of
 * `elements/` with effects on import (package.json's `sideEffects`). Re-exports the classes of `index.ts`.
 */
import { CellCard } from "./cell-card/cell-card.js";
import { CellContact } from "./cell-contact/cell-contact.js";
import { CellEvents } from "./cell-events/cell-events.js";
import { CellJoin } from "./cell-join/cell-join.js";
import { CellJournal } from "./cell-journal/cell-journal.js";
import { defineElement } from "./define.js";
import { loadEdition } from "./shared/edition-controller.js";

export * from "./index.js";

// Editions start loading before the elements upgrade: the fetch overlaps with Lit's start-up.
for (const el of document.querySelectorAll("cell-card, cell-journal, cell-events, cell-contact"))
  loadEdition(el.getAttribute("cell"));

defineElement("cell-card", CellCard);
defineElement("cell-contact", CellContact);
defineElement("cell-events", CellEvents);
defineElement("cell-join", CellJoin);
defineElement("cell-journal", CellJournal);
