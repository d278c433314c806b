/** Test helpers for governance: devices, and a summary of a state that two devices can compare. */

import { canonicalJson } from "../base/canonical-json.js";
import { memberIdOf } from "../base/ids.js";
import { crypto as c, DeviceIdentity } from "../internals.js";
import { admit, createInvite, redeemInvite } from "./actions.js";
import { GovernanceLog } from "./log.js";
import type { SignedOp } from "./types.js";

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
