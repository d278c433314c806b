/**
 * Who may write a document, decided by the governance log at the heads an envelope cites (never by a
 * clock): the author's device must belong to an active member there, whose roles include one of the
 * document's write roles (its policy, or its scope's default writers in the rules in force there).
 *
 * The write must also be allowed in the whole log this device holds: a write citing heads from before its
 * author's removal, device removal or role revocation is held (`PendingOpsError`), not applied, however
 * honestly late it may be — the rule of the reducer for ops, applied to writes. Devices that learn of the
 * loss only later may have applied it already (Automerge cannot retract); `concurrentWithRemoval` lets
 * views hide such records the same way on every device (DESIGN §6).
 */

import { ForbiddenError, PendingOpsError } from "../base/errors.js";
import type { DeviceId } from "../base/ids.js";
import type { Authority, WriteRequest } from "../ports/authority.js";
import type { GovernanceLog } from "./log.js";
import { hasAnyRole, scopeRule } from "./rules.js";
import { memberOfDevice } from "./state.js";
import type { CellState, OpHash } from "./types.js";

/** An `Authority` backed by a cell's governance log. */
export class GovernanceAuthority implements Authority {
  /**
   * @param log the cell's log
   * @param prefix what the cell's scope IDs start with in the Kit (`<cellId>/`), stripped to find the
   *   scope's name in the rules
   */
  constructor(
    private readonly log: GovernanceLog,
    private readonly prefix = "",
  ) {}

  /** Who to tell of the author of each write judged here (its signature already checked): "last seen". */
  private readonly writers: ((device: DeviceId) => void)[] = [];

  /** Calls `fn` with the author device of every write this authority judges. */
  watchWriters(fn: (device: DeviceId) => void): void {
    this.writers.push(fn);
  }

  heads(): string[] {
    return this.log.heads();
  }

  checkWrite(request: WriteRequest): void {
    for (const fn of this.writers) fn(request.device);
    const { scope: scopeId, heads } = request;
    const scope = scopeId.startsWith(this.prefix) ? scopeId.slice(this.prefix.length) : scopeId;
    const state = this.log.stateAt(heads as OpHash[]);
    if (!state) throw new PendingOpsError("the envelope cites governance ops this device does not have yet");
    this.check(state, scope, request);
    // Allowed where its author stood, but the log now holds a loss it did not cite (removal, device removal,
    // role revocation): held, not applied, since Automerge cannot take a change back. It is judged again
    // when the log grows (the loss may yet be dropped, as a junior's side of a mutual removal).
    const now = this.log.state();
    if (now !== state) {
      try {
        this.check(now, scope, { ...request, epoch: undefined });
      } catch (error) {
        if (!(error instanceof ForbiddenError)) throw error;
        throw new PendingOpsError(
          `held: its author lost that right in ops it does not cite (${error.message})`,
        );
      }
    }
  }

  private check(state: CellState, scope: string, { docId, device, epoch }: WriteRequest): void {
    const member = memberOfDevice(state, device);
    if (!member)
      throw new ForbiddenError(`device ${device.slice(0, 8)}… is not an active member's device there`);
    const policy = state.policies.get(docId);
    if (policy && policy.scope !== scope)
      throw new ForbiddenError(`document ${docId} belongs to scope ${policy.scope}`);
    const newest = state.scopes.get(scope)?.at(-1)?.epoch;
    if (epoch !== undefined && newest !== undefined && epoch < newest) {
      throw new ForbiddenError(
        `sealed under epoch ${epoch} of ${scope}, older than epoch ${newest} its author had seen`,
      );
    }
    const pair = state.pairs.get(scope);
    if (pair) {
      if (!pair.open)
        throw new ForbiddenError(`the pair ${scope} is closed: one of its two people left the cell`);
      if (!pair.members.includes(member.id))
        throw new ForbiddenError(`only its two people write in ${scope}`);
      return;
    }
    const writers = policy?.writers ?? scopeRule(state.rules, scope)?.writers;
    if (!writers) throw new ForbiddenError(`no scope ${scope} in the rules`);
    if (!hasAnyRole(member.roles, writers)) {
      throw new ForbiddenError(`writing ${docId} needs one of the roles ${writers.join(", ")}`);
    }
  }

  /** True when the device's member is removed in the current log by a removal its cited heads do not include. */
  concurrentWithRemoval(device: DeviceId, heads: readonly OpHash[]): boolean {
    const now = memberOfDevice(this.log.state(), device);
    const then = this.log.stateAt(heads);
    return !now && !!then && !!memberOfDevice(then, device);
  }
}
