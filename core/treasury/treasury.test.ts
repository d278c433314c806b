/**
 * The treasury on one device (no relay): opened and named on first use, rules, stamps, subscriptions,
 * corrections and voids as new signed entries, and every bad input refused before anything is signed
 * or written.
 */
import { afterEach, describe, expect, it } from "vitest";
import { memoryKit } from "../../test/support/devices.js";
import { ForbiddenError, InvalidArgumentError } from "../base/errors.js";
import { Cell } from "../cell/cell.js";
import type { Kit } from "../kit/kit.js";
import type { Stamp, Subscription } from "./ledger.js";
import { TREASURY_NAME } from "./store.js";
import { RULES } from "./test-support.js";
import { Treasury } from "./treasury.js";
import { duesStatus, periodTotals, subscriptionsActive } from "./views.js";

const kits: Kit[] = [];
afterEach(async () => {
  await Promise.all(kits.splice(0).map((k) => k.close(0)));
});

async function founded() {
  const kit = await memoryKit();
  kits.push(kit);
  const cell = await Cell.create(kit, { name: "Cellule Louise-Michel", founderName: "Fatima" });
  return { kit, cell, treasury: await Treasury.open(cell) };
}

const SUBSCRIPTION = {
  person: "held:abc",
  publication: "L'Étincelle",
  from: "2026-01-01",
  to: "2026-12-31",
  paid: 2400,
  method: "transfer" as const,
};

describe("the treasury", () => {
  it("is named in the log on first use, the same one opens again, and tells listeners of changes", async () => {
    const { kit, cell, treasury } = await founded();
    expect(cell.named(TREASURY_NAME)).toBe(treasury.id);
    expect((await Treasury.open(cell)).id).toBe(treasury.id);
    expect(await treasury.rules()).toBeUndefined();
    expect(await treasury.entries()).toEqual({ stamps: [], subscriptions: [] });
    let changes = 0;
    const off = treasury.subscribe(() => changes++);
    await treasury.setRules(RULES);
    await kit.flush();
    expect(changes).toBeGreaterThan(0);
    off();
    const seen = changes;
    await treasury.recordSubscription(SUBSCRIPTION);
    await kit.flush();
    expect(changes).toBe(seen);
  });

  it("records stamps, corrects and voids them with new entries, keeping the history", async () => {
    const { cell, treasury } = await founded();
    const me = cell.me()!.id;
    await expect(
      treasury.recordStamp({ person: me, period: "2026-11", amount: 300, method: "cash" }),
    ).rejects.toThrow(/no dues rules yet/);
    const rules = await treasury.setRules(RULES);
    expect(await treasury.rules()).toEqual(rules);
    expect(rules).toMatchObject({ ...RULES, by: me });

    const s1 = await treasury.recordStamp({ person: me, period: "2026-11", amount: 300, method: "cash" });
    const s2 = await treasury.recordStamp({
      person: "held:abc",
      period: "2026-11",
      amount: 800,
      method: "transfer",
      bracket: "b2",
      note: "virement du 3",
    });
    expect(s1).toMatchObject({ kind: "stamp", person: me, amount: 300, by: me });
    const fix = (await treasury.correct(s1.id, {
      person: me,
      period: "2026-11",
      amount: 800,
      method: "cash",
      bracket: "b2",
    })) as Stamp;
    expect(fix).toMatchObject({ supersedes: s1.id, amount: 800 });
    // (Two entries recorded in the same millisecond are ordered by ID.)
    const current = (await treasury.entries()).stamps;
    expect(current.map((s) => s.id).sort()).toEqual([s2.id, fix.id].sort());
    expect(current.map((s) => s.amount)).toEqual([800, 800]);
    expect((await treasury.history(s1.id)).map((e) => e.id)).toEqual([s1.id, fix.id]);

    // Only the current entry of a chain is corrected; a correction to 0 says why.
    await expect(treasury.correct(s1.id, { ...s1 })).rejects.toThrow(/already corrected by/);
    await expect(treasury.correct("inconnu", { ...s1 })).rejects.toThrow(/^supersedes: no entry inconnu/);
    await expect(treasury.correct(fix.id, { ...fix, amount: 0 })).rejects.toThrow(/^stamp\.note /);
    const voided = await treasury.voidEntry(fix.id, "saisi deux fois");
    expect(voided).toMatchObject({ amount: 0, void: true, note: "saisi deux fois", supersedes: fix.id });
    expect((await treasury.history(fix.id)).map((e) => e.id)).toEqual([s1.id, fix.id, voided.id]);

    const { stamps } = await treasury.entries();
    const status = duesStatus((await treasury.rules())!, stamps, [me, "held:abc"], "2026-11");
    // Her only current stamp is the void, which names no bracket: the cheapest applies.
    expect(status.map((p) => [p.person, p.status, p.paid, p.due])).toEqual([
      [me, "behind", 0, 300],
      ["held:abc", "up-to-date", 800, 800],
    ]);
    expect(periodTotals(stamps, RULES)).toEqual([
      { period: "2026-11", stamps: 2, collected: 800, remitted: 240, kept: 560 },
    ]);
    const ledger = await treasury.ledger();
    expect(ledger.refused).toEqual([]);
    expect(ledger.missing).toBe(0);
  });

  it("records subscriptions, and corrects or voids them", async () => {
    const { treasury } = await founded();
    const sub = await treasury.recordSubscription(SUBSCRIPTION);
    expect(subscriptionsActive((await treasury.entries()).subscriptions, "2026-06-01")).toHaveLength(1);
    const longer = (await treasury.correct(sub.id, { ...SUBSCRIPTION, to: "2027-06-30" })) as Subscription;
    expect(subscriptionsActive((await treasury.entries()).subscriptions, "2027-03-01")).toEqual([longer]);
    await expect(
      treasury.correct(longer.id, { person: "x", period: "2026-11", amount: 1, method: "cash" }),
    ).rejects.toThrow(/^subscription\./);
    await treasury.voidEntry(longer.id, "abonnement offert par erreur");
    expect(subscriptionsActive((await treasury.entries()).subscriptions, "2027-03-01")).toEqual([]);
    expect((await treasury.history(sub.id)).map((e) => (e as Subscription).paid)).toEqual([2400, 2400, 0]);
  });

  it("refuses bad input with an error naming the field, and nothing is signed or written", async () => {
    const { kit, treasury } = await founded();
    await treasury.setRules(RULES);
    const stamp = { person: "held:abc", period: "2026-11", amount: 300, method: "cash" as const };
    await treasury.recordStamp(stamp);
    await kit.flush();
    const before = { published: kit.stats.published, ledger: JSON.stringify(await treasury.ledger()) };
    const bad: [() => Promise<unknown>, RegExp][] = [
      [() => treasury.setRules({ ...RULES, remittedShare: 1.5 }), /^rules\.remittedShare /],
      [() => treasury.setRules({ ...RULES, currency: "€" }), /^rules\.currency /],
      [
        () => treasury.setRules({ ...RULES, brackets: [RULES.brackets[0]!, RULES.brackets[0]!] }),
        /^rules\.brackets\[1\]\.id /,
      ],
      [() => treasury.recordStamp({ ...stamp, period: "2026-Q4" }), /^stamp\.period must be a month/],
      [() => treasury.recordStamp({ ...stamp, period: "11/2026" }), /^stamp\.period /],
      [() => treasury.recordStamp({ ...stamp, amount: -300 }), /^stamp\.amount /],
      [() => treasury.recordStamp({ ...stamp, amount: 2.5 }), /^stamp\.amount /],
      [() => treasury.recordStamp({ ...stamp, method: "chèque" as never }), /^stamp\.method /],
      [() => treasury.recordStamp({ ...stamp, person: " " }), /^stamp\.person /],
      [() => treasury.recordStamp({ ...stamp, bracket: "b9" }), /^stamp\.bracket /],
      [() => treasury.recordSubscription({ ...SUBSCRIPTION, from: "2027-01-01" }), /^subscription\.from /],
      [() => treasury.recordSubscription({ ...SUBSCRIPTION, paid: -1 }), /^subscription\.paid /],
      [() => treasury.voidEntry("x", ""), /^note /],
    ];
    for (const [call, message] of bad) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(message);
    }
    await kit.flush();
    expect(kit.stats.published).toBe(before.published);
    expect(JSON.stringify(await treasury.ledger())).toBe(before.ledger);
  });

  it("lets a secretary who is not a treasurer read it but not record in it", async () => {
    const { cell, treasury } = await founded();
    await treasury.setRules(RULES);
    await cell.revoke(cell.me()!.id, "treasurer");
    expect(cell.me()!.roles.has("treasurer")).toBe(false);
    const again = await Treasury.open(cell);
    // Her own rules were signed while she was treasurer: they still count.
    expect((await again.rules())?.currency).toBe("EUR");
    await expect(
      again.recordStamp({ person: "held:abc", period: "2026-11", amount: 300, method: "cash" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
