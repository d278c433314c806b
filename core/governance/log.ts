/**
 * A cell's governance log on one device: the verified ops it holds, those waiting for missing parents,
 * its heads, and the resolved state (recomputed lazily after new ops arrive).
 */
import { IntegrityError, UnknownScopeError } from "../errors.js";
import type { CellId } from "../ids.js";
import { type OpHash, readOp, type SignedOp } from "./ops.js";
import { has, type OpStatus, type Resolution, resolve, stateAt } from "./reducer.js";
import type { CellState } from "./state.js";

/** What happened to an op handed to the log. */
export type AddOutcome = "added" | "duplicate" | "pending";

/** See the module comment. */
export class GovernanceLog {
  private readonly ops = new Map<OpHash, SignedOp>();
  private readonly pending = new Map<OpHash, SignedOp>();
  private resolution: Resolution | undefined;
  private readonly atHeads = new Map<string, CellState | undefined>();

  private constructor(readonly genesis: SignedOp) {
    this.ops.set(genesis.hash, genesis);
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
    return this.genesis.hash as unknown as CellId;
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
    this.pending.set(op.hash, op);
    return this.promote() && this.ops.has(op.hash) ? "added" : "pending";
  }

  /** Moves pending ops whose parents are all known into the log. */
  private promote(): boolean {
    let moved = false;
    let progress = true;
    while (progress) {
      progress = false;
      for (const [hash, op] of this.pending) {
        if (op.body.parents.every((p) => this.ops.has(p))) {
          this.pending.delete(hash);
          this.ops.set(hash, op);
          progress = moved = true;
        }
      }
    }
    if (moved) {
      this.resolution = undefined;
      this.atHeads.clear();
    }
    return moved;
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

  /** Ops no other op names as a parent: what a new op cites. */
  heads(): OpHash[] {
    const cited = new Set<OpHash>();
    for (const op of this.ops.values()) for (const p of op.body.parents) cited.add(p);
    return [...this.ops.keys()].filter((h) => !cited.has(h)).sort();
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
