/**
 * A cell's governance log on one device: the verified ops it holds, those waiting for missing parents,
 * its heads, and the resolved state (recomputed lazily after new ops arrive).
 */
import { IntegrityError, QuotaError, UnknownScopeError } from "../base/errors.js";
import { type CellId, cellIdOf, type DeviceId } from "../base/ids.js";
import { readOp } from "./ops.js";
import { has, type OpStatus, type Resolution, resolve, stateAt } from "./reducer.js";
import type { CellState, OpHash, SignedOp } from "./types.js";

/** What happened to an op handed to the log. */
export type AddOutcome = "added" | "duplicate" | "pending";

/**
 * Most ops of one author waiting for parents this device has not received: a log sent in pieces may
 * arrive out of order, but an author cannot make a device keep an unbounded heap of ops that never join.
 */
export const MAX_PENDING_PER_AUTHOR = 4_096;

/**
 * Most ops of one author the rules refuse that a device takes: beyond, it takes no more of that author's
 * ops (see GovernanceSync). Honest devices make few refused ops (a race, a concurrent removal); a member
 * who signs thousands only makes every device store and resolve them.
 */
export const MAX_REFUSED_PER_AUTHOR = 1_000;

/** See the module comment. */
export class GovernanceLog {
  private readonly ops = new Map<OpHash, SignedOp>();
  private readonly pending = new Map<OpHash, SignedOp>();
  /** Pending ops by a parent they wait for. */
  private readonly waitingFor = new Map<OpHash, OpHash[]>();
  /** Ops of the log no other op of the log names as a parent (kept as ops come in). */
  private readonly tips = new Set<OpHash>();
  /** Pending ops by author. */
  private readonly pendingBy = new Map<DeviceId, number>();
  /** Every device an op in the log introduces (the founder, redeemers, added devices), valid or not. */
  private readonly devices = new Set<DeviceId>();
  /** Every invitation an op in the log creates. */
  private readonly invites = new Set<string>();
  /** The ops of the log (not pending) by author. */
  private readonly byAuthor = new Map<DeviceId, OpHash[]>();
  private resolution: Resolution | undefined;
  private validHeads: OpHash[] | undefined;
  private readonly atHeads = new Map<string, CellState | undefined>();

  private constructor(readonly genesis: SignedOp) {
    this.ops.set(genesis.hash, genesis);
    this.tips.add(genesis.hash);
    this.learn(genesis);
  }

  /** A log starting from a verified genesis op. */
  static fromGenesis(genesis: SignedOp): GovernanceLog {
    if (genesis.body.op.type !== "genesis" || genesis.body.parents.length > 0 || genesis.body.cell !== "") {
      throw new IntegrityError("not a genesis op");
    }
    return new GovernanceLog(genesis);
  }

  /** The cell's ID: the hash of its genesis. */
  get cellId(): CellId {
    return cellIdOf(this.genesis.hash);
  }

  /** Verifies and adds an op given as wire bytes. */
  async addBytes(bytes: Uint8Array): Promise<{ outcome: AddOutcome; op: SignedOp }> {
    const op = await readOp(bytes);
    return { outcome: this.add(op), op };
  }

  /** Adds a verified op; ops of another cell are refused with `UnknownScopeError`. */
  add(op: SignedOp): AddOutcome {
    if (this.ops.has(op.hash) || this.pending.has(op.hash)) return "duplicate";
    if (op.body.cell !== this.cellId)
      throw new UnknownScopeError(`op of another cell (${op.body.cell.slice(0, 12)}…)`);
    if (op.body.parents.length === 0) throw new IntegrityError("an op other than the genesis has no parents");
    const missing = op.body.parents.filter((p) => !this.ops.has(p));
    if (missing.length > 0) {
      const waiting = this.pendingBy.get(op.authorId) ?? 0;
      if (waiting >= MAX_PENDING_PER_AUTHOR)
        throw new QuotaError(`too many ops of device ${op.authorId.slice(0, 8)}… wait for their parents`);
      this.pendingBy.set(op.authorId, waiting + 1);
      this.pending.set(op.hash, op);
      for (const p of missing) {
        const waiting = this.waitingFor.get(p);
        if (waiting) waiting.push(op.hash);
        else this.waitingFor.set(p, [op.hash]);
      }
      return "pending";
    }
    this.promote(op);
    return "added";
  }

  /** Moves an op whose parents are all in the log into it, then the pending ops that waited for it. */
  private promote(first: SignedOp): void {
    const ready = [first];
    for (let op = ready.pop(); op; op = ready.pop()) {
      if (this.pending.delete(op.hash)) {
        const left = (this.pendingBy.get(op.authorId) ?? 1) - 1;
        if (left > 0) this.pendingBy.set(op.authorId, left);
        else this.pendingBy.delete(op.authorId);
      }
      this.ops.set(op.hash, op);
      this.learn(op);
      for (const p of op.body.parents) this.tips.delete(p);
      this.tips.add(op.hash);
      for (const hash of this.waitingFor.get(op.hash) ?? []) {
        const child = this.pending.get(hash);
        if (child?.body.parents.every((p) => this.ops.has(p))) ready.push(child);
      }
      this.waitingFor.delete(op.hash);
    }
    this.resolution = undefined;
    this.validHeads = undefined;
    this.atHeads.clear();
  }

  private learn(op: SignedOp): void {
    const mine = this.byAuthor.get(op.authorId);
    if (mine) mine.push(op.hash);
    else this.byAuthor.set(op.authorId, [op.hash]);
    if (op.subjectId) this.devices.add(op.subjectId);
    if (op.body.op.type === "invite") this.invites.add(op.body.op.invite);
  }

  /**
   * Whether the log may take an op from this author: a device some op of the log introduces (at some
   * state, whatever became of it since), or the redeem of an invitation the log holds. Anyone else is a
   * stranger whose ops the log never keeps.
   */
  knowsAuthorOf(op: SignedOp): boolean {
    if (this.devices.has(op.authorId)) return true;
    const o = op.body.op;
    return o.type === "redeem" && this.invites.has(o.invite);
  }

  /** How many ops of this author the rules refuse, in the log as it is. */
  refusedOf(device: DeviceId): number {
    const r = this.resolved();
    return (this.byAuthor.get(device) ?? []).filter((h) => r.status.get(h)?.valid === false).length;
  }

  /** Whether some op of the log introduces this device (see `knowsAuthorOf`). */
  knowsDevice(device: DeviceId): boolean {
    return this.devices.has(device);
  }

  private resolved(): Resolution {
    this.resolution ??= resolve(this.genesis, this.ops);
    return this.resolution;
  }

  /** The current state. */
  state(): CellState {
    return this.resolved().state;
  }

  /** The state at some heads, or undefined when a head is not (yet) in the log. */
  stateAt(heads: readonly OpHash[]): CellState | undefined {
    const key = [...heads].sort().join(",");
    if (!this.atHeads.has(key)) this.atHeads.set(key, stateAt(this.resolved(), this.genesis, heads));
    return this.atHeads.get(key);
  }

  /** Status of an op in the log (valid, or why not). */
  status(hash: OpHash): OpStatus | undefined {
    return this.resolved().status.get(hash);
  }

  /** Whether op `a` is `b` or one of its ancestors (both in the log). */
  precedes(a: OpHash, b: OpHash): boolean {
    const r = this.resolved();
    const i = r.index.get(a);
    const j = r.index.get(b);
    if (i === undefined || j === undefined) return false;
    return i === j || has(r.ancestors[j]!, i);
  }

  /**
   * What a new op or write cites: the valid ops no other valid op names as a parent. Refused ops are never
   * cited, so nobody can grow every later envelope by adding ops the rules refuse.
   */
  heads(): OpHash[] {
    if (this.validHeads) return this.validHeads;
    const tips = [...this.tips];
    const r = this.resolved();
    if (tips.every((t) => r.status.get(t)?.valid)) {
      this.validHeads = tips.sort();
      return this.validHeads;
    }
    const cited = new Set<OpHash>();
    const valid = r.order.filter((op) => r.status.get(op.hash)?.valid);
    for (const op of valid) for (const p of op.body.parents) cited.add(p);
    this.validHeads = valid
      .map((op) => op.hash)
      .filter((h) => !cited.has(h))
      .sort();
    return this.validHeads;
  }

  /** Every op held, in log order (pending ones excluded). */
  all(): SignedOp[] {
    return [...this.resolved().order];
  }

  /** Ops waiting for a parent this device has not received. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Whether an op is known (in the log or waiting). */
  has(hash: OpHash): boolean {
    return this.ops.has(hash) || this.pending.has(hash);
  }
}
