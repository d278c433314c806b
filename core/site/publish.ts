/**
 * A cell's editions, published from this device: a `Publisher` signing with the cell's current publication
 * keys, and `publishEditions`, which keeps the edition up to date as the public documents change.
 */
import type { Cell } from "../cell/cell.js";
import { readPublicContent } from "./documents.js";
import { Publisher, type PublisherOptions } from "./publisher.js";
import { openSite } from "./site.js";

/**
 * A `Publisher` of the cell's editions, signing each with the current publication keys (call its
 * `changed()` after public changes). `ForbiddenError` at publication unless this device holds the keys.
 */
export function cellPublisher(cell: Cell, options: Omit<PublisherOptions, "genesis" | "keys">): Publisher {
  return new Publisher({ ...options, genesis: cell.genesis, keys: () => cell.publicationKeys() });
}

/**
 * Keeps the cell's edition up to date from this device: publishes now, then after every change to the
 * cell's public documents, wherever it was made (debounced), to `sink` (e.g. `relaySink(relays)`).
 * `close()` the returned publisher to stop.
 */
export async function publishEditions(
  cell: Cell,
  options: Omit<PublisherOptions, "genesis" | "keys" | "content" | "watch">,
): Promise<Publisher> {
  const { site, journal, agenda } = await openSite(cell);
  const scope = cell.scopeId("public");
  const publisher = cellPublisher(cell, {
    ...options,
    content: () => readPublicContent(site, journal, agenda, (options.now ?? Date.now)(), options.limit),
    watch: (changed) => cell.kit.on("written", (_doc, s) => s === scope && changed()),
  });
  await publisher.publish();
  return publisher;
}
