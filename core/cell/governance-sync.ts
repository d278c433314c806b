/**
 * The governance log between this device and the others: ops received in governance envelopes (checked to
 * be this cell's, deduplicated, stored), logs adopted whole (a welcome, a link, a recovery), and what every
 * change of the log sets off on this device (`refresh`: open the keys it now allows, rotate stale ones,
 * renew the publication keys, tell listeners, report refused ops).
 */
import { ForbiddenError, IntegrityError, PendingOpsError, QuotaError } from "../base/errors.js";
import type { ScopeId } from "../base/ids.js";
import { MAX_REFUSED_PER_AUTHOR } from "../governance/log.js";
import { readOps } from "../governance/ops.js";
import { authorize, memberOfDevice } from "../governance/state.js";
import type { CellState, SignedOp } from "../governance/types.js";
import type { OpenedEnvelope } from "../protocol/envelope.js";
import type { CellContext } from "./context.js";
import type { CellDevices } from "./devices.js";
import type { CellKeys } from "./keys.js";
import type { CellPublication, ReceivedContact } from "./publication.js";

/** Events of a cell. */
export interface CellEvents {
  /** The governance state changed (members, roles, keys, rules). */
  change: (state: CellState) => void;
  /** An op in the log is refused by the rules (not allowed to its author, or dropped by a concurrent removal). */
  refused: (op: SignedOp, error: ForbiddenError) => void;
  /** A visitor's contact request arrived (on devices of members who may publish). */
  contact: (contact: ReceivedContact) => void;
}

/** What the sync acts on besides the context. */
export interface SyncParts {
  keys: CellKeys;
  devices: CellDevices;
  publication: CellPublication;
  /** Tells the cell's listeners. */
  emit<K extends keyof CellEvents>(event: K, ...args: Parameters<CellEvents[K]>): void;
  /** Admits a pending member whose request to join this device accepted (membership.ts). */
  /** Judges a redeem received (see Membership.redeemed): whether to pass it on. */
  redeemed(redeem: SignedOp): Promise<boolean>;
}

/**
 * Most ops one governance envelope may carry: a log is sent in envelopes of at most 512 KiB, and no op
 * is shorter than about 300 bytes.
 */
export const MAX_OPS_PER_ENVELOPE = 4_096;
/** Most ops a joining device keeps before it has the genesis (its welcome may come in pieces). */
export const MAX_EARLY_OPS = 50_000;

/** See the module comment. */
export class GovernanceSync {
  /** Ops already reported through `refused` events. */
  private readonly reported = new Set<string>();
  /** Whether the log's write authority tells `devices.markSeen` of writers yet. */
  private watching = false;

  constructor(
    private readonly ctx: CellContext,
    private readonly parts: SyncParts,
  ) {
    // Envelopes of this cell's scopes that wait for ops are kept across restarts only from devices the
    // log knows.
    ctx.kit.knownAuthors(`${ctx.id}/`, (device) => ctx.maybeLog()?.knowsDevice(device) ?? false);
  }

  /**
   * The scopes whose governance envelopes this cell takes: the members scope (every epoch), where the
   * log travels, and the invitation inboxes, where redeems and welcomes do. Never the public scope,
   * whose envelopes anyone can sign.
   */
  accepts(scope: ScopeId): boolean {
    return scope === this.ctx.scopeId("members") || scope.startsWith(this.ctx.scopeId("invite:"));
  }

  /**
   * The ops of the log the rules refuse, each with a `ForbiddenError` saying why: an op its author had no
   * right to make at its parents, or one dropped by a concurrent removal of its author.
   */
  refused(): { op: SignedOp; error: ForbiddenError }[] {
    const log = this.ctx.maybeLog();
    if (!log) return [];
    return log.all().flatMap((op) => {
      const status = log.status(op.hash);
      return status && !status.valid ? [{ op, error: new ForbiddenError(`refused: ${status.reason}`) }] : [];
    });
  }

  /** Takes ops into the log (stored first when `save`); with the genesis among them, opens the keys. */
  async adopt(ops: SignedOp[], save: boolean): Promise<boolean> {
    const { ctx } = this;
    if (save) await ctx.store.saveOps(ops);
    const genesis = ops.find((op) => op.body.op.type === "genesis" && op.hash === (ctx.id as string));
    ctx.early.push(...ops.filter((op) => op !== genesis && op.body.cell === ctx.id));
    if (!genesis) return false;
    dropStrangers(ctx.early, genesis);
    ctx.start(genesis);
    await this.refresh();
    return true;
  }

  /**
   * A governance envelope of this cell: its new ops enter the log (or wait for the genesis). Ops by
   * strangers (devices no op of the log introduces, see `GovernanceLog.knowsAuthorOf`) are dropped before
   * they are stored; an envelope of nothing else is refused (`ForbiddenError`), so it is not kept either.
   * A stranger's op whose parents this device lacks may be by a device those parents introduce: the
   * envelope is held (`PendingOpsError`) and judged again when the log grows.
   */
  async receive(opened: OpenedEnvelope): Promise<void> {
    const { ctx } = this;
    if (opened.body.items.length > MAX_OPS_PER_ENVELOPE)
      throw new QuotaError(`a governance envelope carries more than ${MAX_OPS_PER_ENVELOPE} ops`);
    this.parts.devices.markSeen(opened.body.authorId);
    const fresh: SignedOp[] = [];
    let strangers = 0;
    let unjudged = 0;
    const ops = await readOps(opened.body.items);
    // Authors who reached MAX_REFUSED_PER_AUTHOR refused ops, judged once per envelope (before any op of
    // it is added: each addition makes the next judgment resolve the log again).
    const current = ctx.maybeLog();
    const over = new Set(
      current
        ? [...new Set(ops.map((op) => op.authorId))].filter(
            (a) => current.refusedOf(a) >= MAX_REFUSED_PER_AUTHOR,
          )
        : [],
    );
    for (const op of ops) {
      if (op.body.op.type === "genesis") {
        if (op.hash !== (ctx.id as string)) throw new IntegrityError("a genesis of another cell");
        if (!ctx.started) {
          await ctx.store.saveOps([op]);
          dropStrangers(ctx.early, op);
          ctx.start(op);
        }
        continue;
      }
      if (op.body.cell !== ctx.id) throw new IntegrityError("an op of another cell");
      const log = ctx.maybeLog();
      if (log?.has(op.hash) || ctx.early.some((e) => e.hash === op.hash)) continue;
      if (log && !log.knowsAuthorOf(op)) {
        if (op.body.parents.every((p) => log.has(p))) strangers++;
        else unjudged++;
        continue;
      }
      if (log) {
        // Beyond the bound, what the rules would refuse now is not taken; what they allow still is.
        if (over.has(op.authorId) && authorize(log.state(), op) !== undefined) {
          strangers++;
          continue;
        }
        log.add(op);
      } else if (ctx.early.length >= MAX_EARLY_OPS)
        throw new QuotaError("too many ops before the cell's genesis");
      else ctx.early.push(op);
      fresh.push(op);
    }
    if (fresh.length === 0 && unjudged === 0 && strangers > 0)
      throw new ForbiddenError("governance ops by devices the cell's log does not know, or refuses more of");
    await ctx.store.saveOps(fresh);
    if (fresh.length > 0) ctx.lastOp = Date.now();
    const log = ctx.maybeLog();
    if (!log) return;
    await this.refresh();
    // Documents that arrived before these ops can be judged now (not awaited: the Kit's queue is busy
    // with this very envelope).
    if (fresh.length > 0) void ctx.kit.retryHeld();
    // A redeem picked up from an invitation inbox: pass it on to every member (once the keys are open:
    // a new member's welcome carries redeems too, and must not stop at them) — only a valid one that
    // arrived before its invitation expired by this device's clock: junk is not multiplied (M5).
    const redeems: SignedOp[] = [];
    for (const op of fresh)
      if (op.body.op.type === "redeem" && (await this.parts.redeemed(op))) redeems.push(op);
    const members = ctx.kit.epochOf(ctx.scopeId("members"));
    if (redeems.length > 0 && members && memberOfDevice(log.state(), ctx.kit.device.id)) {
      await ctx.kit.publishGovernance(
        ctx.id,
        members.scope,
        redeems.map((op) => op.bytes),
      );
    }
    // Judged again once the log grows (what was taken now is a duplicate then).
    if (unjudged > 0)
      throw new PendingOpsError("governance ops by devices introduced by ops this device does not have yet");
  }

  /** Opens the keys this device can reach, rotates stale ones, and tells listeners. */
  async refresh(): Promise<void> {
    const log = this.ctx.log();
    const { keys, publication, devices } = this.parts;
    if (!this.watching) {
      this.watching = true;
      this.ctx.authority().watchWriters((device) => devices.markSeen(device));
    }
    const emit = this.parts.emit.bind(this.parts);
    await keys.openAll();
    await keys.rotateStale();
    await publication.renewIfStale();
    await publication.watchInbox((contact) => emit("contact", contact));
    await devices.postToMailboxes();
    emit("change", log.state());
    for (const { op, error } of this.refused()) {
      if (this.reported.has(op.hash)) continue;
      this.reported.add(op.hash);
      emit("refused", op, error);
    }
  }
}

/**
 * Removes from `early` (ops that came before the genesis) those by strangers: the same rule as
 * `GovernanceLog.knowsAuthorOf`, applied to ops that may come in any order (the devices the others
 * introduce, from the genesis's founder on, repeated until nothing changes).
 */
function dropStrangers(early: SignedOp[], genesis: SignedOp): void {
  const devices = new Set<string>(genesis.subjectId ? [genesis.subjectId] : []);
  const invites = new Set<string>();
  const taken = new Set<SignedOp>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const op of early) {
      if (taken.has(op)) continue;
      const o = op.body.op;
      if (!devices.has(op.authorId) && !(o.type === "redeem" && invites.has(o.invite))) continue;
      taken.add(op);
      grew = true;
      if (op.subjectId) devices.add(op.subjectId);
      if (o.type === "invite") invites.add(o.invite);
    }
  }
  const kept = early.filter((op) => taken.has(op));
  early.length = 0;
  for (const op of kept) early.push(op);
}
