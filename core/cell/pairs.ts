/**
 * Two-person scopes, for messages between two members: only the two of them hold the key; other members
 * see that the pair exists, never what it holds.
 */
import { randomBytes, toBase64Url } from "../base/bytes.js";
import { InvalidArgumentError, NotAMemberError } from "../base/errors.js";
import type { MemberId } from "../base/ids.js";
import { writeOp } from "../governance/actions.js";
import { sealLockboxes } from "../governance/lockbox.js";
import { devicesOf } from "../governance/readers.js";
import { newScopeSecret } from "../protocol/scope-keys.js";
import type { CellContext } from "./context.js";

/** A pair this device's member is in. */
export interface PairInfo {
  scope: string;
  /** The other member. */
  with: MemberId;
  open: boolean;
}

/** Opens a pair with `member`; returns its scope name. See `Cell.openPair`. */
export async function openPair(ctx: CellContext, member: MemberId): Promise<string> {
  const log = ctx.log();
  const state = log.state();
  const me = ctx.me();
  if (me?.status !== "member") throw new NotAMemberError("only a member opens a pair");
  if (state.members.get(member)?.status !== "member" || member === me.id) {
    throw new InvalidArgumentError("a pair is with another member of the cell");
  }
  const scope = `pair:${toBase64Url(randomBytes(16))}`;
  const members: [MemberId, MemberId] = [me.id, member];
  const secret = newScopeSecret();
  const lockboxes = await sealLockboxes(
    secret,
    devicesOf(state, members).map((d) => ({ agreement: d.keys.agreement })),
    { cell: ctx.id, scope, epoch: 1 },
  );
  await ctx.commit(await writeOp(ctx.kit.device, log, { type: "open-pair", scope, members, lockboxes }));
  return scope;
}

/** The pairs this device's member is in, with whom, and whether they are still open. */
export function pairsOf(ctx: CellContext): PairInfo[] {
  const me = ctx.me();
  const log = ctx.maybeLog();
  if (!me || !log) return [];
  return [...log.state().pairs].flatMap(([scope, pair]) =>
    pair.members.includes(me.id)
      ? [{ scope, with: pair.members.find((m) => m !== me.id)!, open: pair.open }]
      : [],
  );
}
