/**
 * How a cell comes to be on a device: founded here, joined with an invitation, opened again from storage,
 * or sent whole to a device of an existing member (a linked device, a recovery). `Cell`'s static methods
 * are the public face of these steps.
 */
import { fromBase64 } from "../base/bytes.js";
import { CelluleError, IntegrityError, NotAMemberError } from "../base/errors.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import type { Invitation } from "../governance/actions.js";
import { redeemInvite } from "../governance/actions.js";
import { readStoredOp } from "../governance/ops.js";
import type { SignedOp } from "../governance/types.js";
import type { CellContext } from "./context.js";
import type { GovernanceSync } from "./governance-sync.js";
import type { CellKeys } from "./keys.js";
import type { CellPublication } from "./publication.js";
import { awaitWelcome } from "./welcome.js";

/** The genesis among ops sent to this device (linking, recovery); `IntegrityError` when there is none. */
export function genesisOf(ops: readonly SignedOp[]): SignedOp {
  const genesis = ops.find((op) => op.body.op.type === "genesis");
  if (!genesis) throw new IntegrityError("this device was sent no genesis");
  return genesis;
}

/**
 * Reads a cell back from storage: the log (its ops were verified when they arrived, see `readStoredOp`) and
 * the scope keys from its lockboxes; a device still waiting for its welcome listens to its invitation's
 * inbox again. `NotAMemberError` if the device knows no such cell.
 */
export async function openStored(ctx: CellContext, sync: GovernanceSync): Promise<void> {
  const record = await ctx.store.loadRecord();
  if (!record) throw new NotAMemberError(`this device knows no cell ${ctx.id.slice(0, 12)}…`);
  const ops = await readStoredOps(ctx);
  if (!(await sync.adopt(ops.read, false)) && record.invitation) {
    await ctx.kit.addScope(ctx.inboxScope(record.invitation.id), fromBase64(record.invitation.inbox));
    await awaitWelcome(ctx, record.invitation.id);
  }
  // What a bad file held is in the governance envelopes this device kept: judged again, it comes back.
  // (Also when ops wait for a parent no file held: a chunk file the storage found damaged and set aside.)
  if (ctx.started && (ops.bad > 0 || ctx.log().waiting > 0))
    await ctx.kit.replay(ctx.kit.topicsOf(ctx.scopeId("members")));
  await ctx.kit.retryHeld();
}

/**
 * The stored ops that read back; each one that does not is reported (the Kit's `corrupt` event) and
 * quarantined, so that one bad file never stops the cell from opening.
 */
async function readStoredOps(ctx: CellContext): Promise<{ read: SignedOp[]; bad: number }> {
  const stored = await ctx.store.loadOps();
  const read = await Promise.allSettled(stored.map(({ bytes }) => readStoredOp(bytes)));
  const ops: SignedOp[] = [];
  let bad = 0;
  for (const [i, r] of read.entries()) {
    if (r.status === "fulfilled") {
      ops.push(r.value);
      continue;
    }
    bad++;
    const { key, bytes } = stored[i]!;
    const error =
      r.reason instanceof CelluleError
        ? r.reason
        : new IntegrityError("a stored governance op cannot be read", { cause: r.reason });
    await ctx.store.quarantine(key, bytes);
    ctx.kit.reportCorrupt(error, key);
  }
  return { read: ops, bad };
}

/** Founds the cell from its genesis: a first key for each sealed scope, then the genesis sent, then the publication keys. */
export async function found(
  ctx: CellContext,
  keys: CellKeys,
  publication: CellPublication,
  genesis: SignedOp,
): Promise<void> {
  await ctx.store.saveRecord({});
  await ctx.store.saveOps([genesis]);
  ctx.start(genesis);
  for (const scope of ctx.sealedScopes()) await keys.rotate(scope);
  // The genesis travels once the members key exists, so later devices and re-seeded relays have it.
  await ctx.kit.publishGovernance(ctx.id, ctx.scopeId("members"), [genesis.bytes]);
  await publication.found();
}

/**
 * Redeems an invitation: the redeem goes to the invitation's inbox, where the cell's officers pick it up;
 * the welcome comes sealed to this device (welcome.ts).
 */
export async function redeem(ctx: CellContext, invitation: Invitation, name: string): Promise<void> {
  const op = await redeemInvite(
    ctx.kit.device,
    invitation,
    name,
    [invitation.op as SignedOp["hash"]],
    ctx.kit.clock.now(),
  );
  await ctx.store.saveRecord({ invitation });
  await ctx.store.saveOps([op]);
  const inbox = await ctx.kit.addScope(ctx.inboxScope(invitation.id), fromBase64(invitation.inbox));
  await awaitWelcome(ctx, invitation.id);
  await ctx.kit.publishGovernance(ctx.id, inbox.scope, [op.bytes]);
  ctx.early.push(op);
}

/** A cell this device was just sent the log of (linking, recovery), recorded as its own. */
export async function adoptSent(
  ctx: CellContext,
  keys: CellKeys,
  sync: GovernanceSync,
  ops: SignedOp[],
  recovering?: DeviceIdentity,
): Promise<void> {
  keys.recovering = recovering;
  await ctx.store.saveRecord({});
  await sync.adopt(ops, true);
}
