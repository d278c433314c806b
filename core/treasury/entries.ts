/**
 * What a treasurer records (the seed's "carnet de timbres"): a dues stamp for a person and a period, and a
 * journal subscription. Each is one signed record; a correction is a new record whose `supersedes` names
 * the entry it corrects (a void is a correction with amount 0 and a note). Input is checked here before
 * anything is signed; views check the data of every record again, since documents are untrusted.
 */

import type { Role } from "../governance/rules.js";
import {
  cents,
  defined,
  invalid,
  method,
  NOTE_TEXT,
  objectOf,
  optionalText,
  type PaymentMethod,
  requiredText,
} from "./check.js";
import { checkDay, checkPeriod } from "./periods.js";
import type { DuesRules } from "./rules.js";

/** The kinds of the treasury's signed records. */
export const TREASURY_KINDS = {
  rules: "dues-rules",
  stamp: "stamp",
  subscription: "subscription",
} as const;

/** The roles whose records count in the treasury. */
export const TREASURY_ROLES: readonly Role[] = ["treasurer"];

/** Longest entry ID (`supersedes`). */
const ID_TEXT = 64;

/** A dues payment as the treasurer enters it. */
export type StampInput = {
  /** A member ID from the log, or a booklet person ID for a held member (e.g. `held:…`). */
  person: string;
  /** `2026-11`, `2026-Q4` or `2026`: of the kind the dues rules say. */
  period: string;
  /** Cents paid. */
  amount: number;
  method: PaymentMethod;
  /** The bracket (an ID of the rules) the person pays in. */
  bracket?: string;
  note?: string;
};

/** What a correction adds to an entry. */
export type Correction = {
  /** The ID of the entry this one corrects. */
  supersedes?: string;
  /** Set on a void: a correction saying the entry should not have existed (amount 0, and a note why). */
  void?: true;
};

/** A stamp as signed: the input, and the entry it corrects if it is a correction. */
export type StampData = StampInput & Correction;

/** A journal subscription as the treasurer enters it. */
export type SubscriptionInput = {
  person: string;
  /** The publication's name. */
  publication: string;
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, `YYYY-MM-DD` (not before `from`). */
  to: string;
  /** Cents paid. */
  paid: number;
  method: PaymentMethod;
  note?: string;
};

/** A subscription as signed. */
export type SubscriptionData = SubscriptionInput & Correction;

function stampFields(s: Record<string, unknown>, rules: DuesRules | undefined): StampInput {
  const bracket = optionalText(s.bracket, "stamp.bracket", 64);
  if (bracket !== undefined && rules && !rules.brackets.some((b) => b.id === bracket))
    invalid("stamp.bracket", `is not a bracket of the dues rules (got ${bracket})`);
  return defined({
    person: requiredText(s.person, "stamp.person"),
    period: checkPeriod(s.period, "stamp.period", rules?.period),
    amount: cents(s.amount, "stamp.amount"),
    method: method(s.method, "stamp.method"),
    bracket,
    note: optionalText(s.note, "stamp.note", NOTE_TEXT),
  });
}

/**
 * A clean stamp from `input`; with `rules`, its period must be of the rules' kind and its bracket one of
 * theirs. `InvalidArgumentError` naming the first bad field.
 */
export function checkStamp(input: unknown, rules?: DuesRules): StampInput {
  return stampFields(objectOf(input, "stamp"), rules);
}

/** The correction fields of a record's data: `supersedes`, and `void` only on a correction of 0 with a note. */
function correctionFields(
  s: Record<string, unknown>,
  field: string,
  entry: { amount: number; note?: string | undefined },
): Correction {
  const supersedes = optionalText(s.supersedes, `${field}.supersedes`, ID_TEXT);
  if (s.void === undefined) return defined({ supersedes });
  if (s.void !== true) invalid(`${field}.void`, "must be true when present");
  if (supersedes === undefined) invalid(`${field}.void`, "is only on a correction (with supersedes)");
  if (entry.amount !== 0) invalid(`${field}.void`, "is only on a correction of amount 0");
  if (entry.note === undefined) invalid(`${field}.note`, "must say why the entry is voided");
  return { supersedes, void: true };
}

/** The data of a signed stamp record, checked as a view reads it (any period kind). */
export function checkStampData(data: unknown): StampData {
  const s = objectOf(data, "stamp");
  const stamp = stampFields(s, undefined);
  return { ...stamp, ...correctionFields(s, "stamp", stamp) };
}

function subscriptionFields(s: Record<string, unknown>): SubscriptionInput {
  const person = requiredText(s.person, "subscription.person");
  const publication = requiredText(s.publication, "subscription.publication");
  const from = checkDay(s.from, "subscription.from");
  const to = checkDay(s.to, "subscription.to");
  if (from > to) invalid("subscription.from", `(${from}) is after subscription.to (${to})`);
  return defined({
    person,
    publication,
    from,
    to,
    paid: cents(s.paid, "subscription.paid"),
    method: method(s.method, "subscription.method"),
    note: optionalText(s.note, "subscription.note", NOTE_TEXT),
  });
}

/** A clean subscription from `input`; `InvalidArgumentError` naming the first bad field. */
export function checkSubscription(input: unknown): SubscriptionInput {
  return subscriptionFields(objectOf(input, "subscription"));
}

/** The data of a signed subscription record, checked as a view reads it. */
export function checkSubscriptionData(data: unknown): SubscriptionData {
  const s = objectOf(data, "subscription");
  const sub = subscriptionFields(s);
  return { ...sub, ...correctionFields(s, "subscription", { amount: sub.paid, note: sub.note }) };
}
