import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExpiredInviteError, ForbiddenError, IntegrityError, type MemberId } from "../index.js";
import {
  admit,
  createGenesis,
  createInvite,
  redeemInvite,
  removeMember,
  setRole,
  writeOp,
} from "./actions.js";
import { GovernanceLog } from "./log.js";
import { readOp, readStoredOp, signOp } from "./ops.js";
import { deliver, device, summary } from "./scenario.test-support.js";
import type { SignedOp } from "./types.js";

const HOUR = 3_600_000;
const later = () => Date.now() + HOUR;

/** Founder F; F invites two people; they redeem; F (a secretary) admits them. */
async function membership() {
  const f = await device();
  const genesis = await createGenesis(f, "Cellule du 11e", "Fatima");
  const log = GovernanceLog.fromGenesis(genesis);
  const ops: SignedOp[] = [];
  const step = (op: SignedOp) => {
    log.add(op);
    ops.push(op);
    return op;
  };
  const i1 = await createInvite(f, log, { expires: later() });
  step(i1.op);
  const i2 = await createInvite(f, log, { expires: later(), role: "treasurer" });
  step(i2.op);
  const a = await device();
  const b = await device();
  step(await redeemInvite(a, i1.invitation, "Ali", [i1.op.hash]));
  step(await redeemInvite(b, i2.invitation, "Béa", [i2.op.hash]));
  step(await admit(f, log, a.id as unknown as MemberId));
  step(await admit(f, log, b.id as unknown as MemberId));
  return { f, a, b, genesis, log, ops };
}

describe("governance log", () => {
  it("founder invites two people and admits them; any delivery order gives the same state", async () => {
    const { a, b, f, genesis, log, ops } = await membership();
    const state = log.state();
    expect(state.members.get(f.id as unknown as MemberId)?.roles).toEqual(
      new Set(["member", "secretary", "treasurer", "editor"]),
    );
    expect(state.members.get(a.id as unknown as MemberId)).toMatchObject({ status: "member", name: "Ali" });
    expect(state.members.get(b.id as unknown as MemberId)?.roles).toEqual(new Set(["member", "treasurer"]));
    const reference = summary(log);
    fc.assert(
      fc.property(fc.shuffledSubarray(ops, { minLength: ops.length, maxLength: ops.length }), (order) => {
        expect(summary(deliver(GovernanceLog.fromGenesis(genesis), order))).toBe(reference);
      }),
      { numRuns: 200 },
    );
  });

  it("round-trips ops through their wire bytes, and refuses altered bytes", async () => {
    const { ops } = await membership();
    for (const op of ops) expect((await readOp(op.bytes)).hash).toBe(op.hash);
    const altered = new TextEncoder().encode(
      new TextDecoder().decode(ops[0]!.bytes).replace('"member"', '"secretary"'),
    );
    await expect(readOp(altered)).rejects.toThrow(/signature/);
    await expect(readOp(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(IntegrityError);
    await expect(readOp(new TextEncoder().encode('{"body":{},"sig":"x"}'))).rejects.toBeInstanceOf(
      IntegrityError,
    );
  });

  it("reads back stored ops as readOp does, without their signatures, and still refuses malformed bytes", async () => {
    const { ops } = await membership();
    for (const op of ops) {
      const stored = await readStoredOp(op.bytes);
      const read = await readOp(op.bytes);
      expect({ ...stored, bytes: [...stored.bytes] }).toEqual({ ...read, bytes: [...read.bytes] });
    }
    // The hash comes from the bytes: an altered op is another op, never the one it imitates.
    const altered = new TextEncoder().encode(
      new TextDecoder().decode(ops[0]!.bytes).replace('"member"', '"secretary"'),
    );
    expect((await readStoredOp(altered)).hash).not.toBe(ops[0]!.hash);
    await expect(readStoredOp(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(IntegrityError);
    await expect(readStoredOp(new Uint8Array([0xff, 0xfe]))).rejects.toBeInstanceOf(IntegrityError);
  });

  it("refuses an admission by a member without the secretary role, locally and on every device", async () => {
    const { a, log, genesis, ops } = await membership();
    const newcomer = await device();
    await expect(createInvite(a, log, { expires: later() })).rejects.toBeInstanceOf(ForbiddenError);
    // Forged anyway (signed directly): every device marks it invalid.
    const forged = await signOp(a, log.cellId, log.heads(), {
      type: "admit",
      member: newcomer.id as unknown as MemberId,
    });
    for (const order of [
      [...ops, forged],
      [forged, ...ops],
    ]) {
      const other = deliver(GovernanceLog.fromGenesis(genesis), order);
      expect(other.status(forged.hash)).toEqual({ valid: false, reason: "may not admit" });
    }
  });

  it("drops a removed member's concurrent ops and what depended on them, the same way in every order", async () => {
    const { f, a, log, genesis, ops } = await membership();
    const aId = a.id as unknown as MemberId;
    const grant = await setRole(f, log, aId, "secretary", true);
    log.add(grant);
    // Concurrently (both on the same heads): F removes A; A, still a secretary there, invites someone who redeems.
    const removal = await removeMember(f, log, aId);
    const inv = await createInvite(a, log, { expires: later() });
    const invite = inv.op; // A's invitation, concurrent with the removal
    const d = await device();
    const redeem = await redeemInvite(d, inv.invitation, "Dan", [invite.hash]);
    const all = [...ops, grant, removal, invite, redeem];
    const reference = summary(deliver(GovernanceLog.fromGenesis(genesis), all));
    const resolved = deliver(GovernanceLog.fromGenesis(genesis), all);
    expect(resolved.status(removal.hash)).toEqual({ valid: true });
    expect(resolved.status(invite.hash)).toEqual({
      valid: false,
      reason: "concurrent with the author's removal",
    });
    expect(resolved.status(redeem.hash)).toEqual({ valid: false, reason: "unknown invitation" });
    expect(resolved.state().members.get(aId)?.status).toBe("removed");
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        expect(summary(deliver(GovernanceLog.fromGenesis(genesis), order))).toBe(reference);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps heads and waiting ops right whatever part of the log arrived, in any order", async () => {
    const { ops, genesis } = await membership();
    fc.assert(
      fc.property(fc.shuffledSubarray(ops.slice(1)), (part) => {
        const log = deliver(GovernanceLog.fromGenesis(genesis), part);
        const held = log.all();
        const cited = new Set(held.flatMap((op) => op.body.parents));
        expect(log.heads()).toEqual(
          held
            .map((op) => op.hash)
            .filter((h) => !cited.has(h))
            .sort(),
        );
        expect(log.waiting + held.length).toBe(part.length + 1);
      }),
      { numRuns: 300 },
    );
  });

  it("resolves mutual removals by seniority: the founder's stands, in every order", async () => {
    const { f, a, log, genesis, ops } = await membership();
    const aId = a.id as unknown as MemberId;
    const grant = await setRole(f, log, aId, "secretary", true);
    log.add(grant);
    const byF = await removeMember(f, log, aId);
    const byA = await removeMember(a, log, f.id as unknown as MemberId);
    const all = [...ops, grant, byA, byF];
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        const resolved = deliver(GovernanceLog.fromGenesis(genesis), order);
        expect(resolved.state().members.get(aId)?.status).toBe("removed");
        expect(resolved.state().members.get(f.id as unknown as MemberId)?.status).toBe("member");
        expect(resolved.status(byA.hash)).toEqual({
          valid: false,
          reason: "concurrent with the author's removal",
        });
      }),
      { numRuns: 50 },
    );
  });

  it("lets one redeem of a single-use invitation stand and refuses the duplicate, in every order", async () => {
    const f = await device();
    const genesis = await createGenesis(f, "Cellule", "F");
    const log = GovernanceLog.fromGenesis(genesis);
    const { op: invite, invitation } = await createInvite(f, log, { expires: later() });
    log.add(invite);
    const first = await redeemInvite(await device(), invitation, "X", [invite.hash]);
    const second = await redeemInvite(await device(), invitation, "Y", [invite.hash]);
    const results = [
      [invite, first, second],
      [second, first, invite],
      [first, invite, second],
    ].map((order) => deliver(GovernanceLog.fromGenesis(genesis), order as SignedOp[]));
    for (const r of results) {
      const pending = [...r.state().members.values()].filter((m) => m.status === "pending");
      expect(pending).toHaveLength(1);
      expect(summary(r)).toBe(summary(results[0]!));
    }
    const refused = [first, second].filter((op) => !results[0]!.status(op.hash)?.valid);
    expect(refused).toHaveLength(1);
  });

  it("refuses an expired invitation with ExpiredInviteError, and an expired redeem in the log", async () => {
    const f = await device();
    const genesis = await createGenesis(f, "Cellule", "F");
    const log = GovernanceLog.fromGenesis(genesis);
    const { op, invitation } = await createInvite(f, log, { expires: Date.now() - 1 });
    log.add(op);
    await expect(redeemInvite(await device(), invitation, "Z", [op.hash])).rejects.toBeInstanceOf(
      ExpiredInviteError,
    );
    const late = await redeemInvite(await device(), { ...invitation, expires: Date.now() + HOUR }, "Z", [
      op.hash,
    ]);
    log.add(late);
    expect(log.status(late.hash)).toEqual({ valid: false, reason: "invitation expired" });
  });

  it("holds ops with missing parents until the parents arrive", async () => {
    const { genesis, ops } = await membership();
    const log = GovernanceLog.fromGenesis(genesis);
    expect(log.add(ops.at(-1)!)).toBe("pending");
    expect(log.waiting).toBe(1);
    for (const op of ops) log.add(op);
    expect(log.waiting).toBe(0);
    expect(log.add(ops[0]!)).toBe("duplicate");
  });

  it("shares a scope's keys only with members who read it, by members who read it or may admit", async () => {
    const { a, b, f, log } = await membership();
    const boxes = { ephemeral: "AAAA", entries: [{ tag: "AAAAAAAAAAA", box: "AAAA" }] };
    log.add(
      await writeOp(f, log, {
        type: "rotate",
        scope: "treasury",
        epoch: 1,
        lockboxes: boxes,
        previous: null,
      }),
    );
    const share = (member: string) => ({
      type: "share-keys" as const,
      scope: "treasury",
      epoch: 1,
      member: member as MemberId,
      lockboxes: boxes,
    });
    // Ali is a plain member: the treasury is not his to read, whoever shares it.
    await expect(writeOp(f, log, share(a.id))).rejects.toBeInstanceOf(ForbiddenError);
    // Béa (treasurer) may pass the treasury key on to her own devices; Ali may not pass it to her.
    expect((await writeOp(b, log, share(b.id))).body.op.type).toBe("share-keys");
    await expect(writeOp(a, log, share(b.id))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("keeps one publication chain: publishers only, in order, concurrent links as alternates", async () => {
    const { a, b, f, genesis, log, ops } = await membership();
    const boxes = { ephemeral: "AAAA", entries: [{ tag: "AAAAAAAAAAA", box: "AAAA" }] };
    log.add(
      await writeOp(f, log, {
        type: "rotate",
        scope: "officers",
        epoch: 1,
        lockboxes: boxes,
        previous: null,
      }),
    );
    const link = (index: number, key: string) => ({
      type: "publication" as const,
      index,
      cert: { key, admission: "BBBB", expires: 1, heads: "d".repeat(64), sig: "CCCC" },
      scope: "officers",
      epoch: 1,
      box: "AAAA",
    });
    // Ali (member) and Béa (treasurer) may not publish; a link must follow the chain.
    await expect(writeOp(a, log, link(0, "A"))).rejects.toThrow(/may not hold the publication keys/);
    await expect(writeOp(b, log, link(0, "B"))).rejects.toThrow(/may not hold the publication keys/);
    await expect(writeOp(f, log, link(1, "F"))).rejects.toThrow(/does not follow 0/);
    const first = await writeOp(f, log, link(0, "F0"));
    log.add(first);
    // Two devices make link 1 at once: one stands, the other is kept as its alternate, in every order.
    const grant = await setRole(f, log, a.id as unknown as MemberId, "editor", true);
    log.add(grant);
    const [x, y] = [await writeOp(f, log, link(1, "X")), await writeOp(a, log, link(1, "Y"))];
    const all = [...ops, ...log.all().filter((op) => !ops.includes(op) && op !== genesis)];
    const withBoth = [...all, x, y];
    const chain = (l: GovernanceLog) =>
      l.state().publication.map((p) => [p.cert.key, p.alternates.map((q) => q.cert.key)]);
    const reference = chain(deliver(GovernanceLog.fromGenesis(genesis), withBoth));
    expect(reference[0]).toEqual(["F0", []]);
    expect(reference[1]![1]).toHaveLength(1);
    expect(new Set([reference[1]![0], ...(reference[1]![1] as string[])])).toEqual(new Set(["X", "Y"]));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(withBoth, { minLength: withBoth.length, maxLength: withBoth.length }),
        (o) => {
          expect(chain(deliver(GovernanceLog.fromGenesis(genesis), o))).toEqual(reference);
        },
      ),
      { numRuns: 100 },
    );
  });
});
