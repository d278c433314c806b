/**
 * Revoking an invitation (issue 12, item 3): who may, and that a redeem of a revoked invitation is refused on
 * every device in every delivery order, also one concurrent with the revocation (a tampered app citing the
 * invite op only, as every redeem does) — the reducer's rule for losses. A revocation by an officer removed
 * concurrently is itself dropped, and then the redeem stands, the same way everywhere.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ForbiddenError, IntegrityError } from "../base/errors.js";
import { memberIdOf } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { admit, createInvite, nameDevice, redeemInvite, removeMember, revokeInvite } from "./actions.js";
import { GovernanceLog } from "./log.js";
import { readOp } from "./ops.js";
import { readers, stale } from "./readers.js";
import { resolve } from "./reducer.js";
import { deliver, device, everyOrder, forge, founded, summary } from "./scenario.test-support.js";
import type { Op, SignedOp } from "./types.js";

const later = () => Date.now() + 3_600_000;
const id = (d: DeviceIdentity) => memberIdOf(d.id);

/** F founds; A (secretary) and B (member) are admitted. */
async function cell() {
  const { people, ...rest } = await founded(["Ali", "Béa"]);
  const [a, b] = people as [DeviceIdentity, DeviceIdentity];
  return { a, b, ...rest };
}

describe("revoking an invitation", () => {
  it("is refused to a member who may not invite, and to a stranger; the invitation stays usable", async () => {
    const { f, b, log, step } = await cell();
    const { op, invitation } = await createInvite(f, log, { expires: later() });
    step(op);
    await expect(revokeInvite(b, log, invitation.id)).rejects.toThrow(/may not revoke invitations/);
    await expect(revokeInvite(b, log, invitation.id)).rejects.toBeInstanceOf(ForbiddenError);
    const stranger = await device();
    const byStranger = await forge(stranger, log, log.heads(), {
      type: "revoke-invite",
      invite: invitation.id,
    });
    log.add(byStranger);
    expect(log.status(byStranger.hash)).toEqual({
      valid: false,
      reason: "author is not a member with an active device",
    });
    const byMember = await forge(b, log, log.heads(), { type: "revoke-invite", invite: invitation.id });
    log.add(byMember);
    expect(log.status(byMember.hash)?.valid).toBe(false);
    expect(log.state().invites.get(invitation.id)?.revoked).toBe(false);
    const c = await device();
    const redeem = step(await redeemInvite(c, invitation, "Chloé", [op.hash]));
    expect(log.status(redeem.hash)?.valid).toBe(true);
  });

  it("refuses unknown, already revoked and used-up invitations, and malformed revocations", async () => {
    const { f, a, log, step } = await cell();
    await expect(revokeInvite(f, log, "bm9uZQ")).rejects.toThrow(/unknown invitation/);
    const used = await createInvite(f, log, { expires: later() });
    step(used.op);
    step(await redeemInvite(await device(), used.invitation, "Chloé", [used.op.hash]));
    await expect(revokeInvite(f, log, used.invitation.id)).rejects.toThrow(/already used/);
    const open = await createInvite(f, log, { expires: later() });
    step(open.op);
    step(await revokeInvite(a, log, open.invitation.id));
    await expect(revokeInvite(f, log, open.invitation.id)).rejects.toThrow(/already revoked/);
    const malformed = await forge(f, log, log.heads(), { type: "revoke-invite", invite: "not base64!" });
    await expect(readOp(malformed.bytes)).rejects.toBeInstanceOf(IntegrityError);
  });

  it("a redeem after the revocation, or concurrent with it (a tampered device), is refused everywhere, and so is its admission", async () => {
    const { f, a, genesis, log, ops, step } = await cell();
    const { op, invitation } = await createInvite(f, log, { expires: later(), single: false });
    step(op);
    step(await revokeInvite(a, log, invitation.id));
    const c = await device();
    const d = await device();
    // Every redeem cites the invite op only: it is concurrent with the revocation.
    const concurrent = await redeemInvite(c, invitation, "Chloé", [op.hash]);
    const seen = await redeemInvite(d, invitation, "Dan", log.heads());
    // An officer who had not seen the revocation admits Chloé: the admission goes with the redeem.
    const replay = deliver(GovernanceLog.fromGenesis(genesis), ops.slice(0, ops.indexOf(op) + 1));
    replay.add(concurrent);
    const admission = await admit(f, replay, id(c));
    everyOrder(genesis, [...ops, concurrent, seen, admission], (fresh) => {
      expect(fresh.status(concurrent.hash)).toEqual({
        valid: false,
        reason: "concurrent with the revocation of its invitation",
      });
      expect(fresh.status(seen.hash)).toEqual({ valid: false, reason: "invitation revoked" });
      expect(fresh.status(admission.hash)?.valid).toBe(false);
      expect(fresh.state().members.has(id(c))).toBe(false);
      expect(fresh.state().members.has(id(d))).toBe(false);
    });
  });

  it("redeems the revoker had seen stand; the revocation stops the ones after", async () => {
    const { f, genesis, log, ops, step } = await cell();
    const { op, invitation } = await createInvite(f, log, { expires: later(), single: false });
    step(op);
    const c = await device();
    const early = step(await redeemInvite(c, invitation, "Chloé", [op.hash]));
    const revocation = step(await revokeInvite(f, log, invitation.id));
    const late = await redeemInvite(await device(), invitation, "Dan", [op.hash]);
    everyOrder(genesis, [...ops, late], (fresh) => {
      expect(fresh.status(early.hash)?.valid).toBe(true);
      expect(fresh.status(revocation.hash)?.valid).toBe(true);
      expect(fresh.status(late.hash)?.valid).toBe(false);
      expect(fresh.state().members.get(id(c))?.status).toBe("pending");
    });
  });

  it("a removed officer's revocation (citing heads from before the removal) is dropped, and the redeem stands", async () => {
    const { f, a, genesis, log, ops, step } = await cell();
    const { op, invitation } = await createInvite(f, log, { expires: later() });
    step(op);
    const before = log.heads();
    step(await removeMember(f, log, id(a)));
    await expect(revokeInvite(a, log, invitation.id)).rejects.toBeInstanceOf(ForbiddenError);
    const late = await forge(a, log, before, { type: "revoke-invite", invite: invitation.id });
    const c = await device();
    const redeem = await redeemInvite(c, invitation, "Chloé", [op.hash]);
    everyOrder(genesis, [...ops, late, redeem], (fresh) => {
      expect(fresh.status(late.hash)).toEqual({
        valid: false,
        reason: "concurrent with the author's removal",
      });
      expect(fresh.status(redeem.hash)?.valid).toBe(true);
      expect(fresh.state().invites.get(invitation.id)?.revoked).toBe(false);
    });
  });
});

describe("naming a device", () => {
  it("is done by the device's own member only; the latest name stands; a removed device is not named", async () => {
    const { f, a, b, log, step } = await cell();
    step(await nameDevice(a, log, a.id, "  Téléphone  "));
    expect(log.state().devices.get(a.id)?.name).toBe("Téléphone");
    step(await nameDevice(a, log, a.id, "Ordinateur du local"));
    expect(log.state().devices.get(a.id)?.name).toBe("Ordinateur du local");
    await expect(nameDevice(b, log, a.id, "Volé")).rejects.toThrow(/by their own member/);
    await expect(nameDevice(f, log, a.id, "Volé")).rejects.toBeInstanceOf(ForbiddenError);
    const empty = await forge(a, log, log.heads(), { type: "name-device", device: a.id, name: " " });
    await expect(readOp(empty.bytes)).rejects.toBeInstanceOf(IntegrityError);
    const long = await forge(a, log, log.heads(), {
      type: "name-device",
      device: a.id,
      name: "x".repeat(65),
    });
    await expect(readOp(long.bytes)).rejects.toBeInstanceOf(IntegrityError);
    step(await forge(f, log, log.heads(), { type: "remove-device", device: b.id }));
    await expect(nameDevice(b, log, b.id, "Encore")).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("revocations under an adversary (property)", () => {
  it("every device agrees, and no valid redeem is concurrent with or after a valid revocation of its invitation", async () => {
    const { f, a, b, genesis, ops, log, step } = await cell();
    const invites: Awaited<ReturnType<typeof createInvite>>[] = [];
    for (const single of [true, false, false]) {
      const made = await createInvite(f, log, { expires: later(), single });
      step(made.op);
      invites.push(made);
    }
    const boxes = { ephemeral: "AA", entries: [{ tag: "AA", box: "AA" }] };
    step(
      await forge(f, log, log.heads(), {
        type: "rotate",
        scope: "members",
        epoch: 1,
        lockboxes: boxes,
        previous: null,
      }),
    );
    const keys = [f, a, b];
    const newcomers = await Promise.all(Array.from({ length: 6 }, () => device()));
    // Mostly recent parents (chains: redeem, admit, share), sometimes any (concurrent branches).
    const parents = fc.array(fc.oneof(fc.nat(2), fc.nat()), { minLength: 1, maxLength: 3 });
    const action = fc.oneof(
      fc.record({
        kind: fc.constant("redeem" as const),
        invite: fc.nat(2),
        who: fc.nat(5),
        parents,
      }),
      fc.record({
        kind: fc.constant("revoke" as const),
        invite: fc.nat(2),
        author: fc.nat(2),
        parents,
      }),
      fc.record({
        kind: fc.constant("remove" as const),
        author: fc.nat(2),
        target: fc.nat(2),
        parents,
      }),
      fc.record({
        kind: fc.constant("rotate" as const),
        author: fc.nat(2),
        epoch: fc.integer({ min: 2, max: 3 }),
        parents,
      }),
      fc.record({
        kind: fc.constant("share" as const),
        author: fc.nat(2),
        who: fc.nat(5),
        epoch: fc.integer({ min: 1, max: 3 }),
        parents,
      }),
      fc.record({
        kind: fc.constant("admit" as const),
        author: fc.nat(2),
        who: fc.nat(5),
        parents,
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), fc.nat(), async (actions, seed) => {
        const all = [...ops];
        const used = new Set<number>();
        for (const x of actions) {
          const parents = [...new Set(x.parents.map((p) => all[all.length - 1 - (p % all.length)]!.hash))];
          let signed: SignedOp;
          if (x.kind === "redeem") {
            // A device redeems once (its second redeem would be a second introduction of one device).
            if (used.has(x.who)) continue;
            used.add(x.who);
            const { invitation } = invites[x.invite]!;
            signed = await redeemInvite(newcomers[x.who]!, invitation, `N${x.who}`, parents);
          } else if (x.kind === "revoke") {
            const invite = invites[x.invite]!.invitation.id;
            signed = await forge(keys[x.author]!, log, parents, { type: "revoke-invite", invite });
          } else if (x.kind === "remove") {
            signed = await forge(keys[x.author]!, log, parents, {
              type: "remove",
              member: id(keys[x.target]!),
            });
          } else if (x.kind === "rotate") {
            signed = await forge(keys[x.author]!, log, parents, {
              type: "rotate",
              scope: "members",
              epoch: x.epoch,
              lockboxes: boxes,
              previous: "AA",
            });
          } else if (x.kind === "share") {
            signed = await forge(keys[x.author]!, log, parents, {
              type: "share-keys",
              scope: "members",
              epoch: x.epoch,
              member: id(newcomers[x.who]!),
              lockboxes: boxes,
            });
          } else {
            signed = await forge(keys[x.author]!, log, parents, {
              type: "admit",
              member: id(newcomers[x.who]!),
            });
          }
          all.push(signed);
        }
        const one = deliver(GovernanceLog.fromGenesis(genesis), all);
        const shuffled = fc.sample(
          fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
          {
            seed,
            numRuns: 1,
          },
        )[0]!;
        expect(summary(deliver(GovernanceLog.fromGenesis(genesis), shuffled))).toBe(summary(one));
        const { order, index, ancestors, status } = resolve(
          genesis,
          new Map([genesis, ...all].map((o) => [o.hash, o])),
        );
        const isAncestor = (x: number, y: number) => (ancestors[y]![x >>> 5]! & (1 << (x & 31))) !== 0;
        const valid = order.filter((op) => status.get(op.hash)?.valid);
        // Exposed devices are holders the log does not count as readers: never a current reader.
        const current = one.state().scopes.get("members")?.at(-1);
        const now = readers(one.state(), "members");
        for (const d of current?.exposed ?? []) expect(now.has(d)).toBe(false);
        for (const revocation of valid) {
          const r = revocation.body.op;
          if (r.type !== "revoke-invite") continue;
          for (const redeem of valid) {
            const o = redeem.body.op;
            if (o.type !== "redeem" || o.invite !== r.invite) continue;
            // Only a redeem the revocation had seen stands.
            expect(isAncestor(index.get(redeem.hash)!, index.get(revocation.hash)!)).toBe(true);
          }
        }
        // An admitted newcomer's redeem is valid.
        for (const m of one.state().members.values()) {
          if (m.status !== "member" || !m.invite) continue;
          const redeem = all.find((op) => op.body.op.type === "redeem" && memberIdOf(op.authorId) === m.id)!;
          expect(one.status(redeem.hash)?.valid).toBe(true);
        }
      }),
      { numRuns: 60, seed: 12 },
    );
  });
});

describe("keys sealed to a newcomer whose admission the revocation drops", () => {
  const boxes = { ephemeral: "AA", entries: [{ tag: "AA", box: "AA" }] };

  /** F rotates the members key; F invites; C redeems; F admits C (not seeing A's concurrent revocation). */
  async function admittedDespiteRevocation() {
    const { f, a, genesis, log, ops, step } = await cell();
    step(
      await forge(f, log, log.heads(), {
        type: "rotate",
        scope: "members",
        epoch: 1,
        lockboxes: boxes,
        previous: null,
      }),
    );
    const { op, invitation } = await createInvite(f, log, { expires: later() });
    step(op);
    const beforeRedeem = log.heads();
    const c = await device();
    step(await redeemInvite(c, invitation, "Chloé", [op.hash]));
    step(await admit(f, log, id(c)));
    const revocation = await forge(a, log, beforeRedeem, { type: "revoke-invite", invite: invitation.id });
    return { f, a, c, genesis, log, ops, step, revocation };
  }

  const staleMembers = (log: GovernanceLog) => stale(log.state(), "members", (heads) => log.stateAt(heads));

  it("a share-keys dropped with the admission makes the key stale; a rotation by one who saw the revocation ends it", async () => {
    const { f, c, genesis, log, ops, step, revocation } = await admittedDespiteRevocation();
    step(
      await forge(f, log, log.heads(), {
        type: "share-keys",
        scope: "members",
        epoch: 1,
        member: id(c),
        lockboxes: boxes,
      }),
    );
    expect(staleMembers(log)).toBe(false);
    everyOrder(genesis, [...ops, revocation], (fresh) => {
      expect(fresh.state().members.has(id(c))).toBe(false);
      expect(fresh.state().scopes.get("members")?.at(-1)?.exposed).toEqual([c.id]);
      expect(staleMembers(fresh)).toBe(true);
    });
    log.add(revocation);
    step(
      await forge(f, log, log.heads(), {
        type: "rotate",
        scope: "members",
        epoch: 2,
        lockboxes: boxes,
        previous: "AA",
      }),
    );
    expect(staleMembers(log)).toBe(false);
  });

  it("a rotation sealed to the newcomer by an officer who had admitted them is stale too", async () => {
    const { f, c, genesis, log, ops, step, revocation } = await admittedDespiteRevocation();
    step(
      await forge(f, log, log.heads(), {
        type: "rotate",
        scope: "members",
        epoch: 2,
        lockboxes: boxes,
        previous: "AA",
      }),
    );
    everyOrder(genesis, [...ops, revocation], (fresh) => {
      expect(fresh.status(ops.at(-1)!.hash)?.valid).toBe(true);
      expect(fresh.state().scopes.get("members")?.at(-1)?.exposed).toEqual([c.id]);
      expect(staleMembers(fresh)).toBe(true);
    });
  });
});

describe("keys sealed on top of dropped ops (property)", () => {
  it("any device an op sealed the current key to, valid where its author stood, reads the scope or makes it stale", async () => {
    const { f, a, log, ops, step, genesis } = await cell();
    const boxes = { ephemeral: "AA", entries: [{ tag: "AA", box: "AA" }] };
    step(
      await forge(f, log, log.heads(), {
        type: "rotate",
        scope: "members",
        epoch: 1,
        lockboxes: boxes,
        previous: null,
      }),
    );
    const { op: inviteOp, invitation } = await createInvite(f, log, { expires: later() });
    step(inviteOp);
    const c = await device();
    const redeem = await redeemInvite(c, invitation, "Chloé", [inviteOp.hash]);
    const admission = await forge(f, log, [...log.heads(), redeem.hash], { type: "admit", member: id(c) });
    const base = [...ops, redeem, admission];
    const extra = fc.record({
      kind: fc.constantFrom("share", "rotate", "revoke", "remove"),
      author: fc.nat(1),
      epoch: fc.integer({ min: 1, max: 3 }),
      parents: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
    });
    let exposures = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(extra, { minLength: 1, maxLength: 6 }), async (extras) => {
        const all = [...base];
        for (const x of extras) {
          const parents = [...new Set(x.parents.map((p) => all[all.length - 1 - (p % 6)]!.hash))];
          const author = [f, a][x.author]!;
          const op: Op =
            x.kind === "share"
              ? { type: "share-keys", scope: "members", epoch: x.epoch, member: id(c), lockboxes: boxes }
              : x.kind === "rotate"
                ? { type: "rotate", scope: "members", epoch: x.epoch, lockboxes: boxes, previous: "AA" }
                : x.kind === "revoke"
                  ? { type: "revoke-invite", invite: invitation.id }
                  : { type: "remove", member: id(c) };
          all.push(await forge(author, log, parents, op));
        }
        const final = deliver(GovernanceLog.fromGenesis(genesis), all);
        const current = final.state().scopes.get("members")!.at(-1)!;
        const now = readers(final.state(), "members");
        // Every op that sealed the current key, judged in its author's own view of the log.
        for (const sealing of all) {
          const o = sealing.body.op;
          const seals =
            (o.type === "rotate" && sealing.hash === current.op) ||
            (o.type === "share-keys" && o.epoch === current.epoch);
          if (!seals) continue;
          const own = GovernanceLog.fromGenesis(genesis);
          const wanted = new Set([sealing.hash]);
          for (let grew = true; grew; ) {
            grew = false;
            for (const op of all)
              if (wanted.has(op.hash))
                for (const p of op.body.parents)
                  if (!wanted.has(p)) {
                    wanted.add(p);
                    grew = true;
                  }
          }
          deliver(
            own,
            all.filter((op) => wanted.has(op.hash)),
          );
          if (!own.status(sealing.hash)?.valid) continue;
          const view = own.state();
          const sealedTo =
            o.type === "rotate"
              ? [...readers(view, "members").keys()]
              : [...(view.members.get(id(c))?.devices ?? [])];
          if (sealedTo.some((d) => !now.has(d))) {
            exposures++;
            expect(stale(final.state(), "members", (heads) => final.stateAt(heads))).toBe(true);
          }
        }
      }),
      { numRuns: 80, seed: 12 },
    );
    // The property met the case it is about.
    expect(exposures).toBeGreaterThan(0);
  });
});
