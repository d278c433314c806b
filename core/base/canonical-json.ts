/**
 * Canonical JSON: object keys sorted, no whitespace, only strings, finite numbers, booleans, null, arrays
 * and plain objects. Two devices encoding the same value get the same bytes, so hashes and signatures over
 * governance ops agree everywhere.
 */
import { InvalidArgumentError } from "./errors.js";

/** A value canonical JSON can carry. */
export type Canonical = string | number | boolean | null | Canonical[] | { [key: string]: Canonical };

/** Encodes a value as canonical JSON; `InvalidArgumentError` for anything else (undefined, NaN, a class). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidArgumentError("canonical JSON has no NaN or Infinity");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new InvalidArgumentError(`canonical JSON cannot carry a ${typeof value}`);
}
