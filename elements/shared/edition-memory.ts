/**
 * What a page remembers of each cell's editions, so that nobody can take it back: the length of the
 * publication chain it verified, that chain's last key, and the edition's `at`, per cell, in the blog
 * origin's `localStorage` (all public: the edition is). An edition on a shorter chain (signed by a key the
 * cell has since rotated out: an expelled editor, a stolen phone), on a chain that does not pass through
 * the remembered key (a fork), or older on the same chain (a relay serving a stale copy) is refused, and
 * the widget tries the cell's next relay. Checking the last key is enough: a chain passing through it can
 * only be extended, or an edition signed, by whoever holds that key's private half.
 */
import { IntegrityError } from "../../core/base/errors.js";
import type { VerifiedEdition } from "../../core/public/verify.js";

interface Seen {
  n: number;
  key: string;
  at: number;
}

/** Where the page keeps it: `localStorage`, when the page may use it (sandboxed frames may not). */
function store(): Storage | undefined {
  try {
    return localStorage;
  } catch {}
}

/**
 * `edition` if it is not older than what this page verified for its cell before (then remembered as the
 * newest), else `IntegrityError`. `storage` is the page's `localStorage` by default; without one, nothing
 * is remembered.
 */
export function remember(edition: VerifiedEdition, storage = store()): VerifiedEdition {
  const name = `cellule:edition:${edition.cell}`;
  const { chain, at } = edition;
  const n = chain.length;
  let seen: Seen | undefined;
  try {
    seen = JSON.parse(storage!.getItem(name)!);
  } catch {}
  if (typeof seen?.n === "number") {
    if (n < seen.n || chain[seen.n - 1]!.key !== seen.key || (n === seen.n && at < seen.at))
      throw new IntegrityError("an edition older than one this page verified");
    if (n === seen.n && at === seen.at) return edition;
  }
  try {
    storage!.setItem(name, JSON.stringify({ n, key: chain[n - 1]!.key, at }));
  } catch {}
  return edition;
}
