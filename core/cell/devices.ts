/**
 * A member's devices in a cell (DESIGN §7): certifying a device, linking a new one with a code (see
 * link.ts), the recovery phrase's device and its mailbox on the relays (see recovery-mailbox.ts), and
 * finishing a recovery on a new device; the names members give their devices (a `name-device` op in the
 * log) and when this device last received something signed by each device (kept here only).
 *
 * The mailbox's secret comes from the phrase: the device that made it (or recovered with it) holds it, and
 * hands it, with the recovery device's certificate, to each other active device of the member in a sealed
 * box on that device's handover topic, SHA-256("cellule/v1/recovery-handover\n<cell>\n<signing key>").
 * A device takes a handover only when the log shows the named recovery device as its own member's, active,
 * and the certificate is that device's signature. Devices that hold no secret for a recovery device (one
 * made before this scheme) post nothing for it, nor for one whose secret a removed device may hold.
 */

import { fromBase64, fromUtf8, toBase64Url, toHex, utf8 } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError, NotAMemberError } from "../base/errors.js";
import type { DeviceId, MemberId, Topic } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import {
  newRecoveryPhrase,
  type PhraseLanguage,
  recoveryIdentity,
  recoveryMailboxSecret,
} from "../crypto/recovery-phrase.js";
import { openBox, sealBox } from "../crypto/sealed-box.js";
import { sha256 } from "../crypto/suite.js";
import { nameDevice, publicKeys, removeDevice, writeOp } from "../governance/actions.js";
import { MAX_DEVICE_NAME } from "../governance/shape.js";
import type { DeviceKeysPublic, MemberState, OpHash } from "../governance/types.js";
import type { CellContext } from "./context.js";
import type { CellKeys } from "./keys.js";
import { type LinkOffer, offerLink } from "./link.js";
import { certItem, checkMailboxCert, type MailboxKey, mailboxKey } from "./recovery-mailbox.js";

/** How long without a new op counts as caught up, while recovering. */
const QUIET_MS = 1000;
const HANDOVER = "recovery-handover";
const KEY_STORE = "cellule-recovery-key";
const HANDED_STORE = "cellule-recovery-handed";

/** Where a device of the cell receives the mailbox secrets of its member's recovery devices. */
async function handoverTopic(cell: string, signing: string): Promise<Topic> {
  return toHex(await sha256(utf8(`cellule/v1/${HANDOVER}\n${cell}\n${signing}`))) as Topic;
}

interface Handover {
  recovery: DeviceId;
  secret: Uint8Array;
  cert: Uint8Array;
}

/** A device of a member, as the members view shows it. */
export interface DeviceInfo {
  id: DeviceId;
  /** The name its member gave it, if any. */
  name?: string;
  /** Revoked (lost, stolen) or gone with its member's removal. */
  removed: boolean;
  /** The recovery phrase's device (its keys exist only while the phrase is used). */
  recovery: boolean;
  /** The device this cell runs on. */
  self: boolean;
  /**
   * When this device last received something signed by it (a write or governance ops), by this device's
   * clock, ms; undefined when nothing came yet (or for this device itself).
   */
  lastSeen?: number;
}

/** See the module comment. */
export class CellDevices {
  /** When this device last received something signed by each device (its Kit's clock), and what to store. */
  private readonly seen = new Map<DeviceId, number>();
  private readonly unsaved = new Map<DeviceId, number>();
  private saving: Promise<void> | undefined;

  /**
   * By mailbox, the heads of what this device posted there: every op up to them (the log is posted
   * whole the first time). Kept in storage, so that a restart posts only what is new.
   */
  private readonly posted = new Map<string, Promise<OpHash[]>>();
  /** The mailboxes of this member's recovery devices this device holds the secret of. */
  private readonly mailboxes = new Map<DeviceId, MailboxKey>();
  /** Devices given each mailbox's secret already, by recovery device. */
  private readonly handed = new Map<DeviceId, Set<DeviceId>>();
  /** Handovers received before the log showed their recovery device. */
  private unverified: Handover[] = [];
  private loaded: Promise<void> | undefined;
  private watching: Promise<unknown> | undefined;

  constructor(
    private readonly ctx: CellContext,
    private readonly keys: CellKeys,
  ) {}

  /** Reads back what `markSeen` stored (once, when the cell opens). */
  async loadSeen(): Promise<void> {
    for (const [device, at] of await this.ctx.store.loadSeen())
      if (at > (this.seen.get(device) ?? 0)) this.seen.set(device, at);
  }

  /**
   * Records that something signed by `device` was received now (its signature checked). Stored after the
   * current burst of envelopes, one write per device.
   */
  markSeen(device: DeviceId): void {
    // Only devices the log introduces: a stranger's envelopes must not grow what this device stores.
    if (device === this.ctx.kit.device.id || !this.ctx.maybeLog()?.knowsDevice(device)) return;
    const at = this.ctx.kit.clock.now();
    if ((this.seen.get(device) ?? 0) >= at) return;
    this.seen.set(device, at);
    this.unsaved.set(device, at);
    this.saving ??= Promise.resolve().then(async () => {
      const batch = new Map(this.unsaved);
      this.unsaved.clear();
      this.saving = undefined;
      // Losing a "last seen" costs nothing but its display: a failed write is not worth an error.
      await this.ctx.store.saveSeen(batch).catch(() => {});
    });
  }

  /** The devices of a member, with their names and when each was last seen from here. */
  devicesOf(member: MemberId): DeviceInfo[] {
    const state = this.ctx.log().state();
    const m = state.members.get(member);
    if (!m) return [];
    return [...m.devices].flatMap((id) => {
      const d = state.devices.get(id);
      if (!d) return [];
      const seen = this.seen.get(id);
      return [
        {
          id,
          ...(d.name ? { name: d.name } : {}),
          removed: d.removed || m.status === "removed",
          recovery: d.recovery === true,
          self: id === this.ctx.kit.device.id,
          ...(seen !== undefined ? { lastSeen: seen } : {}),
        },
      ];
    });
  }

  /**
   * Names a device of this device's member (`InvalidArgumentError` for an empty name or one over 64
   * characters; `ForbiddenError` for another member's device).
   */
  async nameDevice(device: DeviceId, name: string): Promise<void> {
    const trimmed = typeof name === "string" ? name.trim() : "";
    if (!trimmed || trimmed.length > MAX_DEVICE_NAME)
      throw new InvalidArgumentError(`a device name has 1 to ${MAX_DEVICE_NAME} characters`);
    await this.ctx.commit(await nameDevice(this.ctx.kit.device, this.ctx.log(), device, trimmed));
  }

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
    await this.hold(await mailboxKey(this.ctx.id, recovery, await recoveryMailboxSecret(phrase)));
    await this.postToMailboxes();
    return phrase;
  }

  /**
   * On a new device whose cell was just rebuilt from a recovery mailbox (the keys opened by the recovery
   * device): certifies this device for the member, by the recovery device, and gives it the keys. Ops
   * made before that may still be arriving through the scopes just opened: the recovery device's keys
   * stay in use until the log is quiet, then this device is given the keys those ops made.
   */
  async completeRecovery(recovery: DeviceIdentity, secret: Uint8Array): Promise<void> {
    const log = this.ctx.log();
    const member = log.state().devices.get(recovery.id)?.member;
    if (!member) throw new NotAMemberError("this recovery phrase belongs to no member of the cell it found");
    await this.ctx.commit(
      await writeOp(recovery, log, { type: "add-device", member, device: publicKeys(this.ctx.kit.device) }),
    );
    await this.keys.share(member);
    await this.hold(await mailboxKey(this.ctx.id, recovery, secret));
    const latest = () => new Map([...log.state().scopes].map(([scope, e]) => [scope, e.at(-1)!.op]));
    const before = latest();
    await this.ctx.quiet(QUIET_MS, 10 * QUIET_MS);
    const changed = [...latest()].filter(([scope, op]) => before.get(scope) !== op).map(([scope]) => scope);
    if (changed.length > 0) await this.keys.share(member as MemberId, changed);
  }

  /**
   * Posts the ops not posted yet to the mailbox of each of this member's recovery devices whose secret
   * this device holds, and hands that secret to the member's devices that lack it.
   */
  async postToMailboxes(): Promise<void> {
    const me = this.ctx.me();
    if (me?.status !== "member" || this.keys.recovering) return;
    await this.load();
    this.watching ??= this.watchHandovers();
    await this.watching;
    await this.verify();
    const log = this.ctx.log();
    for (const id of me.devices) {
      const d = log.state().devices.get(id)!;
      const mailbox = this.mailboxes.get(id);
      if (!d.recovery || d.removed || !mailbox || this.exposed(id, me)) continue;
      await this.handOver(mailbox, me);
      await this.keys.once(mailbox.scope, () => this.ctx.kit.addScope(mailbox.scope, mailbox.secret));
      // One post at a time per mailbox: the next waits for this one's heads.
      const previous = this.posted.get(mailbox.scope) ?? this.ctx.store.loadPosted(mailbox.scope);
      const next = previous.then(async (heads) => {
        const known = heads.filter((h) => log.has(h));
        // Taken together, before any await: `fresh` is exactly what `now` adds to `known`.
        const now = log.heads();
        const fresh = log.all().filter((op) => !known.some((h) => log.precedes(op.hash, h)));
        if (fresh.length === 0) return heads;
        await this.ctx.kit.publishGovernance(mailbox.scope, mailbox.scope, [certItem(this.ctx.id, mailbox)]);
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

  /**
   * Whether a device of the member that may hold a mailbox's secret was removed (a lost or stolen phone):
   * any device removed other than before the recovery device was added. Nothing more is posted to that
   * mailbox, so the removed device reads nothing new there; a recovery with the phrase still finds the
   * cell from what it holds and catches up through the cell's scopes (the recovery device keeps getting
   * their keys), and a new phrase makes a new mailbox.
   */
  private exposed(recovery: DeviceId, me: MemberState): boolean {
    const log = this.ctx.log();
    const ops = log.all();
    const added = ops.find((op) => op.body.op.type === "add-device" && op.subjectId === recovery);
    if (!added) return false;
    const state = log.state();
    return ops.some((op) => {
      const o = op.body.op;
      if (o.type !== "remove-device" || !me.devices.has(o.device as DeviceId)) return false;
      return !state.devices.get(o.device as DeviceId)?.recovery && !log.precedes(op.hash, added.hash);
    });
  }

  /** Keeps a mailbox's secret (in storage too): this device posts to it and hands it on. */
  private async hold(key: MailboxKey): Promise<void> {
    this.mailboxes.set(key.recovery, key);
    const record = { secret: toBase64Url(key.secret), cert: toBase64Url(key.cert), scope: key.scope };
    await this.ctx.kit.storage.save([KEY_STORE, this.ctx.id, key.recovery], utf8(JSON.stringify(record)));
  }

  /** Reads back the mailbox secrets held and the handovers made (once). */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const storage = this.ctx.kit.storage;
      for (const { key, data } of await storage.loadRange([KEY_STORE, this.ctx.id])) {
        const recovery = key.at(-1) as DeviceId;
        if (!data || this.mailboxes.has(recovery)) continue;
        try {
          const r = JSON.parse(fromUtf8(data));
          this.mailboxes.set(recovery, {
            recovery,
            secret: fromBase64(r.secret),
            cert: fromBase64(r.cert),
            scope: r.scope,
          });
        } catch {
          // An unreadable record costs a handover from another device, or a new phrase.
        }
      }
      for (const { key, data } of await storage.loadRange([HANDED_STORE, this.ctx.id])) {
        try {
          if (data) this.handed.set(key.at(-1) as DeviceId, new Set(JSON.parse(fromUtf8(data))));
        } catch {}
      }
    })();
    return this.loaded;
  }

  /** Listens for the mailbox secrets the member's other devices hand to this one. */
  private async watchHandovers(): Promise<void> {
    const { kit, id } = this.ctx;
    const topic = await handoverTopic(id, toBase64Url(kit.device.signingPublicKey));
    kit.watchTopic(topic, async (bytes) => {
      const value = await openBox(bytes, { label: HANDOVER, topic, bound: id }, [
        kit.device.agreementPrivateKey,
      ]);
      if (
        typeof value.recovery !== "string" ||
        typeof value.secret !== "string" ||
        typeof value.cert !== "string"
      )
        throw new IntegrityError("a malformed recovery mailbox handover");
      const handover = {
        recovery: value.recovery as DeviceId,
        secret: fromBase64(value.secret),
        cert: fromBase64(value.cert),
      };
      if (this.mailboxes.has(handover.recovery)) return;
      this.unverified.push(handover);
      if ((await this.verify()) > 0) await this.postToMailboxes();
    });
  }

  /**
   * Takes the handovers whose recovery device the log shows as this member's, active, and whose
   * certificate it signed; refuses the others once the log knows their device. Returns how many it took.
   */
  private async verify(): Promise<number> {
    const state = this.ctx.log().state();
    const me = this.ctx.me();
    let taken = 0;
    const waiting: Handover[] = [];
    for (const h of this.unverified.splice(0)) {
      const d = state.devices.get(h.recovery);
      if (!d) {
        waiting.push(h);
        continue;
      }
      if (!d.recovery || d.removed || d.member !== me?.id) continue;
      if (!(await checkMailboxCert(this.ctx.id, h.recovery, d.keys.signing, h.secret, h.cert))) continue;
      const key = await mailboxKey(this.ctx.id, { id: h.recovery, sign: async () => h.cert }, h.secret);
      await this.hold(key);
      taken++;
    }
    this.unverified.push(...waiting);
    return taken;
  }

  /** Seals a mailbox's secret to each active device of the member that was not given it yet. */
  private async handOver(mailbox: MailboxKey, me: MemberState): Promise<void> {
    const state = this.ctx.log().state();
    const handed = this.handed.get(mailbox.recovery) ?? new Set<DeviceId>();
    this.handed.set(mailbox.recovery, handed);
    let changed = false;
    for (const id of me.devices) {
      const d = state.devices.get(id);
      if (!d || d.recovery || d.removed || id === this.ctx.kit.device.id || handed.has(id)) continue;
      const topic = await handoverTopic(this.ctx.id, d.keys.signing);
      const box = await sealBox({ label: HANDOVER, topic, bound: this.ctx.id, index: 0 }, d.keys.agreement, {
        v: 1,
        recovery: mailbox.recovery,
        secret: toBase64Url(mailbox.secret),
        cert: toBase64Url(mailbox.cert),
      });
      await this.ctx.kit.post(box);
      handed.add(id);
      changed = true;
    }
    if (changed)
      await this.ctx.kit.storage.save(
        [HANDED_STORE, this.ctx.id, mailbox.recovery],
        utf8(JSON.stringify([...handed])),
      );
  }

  private member(): MemberState {
    const me = this.ctx.me();
    if (me?.status !== "member") throw new NotAMemberError("only a member's device does this");
    return me;
  }
}
