/**
 * Watching the cell's public face from a member's device: which of its relays serve an edition on a
 * publication chain the cell's log did not make. Relays never go back on a chain they hold, so whoever
 * extends the chain first with a key the cell still trusted (a stolen officer phone before the keys were
 * renewed) keeps that relay's face until its operator deletes the edition (`<data>/editions/<cellId>.json`):
 * the member space tells the officers which relays to ask.
 */
import type { Cell } from "../cell/cell.js";
import { fetchFromRelays } from "../public/relay-http.js";
import { verifyEdition } from "../public/verify.js";

/** A relay serving an edition whose chain departs from the cell's log at `link`. */
export interface ForeignEdition {
  relay: string;
  /** The index of the first link the log did not make. */
  link: number;
}

/**
 * The relays among `relays` (by default the cell's relay list) that serve a foreign edition for this cell.
 * A relay that serves none, cannot be reached or serves something that does not verify is not listed (the
 * widgets refuse what does not verify anyway).
 */
export async function foreignEditions(
  cell: Cell,
  relays: readonly string[] = cell.state.relays,
): Promise<ForeignEdition[]> {
  const found = await Promise.all(
    relays.map(async (relay): Promise<ForeignEdition | undefined> => {
      try {
        const { value } = await fetchFromRelays([relay], `c/${cell.id}/edition.json`, {
          check: (bytes) => verifyEdition(bytes, cell.id),
        });
        const link = cell.foreignPublicationLink(value.chain);
        return link === undefined ? undefined : { relay, link };
      } catch {
        return undefined;
      }
    }),
  );
  return found.filter((f) => f !== undefined);
}
