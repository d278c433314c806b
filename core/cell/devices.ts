/**
 * A member's devices in a cell (DESIGN §7): certifying a device, linking a new one with a code (see
 * link.ts), the recovery phrase's device and its mailbox on the relays (see recovery-mailbox.ts), and
 * finishing a recovery on a new device.
 */

import { NotAMemberError } from "../base/errors.js";
import type { MemberId, ScopeId } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import {
  newRecoveryPhrase,
  type PhraseLanguage,
  recoveryIdentity,
  recoveryMailbox,
} from "../crypto/recovery-phrase.js";
import { publicKeys, removeDevice, writeOp } from "../governance/actions.js";
import type { GovernanceLog } from "../governance/log.js";
import type { DeviceKeysPublic, MemberState, OpHash, SignedOp } from "../governance/types.js";
import type { Kit } from "../kit/kit.js";
import type { CellKeys } from "./keys.js";
import { type LinkOffer, offerLink } from "./link.js";
import type { CellStore } from "./store.js";

/** How long without a new op counts as caught up, while recovering. */
const QUIET_MS = 1000;

/** What the devices need of their cell. */
export interface DevicesHost {
  readonly kit: Kit;
  readonly keys: CellKeys;
  readonly store: CellStore;
  log(): GovernanceLog;
  me(): MemberState | undefined;
  commit(op: SignedOp): Promise<void>;
  /** Sends ops under a scope; `sendLog` sends the whole log and resolves to how many ops it sent. */
  sendOps(ops: readonly SignedOp[], scope: ScopeId, docId: string): Promise<void>;
  sendLog(scope: ScopeId, docId: string): Promise<number>;
  /** Resolves once no op has come from another device for `ms` (at most `maxMs`). */
  quiet(ms: number, maxMs: number): Promise<void>;
}

/** See the module comment. */
export class CellDevices {
  /**
   * By mailbox, the heads of what this device posted there: every op up to them (the log is posted
   * whole the first time). Kept in storage, so that a restart posts only what is new.
   */
  private readonly posted = new Map<string, Promise<OpHash[]>>();

  constructor(private readonly host: DevicesHost) {}

  /** Certifies a device of this device's member, and gives it the keys the member reads. */
  async certify(keys: DeviceKeysPublic, recovery = false): Promise<void> {
    const me = this.member();
    await this.host.commit(
      await writeOp(this.host.kit.device, this.host.log(), {
        type: "add-device",
        member: me.id,
        device: keys,
        ...(recovery ? { recovery } : {}),
      }),
    );
    await this.host.keys.share(me.id);
  }

  /** A link offer for a new device of this member. */
  offerLink(ttlMs?: number): Promise<LinkOffer> {
    this.member();
    return offerLink(
      {
        kit: this.host.kit,
        certify: (keys) => this.certify(keys),
        sendLog: (s, d) => this.host.sendLog(s, d),
      },
      ttlMs,
    );
  }

  /** A new recovery phrase, whose device replaces the member's earlier recovery device. */
  async createRecovery(language: PhraseLanguage): Promise<string> {
    const me = this.member();
    const phrase = newRecoveryPhrase(language);
    const recovery = await recoveryIdentity(phrase);
    const log = this.host.log();
    for (const id of me.devices) {
      const d = log.state().devices.get(id)!;
      if (d.recovery && !d.removed) await this.host.commit(await removeDevice(this.host.kit.device, log, id));
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
    const log = this.host.log();
    const member = log.state().devices.get(recovery.id)?.member;
    if (!member) throw new NotAMemberError("this recovery phrase belongs to no member of the cell it found");
    await this.host.commit(
      await writeOp(recovery, log, { type: "add-device", member, device: publicKeys(this.host.kit.device) }),
    );
    await this.host.keys.share(member);
    const latest = () => new Map([...log.state().scopes].map(([scope, e]) => [scope, e.at(-1)!.op]));
    const before = latest();
    await this.host.quiet(QUIET_MS, 10 * QUIET_MS);
    const changed = [...latest()].filter(([scope, op]) => before.get(scope) !== op).map(([scope]) => scope);
    if (changed.length > 0) await this.host.keys.share(member as MemberId, changed);
  }

  /** Posts the ops not posted yet to the mailbox of each of this member's recovery devices. */
  async postToMailboxes(): Promise<void> {
    const me = this.host.me();
    if (me?.status !== "member" || this.host.keys.recovering) return;
    const log = this.host.log();
    for (const id of me.devices) {
      const d = log.state().devices.get(id)!;
      if (!d.recovery || d.removed) continue;
      const mailbox = await recoveryMailbox(d.keys.agreement);
      await this.host.keys.once(mailbox.scope, () => this.host.kit.addScope(mailbox.scope, mailbox.secret));
      // One post at a time per mailbox: the next waits for this one's heads.
      const previous = this.posted.get(mailbox.scope) ?? this.host.store.loadPosted(mailbox.scope);
      const next = previous.then(async (heads) => {
        const known = heads.filter((h) => log.has(h));
        // Taken together, before any await: `fresh` is exactly what `now` adds to `known`.
        const now = log.heads();
        const fresh = log.all().filter((op) => !known.some((h) => log.precedes(op.hash, h)));
        if (fresh.length === 0) return heads;
        await this.host.sendOps(fresh, mailbox.scope, mailbox.scope);
        await this.host.store.savePosted(mailbox.scope, now);
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
    const me = this.host.me();
    if (me?.status !== "member") throw new NotAMemberError("only a member's device does this");
    return me;
  }
}
