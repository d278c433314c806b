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

/**
 * `edition` if it is not older than what this page verified for its cell before (then remembered as the
 * newest: `[chain length, last key, at]`), else `IntegrityError`. `storage` is the page's `localStorage`
 * by default (sandboxed frames may have none: then nothing is remembered).
 */
export function remember(edition: VerifiedEdition, storage?: Storage): VerifiedEdition {
  const name = `cellule:${edition.cell}`;
  const { chain, at } = edition;
  const n = chain.length;
  let m = 0;
  let key: unknown;
  let when = 0;
  try {
    storage ??= localStorage;
    [m, key, when] = JSON.parse(storage.getItem(name)!);
  } catch {}
  if (m && (n < m || chain[m - 1]?.key !== key || (n === m && at < when)))
    throw new IntegrityError("stale edition");
  try {
    storage!.setItem(name, JSON.stringify([n, chain[n - 1]!.key, at]));
  } catch {}
  return edition;
}
