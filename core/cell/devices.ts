/**
 * A member's devices in a cell (DESIGN §7): certifying a device, linking a new one with a code (see
 * link.ts), the recovery phrase's device and its mailbox on the relays (see recovery-mailbox.ts), and
 * finishing a recovery on a new device.
 */

import { NotAMemberError } from "../base/errors.js";
import type { MemberId } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import {
  newRecoveryPhrase,
  type PhraseLanguage,
  recoveryIdentity,
  recoveryMailbox,
} from "../crypto/recovery-phrase.js";
import { publicKeys, removeDevice, writeOp } from "../governance/actions.js";
import type { DeviceKeysPublic, MemberState, OpHash } from "../governance/types.js";
import type { CellContext } from "./context.js";
import type { CellKeys } from "./keys.js";
import { type LinkOffer, offerLink } from "./link.js";

/** How long without a new op counts as caught up, while recovering. */
const QUIET_MS = 1000;

/** See the module comment. */
export class CellDevices {
  /**
   * By mailbox, the heads of what this device posted there: every op up to them (the log is posted
   * whole the first time). Kept in storage, so that a restart posts only what is new.
   */
  private readonly posted = new Map<string, Promise<OpHash[]>>();

  constructor(
    private readonly ctx: CellContext,
    private readonly keys: CellKeys,
  ) {}

  /** Certifies a device of this device's member, and gives it the keys the member reads. */
  async certify(keys: DeviceKeysPublic, recovery = false): Promise<void> {
    const me = this.member();
    await this.ctx.commit(
      await writeOp(this.ctx.kit.device, this.ctx.log(), {
        type: "add-device",
        member: me.id,
        device: keys,
        ...(recovery ? { recovery } : {}),
      }),
    );
    await this.keys.share(me.id);
  }

  /** A link offer for a new device of this member. */
  offerLink(ttlMs?: number): Promise<LinkOffer> {
    this.member();
    return offerLink(
      {
        kit: this.ctx.kit,
        certify: (keys) => this.certify(keys),
        sendLog: (s, d) => this.ctx.sendLog(s, d),
      },
      ttlMs,
    );
  }

  /** A new recovery phrase, whose device replaces the member's earlier recovery device. */
  async createRecovery(language: PhraseLanguage): Promise<string> {
    const me = this.member();
    const phrase = newRecoveryPhrase(language);
    const recovery = await recoveryIdentity(phrase);
    const log = this.ctx.log();
    for (const id of me.devices) {
      const d = log.state().devices.get(id)!;
      if (d.recovery && !d.removed) await this.ctx.commit(await removeDevice(this.ctx.kit.device, log, id));
    }
    await this.certify(publicKeys(recovery), true);
    return phrase;
  }

  /**
   * On a new device whose cell was just rebuilt from a recovery mailbox (the keys opened by the recovery
   * device): certifies this device for the member, by the recovery device, and gives it the keys. Ops
   * made before that may still be arriving through the scopes just opened: the recovery device's keys
   * stay in use until the log is quiet, then this device is given the keys those ops made.
   */
  async completeRecovery(recovery: DeviceIdentity): Promise<void> {
    const log = this.ctx.log();
    const member = log.state().devices.get(recovery.id)?.member;
    if (!member) throw new NotAMemberError("this recovery phrase belongs to no member of the cell it found");
    await this.ctx.commit(
      await writeOp(recovery, log, { type: "add-device", member, device: publicKeys(this.ctx.kit.device) }),
    );
    await this.keys.share(member);
    const latest = () => new Map([...log.state().scopes].map(([scope, e]) => [scope, e.at(-1)!.op]));
    const before = latest();
    await this.ctx.quiet(QUIET_MS, 10 * QUIET_MS);
    const changed = [...latest()].filter(([scope, op]) => before.get(scope) !== op).map(([scope]) => scope);
    if (changed.length > 0) await this.keys.share(member as MemberId, changed);
  }

  /** Posts the ops not posted yet to the mailbox of each of this member's recovery devices. */
  async postToMailboxes(): Promise<void> {
    const me = this.ctx.me();
    if (me?.status !== "member" || this.keys.recovering) return;
    const log = this.ctx.log();
    for (const id of me.devices) {
      const d = log.state().devices.get(id)!;
      if (!d.recovery || d.removed) continue;
      const mailbox = await recoveryMailbox(d.keys.agreement);
      await this.keys.once(mailbox.scope, () => this.ctx.kit.addScope(mailbox.scope, mailbox.secret));
      // One post at a time per mailbox: the next waits for this one's heads.
      const previous = this.posted.get(mailbox.scope) ?? this.ctx.store.loadPosted(mailbox.scope);
      const next = previous.then(async (heads) => {
        const known = heads.filter((h) => log.has(h));
        // Taken together, before any await: `fresh` is exactly what `now` adds to `known`.
        const now = log.heads();
        const fresh = log.all().filter((op) => !known.some((h) => log.precedes(op.hash, h)));
        if (fresh.length === 0) return heads;
        await this.ctx.sendOps(fresh, mailbox.scope, mailbox.scope);
        await this.ctx.store.savePosted(mailbox.scope, now);
        return now;
      });
      // A failed post is tried again next time, from what was recorded.
      this.posted.set(
        mailbox.scope,
        next.catch(() => previous),
      );
      await next;
    }
  }

  private member(): MemberState {
    const me = this.ctx.me();
    if (me?.status !== "member") throw new NotAMemberError("only a member's device does this");
    return me;
  }
}
