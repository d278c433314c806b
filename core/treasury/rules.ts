/**
 * The dues rules as data (the seed's "barème"): how often dues are paid, in which currency, how much for
 * each income bracket, and the share remitted to a higher body (a federation, later). A treasurer signs
 * them as a `dues-rules` record; the valid one with the latest time is in force.
 */
import { cents, invalid, objectOf, requiredText } from "./check.js";
import { PERIOD_KINDS, type PeriodKind } from "./periods.js";

/** Most brackets in one set of rules. */
export const MAX_BRACKETS = 50;

/** An income bracket and the dues it pays each period. */
export type Bracket = {
  /** Stable ID that stamps refer to (e.g. `b1`). */
  id: string;
  /** What members see (e.g. "moins de 1 200 € par mois"). */
  label: string;
  /**
   * Highest monthly income of the bracket, in cents (the currency's minor unit, like every amount), or
   * null for the open-ended top bracket.
   */
  maxMonthlyIncome: number | null;
  /** Dues per period, in cents. */
  amount: number;
};

/** The dues rules. */
export type DuesRules = {
  period: PeriodKind;
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
  brackets: Bracket[];
  /** Share of what is collected remitted to a higher body, from 0 to 1. */
  remittedShare: number;
};

function checkBracket(value: unknown, field: string): Bracket {
  const b = objectOf(value, field);
  const max = b.maxMonthlyIncome;
  return {
    id: requiredText(b.id, `${field}.id`, 64),
    label: requiredText(b.label, `${field}.label`),
    maxMonthlyIncome: max === null ? null : cents(max, `${field}.maxMonthlyIncome`),
    amount: cents(b.amount, `${field}.amount`),
  };
}

function checkBrackets(value: unknown): Bracket[] {
  if (!Array.isArray(value)) invalid("rules.brackets", "must be a list");
  if (value.length === 0) invalid("rules.brackets", "needs at least one bracket");
  if (value.length > MAX_BRACKETS) invalid("rules.brackets", `has more than ${MAX_BRACKETS} brackets`);
  const brackets = value.map((b, i) => checkBracket(b, `rules.brackets[${i}]`));
  const ids = new Set<string>();
  const maxima = new Set<number | null>();
  brackets.forEach((b, i) => {
    if (ids.has(b.id)) invalid(`rules.brackets[${i}].id`, `repeats the bracket ID ${b.id}`);
    if (maxima.has(b.maxMonthlyIncome))
      invalid(`rules.brackets[${i}].maxMonthlyIncome`, "is the same as another bracket's");
    ids.add(b.id);
    maxima.add(b.maxMonthlyIncome);
  });
  return brackets;
}

/** Clean, valid dues rules from `input`; `InvalidArgumentError` naming the first bad field. */
export function checkRules(input: unknown): DuesRules {
  const r = objectOf(input, "rules");
  const period = r.period;
  if (typeof period !== "string" || !PERIOD_KINDS.includes(period as PeriodKind))
    invalid("rules.period", `must be one of ${PERIOD_KINDS.join(", ")} (got ${String(period)})`);
  if (typeof r.currency !== "string" || !/^[A-Z]{3}$/.test(r.currency))
    invalid("rules.currency", `must be a 3-letter code such as EUR (got ${String(r.currency)})`);
  const share = r.remittedShare;
  if (typeof share !== "number" || !Number.isFinite(share) || share < 0 || share > 1)
    invalid("rules.remittedShare", `must be a number from 0 to 1 (got ${String(share)})`);
  return {
    period: period as PeriodKind,
    currency: r.currency,
    brackets: checkBrackets(r.brackets),
    remittedShare: share,
  };
}

/** The bracket of a monthly income (cents): the lowest whose maximum it does not exceed, else the top one. */
export function bracketFor(rules: DuesRules, monthlyIncome: number): Bracket | undefined {
  const bounded = rules.brackets
    .filter((b) => b.maxMonthlyIncome !== null && monthlyIncome <= b.maxMonthlyIncome)
    .sort((a, b) => a.maxMonthlyIncome! - b.maxMonthlyIncome!);
  return bounded[0] ?? rules.brackets.find((b) => b.maxMonthlyIncome === null);
}

/** The bracket paying the least (the first listed among equals). */
export function cheapestBracket(rules: DuesRules): Bracket | undefined {
  return rules.brackets.reduce<Bracket | undefined>(
    (low, b) => (!low || b.amount < low.amount ? b : low),
    undefined,
  );
}
