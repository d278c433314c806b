/**
 * A cell's editions, published from this device: a `Publisher` signing with the cell's current publication
 * keys, and `publishEditions`, which keeps the edition up to date as the public documents change.
 */
import type { Cell } from "../cell/cell.js";
import { fetchFromRelays } from "../public/relay-http.js";
import { verifyEdition } from "../public/verify.js";
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

/** Options of `publishEditions`. */
export interface PublishEditionsOptions
  extends Omit<PublisherOptions, "genesis" | "keys" | "content" | "watch"> {
  /**
   * Relays to look at first: when every one of them already serves an edition with the content an edition
   * made now would carry (a device that opens again, nothing changed meanwhile), none is published at
   * start. Without it, one is.
   */
  servedBy?: readonly string[];
}

/**
 * Keeps the cell's edition up to date from this device: publishes now (unless `servedBy` serve it
 * already), then after every change to the cell's public documents, wherever it was made (debounced), to
 * `sink` (e.g. `relaySink(relays)`). `close()` the returned publisher to stop.
 */
export async function publishEditions(cell: Cell, options: PublishEditionsOptions): Promise<Publisher> {
  const { site, journal, agenda } = await openSite(cell);
  const scope = cell.scopeId("public");
  const publisher = cellPublisher(cell, {
    ...options,
    content: () => readPublicContent(site, journal, agenda, (options.now ?? Date.now)(), options.limit),
    watch: (changed) => cell.kit.on("written", (_doc, s) => s === scope && changed()),
  });
  if (!(await servedAlready(cell, publisher, options.servedBy ?? []))) await publisher.publish();
  return publisher;
}

/** Whether each of `relays` (at least one) serves an edition `publisher` would not change. */
async function servedAlready(cell: Cell, publisher: Publisher, relays: readonly string[]): Promise<boolean> {
  if (relays.length === 0) return false;
  const current = await Promise.all(
    relays.map(async (relay) => {
      try {
        const { value } = await fetchFromRelays([relay], `c/${cell.id}/edition.json`, {
          check: (bytes) => verifyEdition(bytes, cell.id),
        });
        const { admissionKey: _, ...served } = value;
        return await publisher.matches(served);
      } catch {
        // Unreachable, nothing served yet, or what it serves does not verify: publish.
        return false;
      }
    }),
  );
  return current.every(Boolean);
}
