/**
 * Test helpers for governance: devices, a summary of a state that two devices can compare, a founded log
 * whose ops are kept, forged ops, and every delivery order.
 */

import fc from "fast-check";
import { expect } from "vitest";
import { canonicalJson } from "../base/canonical-json.js";
import { memberIdOf } from "../base/ids.js";
import { crypto as c, DeviceIdentity } from "../internals.js";
import { admit, createGenesis, createInvite, redeemInvite, setRole } from "./actions.js";
import { GovernanceLog } from "./log.js";
import { signOp } from "./ops.js";
import type { Op, OpHash, SignedOp } from "./types.js";

/** A device identity kept in memory. */
export async function device(): Promise<DeviceIdentity> {
  return DeviceIdentity.fromKeys({
    signing: await c.generateSigningKeyPair(),
    agreement: await c.generateAgreementKeyPair(),
  });
}

/** A canonical summary of everything the log resolved to, for equality across devices. */
export function summary(log: GovernanceLog): string {
  const s = log.state();
  return canonicalJson({
    members: [...s.members.values()]
      .map((m) => ({
        id: m.id,
        status: m.status,
        roles: [...m.roles].sort(),
        devices: [...m.devices].sort(),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    devices: [...s.devices.values()]
      .map((d) => ({ id: d.id, removed: d.removed, name: d.name ?? null }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    scopes: [...s.scopes]
      .map(([k, e]) => [
        k,
        e.map((x) => [x.epoch, x.op, x.alternates.map((a) => a.op), [...(x.exposed ?? [])].sort()]),
      ])
      .sort(),
    invites: [...s.invites.values()]
      .map((i) => ({ key: i.key, revoked: i.revoked, redeemedBy: [...i.redeemedBy].sort() }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
    policies: [...s.policies].sort(),
    relays: s.relays,
    rules: s.rules as never,
    status: log.all().map((op) => [op.hash, log.status(op.hash)?.valid ?? null]),
    heads: log.heads(),
    waiting: log.waiting,
  });
}

/** Feeds ops to a log in the given order; returns the log. */
export function deliver(log: GovernanceLog, ops: SignedOp[]): GovernanceLog {
  for (const op of ops) log.add(op);
  return log;
}

/** A log from `genesis` and every op added to it through `step`, in order (to replay into other logs). */
export function recorded(genesis: SignedOp) {
  const log = GovernanceLog.fromGenesis(genesis);
  const ops: SignedOp[] = [];
  const step = (op: SignedOp) => {
    log.add(op);
    ops.push(op);
    return op;
  };
  return { log, ops, step };
}

/** A new device invited (with `role`) by `founder`, redeemed as `name`, and admitted, each op through `step`. */
export async function joined(
  founder: DeviceIdentity,
  { log, step }: { log: GovernanceLog; step: (op: SignedOp) => SignedOp },
  name: string,
  role?: string,
): Promise<DeviceIdentity> {
  const { op, invitation } = await createInvite(founder, log, { expires: Date.now() + 3_600_000, role });
  step(op);
  const d = await device();
  step(await redeemInvite(d, invitation, name, [op.hash]));
  step(await admit(founder, log, memberIdOf(d.id)));
  return d;
}

/** F founds "Cellule du 11e"; each of `names` is admitted, the first made secretary. Every op is kept. */
export async function founded(names: readonly string[]) {
  const f = await device();
  const genesis = await createGenesis(f, "Cellule du 11e", "Fatima");
  const { log, ops, step } = recorded(genesis);
  const people: DeviceIdentity[] = [];
  for (const name of names) people.push(await joined(f, { log, step }, name));
  step(await setRole(f, log, memberIdOf(people[0]!.id), "secretary", true));
  return { f, people, genesis, log, ops, step };
}

/** Signs an op citing exactly `parents`, as a tampered app would (no local check). */
export const forge = (author: DeviceIdentity, log: GovernanceLog, parents: OpHash[], op: Op) =>
  signOp(author, log.cellId, parents, op);

/** Delivery orders of `ops` on fresh devices (40 of them): the same state in each, and `check` holds on each. */
export function everyOrder(genesis: SignedOp, ops: SignedOp[], check: (log: GovernanceLog) => void): void {
  const reference = summary(deliver(GovernanceLog.fromGenesis(genesis), ops));
  fc.assert(
    fc.property(fc.shuffledSubarray(ops, { minLength: ops.length, maxLength: ops.length }), (order) => {
      const log = deliver(GovernanceLog.fromGenesis(genesis), order);
      expect(summary(log)).toBe(reference);
      check(log);
    }),
    { numRuns: 40 },
  );
}
