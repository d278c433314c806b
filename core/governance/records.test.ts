/**
 * Signed records are re-validated against the log: authentic, by a member holding the role at the heads
 * cited, and hidden alike on every device when a removal they did not see arrives.
 */
import { describe, expect, it } from "vitest";
import { ForbiddenError, IntegrityError } from "../base/errors.js";
import type { MemberId } from "../base/ids.js";
import { createGenesis, setRelays, writeOp } from "./actions.js";
import { GovernanceLog } from "./log.js";
import { signOp } from "./ops.js";
import { checkRecords, signRecord } from "./records.js";
import { DEFAULT_RULES } from "./rules.js";
import { device, joined, recorded } from "./scenario.test-support.js";

const STAMP = { kind: "stamp", roles: ["treasurer"] };

/** Founder F (all roles), treasurer T, member M; every op kept for replays into other logs. */
async function cell() {
  const f = await device();
  const rules = structuredClone(DEFAULT_RULES);
  rules.roles.secretary = [...rules.roles.secretary!, "set-relays"];
  const genesis = await createGenesis(f, "Cellule", "Fatima", rules);
  const { log, ops, step } = recorded(genesis);
  const people = [];
  for (const role of ["treasurer", "member"]) people.push(await joined(f, { log, step }, role, role));
  const [t, m] = people as [Awaited<ReturnType<typeof device>>, Awaited<ReturnType<typeof device>>];
  return { f, t, m, genesis, log, ops, step };
}

describe("signed records", () => {
  it("count when made by a member holding the role, and are refused otherwise with a typed error", async () => {
    const { t, m, log } = await cell();
    const good = await signRecord(t, log, "stamp", { member: "x", period: "2026-11", amount: 5 });
    const byMember = await signRecord(m, log, "stamp", { member: "x", period: "2026-11", amount: 5 });
    const altered = { ...good, data: { ...good.data, amount: 500 } };
    const otherKind = await signRecord(t, log, "vote", { yes: true });
    const check = await checkRecords(
      log,
      [good, byMember, altered, otherKind, "garbage", { kind: "stamp" }],
      STAMP,
    );
    expect(check.valid.map((v) => v.record)).toEqual([good]);
    expect(check.valid[0]!.member).toBe(t.id);
    const errors = check.refused.map((r) => r.error.constructor);
    expect(errors.filter((e) => e === ForbiddenError)).toHaveLength(1);
    expect(errors.filter((e) => e === IntegrityError)).toHaveLength(4);
  });

  it("wait while they cite ops this device has not received", async () => {
    const { f, t, genesis, log, ops } = await cell();
    await setRelays(f, log, ["https://relais.example.org"]).then((op) => log.add(op));
    const record = await signRecord(t, log, "stamp", { amount: 1 });
    const behind = GovernanceLog.fromGenesis(genesis);
    for (const op of ops) behind.add(op);
    const check = await checkRecords(behind, [record], STAMP);
    expect(check.waiting).toEqual([record]);
    expect(check.valid).toEqual([]);
  });

  it("made before a removal still count; made concurrently with it, they are hidden on every device", async () => {
    const { f, t, genesis, log, ops, step } = await cell();
    const before = await signRecord(t, log, "stamp", { amount: 1 });
    // The treasurer sees one more op (a relay change) and records a stamp citing it; concurrently, the
    // secretary, who has not seen that op, removes her.
    const forkPoint = log.heads();
    const relayChange = await setRelays(f, log, ["https://a.example.org"]);
    const treasurerView = GovernanceLog.fromGenesis(genesis);
    for (const op of [...ops, relayChange]) treasurerView.add(op);
    const concurrent = await signRecord(t, treasurerView, "stamp", { amount: 2 });
    const removal = await signOp(f, log.cellId, forkPoint, {
      type: "remove",
      member: t.id as unknown as MemberId,
    });
    const orders = [
      [relayChange, removal],
      [removal, relayChange],
    ];
    const results = [];
    for (const extra of orders) {
      const view = GovernanceLog.fromGenesis(genesis);
      for (const op of [...ops, ...extra]) view.add(op);
      const check = await checkRecords(view, [before, concurrent], STAMP);
      results.push(check.valid.map((v) => v.record.data));
      expect(check.refused[0]?.error).toBeInstanceOf(ForbiddenError);
    }
    expect(results).toEqual([[{ amount: 1 }], [{ amount: 1 }]]);

    // After her removal is known to her, anything she signs is refused.
    step(relayChange);
    step(removal);
    const after = await signRecord(t, log, "stamp", { amount: 3 });
    expect((await checkRecords(log, [after], STAMP)).refused).toHaveLength(1);
    // An unauthorised op from her is refused locally too.
    await expect(writeOp(t, log, { type: "set-relays", relays: [] })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
