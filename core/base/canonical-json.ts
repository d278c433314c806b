/**
 * Canonical JSON, as RFC 8785 defines it (the JSON Canonicalization Scheme, JCS): no whitespace, object
 * keys sorted by their UTF-16 code units, strings and numbers written as ECMAScript's `JSON.stringify`
 * writes them (shortest round-trip numbers, `1e+21`, `-0` as `0`); only strings, finite numbers, booleans,
 * null, arrays and plain objects. Two devices encoding the same value get the same bytes, so hashes and
 * signatures over governance ops agree everywhere, and any JCS implementation can check them. One
 * difference: JCS takes I-JSON, which has no lone surrogate; here one is written as `JSON.stringify` does
 * (`"\ud800"`) rather than refused. canonical-json.test.ts runs the RFC's examples.
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
