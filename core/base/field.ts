/**
 * Readers of untrusted fields: what a renderer uses on a value that may be missing or of the wrong type (an
 * edition's signature proves who wrote it, not that its fields are sane). Each gives back a value of its
 * type or a neutral one, and never throws: a broken field shows as empty rather than breaking the page.
 */

/** The value if it is a string, else `""`. */
export const asText = (v: unknown): string => (typeof v === "string" ? v : "");

/** The value if it is a number a `Date` can hold (a time in ms, ±8.64e15), else `undefined`. */
export const asTime = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= 8.64e15 ? v : undefined;

/** The objects of a list (other items dropped); `[]` when the value is not a list. */
export const asRecords = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x) => typeof x === "object" && x !== null && !Array.isArray(x)) : [];
