/**
 * A cell on one device: the facade a developer calls. Its state (members, roles, rules, documents by
 * scope) comes from the governance log; the work is done by its parts, which share one `CellContext`:
 * - lifecycle.ts: found, join, open again, adopt a log sent to a linked or recovered device;
 * - governance-sync.ts: ops received, and what every change of the log sets off;
 * - membership.ts: invitations, admissions, removals, roles, devices;
 * - keys.ts (scope keys and their rotation), devices.ts (linking, recovery), publication.ts (the keys that
 *   sign editions, contact requests), pairs.ts (two-person scopes).
 * The cell's site and editions are a feature above it (core/site/), like its booklet and treasury.
 * A Kit holds one cell (`KitInUseError` otherwise): a device key used in two cells would tell relays and
 * both cells' members that one device is in both.
 *
 * Where things travel (all sealed, so relays see opaque topics and ciphertext):
 * - governance ops: kind-3 envelopes under the `members` scope's current epoch;
 * - a redeem: under the invitation's inbox scope, whose secret is in the invitation and in the (sealed)
 *   invite op, so any member device can pick it up; the welcome that answers it, sealed to the redeeming
 *   device's own key (welcome.ts), never under the inbox, which anyone holding the invitation reads;
 * - scope keys: lockboxes inside `rotate` and `share-keys` ops, one per reader device.
 * Removing a member rotates every scope they could read: new secret, lockboxes for the remaining
 * readers, the previous secret wrapped under the new one so history stays readable.
 */
import type { Canonical } from "../base/canonical-json.js";
import { Emitter } from "../base/emitter.js";
import { type ForbiddenError, IntegrityError, InvalidArgumentError, TimeoutError } from "../base/errors.js";
import {
  type CellId,
  cellIdOf,
  type DeviceId,
  type DocId,
  type MemberId,
  type ScopeId,
} from "../base/ids.js";
import { type PhraseLanguage, recoveryIdentity, recoveryMailboxSecret } from "../crypto/recovery-phrase.js";
import {
  approveRules,
  createGenesis,
  type Invitation,
  proposeRules,
  setPolicy,
  setRelays,
} from "../governance/actions.js";
import { invitationFrom } from "../governance/invitation-text.js";
import { checkRecords, type SignedRecord, signRecord } from "../governance/records.js";
import { DEFAULT_RULES, type Role, type Rules } from "../governance/rules.js";
import type { CellState, MemberState, OpHash, SignedOp } from "../governance/types.js";
import type { CelluleDocument } from "../kit/document.js";
import type { Kit } from "../kit/kit.js";
import type { PublicationCert } from "../protocol/edition-format.js";
import type { PublicationKeys } from "../protocol/publication-cert.js";
import { CellContext } from "./context.js";
import { CellDevices, type DeviceInfo } from "./devices.js";
import { type CellEvents, GovernanceSync } from "./governance-sync.js";
import { CellKeys } from "./keys.js";
import { adoptSent, found, genesisOf, openStored, redeem } from "./lifecycle.js";
import { answerLink, type LinkOffer } from "./link.js";
import { type InvitationInfo, type InviteOptions, Membership } from "./membership.js";
import { openPair, type PairInfo, pairsOf } from "./pairs.js";
import { CellPublication, type ReceivedContact } from "./publication.js";
import { fetchMailbox } from "./recovery-mailbox.js";
import { CellStore } from "./store.js";

export type { CellEvents } from "./governance-sync.js";

/** This device's standing in the cell. */
export type CellStatus = "joining" | "pending" | "member" | "declined" | "removed";

/** See the module comment. */
export class Cell extends Emitter<CellEvents> {
  private readonly ctx: CellContext;
  private readonly keys: CellKeys;
  private readonly devices: CellDevices;
  private readonly publication: CellPublication;
  private readonly membership: Membership;
  private readonly sync: GovernanceSync;

  private constructor(
    /** The Kit this cell lives in (its documents, scopes and transports). */
    readonly kit: Kit,
    /** The cell's ID (its genesis hash). */
    readonly id: CellId,
  ) {
    super();
    this.ctx = new CellContext(kit, id, () => this.sync.refresh());
    this.keys = new CellKeys(this.ctx);
    this.devices = new CellDevices(this.ctx, this.keys);
    this.publication = new CellPublication(this.ctx, this.keys);
    this.membership = new Membership(this.ctx, this.keys, this.publication);
    this.sync = new GovernanceSync(this.ctx, {
      keys: this.keys,
      devices: this.devices,
      publication: this.publication,
      emit: (event, ...args) => this.emit(event, ...args),
      redeemed: (op) => this.membership.redeemed(op),
    });
    kit.onGovernance(
      id,
      (opened) => this.sync.receive(opened),
      (scope) => this.sync.accepts(scope),
    );
  }

  /** The cells this device belongs to, or asked to join (for `Cell.open`). */
  static list(kit: Kit): Promise<CellId[]> {
    return CellStore.list(kit.storage);
  }

  /**
   * Opens a cell this device founded, joined or asked to join, from what it stored: the log is read back
   * (its ops were verified when they arrived, see `readStoredOp`) and the scope keys re-opened from its
   * lockboxes. `NotAMemberError` if the device knows no such cell.
   */
  static async open(kit: Kit, id: CellId): Promise<Cell> {
    const cell = new Cell(kit, id);
    await openStored(cell.ctx, cell.sync);
    await cell.devices.loadSeen();
    await cell.membership.admitApproved();
    return cell;
  }

  /**
   * Founds a cell: the genesis, and a first key for each sealed scope of the rules. Like joining, linking
   * and recovering, `KitInUseError` on a Kit that holds another cell: each cell has a Kit of its own.
   */
  static async create(
    kit: Kit,
    options: { name: string; founderName: string; rules?: Rules },
  ): Promise<Cell> {
    await CellStore.claim(kit.storage);
    const rules = options.rules ?? DEFAULT_RULES;
    const genesis = await createGenesis(kit.device, options.name, options.founderName, rules);
    const cell = new Cell(kit, cellIdOf(genesis.hash));
    await found(cell.ctx, cell.keys, cell.publication, genesis);
    return cell;
  }

  /**
   * Redeems an invitation on this device: the cell's officers see a pending member; once one of them
   * admits it, the welcome brings the log and the keys. `ExpiredInviteError` for an expired invitation.
   */
  static async join(kit: Kit, invite: Invitation | string, options: { name: string }): Promise<Cell> {
    const invitation = invitationFrom(invite);
    if (!options.name?.trim()) throw new InvalidArgumentError("a member needs a name");
    await CellStore.claim(kit.storage, invitation.cell);
    const cell = new Cell(kit, invitation.cell);
    await redeem(cell.ctx, invitation, options.name);
    return cell;
  }

  /**
   * Links this new device with the code a trusted device of the member shows: show `checkCode` to the
   * person; `cell` resolves once the trusted device confirmed it and the log and keys have arrived.
   * `ExpiredLinkError` when nothing comes in time.
   */
  static async link(
    kit: Kit,
    code: string,
    timeoutMs?: number,
  ): Promise<{ checkCode: Promise<string>; cell: Promise<Cell> }> {
    await CellStore.claim(kit.storage);
    const { checkCode, log } = await answerLink(kit, code, timeoutMs);
    const cell = log.then(async ({ ops }) => {
      const cell = await Cell.fromSent(kit, ops);
      if (cell.status !== "member") throw new IntegrityError("the log sent does not certify this device");
      return cell;
    });
    return { checkCode, cell };
  }

  /**
   * Restores a member on this (new) device from their recovery phrase: fetches the log from the recovery
   * mailbox on the relays, opens the keys with the phrase's recovery device, certifies this device for the
   * member and gives it the keys. `InvalidArgumentError` for a wrong phrase (one wrong word is caught);
   * `NotAMemberError` when no cell answers within `timeoutMs`.
   */
  static async recover(kit: Kit, phrase: string, options: { timeoutMs?: number } = {}): Promise<Cell> {
    await CellStore.claim(kit.storage);
    const recovery = await recoveryIdentity(phrase);
    const secret = await recoveryMailboxSecret(phrase);
    const ops = await fetchMailbox(kit, recovery, secret, options.timeoutMs ?? 30_000);
    const cell = await Cell.fromSent(kit, ops, recovery);
    await cell.devices.completeRecovery(recovery, secret);
    cell.keys.recovering = undefined;
    await cell.sync.refresh();
    return cell;
  }

  /** A cell whose log this device was just sent (linking, recovery). */
  private static async fromSent(
    kit: Kit,
    ops: SignedOp[],
    recovering?: Parameters<typeof adoptSent>[4],
  ): Promise<Cell> {
    const cell = new Cell(kit, cellIdOf(genesisOf(ops).hash));
    await adoptSent(cell.ctx, cell.keys, cell.sync, ops, recovering);
    return cell;
  }

  /** The current governance state (`NotWelcomedError` while joining, before the welcome). */
  get state(): CellState {
    return this.ctx.log().state();
  }

  /** The cell's genesis op (`NotWelcomedError` while joining, before the welcome). */
  get genesis(): SignedOp {
    return this.ctx.log().genesis;
  }

  /** The heads of the governance log on this device (what an op or a write made now would cite). */
  get heads(): OpHash[] {
    return this.ctx.log().heads();
  }

  /** This device's standing. */
  get status(): CellStatus {
    return this.ctx.me()?.status ?? "joining";
  }

  /** The member this device acts for, if the log knows it. */
  me(): MemberState | undefined {
    return this.ctx.me();
  }

  /** Everyone the log knows, with status and roles. */
  members(): MemberState[] {
    const log = this.ctx.maybeLog();
    return log ? [...log.state().members.values()] : [];
  }

  /**
   * The ops of the log the rules refuse, each with a `ForbiddenError` saying why: an op its author had no
   * right to make at its parents, or one dropped by a concurrent removal of its author. Every device
   * holding the same ops refuses the same ones.
   */
  refused(): { op: SignedOp; error: ForbiddenError }[] {
    return this.sync.refused();
  }

  /**
   * The scopes whose current key a departed device (a removed member's, a lost phone) may still hold, until
   * someone who may rotate renews it: the member space says so while it lasts. Rotators renew on their own
   * (the first at once, the others after a standby each), or now with `renewStaleKeys`.
   */
  staleScopes(): string[] {
    return this.ctx.maybeLog() ? this.keys.staleScopes() : [];
  }

  /** Renews now every stale scope key this device may rotate (see `staleScopes`). */
  renewStaleKeys(): Promise<void> {
    return this.keys.rotateStale(true);
  }

  /**
   * Resolves once this device is an admitted member with the members key; `TimeoutError` after
   * `timeoutMs`.
   */
  whenMember(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const ready = () => this.status === "member" && this.kit.epochOf(this.scopeId("members")) !== undefined;
      if (ready()) return resolve();
      const timer = setTimeout(() => {
        off();
        reject(new TimeoutError(`not admitted yet (status: ${this.status})`));
      }, timeoutMs);
      const off = this.on("change", () => {
        if (!ready()) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /** The Kit scope ID of one of the cell's scopes (`members`, `officers`, `treasury`, `public`, …). */
  scopeId(name: string): ScopeId {
    return this.ctx.scopeId(name);
  }

  /** Creates a document in one of the cell's scopes; its writers are the scope's (or the policy's) roles. */
  create<T>(scope: string, initial?: Partial<T>): Promise<CelluleDocument<T>> {
    return this.kit.create<T>(this.scopeId(scope), initial);
  }

  /** Opens a document of the cell. */
  open<T>(docId: DocId): Promise<CelluleDocument<T>> {
    return this.kit.open<T>(docId);
  }

  /** The cell's document of that name (e.g. `journal`), if one was named. */
  named(name: string): DocId | undefined {
    return this.ctx.maybeLog()?.state().named.get(name);
  }

  /** Signs a record that matters (a stamp, a vote) for a document; see `checkRecords`. */
  signRecord<T extends Canonical>(kind: string, data: T): Promise<SignedRecord<T>> {
    return signRecord(this.kit.device, this.ctx.log(), kind, data, this.kit.clock.now());
  }

  /**
   * Re-validates records against the log, as every view must: those that count, those refused (with a
   * typed error), and those citing ops not received yet.
   */
  checkRecords<T extends Canonical>(records: readonly unknown[], options: { kind: string; roles: Role[] }) {
    return checkRecords<T>(this.ctx.log(), records, options);
  }

  /** Invites someone with a role; share the returned invitation (a link or QR code) with them only. */
  invite(options: InviteOptions = {}): Promise<Invitation> {
    return this.membership.invite(options);
  }

  /** The cell's invitations (role, expiry, single or multi use, used, revoked), newest expiry first. */
  invitations(): InvitationInfo[] {
    return this.membership.invitations();
  }

  /**
   * Withdraws an invitation not used up yet (whoever may invite may): no redeem of it is taken after, nor
   * one concurrent with it. `InvalidArgumentError` for an unknown one, `ForbiddenError` when not allowed.
   */
  revokeInvite(id: string): Promise<void> {
    return this.membership.revokeInvite(id);
  }

  /**
   * Leaves the cell (this member removes themself): this device reads nothing written after, the scopes
   * they read rotate as for a removal. `NotAMemberError` unless an admitted member.
   */
  leave(): Promise<void> {
    return this.membership.leave();
  }

  /** A member's devices, with the names they gave them and when this device last heard from each. */
  devicesOf(member: MemberId): DeviceInfo[] {
    return this.ctx.maybeLog() ? this.devices.devicesOf(member) : [];
  }

  /**
   * Names one of this member's devices, for every member to see (a `name-device` op: devices are the log's,
   * like their keys). `InvalidArgumentError` for an empty or over-long name, `ForbiddenError` for another's.
   */
  nameDevice(device: DeviceId, name: string): Promise<void> {
    return this.devices.nameDevice(device, name);
  }

  /** Admits a pending member: the op, the keys of the scopes their role reads, and their welcome. */
  admit(member: MemberId): Promise<void> {
    return this.membership.admit(member);
  }

  /** Declines a pending member. */
  decline(member: MemberId): Promise<void> {
    return this.membership.decline(member);
  }

  /**
   * Removes a member. Every scope they could read rotates: at once when this device may rotate keys,
   * otherwise on the first device of an officer who may.
   */
  remove(member: MemberId): Promise<void> {
    return this.membership.remove(member);
  }

  /** Grants a role (and the keys of the scopes it reads). */
  grant(member: MemberId, role: Role): Promise<void> {
    return this.membership.grant(member, role);
  }

  /** Revokes a role; the scopes only that role let them read rotate, as for a removal. */
  revoke(member: MemberId, role: Role): Promise<void> {
    return this.membership.revoke(member, role);
  }

  /** Revokes one device (lost or stolen phone): the scopes it could read rotate, as for a removal. */
  removeDevice(device: DeviceId): Promise<void> {
    return this.membership.removeDevice(device);
  }

  /**
   * Accepts a request to join (a contact request that carries the visitor's device, see join-request.ts):
   * a single-use invitation, sealed to that device, goes to its mailbox; when the device redeems it, this
   * device admits it. `InvalidArgumentError` for a contact that does not ask to join.
   */
  acceptJoin(contact: ReceivedContact): Promise<void> {
    return this.membership.acceptJoin(contact);
  }

  /**
   * Offers to link another device of this member (see link.ts): show `offer.code` (and a QR code of it);
   * when the new device has answered, type the check code it shows into `offer.confirm(code)`.
   */
  startLink(ttlMs?: number): Promise<LinkOffer> {
    return this.devices.offerLink(ttlMs);
  }

  /**
   * Makes this member's recovery phrase (see crypto/recovery-phrase.ts): show it once, the person writes it
   * down. It certifies the phrase's recovery device (replacing an earlier one), which receives every scope
   * key like the member's other devices; this member's devices then keep the log in its mailbox on the relays.
   */
  createRecovery(language: PhraseLanguage = "fr"): Promise<string> {
    return this.devices.createRecovery(language);
  }

  /**
   * The keys that sign the cell's editions (give them to a `Publisher`, see core/site/publish.ts).
   * `ForbiddenError` unless this device's member may publish and holds the officers' key.
   */
  publicationKeys(): Promise<PublicationKeys> {
    return this.publication.keys();
  }

  /**
   * The index of the first link of a publication chain (an edition's, as a relay serves it) that this
   * cell's log did not make — a past or stolen key's extension — or `undefined` when the log made them all.
   */
  foreignPublicationLink(chain: readonly PublicationCert[]): number | undefined {
    return this.publication.foreignLink(chain);
  }

  /**
   * The contact requests visitors left through `<cell-contact>`, newest first (on devices of members who
   * may publish; `contact` events announce new ones).
   */
  contacts(): Promise<ReceivedContact[]> {
    return this.publication.contacts();
  }

  /**
   * Sets a document's read scope and the roles that write it (officers with `set-policy`); with `name`, it
   * becomes the cell's document of that name for every device (see `named`).
   */
  async setPolicy(doc: DocId, policy: { scope: string; writers: Role[]; name?: string }): Promise<void> {
    const { scope, writers, name } = policy;
    await this.ctx.commit(await setPolicy(this.kit.device, this.ctx.log(), doc, scope, writers, name));
  }

  /** Replaces the cell's relay list (http(s) URLs). */
  async setRelays(relays: string[]): Promise<void> {
    for (const url of relays) {
      if (!/^https?:\/\/[^\s/]+/.test(url))
        throw new InvalidArgumentError(`not an http(s) relay URL: ${url}`);
    }
    await this.ctx.commit(await setRelays(this.kit.device, this.ctx.log(), relays));
  }

  /**
   * Proposes new rules; they are in force once the quorum of officers the current rules name has approved
   * (the proposer's approval counts). Returns the proposal's ID for `approveRules`.
   */
  async proposeRules(rules: Rules): Promise<OpHash> {
    const op = await proposeRules(this.kit.device, this.ctx.log(), rules);
    await this.ctx.commit(op);
    return op.hash;
  }

  /** Approves a rules proposal. */
  async approveRules(proposal: OpHash): Promise<void> {
    await this.ctx.commit(await approveRules(this.kit.device, this.ctx.log(), proposal));
  }

  /**
   * Opens a two-person scope with another member, for messages; returns its name, to use with `create`.
   * Only the two of them hold its key. Other members see that the pair exists, never what it holds.
   */
  openPair(member: MemberId): Promise<string> {
    return openPair(this.ctx, member);
  }

  /** The two-person scopes this device's member is in, with whom, and whether they are still open. */
  pairs(): PairInfo[] {
    return pairsOf(this.ctx);
  }
}
