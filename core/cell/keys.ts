/**
 * A cell's scope keys on one device: opening the epochs this device can reach (lockboxes, grants, the
 * previous-epoch chain), rotating a scope, sharing the current keys with a member's devices, and rotating
 * on its own the scopes a departed device may still read.
 */
import { fromBase64, toHex } from "../base/bytes.js";
import { ForbiddenError } from "../base/errors.js";
import type { MemberId } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { writeOp } from "../governance/actions.js";
import {
  type LockboxContext,
  openLockbox,
  sealLockboxes,
  unwrapPrevious,
  wrapPrevious,
} from "../governance/lockbox.js";
import { designatedRotators, devicesOf, readers, reads, stale } from "../governance/readers.js";
import { hasRight } from "../governance/rules.js";
import { memberOfDevice } from "../governance/state.js";
import type { CellState, InviteState, Lockboxes } from "../governance/types.js";
import { newScopeSecret } from "../protocol/scope-keys.js";
import type { CellContext } from "./context.js";

/**
 * How long each rotator after the first waits, by its rank, before rotating a stale scope itself, by the
 * Kit's clock (M2): the first designated rotator may be offline for weeks.
 */
export const ROTATION_STANDBY_MS = 60_000;
/** Longest wait between two checks of a standby rotation (a wake-up on the platform's timers). */
const STANDBY_CHECK_MS = 5_000;

/** See the module comment. */
export class CellKeys {
  /** Epoch secrets this device holds, by scope name and epoch. */
  private readonly secrets = new Map<string, Map<number, Uint8Array>>();
  /** Secrets of concurrent rotations that lost, by `scope#epoch#op`. */
  private readonly alternateSecrets = new Map<string, Uint8Array>();
  /**
   * Scopes opened (or being opened) on the Kit, as `scope#epoch` or any other key: concurrent refreshes
   * wait for the same opening, so none returns before the scope is usable.
   */
  private readonly opened = new Map<string, Promise<unknown>>();
  /** The run of `rotateStale` in progress, and whether a call made during it asked for another pass. */
  private rotation: Promise<void> | undefined;
  private again: { mine: boolean } | undefined;
  /** What each lockbox list opened to for this device (undefined: nothing), so each is tried once. */
  private tried = new WeakMap<Lockboxes, Uint8Array | undefined>();
  private recoveryDevice: DeviceIdentity | undefined;
  /** When this device first saw each scope epoch stale (Kit clock), by `scope#epoch`. */
  private readonly staleSince = new Map<string, number>();
  private wake: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: CellContext) {}

  /** While recovering from a phrase: the recovery device, which opens lockboxes until this one is certified. */
  get recovering(): DeviceIdentity | undefined {
    return this.recoveryDevice;
  }

  set recovering(device: DeviceIdentity | undefined) {
    this.recoveryDevice = device;
    this.tried = new WeakMap();
  }

  /** Opens `open()` once per key; later calls wait for the same opening. */
  once(key: string, open: () => Promise<unknown>): Promise<unknown> {
    let opening = this.opened.get(key);
    if (!opening) {
      opening = open();
      this.opened.set(key, opening);
    }
    return opening;
  }

  /**
   * Opens every scope epoch this device can reach, and the inboxes of open invitations. Concurrent
   * rotations to one epoch (alternates) are all opened to read; the device writes under the one the
   * log ranks first, like every other device.
   */
  async openAll(): Promise<void> {
    const { kit, id } = this.ctx;
    const state = this.ctx.log().state();
    const member = memberOfDevice(state, kit.device.id);
    const me = member?.id;
    for (const [scope, epochs] of state.scopes) {
      const known = this.secrets.get(scope) ?? new Map<number, Uint8Array>();
      this.secrets.set(scope, known);
      const scopeId = this.ctx.scopeId(scope);
      // Newest first: a lockbox (or grant) opens an epoch, whose secret unwraps the one before it.
      for (let i = epochs.length - 1; i >= 0; i--) {
        const e = epochs[i]!;
        const context = { cell: id, scope, epoch: e.epoch };
        // Only grants to this device's member can hold its key: each lockbox has its own ephemeral key,
        // so trying one costs an ECDH whether it is ours or not (a thousand admissions, a thousand grants).
        const mine = e.grants.filter((_, k) => e.grantees[k] === me);
        const canonical = await this.openAny([e.lockboxes, ...mine], context);
        const alternates = await Promise.all(e.alternates.map((a) => this.openAny([a.lockboxes], context)));
        const secret = canonical ?? alternates.find((x) => x !== undefined) ?? known.get(e.epoch);
        if (secret) known.set(e.epoch, secret);
        if (secret && e.previous && i > 0 && !known.has(epochs[i - 1]!.epoch)) {
          known.set(epochs[i - 1]!.epoch, await unwrapPrevious(secret, e.previous, context));
        }
        for (const [k, alt] of alternates.entries()) {
          if (!alt) continue;
          this.alternateSecrets.set(`${scope}#${e.epoch}#${e.alternates[k]!.op}`, alt);
          await this.once(`${scope}#${e.epoch}#${e.alternates[k]!.op}`, () =>
            kit.addScope(scopeId, alt, e.epoch, { send: false }),
          );
        }
      }
      for (const [epoch, secret] of [...known].sort(([a], [b]) => a - b)) {
        await this.once(`${scope}#${epoch}#${toHex(secret)}`, () => {
          kit.setAuthority(scopeId, this.ctx.authority());
          return kit.addScope(scopeId, secret, epoch);
        });
      }
    }
    if (me) {
      for (const invite of state.invites.values()) {
        if (!awaited(state, invite, hasRight(state.rules, member!.roles, "admit"), kit.clock.now())) continue;
        await this.once(`invite#${invite.key}`, () =>
          kit.addScope(this.ctx.inboxScope(invite.key), fromBase64(invite.inbox)),
        );
      }
    }
  }

  /** The secret of one epoch of a scope this device writes under, if it holds it. */
  secret(scope: string, epoch: number): Uint8Array | undefined {
    return this.secrets.get(scope)?.get(epoch);
  }

  /**
   * Every secret this device holds for one epoch of a scope: the one it writes under first, then those of
   * concurrent rotations to the same epoch (something sealed by their authors may be under them).
   */
  secretsOf(scope: string, epoch: number): Uint8Array[] {
    const main = this.secret(scope, epoch);
    const prefix = `${scope}#${epoch}#`;
    const alternates = [...this.alternateSecrets].filter(([k]) => k.startsWith(prefix)).map(([, s]) => s);
    return main ? [main, ...alternates.filter((s) => s !== main)] : alternates;
  }

  /** The secret the first of these lockbox lists opens for this device (each list is tried once). */
  private async openAny(lists: Lockboxes[], context: LockboxContext): Promise<Uint8Array | undefined> {
    for (const boxes of lists) {
      if (!this.tried.has(boxes)) {
        const secret =
          (await openLockbox(boxes, this.ctx.kit.device, context)) ??
          (this.recovering && (await openLockbox(boxes, this.recovering, context)));
        this.tried.set(boxes, secret);
      }
      const secret = this.tried.get(boxes);
      if (secret) return secret;
    }
    return undefined;
  }

  /** A new epoch for a scope, sealed to the active devices of its readers. */
  async rotate(scope: string): Promise<void> {
    const log = this.ctx.log();
    const state = log.state();
    const epochs = state.scopes.get(scope) ?? [];
    const epoch = (epochs.at(-1)?.epoch ?? 0) + 1;
    const context = { cell: this.ctx.id, scope, epoch };
    const secret = newScopeSecret();
    const previousSecret = epochs.length > 0 ? this.secrets.get(scope)?.get(epoch - 1) : undefined;
    if (epochs.length > 0 && !previousSecret)
      throw new ForbiddenError(`this device cannot read scope ${scope}`);
    const lockboxes = await sealLockboxes(secret, [...readers(state, scope).values()], context);
    const previous = previousSecret ? await wrapPrevious(secret, previousSecret, context) : null;
    await this.ctx.commit(
      await writeOp(this.ctx.kit.device, log, { type: "rotate", scope, epoch, lockboxes, previous }),
    );
  }

  /** The current keys of every scope a member reads (or of `only` these), sealed to their active devices. */
  async share(member: MemberId, only?: readonly string[]): Promise<void> {
    const log = this.ctx.log();
    const state = log.state();
    const devices = devicesOf(state, [member]).map((d) => ({ agreement: d.keys.agreement }));
    if (devices.length === 0) return;
    for (const scope of state.scopes.keys()) {
      if (!reads(state, scope, member) || (only && !only.includes(scope))) continue;
      const current = state.scopes.get(scope)!.at(-1)!;
      const secret = this.secrets.get(scope)?.get(current.epoch);
      if (!secret) continue;
      const lockboxes = await sealLockboxes(secret, devices, {
        cell: this.ctx.id,
        scope,
        epoch: current.epoch,
      });
      await this.ctx.commit(
        await writeOp(this.ctx.kit.device, log, {
          type: "share-keys",
          scope,
          epoch: current.epoch,
          member,
          lockboxes,
        }),
      );
    }
  }

  /**
   * The scopes whose current key a departed device (removed, or of a removed member) may still hold, as this
   * device has judged them (`rotateStale` records when it first saw each one stale: its standby counts from then).
   */
  staleScopes(): string[] {
    const log = this.ctx.log();
    const state = log.state();
    return [...state.scopes].flatMap(([scope, epochs]) =>
      this.staleSince.has(`${scope}#${epochs.at(-1)!.epoch}`) &&
      stale(state, scope, (heads) => log.stateAt(heads))
        ? [scope]
        : [],
    );
  }

  /**
   * Rotates every scope whose key a departed device may hold. To keep concurrent rotations rare, the
   * device whose op made the key stale (`mine`) does it at once if it may rotate, and so does the first
   * designated member's (see `designatedRotators`); each other rotator waits `ROTATION_STANDBY_MS` times
   * its rank, by the Kit's clock, then does it if the scope is still stale (the first may be offline).
   *
   * One run at a time. A call made while one runs asks it for another pass (with `mine` if it says so):
   * refreshes set off by the run's own ops return at once (they are inside it: waiting would wait for
   * themselves), while this device's own op (`mine`, never inside a run) waits for that pass, so that
   * `remove`, `revoke` and `removeDevice` resolve once the keys they made stale are rotated.
   */
  async rotateStale(mine = false): Promise<void> {
    if (this.rotation) {
      this.again = { mine: mine || (this.again?.mine ?? false) };
      if (mine) await this.rotation;
      return;
    }
    this.rotation = this.rotateStaleRuns(mine);
    try {
      await this.rotation;
    } finally {
      this.rotation = undefined;
    }
  }

  private async rotateStaleRuns(mine: boolean): Promise<void> {
    for (let pass: { mine: boolean } | undefined = { mine }; pass; pass = this.again) {
      this.again = undefined;
      await this.rotateStaleOnce(pass.mine);
    }
  }

  private async rotateStaleOnce(mine: boolean): Promise<void> {
    const me = this.ctx.me();
    if (me?.status !== "member") return;
    const now = this.ctx.kit.clock.now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const scope of [...this.ctx.log().state().scopes.keys()]) {
      const state = this.ctx.log().state();
      const epoch = state.scopes.get(scope)!.at(-1)!.epoch;
      if (!stale(state, scope, (heads) => this.ctx.log().stateAt(heads))) continue;
      const key = `${scope}#${epoch}`;
      if (!this.staleSince.has(key)) this.staleSince.set(key, now);
      if (!this.secrets.get(scope)?.has(epoch)) continue;
      const rank = designatedRotators(state, scope).indexOf(me.id);
      if (rank < 0) continue;
      const due = this.staleSince.get(key)! + ROTATION_STANDBY_MS * rank;
      if (mine || now >= due) await this.rotate(scope);
      else nextDue = Math.min(nextDue, due);
    }
    if (nextDue < Number.POSITIVE_INFINITY) this.standBy(nextDue - now);
  }

  /** Checks the standby rotations again after `ms` (at most `STANDBY_CHECK_MS`: the Kit's clock decides). */
  private standBy(ms: number): void {
    if (this.wake) return;
    this.wake = setTimeout(
      () => {
        this.wake = undefined;
        // A failure (the Kit closed, a relay down) is tried again at the next change of the log.
        this.rotateStale().catch(() => {});
      },
      Math.min(ms, STANDBY_CHECK_MS),
    );
    (this.wake as { unref?: () => void }).unref?.();
  }
}

/**
 * Whether an invitation's inbox may still carry something this device should pick up: a redeem while the
 * invitation can be used (any member passes redeems on, in case no officer is online), the welcome of
 * someone who redeemed it and waits for admission, and — for those who admit — a second redeem of a used
 * single-use invitation until it expires (refused, but seen). The others are not listened to: each costs
 * a key derivation and a subscription at every start.
 */
function awaited(state: CellState, invite: InviteState, admits: boolean, now: number): boolean {
  const open = !invite.revoked && invite.expires > now;
  const usable = open && (!invite.single || invite.redeemedBy.length === 0);
  return (
    usable || (admits && open) || invite.redeemedBy.some((m) => state.members.get(m)?.status === "pending")
  );
}
