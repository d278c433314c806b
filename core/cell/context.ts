/**
 * What every part of a cell on this device shares (the facade, keys, devices, publication, membership,
 * governance sync, pairs): the Kit, the cell's ID and storage, its governance log once the genesis is known,
 * and the one way an op of this device enters the log (`commit`). The parts take this context instead of
 * calling back into the `Cell` facade.
 */
import { NotWelcomedError } from "../base/errors.js";
import type { CellId, ScopeId } from "../base/ids.js";
import { GovernanceLog } from "../governance/log.js";
import type { MemberState, SignedOp } from "../governance/types.js";
import { GovernanceAuthority } from "../governance/write-authority.js";
import type { Kit } from "../kit/kit.js";
import { CellStore } from "./store.js";

/** Split a sent log so that no envelope exceeds the relays' frame limit. */
const ENVELOPE_CHUNK = 512 * 1024;

/** See the module comment. */
export class CellContext {
  readonly store: CellStore;
  private governance: GovernanceLog | undefined;
  private writeAuthority: GovernanceAuthority | undefined;
  /** Ops received before the genesis (a joiner's welcome may arrive in pieces). */
  readonly early: SignedOp[] = [];
  /** When the last op came from another device (ms), for `quiet`. */
  lastOp = 0;

  constructor(
    readonly kit: Kit,
    /** The cell's ID (its genesis hash). */
    readonly id: CellId,
    /** Opens what the log now allows, rotates stale keys and tells listeners (governance-sync.ts). */
    private readonly refresh: () => Promise<void>,
  ) {
    this.store = new CellStore(kit.storage, id);
  }

  /** Whether the genesis is known (false while joining, before the welcome). */
  get started(): boolean {
    return this.governance !== undefined;
  }

  /** The governance log; `NotWelcomedError` while joining, before the welcome. */
  log(): GovernanceLog {
    if (!this.governance) throw new NotWelcomedError("this device has not been welcomed into the cell yet");
    return this.governance;
  }

  /** The log, if the genesis is known. */
  maybeLog(): GovernanceLog | undefined {
    return this.governance;
  }

  /** Who may write the cell's documents, at the heads their envelopes cite. */
  authority(): GovernanceAuthority {
    this.log();
    return this.writeAuthority!;
  }

  /** The member this device acts for, if the log knows it. */
  me(): MemberState | undefined {
    const state = this.governance?.state();
    const device = state?.devices.get(this.kit.device.id);
    return device && state!.members.get(device.member);
  }

  /** The Kit scope ID of one of the cell's scopes (`members`, `officers`, `treasury`, `public`, …). */
  scopeId(name: string): ScopeId {
    return `${this.id}/${name}` as ScopeId;
  }

  /** The scope of an invitation's inbox (where its redeem and the welcome travel). */
  inboxScope(inviteId: string): ScopeId {
    return this.scopeId(`invite:${inviteId}`);
  }

  /** The scopes the rules seal (every scope but `public`). */
  sealedScopes(): string[] {
    return Object.keys(this.log().state().rules.scopes).filter((s) => s !== "public");
  }

  /** Starts the log from the genesis: the Kit asks its authority about every scope of the rules. */
  start(genesis: SignedOp): void {
    const log = GovernanceLog.fromGenesis(genesis);
    this.governance = log;
    this.writeAuthority = new GovernanceAuthority(log, `${this.id}/`);
    for (const scope of Object.keys(log.state().rules.scopes)) {
      this.kit.setAuthority(this.scopeId(scope), this.writeAuthority);
    }
    void this.kit.addScope(this.scopeId("public"));
    for (const op of this.early.splice(0)) log.add(op);
  }

  /** Adds an op of this device to the log, stores it, sends it, and updates keys. */
  async commit(op: SignedOp): Promise<void> {
    const members = this.scopeId("members");
    const before = this.kit.epochOf(members);
    this.log().add(op);
    await this.store.saveOps([op]);
    // Under the members epoch in force before the op: a rotation travels under the key it replaces, so the
    // remaining members can read it and open their new lockbox. The very first epoch has no predecessor.
    if (before) await this.kit.publishGovernance(this.id, members, [op.bytes]);
    await this.refresh();
    if (!before) await this.kit.publishGovernance(this.id, members, [op.bytes]);
  }

  /** Sends every op of the log under `scope`; returns how many. */
  async sendLog(scope: ScopeId, docId: string): Promise<number> {
    const ops = this.log().all();
    await this.sendOps(ops, scope, docId);
    return ops.length;
  }

  /** Sends ops under `scope`, in envelopes under the relays' frame limit. */
  async sendOps(ops: readonly SignedOp[], scope: ScopeId, docId: string): Promise<void> {
    let batch: Uint8Array[] = [];
    let size = 0;
    for (const op of ops) {
      if (size + op.bytes.length > ENVELOPE_CHUNK && batch.length > 0) {
        await this.kit.publishGovernance(docId, scope, batch);
        batch = [];
        size = 0;
      }
      batch.push(op.bytes);
      size += op.bytes.length;
    }
    await this.kit.publishGovernance(docId, scope, batch);
  }

  /**
   * Waits at least `ms`, then until no op has come from another device for `ms` (at most `maxMs`). Elapsed
   * time on the platform's timers, not the Kit's clock: this waits, it does not date anything.
   */
  async quiet(ms: number, maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    this.lastOp = Date.now();
    while (Date.now() - this.lastOp < ms && Date.now() < end) {
      await new Promise((r) => setTimeout(r, ms / 4));
    }
  }
}
