import { describe, expect, it } from "vitest";
import { IntegrityError } from "../../core/base/errors.js";
import type { PublicationKeys } from "../../core/protocol/publication-cert.js";
import { verifyEdition } from "../../core/public/verify.js";
import { buildEdition, signEdition } from "../../core/site/edition.js";
import { LINK, publishingCell, rotatedKeys, sampleContent } from "../../core/site/test-support.js";
import { remember } from "./edition-memory.js";

/** A `localStorage` of its own. */
function storage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

describe("what a page remembers of a cell's editions", () => {
  it("refuses, once it verified a newer chain or edition, a rotated-out key, a fork and a rollback", async () => {
    const cell = await publishingCell();
    const id = cell.genesis.hash;
    const edition = async (keys: PublicationKeys, at: number) =>
      verifyEdition(
        await signEdition(
          buildEdition(cell.genesis, keys.chain, sampleContent(), at),
          keys.signing.privateKey,
        ),
        id,
      );
    const old = cell.keys;
    const current = await rotatedKeys(id, old);
    const fork = await rotatedKeys(id, old);
    const s = storage();
    remember(await edition(old, 10), s); // a first visit, before the rotation
    remember(await edition(current, 5), s); // the rotation wins, whatever its `at`
    remember(await edition(current, 20), s);
    remember(await edition(current, 20), s); // the same again
    const refused = [
      await edition(old, LINK.expires), // the old key, dated later
      await edition(fork, LINK.expires), // the old key's own fork
      await edition(await rotatedKeys(id, fork), LINK.expires), // a longer fork
      await edition(current, 19), // a stale copy on the chain
    ];
    for (const e of refused) expect(() => remember(e, s)).toThrow(IntegrityError);
    // And a rotation after that still wins.
    remember(await edition(await rotatedKeys(id, current), 1), s);
    // Another cell, a page without storage and a garbled entry are not in the way.
    const other = await publishingCell();
    const theirs = await verifyEdition(
      await signEdition(
        buildEdition(other.genesis, other.keys.chain, sampleContent(), 1),
        other.keys.signing.privateKey,
      ),
      other.genesis.hash,
    );
    expect(remember(theirs, s)).toBe(theirs);
    expect(remember(refused[0]!, undefined)).toBe(refused[0]);
    s.setItem(`cellule:${id}`, "{garbled");
    expect(remember(refused[0]!, s)).toBe(refused[0]);
  });
});
