/**
 * What a device keeps of a cell between runs, in the Kit's storage: a record that it belongs (or asked
 * to belong) to the cell, with the invitation it redeemed while waiting for the welcome, and the
 * governance log's ops as their signed wire bytes. Scope secrets are not stored: they are re-opened from
 * the lockboxes in the log with the device's own key.
 *
 * Keys: `["cellule-cell", cellId]` → JSON record, `["cellule-gov", cellId, opHash]` → op bytes,
 * `["cellule-mailbox", cellId, scope]` → JSON heads of the ops already posted to a recovery mailbox,
 * `["cellule-late", cellId, memberId]` → nothing: that member's redeem reached this device only after its
 * invitation expired by this device's clock (see Membership.redeemed),
 * `["cellule-approved", cellId, signingKey]` → JSON `Approval`: this device accepted the request to join of
 * the device with that signing key, and admits its redeem of `invite` when it comes, also after a restart
 * (see Membership.acceptJoin); dropped once admitted, once the invitation has expired or was revoked,
 * `["cellule-seen", cellId, deviceId]` → JSON number: when this device last received something signed by
 * that device, by this device's clock (see CellDevices.lastSeen),
 * `["cellule-quarantine", …key]` → a stored value that could not be read (see `quarantine`).
 */
import type { StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo";
import { fromUtf8, utf8 } from "../base/bytes.js";
import { IntegrityError, KitInUseError } from "../base/errors.js";
import type { CellId, DeviceId, MemberId } from "../base/ids.js";
import type { Invitation } from "../governance/actions.js";
import type { OpHash, SignedOp } from "../governance/types.js";

const CELL_KEY = "cellule-cell";
const OPS_KEY = "cellule-gov";
const MAILBOX_KEY = "cellule-mailbox";
const QUARANTINE_KEY = "cellule-quarantine";
const LATE_KEY = "cellule-late";
const APPROVED_KEY = "cellule-approved";
const SEEN_KEY = "cellule-seen";
/** Where a request to join waits for its invitation (see join-request.ts). */
export const JOIN_REQUEST_KEY = "cellule-join-request";

/** The record of one cell on this device. */
export interface CellRecord {
  /** The invitation this device redeemed to join; kept until the welcome arrives. */
  invitation?: Invitation;
}

/** A request to join this device accepted: the invitation sent to the requesting device, and its expiry. */
export interface Approval {
  /** The invitation's ID (its public key). */
  invite: string;
  /** When the invitation expires (ms): the approval goes with it. */
  expires: number;
}

/** See the module comment. */
export class CellStore {
  constructor(
    private readonly storage: StorageAdapterInterface,
    readonly cellId: CellId,
  ) {}

  /** The IDs of every cell this device belongs to or asked to join. */
  static async list(storage: StorageAdapterInterface): Promise<CellId[]> {
    return (await storage.loadRange([CELL_KEY])).map((c) => c.key[1] as CellId);
  }

  /**
   * Refuses (`KitInUseError`) to bring a cell onto a Kit that holds another one, founded, joined or asked
   * to join: each cell gets a device key of its own. `cellId` is the cell about to be entered (a request to
   * join it may wait here); none when it is not known yet (founding, linking, recovering).
   */
  static async claim(storage: StorageAdapterInterface, cellId?: CellId): Promise<void> {
    const requested = (await storage.loadRange([JOIN_REQUEST_KEY])).map((c) => c.key[1] as CellId);
    const other = [...(await CellStore.list(storage)), ...requested].find((c) => c !== cellId);
    if (other === undefined) return;
    throw new KitInUseError(
      `this Kit already holds cell ${other.slice(0, 12)}…: open another Kit (its own storage and key name) for another cell`,
    );
  }

  async saveRecord(record: CellRecord): Promise<void> {
    await this.storage.save([CELL_KEY, this.cellId], utf8(JSON.stringify(record)));
  }

  /** The record, or `undefined` when this device knows nothing of the cell. */
  async loadRecord(): Promise<CellRecord | undefined> {
    const bytes = await this.storage.load([CELL_KEY, this.cellId]);
    if (!bytes) return undefined;
    try {
      return JSON.parse(fromUtf8(bytes)) as CellRecord;
    } catch (cause) {
      throw new IntegrityError(`the stored record of cell ${this.cellId.slice(0, 12)}… is corrupt`, {
        cause,
      });
    }
  }

  /** Records that every op up to `heads` is in a recovery mailbox (see CellDevices.postToMailboxes). */
  async savePosted(mailbox: string, heads: readonly OpHash[]): Promise<void> {
    await this.storage.save([MAILBOX_KEY, this.cellId, mailbox], utf8(JSON.stringify(heads)));
  }

  /** The heads `savePosted` recorded for a mailbox; none when nothing was (or the record is unreadable). */
  async loadPosted(mailbox: string): Promise<OpHash[]> {
    const bytes = await this.storage.load([MAILBOX_KEY, this.cellId, mailbox]);
    try {
      const heads: unknown = bytes ? JSON.parse(fromUtf8(bytes)) : [];
      // Unreadable progress only costs a repost of the whole log.
      return Array.isArray(heads) && heads.every((h) => typeof h === "string") ? (heads as OpHash[]) : [];
    } catch {
      return [];
    }
  }

  /** Records that a member's redeem reached this device after its invitation had expired. */
  async saveLate(member: MemberId): Promise<void> {
    await this.storage.save([LATE_KEY, this.cellId, member], new Uint8Array(0));
  }

  /** The members `saveLate` recorded. */
  async loadLate(): Promise<Set<MemberId>> {
    const chunks = await this.storage.loadRange([LATE_KEY, this.cellId]);
    return new Set(chunks.map((c) => c.key[2] as MemberId));
  }

  /** Records that this device admits the redeem of `approval.invite` by the device whose signing key is `signing`. */
  async saveApproval(signing: string, approval: Approval): Promise<void> {
    await this.storage.save([APPROVED_KEY, this.cellId, signing], utf8(JSON.stringify(approval)));
  }

  /**
   * The approvals `saveApproval` recorded, by signing key. One that cannot be read is forgotten (removed):
   * the cost is an officer admitting that newcomer by hand.
   */
  async loadApprovals(): Promise<Map<string, Approval>> {
    const found = new Map<string, Approval>();
    for (const { key, data } of await this.storage.loadRange([APPROVED_KEY, this.cellId])) {
      const signing = key[2];
      let approval: Partial<Approval> | undefined;
      try {
        approval = data ? JSON.parse(fromUtf8(data)) : undefined;
      } catch {
        approval = undefined;
      }
      if (signing && typeof approval?.invite === "string" && Number.isSafeInteger(approval.expires))
        found.set(signing, { invite: approval.invite, expires: approval.expires! });
      else await this.storage.remove(key);
    }
    return found;
  }

  /** Forgets an approval (admitted, expired or revoked). */
  async removeApproval(signing: string): Promise<void> {
    await this.storage.remove([APPROVED_KEY, this.cellId, signing]);
  }

  /** Records when this device last received something signed by each of these devices (ms, its clock). */
  async saveSeen(seen: ReadonlyMap<DeviceId, number>): Promise<void> {
    await Promise.all(
      [...seen].map(([device, at]) => this.storage.save([SEEN_KEY, this.cellId, device], utf8(String(at)))),
    );
  }

  /** What `saveSeen` recorded; unreadable entries are skipped. */
  async loadSeen(): Promise<Map<DeviceId, number>> {
    const seen = new Map<DeviceId, number>();
    for (const { key, data } of await this.storage.loadRange([SEEN_KEY, this.cellId])) {
      let at = Number.NaN;
      try {
        if (data) at = Number(fromUtf8(data));
      } catch {}
      if (key[2] && Number.isSafeInteger(at)) seen.set(key[2] as DeviceId, at);
    }
    return seen;
  }

  async saveOps(ops: readonly SignedOp[]): Promise<void> {
    await Promise.all(ops.map((op) => this.storage.save([OPS_KEY, this.cellId, op.hash], op.bytes)));
  }

  /** The stored ops' bytes, with their keys (to be verified again by the caller). */
  async loadOps(): Promise<{ key: StorageKey; bytes: Uint8Array }[]> {
    const chunks = await this.storage.loadRange([OPS_KEY, this.cellId]);
    return chunks.flatMap((c) => (c.data ? [{ key: c.key, bytes: c.data }] : []));
  }

  /**
   * Moves a stored value that cannot be read out of the way: kept under `["cellule-quarantine", …key]`
   * for whoever wants to look at it, removed from where it was.
   */
  async quarantine(key: StorageKey, bytes: Uint8Array): Promise<void> {
    await this.storage.save([QUARANTINE_KEY, ...key], bytes);
    await this.storage.remove(key);
  }
}
