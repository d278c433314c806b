/**
 * Field checks shared by the treasury's inputs: each returns a clean value or throws an
 * `InvalidArgumentError` naming the field (e.g. `stamp.amount`), so a caller knows what to fix.
 */
import { InvalidArgumentError } from "../base/errors.js";

/** Longest text in a short field (a name, a label, an ID), in characters. */
export const SHORT_TEXT = 200;
/** Longest free-text note, in characters. */
export const NOTE_TEXT = 2000;

/** How dues and subscriptions were paid. */
export const PAYMENT_METHODS = ["cash", "transfer", "other"] as const;

/** One of `PAYMENT_METHODS`. */
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Throws an `InvalidArgumentError` about `field`. */
export function invalid(field: string, problem: string): never {
  throw new InvalidArgumentError(`${field} ${problem}`);
}

/** An object whose fields can be read (the input as a whole). */
export function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    invalid(field, "must be an object");
  return value as Record<string, unknown>;
}

/** Non-empty text (after trimming), at most `max` characters; returned trimmed. */
export function requiredText(value: unknown, field: string, max = SHORT_TEXT): string {
  if (typeof value !== "string") invalid(field, "must be text");
  const clean = value.trim();
  if (clean === "") invalid(field, "cannot be empty");
  if (clean.length > max) invalid(field, `is longer than ${max} characters`);
  return clean;
}

/** Optional text: undefined stays undefined; otherwise as `requiredText`. */
export function optionalText(value: unknown, field: string, max = SHORT_TEXT): string | undefined {
  return value === undefined ? undefined : requiredText(value, field, max);
}

/** An amount in cents: a whole number, 0 or more. */
export function cents(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    invalid(field, `must be a whole number of cents, 0 or more (got ${String(value)})`);
  return value;
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== "string" || !allowed.includes(value as T))
    invalid(field, `must be one of ${allowed.join(", ")} (got ${String(value)})`);
  return value as T;
}

/** A payment method. */
export function method(value: unknown, field: string): PaymentMethod {
  return oneOf(value, PAYMENT_METHODS, field);
}

/** A copy of `value` without its undefined fields (signed records carry canonical JSON only). */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
