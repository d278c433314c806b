/**
 * The cell's treasury: dues rules, stamps and journal subscriptions as signed records, corrections that
 * supersede without rewriting, and pure views (who is up to date, totals per period, active subscriptions).
 */

export { type Chainable, type Chains, resolveChains } from "./chains.js";
export { NOTE_TEXT, PAYMENT_METHODS, type PaymentMethod, SHORT_TEXT } from "./check.js";
export {
  type Correction,
  checkStamp,
  checkStampData,
  checkSubscription,
  checkSubscriptionData,
  type StampData,
  type StampInput,
  type SubscriptionData,
  type SubscriptionInput,
  TREASURY_KINDS,
  TREASURY_ROLES,
} from "./entries.js";
export {
  buildLedger,
  type EntryMeta,
  entryIdOf,
  type Ledger,
  type RecordChecker,
  type Refusal,
  type RulesEntry,
  type Stamp,
  type Subscription,
  type TreasuryEntry,
} from "./ledger.js";
export {
  checkDay,
  checkPeriod,
  dayOf,
  MAX_PERIODS,
  PERIOD_KINDS,
  type PeriodKind,
  periodKindOf,
  periodOf,
  periodsBetween,
  periodsUpTo,
} from "./periods.js";
export {
  type Bracket,
  bracketFor,
  cheapestBracket,
  checkRules,
  type DuesRules,
  MAX_BRACKETS,
} from "./rules.js";
export {
  type StoredRecords,
  TREASURY_NAME,
  TREASURY_SCOPE,
  type TreasuryItem,
  TreasuryStore,
} from "./store.js";
export { Treasury, type TreasuryLedger } from "./treasury.js";
export {
  type DuesStanding,
  duesStatus,
  type PeriodTotal,
  type PersonDues,
  periodTotals,
  type StampFacts,
  subscriptionsActive,
} from "./views.js";
