/**
 * Corrections: an entry whose `supersedes` names another entry corrects it. Entries never change, so each
 * original entry and its corrections form a chain (a tree when two treasurers corrected the same entry
 * concurrently). Resolution is pure and deterministic: it depends only on the set of entries, never on
 * the order they arrived in.
 */

/** What chain resolution needs of an entry. */
export type Chainable = {
  id: string;
  /** Author's clock (ms): orders entries; the ID breaks ties. */
  at: number;
  supersedes?: string;
};

/** Orders entries by time, then ID. */
export function byTime(a: Chainable, b: Chainable): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Entries resolved into chains. */
export type Chains<E extends Chainable> = {
  /** The current entry of each chain, by time. */
  current: E[];
  /** Every chain, oldest first (an entry always after the one it corrects), by the ID of any of its entries. */
  chainOf: Map<string, E[]>;
  /** Entries that do not count, with why. */
  refused: { entry: E; reason: string }[];
};

/**
 * Whether each entry counts: an original does; a correction does when the entry it corrects counts. An
 * entry in a cycle (impossible with IDs derived from signatures, but data is untrusted) does not.
 */
function counting<E extends Chainable>(byId: Map<string, E>): Map<string, string | true> {
  const verdict = new Map<string, string | true>();
  for (const start of [...byId.values()].sort(byTime)) {
    const path: E[] = [];
    const onPath = new Set<string>();
    let entry: E | undefined = start;
    let outcome: string | true = true;
    while (entry && !verdict.has(entry.id)) {
      if (onPath.has(entry.id)) {
        outcome = "is part of a cycle of corrections";
        break;
      }
      path.push(entry);
      onPath.add(entry.id);
      if (entry.supersedes === undefined) break;
      const target = byId.get(entry.supersedes);
      if (!target) {
        outcome = `corrects entry ${entry.supersedes}, which is not a valid entry of this kind on this device`;
        break;
      }
      entry = target;
    }
    if (entry && verdict.has(entry.id) && !onPath.has(entry.id)) {
      const known = verdict.get(entry.id)!;
      outcome = known === true ? true : `corrects entry ${entry.id}, which does not count`;
    }
    // The last entry of the path carries the outcome; each before it corrects one that does or does not count.
    for (let i = path.length - 1; i >= 0; i--) {
      const e = path[i]!;
      verdict.set(e.id, outcome);
      if (outcome !== true) outcome = `corrects entry ${e.id}, which does not count`;
    }
  }
  return verdict;
}

/** A chain in order: each entry after the one it corrects, otherwise by time. */
function inOrder<E extends Chainable>(chain: E[]): E[] {
  const rest = [...chain].sort(byTime);
  const done = new Set<string>();
  const out: E[] = [];
  while (rest.length > 0) {
    const i = rest.findIndex((e) => e.supersedes === undefined || done.has(e.supersedes));
    const [next] = rest.splice(Math.max(i, 0), 1);
    out.push(next!);
    done.add(next!.id);
  }
  return out;
}

/**
 * Resolves corrections among entries of one kind (IDs unique). The current entry of a chain is its latest
 * entry that nothing corrects (by time, then ID), so concurrent corrections resolve alike everywhere.
 */
export function resolveChains<E extends Chainable>(entries: readonly E[]): Chains<E> {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const verdict = counting(byId);
  const refused: Chains<E>["refused"] = [];
  const roots = new Map<string, E[]>();
  const rootOf = (e: E): string => (e.supersedes === undefined ? e.id : rootOf(byId.get(e.supersedes)!));
  for (const e of [...byId.values()].sort(byTime)) {
    const v = verdict.get(e.id)!;
    if (v !== true) {
      refused.push({ entry: e, reason: v });
      continue;
    }
    const root = rootOf(e);
    roots.set(root, [...(roots.get(root) ?? []), e]);
  }
  const chainOf = new Map<string, E[]>();
  const current: E[] = [];
  for (const chain of roots.values()) {
    const ordered = inOrder(chain);
    const corrected = new Set(ordered.map((e) => e.supersedes));
    const leaves = ordered.filter((e) => !corrected.has(e.id)).sort(byTime);
    current.push(leaves.at(-1)!);
    for (const e of ordered) chainOf.set(e.id, ordered);
  }
  return { current: current.sort(byTime), chainOf, refused };
}
