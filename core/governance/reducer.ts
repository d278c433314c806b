/**
 * The governance reducer: one pure, deterministic function from a set of verified ops to the cell's
 * state. Same ops, any delivery order → same state on every device.
 *
 * 1. Order: a topological order of the op graph, ties broken by hash.
 * 2. Validity: an op is valid when its author had the right at the op's parents — the state built from
 *    the valid ops among its ancestors, under the rules in force there — never by a clock.
 * 3. Losses win over what they race: an op whose author lost the right it needs (the member removed,
 *    the device removed, or a role it needed revoked) in a branch the op does not include is dropped,
 *    and so is a redeem of an invitation revoked in a branch the redeem does not include,
 *    and so is everything that depended on it; what is causally before the loss stands. However old the
 *    heads an op cites, it cannot act past a loss it did not see. Mutual losses (two officers removing or
 *    demoting each other concurrently) are resolved by seniority: the senior author's stands.
 * 4. Claims: two concurrent redeems of one single-use invitation, or two introductions of one device,
 *    are resolved in log order: the first stands, the others are refused (and listed). Concurrent
 *    rotations to one epoch keep the first as the epoch's key and the others as alternates.
 *
 * Rule 3 can change which ops are valid, which can change which removals are authorized; the reducer
 * repeats until that set is stable (it converges in a few rounds; bounded for safety).
 *
 * 5. Exposure: an op dropped by a loss may have been valid where its author stood, and what others did
 *    there on top of it stands: an officer who admitted a newcomer whose invitation was revoked concurrently
 *    sealed scope keys to the newcomer's device, in a rotation (valid) or a share-keys (dropped with the
 *    admission). Each scope's current epoch lists such devices in `exposed` (their author's own view of the
 *    log, resolved again only when an ancestor was dropped by a loss the epoch's op did not see), so that
 *    the key counts as stale and rotates, as for a removal.
 */
import { type DeviceId, type MemberId, memberIdOf } from "../base/ids.js";
import { readers } from "./readers.js";
import type { Role } from "./rules.js";
import { actingMember, applyOp, authorize, emptyState } from "./state.js";
import type { CellState, OpHash, SignedOp } from "./types.js";

/** The outcome of one op. */
export type OpStatus = { valid: true } | { valid: false; reason: string };

/** What the reducer produces. */
export interface Resolution {
  state: CellState;
  /** Status of every op, by hash. */
  status: Map<OpHash, OpStatus>;
  /** Ops in the order they were applied. */
  order: SignedOp[];
  /** Index of each op in `order`. */
  index: Map<OpHash, number>;
  /** `ancestors[i]`: bitset of the indices of op i's ancestors. */
  ancestors: Uint32Array[];
}

const MAX_ROUNDS = 16;
/** Ops that, dropped by a loss, may have let their authors' peers seal keys to someone who reads nothing now. */
const READER_MAKING = new Set<string>(["redeem", "admit", "add-device", "set-role", "share-keys"]);

function topologicalOrder(genesis: SignedOp, ops: Map<OpHash, SignedOp>): SignedOp[] {
  const children = new Map<OpHash, OpHash[]>();
  const waiting = new Map<OpHash, number>();
  for (const op of ops.values()) {
    waiting.set(op.hash, op.body.parents.length);
    for (const p of op.body.parents) children.set(p, [...(children.get(p) ?? []), op.hash]);
  }
  const ready: OpHash[] = [genesis.hash];
  const order: SignedOp[] = [];
  while (ready.length > 0) {
    // Smallest hash first: a deterministic tie-break every device computes the same way.
    ready.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    const next = ready.pop()!;
    order.push(ops.get(next)!);
    for (const c of children.get(next) ?? []) {
      const left = waiting.get(c)! - 1;
      waiting.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  return order;
}

/** Whether bit `i` is set in a bitset of op indices. */
export const has = (set: Uint32Array, i: number) => (set[i >>> 5]! & (1 << (i & 31))) !== 0;
const add = (set: Uint32Array, i: number) => {
  set[i >>> 5]! |= 1 << (i & 31);
};

/**
 * Resolves a set of ops. `ops` must contain the genesis and only ops whose parents are all present
 * (see `GovernanceLog`, which holds back the others).
 */
export function resolve(genesis: SignedOp, ops: Map<OpHash, SignedOp>, expose = true): Resolution {
  const order = topologicalOrder(genesis, ops);
  const n = order.length;
  const words = (n + 31) >>> 5;
  const index = new Map(order.map((op, i) => [op.hash, i]));
  const ancestors = order.map(() => new Uint32Array(words));
  order.forEach((op, i) => {
    for (const p of op.body.parents) {
      const j = index.get(p)!;
      add(ancestors[i]!, j);
      const pa = ancestors[j]!;
      const a = ancestors[i]!;
      for (let w = 0; w < words; w++) a[w]! |= pa[w]!;
    }
  });
  const concurrent = (a: number, b: number) => a !== b && !has(ancestors[a]!, b) && !has(ancestors[b]!, a);

  let losses = new Map<number, Loss>();
  let round: ReturnType<typeof pass> | undefined;
  for (let r = 0; r < MAX_ROUNDS; r++) {
    round = pass(genesis, order, ancestors, losses, concurrent);
    if (sameKeys(round.losses, losses)) break;
    losses = round.losses;
  }
  const { state, valid, reasons, struck } = round!;
  const status = new Map<OpHash, OpStatus>();
  for (const [i, op] of order.entries()) {
    status.set(op.hash, valid[i] ? { valid: true } : { valid: false, reason: reasons[i]! });
  }
  const resolution = { state, status, order, index, ancestors };
  if (expose && struck.size > 0) markExposed(genesis, resolution, struck);
  return resolution;
}

/**
 * Rule 5: for each scope's current epoch, the devices its key was sealed to by an author who held an op
 * the log now drops (a rotation on top of a dropped admission, or a dropped share-keys to that epoch), and
 * that do not read the scope now. `struck`: each op dropped by a loss, and the loss's index.
 */
function markExposed(genesis: SignedOp, resolution: Resolution, struck: Map<number, number>): void {
  const { state, order, index, ancestors, status } = resolution;
  // Only drops that can make a reader of someone who is not one now: a redeem, an admission, a device, a role.
  const readerMaking = [...struck].filter(([x]) => READER_MAKING.has(order[x]!.body.op.type));
  if (readerMaking.length === 0) return;
  // Whether the op at `i` holds a dropped op without the loss that dropped it: its author saw it valid.
  const sawDropped = (i: number) =>
    readerMaking.some(([x, loss]) => has(ancestors[i]!, x) && !has(ancestors[i]!, loss));
  const views = new Map<number, CellState>();
  /** The log as the author of the op at `i` had it, that op included. */
  const viewAt = (i: number) => {
    const mine = new Map<OpHash, SignedOp>();
    order.forEach((op, j) => {
      if (j === i || has(ancestors[i]!, j)) mine.set(op.hash, op);
    });
    return views.get(i) ?? views.set(i, resolve(genesis, mine, false).state).get(i)!;
  };
  for (const [scope, epochs] of state.scopes) {
    const latest = epochs.at(-1)!;
    const now = readers(state, scope);
    const sealed = new Set<DeviceId>();
    const rotation = index.get(latest.op)!;
    if (sawDropped(rotation)) for (const d of readers(viewAt(rotation), scope).keys()) sealed.add(d);
    order.forEach((op, i) => {
      const o = op.body.op;
      if (o.type !== "share-keys" || o.scope !== scope || o.epoch !== latest.epoch) return;
      if (status.get(op.hash)?.valid || !sawDropped(i)) return;
      const view = viewAt(i);
      for (const d of view.members.get(o.member)?.devices ?? [])
        if (!view.devices.get(d)?.removed) sealed.add(d);
    });
    const exposed = [...sealed].filter((d) => !now.has(d));
    if (exposed.length > 0) latest.exposed = exposed;
  }
}

function sameKeys(a: Map<number, unknown>, b: Map<number, unknown>): boolean {
  return a.size === b.size && [...a.keys()].every((k) => b.has(k));
}

/**
 * A loss of rights an op causes: a member removed, a device removed, or a role revoked from a member.
 * `by` is the op's author, for mutual losses.
 */
interface Loss {
  /** Set for an invitation's revocation: the invitation no redeem may use past it. */
  invite?: string;
  member?: MemberId;
  device?: DeviceId;
  /** Set for a revocation: the role `member` lost. */
  role?: Role;
  by: { member: MemberId | undefined; device: DeviceId };
}

/** The loss an op causes, if it is one. */
function lossOf(op: SignedOp, member: MemberId | undefined): Loss | undefined {
  const o = op.body.op;
  const by = { member, device: op.authorId };
  if (o.type === "remove") return { member: o.member, by };
  if (o.type === "remove-device") return { device: o.device as DeviceId, by };
  if (o.type === "set-role" && !o.granted) return { member: o.member, role: o.role, by };
  if (o.type === "revoke-invite") return { invite: o.invite, by };
  return undefined;
}

/** Whether a loss takes from `member`/`device` the rights an op needs (a revocation: only if it needed the role). */
function strikes(loss: Loss, member: MemberId | undefined, op: SignedOp, before: CellState): boolean {
  if (loss.invite !== undefined) {
    const o = op.body.op;
    return o.type === "redeem" && o.invite === loss.invite;
  }
  if (loss.device) return loss.device === op.authorId;
  if (!loss.member || loss.member !== member) return false;
  if (loss.role === undefined) return true;
  return authorize(withoutRole(before, member, loss.role), op) !== undefined;
}

/** `state` as if `member` did not hold `role` (a shallow copy: `state` is not changed). */
function withoutRole(state: CellState, member: MemberId, role: Role): CellState {
  const m = state.members.get(member);
  if (!m?.roles.has(role)) return state;
  const roles = new Set(m.roles);
  roles.delete(role);
  return { ...state, members: new Map(state.members).set(member, { ...m, roles }) };
}

/**
 * One pass over the ordered ops with a fixed set of losses (from the previous pass) for the concurrency
 * rule: an op whose author lost the right it needs in a branch the op does not include (a concurrent
 * loss) is dropped, with one exception. When two losses strike each other's authors (mutual removals,
 * mutual revocations), the more senior author's stands: seniority is the log position of the op that made
 * them a member (the founder first), then of the one that introduced the device, as in localfirst/auth.
 */
function pass(
  genesis: SignedOp,
  order: SignedOp[],
  ancestors: Uint32Array[],
  losses: Map<number, Loss>,
  concurrent: (a: number, b: number) => boolean,
) {
  const n = order.length;
  const valid = new Array<boolean>(n).fill(false);
  const reasons = new Array<string | undefined>(n);
  const claims = new Set<string>();
  const found = new Map<number, Loss>();
  /** Ops dropped by a loss, and the loss's index. */
  const struck = new Map<number, number>();
  /** Log position of the op that made each member a member, and that introduced each device. */
  const memberSince = new Map<MemberId, number>();
  const deviceSince = new Map<DeviceId, number>();
  const senior = (a: Loss["by"], b: Loss["by"]): boolean => {
    if (a.member !== b.member) return rank(memberSince, a.member) < rank(memberSince, b.member);
    return rank(deviceSince, a.device) < rank(deviceSince, b.device);
  };
  // Running state over all valid ops so far; most ops have exactly these as ancestors.
  const running = emptyState(genesis);
  let validSoFar = 0;

  for (let i = 0; i < n; i++) {
    const op = order[i]!;
    const before = i === 0 ? running : stateFor(i);
    const member = actingMember(before, op);
    let reason: string | undefined;
    try {
      reason = i === 0 ? undefined : authorize(before, op);
      const mine = reason === undefined ? lossOf(op, member) : undefined;
      if (!reason) {
        for (const [r, loss] of losses) {
          if (r === i || !concurrent(r, i) || !strikes(loss, member, op, before)) continue;
          // A mutual loss: this op strikes the author of the loss that strikes it; the senior one stands.
          const mutual = mine && strikesAuthor(mine, loss.by);
          if (mutual && senior(mine.by, loss.by)) continue;
          struck.set(i, r);
          reason =
            loss.invite !== undefined
              ? "concurrent with the revocation of its invitation"
              : loss.role
                ? `concurrent with the revocation of the author's role ${loss.role}`
                : "concurrent with the author's removal";
          break;
        }
      }
      const o = op.body.op;
      if (!reason) {
        const claim =
          o.type === "redeem" && before.invites.get(o.invite)?.single
            ? `invite:${o.invite}`
            : op.subjectId
              ? `device:${op.subjectId}`
              : undefined;
        if (claim && claims.has(claim)) reason = "conflicts with an earlier op in log order";
        else if (claim) claims.add(claim);
      }
      if (!reason && mine) found.set(i, mine);
      if (reason === undefined) {
        applyOp(running, op);
        if (i === 0) memberSince.set(memberIdOf(op.subjectId!), 0);
        if (o.type === "admit") memberSince.set(o.member, i);
        const introduced = o.type === "redeem" ? op.authorId : op.subjectId;
        if (introduced && !deviceSince.has(introduced)) deviceSince.set(introduced, i);
      }
    } catch (error) {
      // A reducer exception must never stop a cell's log: the op is refused, with the error as its reason.
      if (i === 0) throw error;
      reason = `could not be judged: ${error instanceof Error ? error.message : String(error)}`;
    }
    reasons[i] = reason;
    if (reason === undefined) {
      valid[i] = true;
      validSoFar++;
    }
  }
  return { state: running, valid, reasons, losses: found, struck };

  /** The state at op i's parents: the valid ops among its ancestors, in order. */
  function stateFor(i: number): typeof running {
    const anc = ancestors[i]!;
    let validAncestors = 0;
    for (let j = 0; j < i; j++) if (valid[j] && has(anc, j)) validAncestors++;
    if (validAncestors === validSoFar) return running;
    const state = emptyState(genesis);
    for (let j = 0; j < i; j++) if (valid[j] && has(anc, j)) applyOp(state, order[j]!);
    return state;
  }
}

/** Whether a loss strikes the author of another (their member, or their device). */
function strikesAuthor(loss: Loss, author: Loss["by"]): boolean {
  if (loss.invite !== undefined) return false;
  return loss.device
    ? loss.device === author.device
    : loss.member !== undefined && loss.member === author.member;
}

const rank = <K>(since: Map<K, number>, key: K | undefined) =>
  key === undefined ? Number.POSITIVE_INFINITY : (since.get(key) ?? Number.POSITIVE_INFINITY);

/** The state at some heads: the valid ops among the heads and their ancestors. */
export function stateAt(
  resolution: Resolution,
  genesis: SignedOp,
  heads: readonly OpHash[],
): CellState | undefined {
  const { order, index, ancestors, status } = resolution;
  const include = new Uint32Array(ancestors[0]?.length ?? 1);
  for (const h of heads) {
    const i = index.get(h);
    if (i === undefined) return undefined;
    add(include, i);
    const a = ancestors[i]!;
    for (let w = 0; w < include.length; w++) include[w]! |= a[w]!;
  }
  const state = emptyState(genesis);
  order.forEach((op, i) => {
    if (has(include, i) && status.get(op.hash)?.valid) applyOp(state, op);
  });
  return state;
}
