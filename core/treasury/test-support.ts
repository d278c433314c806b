/**
 * Test helpers for the treasury: a governance log with a founder (every officer role), a treasurer and a
 * plain member, records signed by any of them at a chosen time, and sample dues rules (French test data).
 */

import type { Canonical } from "../base/canonical-json.js";
import type { MemberId } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { admit, createGenesis, createInvite, redeemInvite } from "../governance/actions.js";
import { GovernanceLog } from "../governance/log.js";
import { checkRecords, type SignedRecord, signRecord } from "../governance/records.js";
import { device } from "../governance/scenario.test-support.js";
import type { RecordChecker } from "./ledger.js";
import type { DuesRules } from "./rules.js";

/** Sample rules: monthly dues in three brackets, 30 % remitted. */
export const RULES: DuesRules = {
  period: "month",
  currency: "EUR",
  brackets: [
    { id: "b1", label: "moins de 1 200 € par mois", maxMonthlyIncome: 120_000, amount: 300 },
    { id: "b2", label: "de 1 200 à 2 500 € par mois", maxMonthlyIncome: 250_000, amount: 800 },
    { id: "b3", label: "plus de 2 500 € par mois", maxMonthlyIncome: null, amount: 1500 },
  ],
  remittedShare: 0.3,
};

/** A time in November 2026 (ms), plus `minutes`. */
export const at = (minutes = 0) => Date.UTC(2026, 10, 24, 12) + minutes * 60_000;

/** A cell's log: founder `f`, treasurer `t`, member `m`. */
export async function treasuryLog() {
  const f = await device();
  const genesis = await createGenesis(f, "Cellule Louise-Michel", "Fatima");
  const log = GovernanceLog.fromGenesis(genesis);
  const people: DeviceIdentity[] = [];
  for (const role of ["treasurer", "member"]) {
    const { op, invitation } = await createInvite(f, log, { expires: Date.now() + 3_600_000, role });
    log.add(op);
    const d = await device();
    log.add(await redeemInvite(d, invitation, role === "member" ? "Marc" : "Béatrice", [op.hash]));
    log.add(await admit(f, log, d.id as unknown as MemberId));
    people.push(d);
  }
  const [t, m] = people as [DeviceIdentity, DeviceIdentity];
  const check: RecordChecker = (records, options) => checkRecords<Canonical>(log, records, options);
  /** A record of `kind` signed by `who` at `at(minutes)`. */
  const sign = (who: DeviceIdentity, kind: string, data: object, minutes = 0): Promise<SignedRecord> =>
    signRecord(who, log, kind, data as Canonical, at(minutes));
  return { f, t, m, genesis, log, check, sign, member: (d: DeviceIdentity) => d.id as unknown as MemberId };
}

/** The same items in a shuffled order (deterministic for a seed). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
