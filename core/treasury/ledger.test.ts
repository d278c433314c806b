/**
 * The ledger from signed records: only a treasurer's authentic records with good data count, corrections
 * supersede without rewriting, anything else is refused with a typed error and a reason, and the result
 * is the same whatever order the records are stored in.
 */
import { describe, expect, it } from "vitest";
import { ForbiddenError, IntegrityError } from "../base/errors.js";
import { createInvite, removeMember } from "../governance/actions.js";
import { GovernanceLog } from "../governance/log.js";
import { checkRecords, signRecord } from "../governance/records.js";
import { TREASURY_KINDS } from "./entries.js";
import { buildLedger, entryIdOf, type Ledger, type Stamp } from "./ledger.js";
import { at, RULES, shuffled, treasuryLog } from "./test-support.js";

const { rules: RULES_KIND, stamp: STAMP, subscription: SUBSCRIPTION } = TREASURY_KINDS;

const stamp = (person: string, period: string, amount: number, extra: object = {}) => ({
  person,
  period,
  amount,
  method: "cash",
  ...extra,
});

/** A ledger in a form two ledgers can be compared by. */
function summary(ledger: Ledger) {
  return {
    rules: ledger.rules?.id,
    stamps: ledger.stamps.map((s) => [s.id, s.person, s.period, s.amount]),
    subscriptions: ledger.subscriptions.map((s) => s.id),
    histories: ledger.stamps.map((s) => ledger.history(s.id).map((h) => h.id)),
    refused: ledger.refused.map((r) => [r.id, r.error.constructor.name, r.error.message]),
  };
}

describe("the treasury ledger", () => {
  it("puts the latest valid rules in force and counts a treasurer's stamps and subscriptions", async () => {
    const { f, t, check, sign, member } = await treasuryLog();
    const old = await sign(f, RULES_KIND, { ...RULES, remittedShare: 0.5 }, 0);
    const current = await sign(t, RULES_KIND, RULES, 10);
    const s1 = await sign(t, STAMP, stamp("held:abc", "2026-11", 300, { bracket: "b1" }), 20);
    const sub = await sign(t, SUBSCRIPTION, {
      person: "held:abc",
      publication: "L'Étincelle",
      from: "2026-01-01",
      to: "2026-12-31",
      paid: 2400,
      method: "transfer",
    });
    const ledger = await buildLedger([s1, current, sub, old], check);
    expect(ledger.rules).toMatchObject({ ...RULES, id: entryIdOf(current), by: member(t) });
    expect(ledger.rulesHistory.map((r) => r.remittedShare)).toEqual([0.5, 0.3]);
    expect(ledger.stamps).toEqual([
      {
        ...stamp("held:abc", "2026-11", 300, { bracket: "b1" }),
        kind: "stamp",
        id: entryIdOf(s1),
        at: s1.at,
        by: member(t),
      },
    ]);
    expect(ledger.subscriptions).toMatchObject([
      { kind: "subscription", publication: "L'Étincelle", paid: 2400 },
    ]);
    expect(ledger.refused).toEqual([]);
    expect(ledger.waiting).toBe(0);
  });

  it("refuses records by non-treasurers, forged or altered ones, bad data and foreign kinds, with a reason", async () => {
    const { t, m, check, sign } = await treasuryLog();
    const good = await sign(t, STAMP, stamp("held:abc", "2026-11", 300));
    const byMember = await sign(m, STAMP, stamp("held:abc", "2026-11", 300));
    const altered = { ...good, data: { ...(good.data as object), amount: 30_000 } };
    const negative = await sign(t, STAMP, stamp("held:abc", "2026-11", -300));
    const badRules = await sign(t, RULES_KIND, { ...RULES, remittedShare: 2 });
    const vote = await sign(t, "vote", { yes: true });
    const ledger = await buildLedger(
      [good, byMember, altered, negative, badRules, vote, "n'importe quoi", null, byMember, negative],
      check,
    );
    expect(ledger.stamps.map((s) => s.id)).toEqual([entryIdOf(good)]);
    expect(ledger.rules).toBeUndefined();
    const reasons = ledger.refused.map((r) => [r.error.constructor, r.error.message]);
    // Records stored twice are refused once.
    expect(reasons).toHaveLength(7);
    expect(reasons).toContainEqual([ForbiddenError, "a stamp record needs one of the roles treasurer"]);
    expect(reasons).toContainEqual([IntegrityError, "a record whose signature does not match"]);
    expect(reasons).toContainEqual([
      IntegrityError,
      expect.stringMatching(/^a signed stamp record with bad data: stamp\.amount must be a whole number/),
    ]);
    expect(reasons).toContainEqual([
      IntegrityError,
      expect.stringMatching(/^a signed dues-rules record with bad data: rules\.remittedShare/),
    ]);
    const foreign = reasons.filter(([, msg]) => /^not a treasury record/.test(msg as string));
    expect(foreign).toHaveLength(3);
    expect(ledger.refused.find((r) => r.record === byMember)?.id).toBe(entryIdOf(byMember));
  });

  it("applies corrections, keeps the history, and refuses a correction of an unknown or refused entry", async () => {
    const { t, f, m, check, sign } = await treasuryLog();
    const s1 = await sign(t, STAMP, stamp("held:abc", "2026-11", 300), 0);
    const fix = await sign(t, STAMP, stamp("held:abc", "2026-11", 800, { supersedes: entryIdOf(s1) }), 5);
    const voided = await sign(
      f,
      STAMP,
      stamp("held:abc", "2026-11", 0, { supersedes: entryIdOf(fix), note: "doublon", void: true }),
      9,
    );
    const forged = await sign(m, STAMP, stamp("held:xyz", "2026-11", 300), 1);
    const ofForged = await sign(
      t,
      STAMP,
      stamp("held:xyz", "2026-11", 500, { supersedes: entryIdOf(forged) }),
      2,
    );
    const ofNothing = await sign(t, STAMP, stamp("held:xyz", "2026-11", 500, { supersedes: "inconnu" }), 3);
    const sub = await sign(t, SUBSCRIPTION, {
      person: "held:abc",
      publication: "L'Étincelle",
      from: "2026-01-01",
      to: "2026-12-31",
      paid: 2400,
      method: "cash",
    });
    const crossKind = await sign(
      t,
      STAMP,
      stamp("held:abc", "2026-11", 1, { supersedes: entryIdOf(sub) }),
      4,
    );
    const ledger = await buildLedger([voided, s1, fix, forged, ofForged, ofNothing, sub, crossKind], check);

    expect(ledger.stamps).toHaveLength(1);
    expect(ledger.stamps[0]).toMatchObject({ id: entryIdOf(voided), amount: 0, void: true, note: "doublon" });
    const chain = ledger.history(entryIdOf(s1)).map((e) => [e.id, (e as Stamp).amount]);
    expect(chain).toEqual([
      [entryIdOf(s1), 300],
      [entryIdOf(fix), 800],
      [entryIdOf(voided), 0],
    ]);
    expect(ledger.history(entryIdOf(fix))).toEqual(ledger.history(entryIdOf(s1)));
    expect(ledger.history(entryIdOf(ofNothing))).toEqual([]);
    const why = new Map(ledger.refused.map((r) => [r.id, r.error]));
    expect(why.get(entryIdOf(forged))).toBeInstanceOf(ForbiddenError);
    expect(why.get(entryIdOf(ofForged))?.message).toBe(
      `entry ${entryIdOf(ofForged)} corrects entry ${entryIdOf(forged)}, which is not a valid entry of this kind on this device`,
    );
    expect(why.get(entryIdOf(ofNothing))?.message).toMatch(
      /corrects entry inconnu, which is not a valid entry/,
    );
    expect(why.get(entryIdOf(crossKind))).toBeInstanceOf(IntegrityError);
    expect(ledger.refused.find((r) => r.id === entryIdOf(ofNothing))?.record).toBe(ofNothing);
  });

  it("is the same whatever order the records are stored in, and counts a record stored twice once", async () => {
    const { t, f, m, check, sign } = await treasuryLog();
    const records = [
      await sign(t, RULES_KIND, RULES, 0),
      await sign(f, RULES_KIND, { ...RULES, remittedShare: 0.25 }, 0),
      await sign(m, STAMP, stamp("held:m", "2026-11", 300), 1),
    ];
    for (let i = 0; i < 6; i++)
      records.push(await sign(t, STAMP, stamp(`held:${i % 3}`, "2026-11", 300 + i), i));
    records.push(
      await sign(t, STAMP, stamp("held:0", "2026-11", 1000, { supersedes: entryIdOf(records[3]!) }), 7),
    );
    records.push(
      await sign(f, STAMP, stamp("held:0", "2026-11", 900, { supersedes: entryIdOf(records[3]!) }), 7),
    );
    const expected = summary(await buildLedger(records, check));
    expect(expected.stamps).toHaveLength(6);
    for (let seed = 1; seed <= 8; seed++) {
      const again = await buildLedger([...shuffled(records, seed), records[4]!, records[0]!], check);
      expect(summary(again)).toEqual(expected);
    }
  });

  it("waits for records citing ops not received yet, and hides those made concurrently with a removal", async () => {
    const { f, t, genesis, log, check, sign, member } = await treasuryLog();
    const before = await sign(t, STAMP, stamp("held:abc", "2026-10", 300), 0);
    // The treasurer sees one more op (an invitation) and records a stamp citing it; concurrently, the
    // secretary, who has not seen that op, removes her.
    const { op: invite } = await createInvite(f, log, { expires: Date.now() + 3_600_000, role: "member" });
    const hers = GovernanceLog.fromGenesis(genesis);
    for (const op of [...log.all(), invite]) hers.add(op);
    const concurrent = await signRecord(t, hers, STAMP, stamp("held:abc", "2026-11", 300), at(5));
    const removal = await removeMember(f, log, member(t));

    // A device without the invitation waits for it before deciding.
    const waiting = await buildLedger([before, concurrent], check);
    expect(waiting.waiting).toBe(1);
    expect(waiting.stamps.map((s) => s.id)).toEqual([entryIdOf(before)]);

    // With every op, in either order: the earlier stamp counts, the concurrent one is refused.
    for (const ops of [
      [invite, removal],
      [removal, invite],
    ]) {
      const view = GovernanceLog.fromGenesis(genesis);
      for (const op of [...log.all(), ...ops]) view.add(op);
      const ledger = await buildLedger([concurrent, before], (r, o) => checkRecords(view, r, o));
      expect(ledger.stamps.map((s) => s.id)).toEqual([entryIdOf(before)]);
      expect(ledger.refused.map((r) => [r.id, r.error])).toEqual([
        [
          entryIdOf(concurrent),
          new ForbiddenError("made concurrently with the removal of its author (or their device)"),
        ],
      ]);
      expect(ledger.waiting).toBe(0);
    }
  });

  it("cannot tell a stamp signed after a removal, citing only ops the removal had seen, from an earlier one", async () => {
    const { f, t, genesis, log, check, member } = await treasuryLog();
    // Her device, offline, has seen nothing new since before her removal: what it signs cites the same
    // heads as the removal's parents, exactly as a stamp made before the removal would. The log has no
    // way to order it after the removal (clocks decide nothing), so it counts: a limit of the model.
    const hers = GovernanceLog.fromGenesis(genesis);
    for (const op of log.all()) hers.add(op);
    const removal = await removeMember(f, log, member(t));
    log.add(removal);
    const offline = await signRecord(t, hers, STAMP, stamp("held:abc", "2026-12", 300), at(60));
    expect((await buildLedger([offline], check)).stamps.map((s) => s.id)).toEqual([entryIdOf(offline)]);
    // Once her device has seen the removal, nothing it signs counts.
    hers.add(removal);
    const after = await signRecord(t, hers, STAMP, stamp("held:abc", "2026-12", 300), at(61));
    const ledger = await buildLedger([after], check);
    expect(ledger.stamps).toEqual([]);
    expect(ledger.refused[0]?.error).toBeInstanceOf(ForbiddenError);
  });
});
