/**
 * The treasury's views as pure functions of the rules and the current entries (see `Ledger`): who is up to
 * date and who is behind, what was collected each period and the share remitted to a higher body, which
 * subscriptions run on a day. No I/O, no clock: the same input gives the same output, whatever its order.
 */

import { byTime } from "./chains.js";
import { invalid } from "./check.js";
import type { Stamp, Subscription } from "./ledger.js";
import { checkPeriod, dayOf, periodKindOf, periodsBetween } from "./periods.js";
import { type Bracket, cheapestBracket, type DuesRules } from "./rules.js";

/** Where a person stands for the periods asked about. */
export type DuesStanding = "up-to-date" | "behind" | "no-rule";

/** A person's dues over one period or a range of periods. */
export type PersonDues = {
  person: string;
  /** Cents paid for the periods asked about. */
  paid: number;
  /** Cents due for them (the bracket's amount for each period). */
  due: number;
  status: DuesStanding;
  /** How many of the periods are not fully paid. */
  behind: number;
  /** Those periods, in order. */
  unpaid: string[];
  /** The bracket the dues were computed with (the latest stamp's, else the cheapest). */
  bracket?: string;
};

/** What the status views read of a stamp. */
export type StampFacts = Pick<Stamp, "id" | "at" | "person" | "period" | "amount" | "bracket" | "void">;

/** What a period's totals say. */
export type PeriodTotal = {
  period: string;
  /** Stamps counted. */
  stamps: number;
  /** Cents collected. */
  collected: number;
  /** Cents owed to the higher body: round(collected × the rules' remitted share). */
  remitted: number;
  /** Cents the cell keeps. */
  kept: number;
};

function periodsOf(period: string | { from: string; to: string }, rules: DuesRules | undefined): string[] {
  const periods =
    typeof period === "string" ? [checkPeriod(period, "period")] : periodsBetween(period.from, period.to);
  const kind = periodKindOf(periods[0]);
  if (rules && kind !== rules.period)
    invalid("period", `must be a ${rules.period} (the dues rules' period), not a ${kind}`);
  return periods;
}

/**
 * The bracket a person pays in: that of their latest stamp (not a void) naming one the rules still have,
 * else the cheapest.
 */
function bracketOf(rules: DuesRules, theirs: readonly StampFacts[]): Bracket | undefined {
  const known = new Map(rules.brackets.map((b) => [b.id, b]));
  const latest = [...theirs]
    .sort(byTime)
    .reverse()
    .find((s) => !s.void && s.bracket !== undefined && known.has(s.bracket));
  return latest ? known.get(latest.bracket!) : cheapestBracket(rules);
}

function standing(
  person: string,
  rules: DuesRules | undefined,
  theirs: readonly StampFacts[],
  periods: string[],
): PersonDues {
  const paidIn = (p: string) => theirs.filter((s) => s.period === p).reduce((sum, s) => sum + s.amount, 0);
  const paid = periods.reduce((sum, p) => sum + paidIn(p), 0);
  const bracket = rules && bracketOf(rules, theirs);
  if (!bracket) return { person, paid, due: 0, status: "no-rule", behind: 0, unpaid: [] };
  const unpaid = periods.filter((p) => paidIn(p) < bracket.amount);
  return {
    person,
    paid,
    due: bracket.amount * periods.length,
    status: unpaid.length === 0 ? "up-to-date" : "behind",
    behind: unpaid.length,
    unpaid,
    bracket: bracket.id,
  };
}

/**
 * Each person's dues for `period` (one period, or a range `{ from, to }` of the rules' kind), in the order
 * of `people` (duplicates once). A period counts as paid when the current stamps for it add up to the
 * bracket's amount; paying more in one period does not pay another. Without rules, `no-rule`.
 */
export function duesStatus(
  rules: DuesRules | undefined,
  stamps: readonly StampFacts[],
  people: readonly string[],
  period: string | { from: string; to: string },
): PersonDues[] {
  const periods = periodsOf(period, rules);
  const byPerson = new Map<string, StampFacts[]>();
  for (const s of stamps) byPerson.set(s.person, [...(byPerson.get(s.person) ?? []), s]);
  return [...new Set(people)].map((p) => standing(p, rules, byPerson.get(p) ?? [], periods));
}

/** What was collected each period (in period order) and how it splits between the higher body and the cell. */
export function periodTotals(
  stamps: readonly Pick<Stamp, "period" | "amount">[],
  rules: DuesRules | undefined,
): PeriodTotal[] {
  const share = rules?.remittedShare ?? 0;
  const totals = new Map<string, { stamps: number; collected: number }>();
  for (const s of stamps) {
    const t = totals.get(s.period) ?? { stamps: 0, collected: 0 };
    totals.set(s.period, { stamps: t.stamps + 1, collected: t.collected + s.amount });
  }
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([period, t]) => {
      const remitted = Math.round(t.collected * share);
      return { period, ...t, remitted, kept: t.collected - remitted };
    });
}

/**
 * The subscriptions running on `date` (a `Date`, ms, or `YYYY-MM-DD`; both ends included), voids left
 * out, by person, publication, start, then ID.
 */
export function subscriptionsActive<
  S extends Pick<Subscription, "id" | "person" | "publication" | "from" | "to" | "void">,
>(subscriptions: readonly S[], date: Date | number | string): S[] {
  const day = dayOf(date);
  const key = (s: S) => [s.person, s.publication, s.from, s.id];
  return subscriptions
    .filter((s) => !s.void && s.from <= day && day <= s.to)
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const i = x.findIndex((v, j) => v !== y[j]);
      return i < 0 ? 0 : x[i]! < y[i]! ? -1 : 1;
    });
}
