/**
 * Dues periods as strings that sort in time order within a kind: a month `2026-11`, a quarter `2026-Q4`,
 * a year `2026`. Days are `YYYY-MM-DD`. Everything is in UTC, so every device names the same period.
 */
import { invalid } from "./check.js";

/** How often dues are paid. */
export const PERIOD_KINDS = ["month", "quarter", "year"] as const;

/** One of `PERIOD_KINDS`. */
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Most periods `periodsBetween` lists (a century of months). */
export const MAX_PERIODS = 1200;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The kind of a period string, or undefined when it is not one. */
export function periodKindOf(period: unknown): PeriodKind | undefined {
  if (typeof period !== "string") return undefined;
  if (MONTH.test(period)) return "month";
  if (QUARTER.test(period)) return "quarter";
  if (YEAR.test(period)) return "year";
  return undefined;
}

/** A period string (of `kind`, when given); `InvalidArgumentError` naming `field` otherwise. */
export function checkPeriod(value: unknown, field: string, kind?: PeriodKind): string {
  const found = periodKindOf(value);
  if (!found) invalid(field, `must be a period like 2026-11, 2026-Q4 or 2026 (got ${String(value)})`);
  if (kind && found !== kind) invalid(field, `must be a ${kind} (the dues rules' period), not a ${found}`);
  return value as string;
}

/** A calendar day `YYYY-MM-DD`; `InvalidArgumentError` naming `field` otherwise. */
export function checkDay(value: unknown, field: string): string {
  const m = typeof value === "string" ? DAY.exec(value) : null;
  if (!m) invalid(field, `must be a day YYYY-MM-DD (got ${String(value)})`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    invalid(field, `is not a calendar day (got ${value})`);
  return value as string;
}

/** A date given as a `Date`, a time in ms, or a day `YYYY-MM-DD`, as a `Date` (UTC). */
function toDate(date: Date | number | string, field: string): Date {
  const d =
    typeof date === "string"
      ? new Date(`${checkDay(date, field)}T00:00:00Z`)
      : new Date(typeof date === "number" ? date : date instanceof Date ? date.getTime() : Number.NaN);
  if (Number.isNaN(d.getTime())) invalid(field, "must be a valid date");
  return d;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The day (`YYYY-MM-DD`, UTC) of a date. */
export function dayOf(date: Date | number | string): string {
  const d = toDate(date, "date");
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The period of `kind` a date falls in (UTC): `2026-11`, `2026-Q4` or `2026`. */
export function periodOf(date: Date | number | string, kind: PeriodKind): string {
  const d = toDate(date, "date");
  const year = pad(d.getUTCFullYear(), 4);
  const month = d.getUTCMonth();
  if (kind === "month") return `${year}-${pad(month + 1)}`;
  if (kind === "quarter") return `${year}-Q${Math.floor(month / 3) + 1}`;
  if (kind === "year") return year;
  return invalid("kind", `must be one of ${PERIOD_KINDS.join(", ")} (got ${String(kind)})`);
}

/** Periods per year of each kind. */
const PER_YEAR: Record<PeriodKind, number> = { month: 12, quarter: 4, year: 1 };

/** A period as a count of periods of its kind since year 0 (for arithmetic). */
function indexOf(period: string, kind: PeriodKind): number {
  const year = Number(period.slice(0, 4));
  if (kind === "year") return year;
  const within = kind === "month" ? Number(period.slice(5, 7)) : Number(period.slice(6));
  return year * PER_YEAR[kind] + within - 1;
}

function periodAt(index: number, kind: PeriodKind): string {
  const per = PER_YEAR[kind];
  const year = pad(Math.floor(index / per), 4);
  if (kind === "year") return year;
  const within = (index % per) + 1;
  return kind === "month" ? `${year}-${pad(within)}` : `${year}-Q${within}`;
}

/**
 * Every period from `from` to `to`, both included, in order (`2026-11`, `2026-12`, `2027-01`…). Both must
 * be of the same kind, `from` not after `to`; at most `MAX_PERIODS`.
 */
export function periodsBetween(from: string, to: string): string[] {
  const kind = periodKindOf(from);
  checkPeriod(from, "from");
  checkPeriod(to, "to", kind);
  const [a, b] = [indexOf(from, kind!), indexOf(to, kind!)];
  if (a > b) invalid("from", `(${from}) is after to (${to})`);
  if (b - a + 1 > MAX_PERIODS) invalid("to", `is more than ${MAX_PERIODS} periods after from`);
  return Array.from({ length: b - a + 1 }, (_, i) => periodAt(a + i, kind!));
}

/** The `count` periods ending with `to` (included), in order: `periodsUpTo("2026-02", 3)` → 2025-12…2026-02. */
export function periodsUpTo(to: string, count: number): string[] {
  const kind = periodKindOf(to);
  checkPeriod(to, "to");
  if (!Number.isInteger(count) || count < 1 || count > MAX_PERIODS)
    invalid("count", `is a whole number from 1 to ${MAX_PERIODS} (got ${String(count)})`);
  const end = indexOf(to, kind!);
  return Array.from({ length: count }, (_, i) => periodAt(end - count + 1 + i, kind!));
}
