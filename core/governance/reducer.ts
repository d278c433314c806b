/**
 * The governance reducer: one pure, deterministic function from a set of verified ops to the cell's
 * state. Same ops, any delivery order → same state on every device.
 *
 * 1. Order: a topological order of the op graph, ties broken by hash.
 * 2. Validity: an op is valid when its author had the right at the op's parents — the state built from
 *    the valid ops among its ancestors, under the rules in force there — never by a clock.
 * 3. Removals win over what they race: an op by a member (or device) that is concurrent with an
 *    authorized removal of that member (or device) is dropped, and so is everything that depended on it.
 *    Removals themselves always take effect, so mutual removals remove both.
 * 4. Claims: two concurrent redeems of one single-use invitation, or two introductions of one device,
 *    are resolved in log order: the first stands, the others are refused (and listed). Concurrent
 *    rotations to one epoch keep the first as the epoch's key and the others as alternates.
 *
 * Rule 3 can change which ops are valid, which can change which removals are authorized; the reducer
 * repeats until that set is stable (it converges in a few rounds; bounded for safety).
 */
import type { DeviceId, MemberId } from "../base/ids.js";
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
export function resolve(genesis: SignedOp, ops: Map<OpHash, SignedOp>): Resolution {
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

  let removals = new Map<number, { member?: MemberId; device?: DeviceId }>();
  let round: ReturnType<typeof pass> | undefined;
  for (let r = 0; r < MAX_ROUNDS; r++) {
    round = pass(genesis, order, ancestors, removals, concurrent);
    if (sameKeys(round.removals, removals)) break;
    removals = round.removals;
  }
  const { state, valid, reasons } = round!;
  const status = new Map<OpHash, OpStatus>();
  for (const [i, op] of order.entries()) {
    status.set(op.hash, valid[i] ? { valid: true } : { valid: false, reason: reasons[i]! });
  }
  return { state, status, order, index, ancestors };
}

function sameKeys(a: Map<number, unknown>, b: Map<number, unknown>): boolean {
  return a.size === b.size && [...a.keys()].every((k) => b.has(k));
}

/** One pass over the ordered ops with a fixed set of removals for the concurrency rule. */
function pass(
  genesis: SignedOp,
  order: SignedOp[],
  ancestors: Uint32Array[],
  removals: Map<number, { member?: MemberId; device?: DeviceId }>,
  concurrent: (a: number, b: number) => boolean,
) {
  const n = order.length;
  const valid = new Array<boolean>(n).fill(false);
  const reasons = new Array<string | undefined>(n);
  const claims = new Set<string>();
  const found = new Map<number, { member?: MemberId; device?: DeviceId }>();
  // Running state over all valid ops so far; most ops have exactly these as ancestors.
  const running = emptyState(genesis);
  let validSoFar = 0;

  for (let i = 0; i < n; i++) {
    const op = order[i]!;
    const before = i === 0 ? running : stateFor(i);
    let reason = i === 0 ? undefined : authorize(before, op);
    const member = actingMember(before, op);
    if (!reason) {
      for (const [r, target] of removals) {
        if (r === i || !concurrent(r, i)) continue;
        if ((target.member && target.member === member) || (target.device && target.device === op.authorId)) {
          reason = "concurrent with the author's removal";
          break;
        }
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
    if (!reason && o.type === "remove") found.set(i, { member: o.member });
    if (!reason && o.type === "remove-device") found.set(i, { device: o.device as DeviceId });
    // Removals stand even when their author is removed concurrently: mutual removals remove both.
    if (
      reason === "concurrent with the author's removal" &&
      (o.type === "remove" || o.type === "remove-device")
    ) {
      const authorized = authorize(before, op) === undefined;
      if (authorized) {
        found.set(i, o.type === "remove" ? { member: o.member } : { device: o.device as DeviceId });
        reason = undefined;
      }
    }
    reasons[i] = reason;
    if (reason === undefined) {
      valid[i] = true;
      applyOp(running, op);
      validSoFar++;
    }
  }
  return { state: running, valid, reasons, removals: found };

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
