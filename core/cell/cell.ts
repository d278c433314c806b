/**
 * A cell on one device: its governance log, the scope keys this device can open, and the operations a
 * developer calls (create, invite, join, admit, remove, grant and revoke roles, documents by scope).
 *
 * Where things travel (all sealed, so relays see opaque topics and ciphertext):
 * - governance ops: kind-3 envelopes under the `members` scope's current epoch;
 * - a redeem, and the welcome that answers it: under the invitation's inbox scope, whose secret is in the
 *   invitation and in the (sealed) invite op, so any member device can pick the redeem up;
 * - scope keys: lockboxes inside `rotate` and `share-keys` ops, one per reader device.
 * Removing a member rotates every scope they could read: new secret, lockboxes for the remaining
 * readers, the previous secret wrapped under the new one so history stays readable.
 */
import { fromBase64, randomBytes, toBase64Url } from "../base/bytes.js";
import type { Canonical } from "../base/canonical-json.js";
import { Emitter } from "../base/emitter.js";
import { ForbiddenError, IntegrityError, InvalidArgumentError, NotAMemberError } from "../base/errors.js";
import type { CellId, DeviceId, DocId, MemberId, ScopeId } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { type PhraseLanguage, recoveryIdentity } from "../crypto/recovery-phrase.js";
import {
  admit as admitOp,
  approveRules,
  createGenesis,
  createInvite,
  decline as declineOp,
  type Invitation,
  proposeRules,
  redeemInvite,
  removeDevice,
  removeMember,
  setPolicy,
  setRelays,
  setRole,
  writeOp,
} from "../governance/actions.js";
import { invitationFrom } from "../governance/invitation-text.js";
import { sealLockboxes } from "../governance/lockbox.js";
import { GovernanceLog } from "../governance/log.js";
import { readOps, readStoredOp } from "../governance/ops.js";
import { devicesOf } from "../governance/readers.js";
import { checkRecords, type SignedRecord, signRecord } from "../governance/records.js";
import { DEFAULT_RULES, type Role, type Rules } from "../governance/rules.js";
import { memberOfDevice } from "../governance/state.js";
import type { CellState, MemberState, OpHash, SignedOp } from "../governance/types.js";
import { GovernanceAuthority } from "../governance/write-authority.js";
import type { CelluleDocument } from "../kit/document.js";
import type { Kit } from "../kit/kit.js";
import type { OpenedEnvelope } from "../protocol/envelope.js";
import type { PublicationKeys } from "../protocol/publication-cert.js";
import { newScopeSecret } from "../protocol/scope-keys.js";
import { joiningDevice, sealInvitation } from "./device-mail.js";
import { CellDevices } from "./devices.js";
import { CellKeys } from "./keys.js";
import { answerLink, type LinkOffer } from "./link.js";
import { CellPublication, type ReceivedContact } from "./publication.js";
import { fetchMailbox } from "./recovery-mailbox.js";
import { CellStore } from "./store.js";

/** Events of a cell. */
export interface CellEvents {
  /** The governance state changed (members, roles, keys, rules). */
  change: (state: CellState) => void;
  /** An op in the log is refused by the rules (not allowed to its author, or dropped by a concurrent removal). */
  refused: (op: SignedOp, error: ForbiddenError) => void;
  /** A visitor's contact request arrived (on devices of members who may publish). */
  contact: (contact: ReceivedContact) => void;
}

/** This device's standing in the cell. */
export type CellStatus = "joining" | "pending" | "member" | "declined" | "removed";

/** Split the welcome so that no envelope exceeds the relays' frame limit. */
const WELCOME_CHUNK = 512 * 1024;

/** See the module comment. */
export class Cell extends Emitter<CellEvents> {
  private log: GovernanceLog | undefined;
  private authority: GovernanceAuthority | undefined;
  /** Ops received before the genesis (a joiner's welcome may arrive in pieces). */
  private readonly early: SignedOp[] = [];
  private readonly welcomed = new Set<string>();
  /** Ops already reported through `refused` events. */
  private readonly reported = new Set<string>();
  private readonly store: CellStore;
  private readonly keys: CellKeys;
  private readonly devices: CellDevices;
  private readonly publication: CellPublication;
  /** When the last op came from another device (ms), for `quiet`. */
  private lastOp = 0;
  /** Signing keys of devices whose request to join this device accepted: their redeem is admitted. */
  private readonly approved = new Set<string>();

  private constructor(
    /** The Kit this cell lives in (its documents, scopes and transports). */
    readonly kit: Kit,
    /** The cell's ID (its genesis hash). */
    readonly id: CellId,
  ) {
    super();
    this.store = new CellStore(kit.storage, id);
    this.keys = new CellKeys({
      kit,
      id,
      log: () => this.requireLog(),
      authority: () => this.authority!,
      me: () => this.me(),
      scopeId: (name) => this.scopeId(name),
      inboxScope: (key) => this.inboxScope(key),
      commit: (op) => this.commit(op),
    });
    this.devices = new CellDevices({
      kit,
      keys: this.keys,
      store: this.store,
      log: () => this.requireLog(),
      me: () => this.me(),
      commit: (op) => this.commit(op),
      sendOps: (ops, scope, docId) => this.sendOps(ops, scope, docId),
      sendLog: (scope, docId) => this.sendLog(scope, docId),
      quiet: (ms, maxMs) => this.quiet(ms, maxMs),
    });
    this.publication = new CellPublication({
      id,
      kit,
      keys: this.keys,
      log: () => this.requireLog(),
      me: () => this.me(),
      commit: (op) => this.commit(op),
    });
    kit.onGovernance(id, (opened) => this.receive(opened));
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
  static async open(kit: Kit, id: CellId | string): Promise<Cell> {
    const cell = new Cell(kit, id as CellId);
    const record = await cell.store.loadRecord();
    if (!record) throw new NotAMemberError(`this device knows no cell ${id.slice(0, 12)}…`);
    const ops = await Promise.all((await cell.store.loadOps()).map((bytes) => readStoredOp(bytes)));
    if (!(await cell.adopt(ops, false)) && record.invitation) {
      await kit.addScope(cell.inboxScope(record.invitation.id), fromBase64(record.invitation.inbox));
    }
    await kit.retryHeld();
    return cell;
  }

  /** Founds a cell: the genesis, and a first key for each sealed scope of the rules. */
  static async create(
    kit: Kit,
    options: { name: string; founderName: string; rules?: Rules },
  ): Promise<Cell> {
    const genesis = await createGenesis(
      kit.device,
      options.name,
      options.founderName,
      options.rules ?? DEFAULT_RULES,
    );
    const cell = new Cell(kit, genesis.hash as unknown as CellId);
    await cell.store.saveRecord({});
    await cell.store.saveOps([genesis]);
    cell.start(genesis);
    for (const scope of cell.sealedScopes()) await cell.keys.rotate(scope);
    // The genesis travels once the members key exists, so later devices and re-seeded relays have it.
    await kit.publishGovernance(cell.id, cell.scopeId("members"), [genesis.bytes]);
    await cell.publication.found();
    return cell;
  }

  /**
   * Redeems an invitation on this device: the cell's officers see a pending member; once one of them
   * admits it, the welcome brings the log and the keys. `ExpiredInviteError` for an expired invitation.
   */
  static async join(kit: Kit, invite: Invitation | string, options: { name: string }): Promise<Cell> {
    const invitation = invitationFrom(invite);
    if (!options.name?.trim()) throw new InvalidArgumentError("a member needs a name");
    const cell = new Cell(kit, invitation.cell);
    const redeem = await redeemInvite(kit.device, invitation, options.name, [
      invitation.op as SignedOp["hash"],
    ]);
    await cell.store.saveRecord({ invitation });
    await cell.store.saveOps([redeem]);
    const inbox = await kit.addScope(cell.inboxScope(invitation.id), fromBase64(invitation.inbox));
    await kit.publishGovernance(cell.id, inbox.scope, [redeem.bytes]);
    cell.early.push(redeem);
    return cell;
  }

  /** The current governance state (throws while joining, before the welcome). */
  get state(): CellState {
    return this.requireLog().state();
  }

  /** The cell's genesis op (throws while joining, before the welcome). */
  get genesis(): SignedOp {
    return this.requireLog().genesis;
  }

  /** The heads of the governance log on this device (what an op or a write made now would cite). */
  get heads(): OpHash[] {
    return this.requireLog().heads();
  }

  /** This device's standing. */
  get status(): CellStatus {
    if (!this.log) return "joining";
    const me = this.me();
    return me?.status ?? "joining";
  }

  /** The member this device acts for, if the log knows it. */
  me(): MemberState | undefined {
    const device = this.log?.state().devices.get(this.kit.device.id);
    return device && this.log!.state().members.get(device.member);
  }

  /**
   * The ops of the log the rules refuse, each with a `ForbiddenError` saying why: an op its author had no
   * right to make at its parents, or one dropped by a concurrent removal of its author. Every device
   * holding the same ops refuses the same ones.
   */
  refused(): { op: SignedOp; error: ForbiddenError }[] {
    const log = this.log;
    if (!log) return [];
    return log.all().flatMap((op) => {
      const status = log.status(op.hash);
      return status && !status.valid ? [{ op, error: new ForbiddenError(`refused: ${status.reason}`) }] : [];
    });
  }

  /**
   * Offers to link another device of this member (see link.ts): show `offer.code` (and a QR code of
   * it); when the new device has answered, type the check code it shows into `offer.confirm(code)`.
   */
  startLink(ttlMs?: number): Promise<LinkOffer> {
    return this.devices.offerLink(ttlMs);
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
    const { checkCode, log } = await answerLink(kit, code, timeoutMs);
    const cell = log.then(async (ops) => {
      const cell = await Cell.fromOps(kit, ops);
      if (cell.status !== "member") throw new IntegrityError("the log sent does not certify this device");
      return cell;
    });
    return { checkCode, cell };
  }

  /**
   * Makes this member's recovery phrase (see crypto/recovery-phrase.ts): show it once, the person writes it down. It
   * certifies the phrase's recovery device (replacing an earlier one), which receives every scope key like
   * the member's other devices; this member's devices then keep the log in its mailbox on the relays.
   */
  createRecovery(language: PhraseLanguage = "fr"): Promise<string> {
    return this.devices.createRecovery(language);
  }

  /**
   * Restores a member on this (new) device from their recovery phrase: fetches the log from the recovery
   * mailbox on the relays, opens the keys with the phrase's recovery device, certifies this device for the
   * member and gives it the keys. `InvalidArgumentError` for a wrong phrase (one wrong word is caught);
   * `NotAMemberError` when no cell answers within `timeoutMs`.
   */
  static async recover(kit: Kit, phrase: string, options: { timeoutMs?: number } = {}): Promise<Cell> {
    const recovery = await recoveryIdentity(phrase);
    const ops = await fetchMailbox(kit, recovery, options.timeoutMs ?? 30_000);
    const cell = await Cell.fromOps(kit, ops, recovery);
    await cell.devices.completeRecovery(recovery);
    cell.keys.recovering = undefined;
    await cell.refresh();
    return cell;
  }

  /** A cell this device was just sent the log of (linking, recovery), recorded as its own. */
  private static async fromOps(kit: Kit, ops: SignedOp[], recovering?: DeviceIdentity): Promise<Cell> {
    const genesis = ops.find((op) => op.body.op.type === "genesis");
    if (!genesis) throw new IntegrityError("this device was sent no genesis");
    const cell = new Cell(kit, genesis.hash as unknown as CellId);
    cell.keys.recovering = recovering;
    await cell.store.saveRecord({});
    await cell.adopt(ops, true);
    return cell;
  }

  /** Takes ops into the log (stored first when `save`); with the genesis among them, opens the keys. */
  private async adopt(ops: SignedOp[], save: boolean): Promise<boolean> {
    if (save) await this.store.saveOps(ops);
    const genesis = ops.find((op) => op.body.op.type === "genesis" && op.hash === (this.id as string));
    this.early.push(...ops.filter((op) => op !== genesis && op.body.cell === this.id));
    if (!genesis) return false;
    this.start(genesis);
    await this.refresh();
    return true;
  }

  /** Signs a record that matters (a stamp, a vote) for a document; see `checkRecords`. */
  signRecord<T extends Canonical>(kind: string, data: T): Promise<SignedRecord<T>> {
    return signRecord(this.kit.device, this.requireLog(), kind, data);
  }

  /**
   * Re-validates records against the log, as every view must: those that count, those refused (with a
   * typed error), and those citing ops not received yet.
   */
  checkRecords<T extends Canonical>(records: readonly unknown[], options: { kind: string; roles: Role[] }) {
    return checkRecords<T>(this.requireLog(), records, options);
  }

  /** Everyone the log knows, with status and roles. */
  members(): MemberState[] {
    return this.log ? [...this.log.state().members.values()] : [];
  }

  /** Resolves once this device is an admitted member with the members key (or rejects after `timeoutMs`). */
  whenMember(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const ready = () => this.status === "member" && this.kit.epochOf(this.scopeId("members")) !== undefined;
      if (ready()) return resolve();
      const timer = setTimeout(() => {
        off();
        reject(new ForbiddenError(`not admitted yet (status: ${this.status})`));
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
    return `${this.id}/${name}` as ScopeId;
  }

  /** Creates a document in one of the cell's scopes; its writers are the scope's (or the policy's) roles. */
  create<T>(scope: string, initial?: Partial<T>): Promise<CelluleDocument<T>> {
    return this.kit.create<T>(this.scopeId(scope), initial);
  }

  /** Opens a document of the cell. */
  open<T>(docId: DocId | string): Promise<CelluleDocument<T>> {
    return this.kit.open<T>(docId);
  }

  /** Invites someone with a role; share the returned invitation (a link or QR code) with them only. */
  async invite(options: { role?: Role; expiresInMs?: number; single?: boolean; relays?: string[] } = {}) {
    const { op, invitation } = await createInvite(this.kit.device, this.requireLog(), {
      ...options,
      expires: Date.now() + (options.expiresInMs ?? 7 * 86_400_000),
    });
    await this.commit(op);
    return invitation;
  }

  /** Admits a pending member: the op, the keys of the scopes their role reads, and their welcome. */
  async admit(member: MemberId | string): Promise<void> {
    const log = this.requireLog();
    await this.commit(await admitOp(this.kit.device, log, member as MemberId));
    await this.keys.share(member as MemberId);
    await this.welcome(member as MemberId);
  }

  /** Declines a pending member. */
  async decline(member: MemberId | string): Promise<void> {
    await this.commit(await declineOp(this.kit.device, this.requireLog(), member as MemberId));
  }

  /**
   * Removes a member. Every scope they could read rotates: at once when this device may rotate keys,
   * otherwise on the first device of an officer who may (see `refresh`).
   */
  async remove(member: MemberId | string): Promise<void> {
    await this.commit(await removeMember(this.kit.device, this.requireLog(), member as MemberId));
    await this.renewKeys();
  }

  /** Grants a role (and the keys of the scopes it reads). */
  async grant(member: MemberId | string, role: Role): Promise<void> {
    await this.commit(await setRole(this.kit.device, this.requireLog(), member as MemberId, role, true));
    await this.keys.share(member as MemberId);
  }

  /** Revokes a role; the scopes only that role let them read rotate, as for a removal. */
  async revoke(member: MemberId | string, role: Role): Promise<void> {
    await this.commit(await setRole(this.kit.device, this.requireLog(), member as MemberId, role, false));
    await this.renewKeys();
  }

  /** Revokes one device (lost or stolen phone): the scopes it could read rotate, as for a removal. */
  async removeDevice(device: DeviceId | string): Promise<void> {
    await this.commit(await removeDevice(this.kit.device, this.requireLog(), device));
    await this.renewKeys();
  }

  /** After this device's op made keys stale: rotates them, then renews the publication keys. */
  private async renewKeys(): Promise<void> {
    await this.keys.rotateStale(true);
    await this.publication.renewIfStale(true);
  }

  /**
   * The keys that sign the cell's editions (give them to a `Publisher`). `ForbiddenError` unless this
   * device's member may publish and holds the officers' key.
   */
  publicationKeys(): Promise<PublicationKeys> {
    return this.publication.keys();
  }

  /**
   * The contact requests visitors left through `<cell-contact>`, newest first (on devices of members who
   * may publish; `contact` events announce new ones).
   */
  contacts(): Promise<ReceivedContact[]> {
    return this.publication.contacts();
  }

  /**
   * Accepts a request to join (a contact request that carries the visitor's device, see join-request.ts):
   * a single-use invitation, sealed to that device, goes to its mailbox; when the device redeems it, this
   * device admits it. `InvalidArgumentError` for a contact that does not ask to join.
   */
  async acceptJoin(contact: ReceivedContact): Promise<void> {
    const device = joiningDevice(contact);
    const invitation = await this.invite({ single: true, expiresInMs: 14 * 86_400_000 });
    this.approved.add(device.signing);
    await this.kit.post(await sealInvitation(this.id, device, invitation));
  }

  /**
   * Sets a document's read scope and the roles that write it (officers with `set-policy`); with `name`, it
   * becomes the cell's document of that name for every device (see `named`).
   */
  async setPolicy(
    doc: DocId | string,
    policy: { scope: string; writers: Role[]; name?: string },
  ): Promise<void> {
    const { scope, writers, name } = policy;
    await this.commit(
      await setPolicy(this.kit.device, this.requireLog(), doc as DocId, scope, writers, name),
    );
  }

  /** The cell's document of that name (e.g. `journal`), if one was named. */
  named(name: string): DocId | undefined {
    return this.log?.state().named.get(name);
  }

  /** Replaces the cell's relay list (http(s) URLs). */
  async setRelays(relays: string[]): Promise<void> {
    for (const url of relays) {
      if (!/^https?:\/\/[^\s/]+/.test(url))
        throw new InvalidArgumentError(`not an http(s) relay URL: ${url}`);
    }
    await this.commit(await setRelays(this.kit.device, this.requireLog(), relays));
  }

  /**
   * Proposes new rules; they are in force once the quorum of officers the current rules name has approved
   * (the proposer's approval counts). Returns the proposal's ID for `approveRules`.
   */
  async proposeRules(rules: Rules): Promise<OpHash> {
    const op = await proposeRules(this.kit.device, this.requireLog(), rules);
    await this.commit(op);
    return op.hash;
  }

  /** Approves a rules proposal. */
  async approveRules(proposal: OpHash | string): Promise<void> {
    await this.commit(await approveRules(this.kit.device, this.requireLog(), proposal as OpHash));
  }

  /**
   * Opens a two-person scope with another member, for messages; returns its name, to use with `create`.
   * Only the two of them hold its key. Other members see that the pair exists, never what it holds.
   */
  async openPair(member: MemberId | string): Promise<string> {
    const log = this.requireLog();
    const state = log.state();
    const me = this.me();
    if (me?.status !== "member") throw new NotAMemberError("only a member opens a pair");
    if (state.members.get(member as MemberId)?.status !== "member" || member === me.id) {
      throw new InvalidArgumentError("a pair is with another member of the cell");
    }
    const scope = `pair:${toBase64Url(randomBytes(16))}`;
    const members: [MemberId, MemberId] = [me.id, member as MemberId];
    const secret = newScopeSecret();
    const lockboxes = await sealLockboxes(
      secret,
      devicesOf(state, members).map((d) => ({ agreement: d.keys.agreement })),
      {
        cell: this.id,
        scope,
        epoch: 1,
      },
    );
    await this.commit(await writeOp(this.kit.device, log, { type: "open-pair", scope, members, lockboxes }));
    return scope;
  }

  /** The two-person scopes this device's member is in, with whom, and whether they are still open. */
  pairs(): { scope: string; with: MemberId; open: boolean }[] {
    const me = this.me();
    if (!me || !this.log) return [];
    return [...this.log.state().pairs].flatMap(([scope, pair]) =>
      pair.members.includes(me.id)
        ? [{ scope, with: pair.members.find((m) => m !== me.id)!, open: pair.open }]
        : [],
    );
  }

  private requireLog(): GovernanceLog {
    if (!this.log) throw new ForbiddenError("this device has not been welcomed into the cell yet");
    return this.log;
  }

  private inboxScope(inviteId: string): ScopeId {
    return this.scopeId(`invite:${inviteId}`);
  }

  private sealedScopes(): string[] {
    return Object.keys(this.requireLog().state().rules.scopes).filter((s) => s !== "public");
  }

  private start(genesis: SignedOp): void {
    this.log = GovernanceLog.fromGenesis(genesis);
    this.authority = new GovernanceAuthority(this.log, `${this.id}/`);
    for (const scope of [...Object.keys(this.log.state().rules.scopes)]) {
      this.kit.setAuthority(this.scopeId(scope), this.authority);
    }
    void this.kit.addScope(this.scopeId("public"));
    for (const op of this.early.splice(0)) this.log.add(op);
  }

  /** Adds an op of this device to the log, sends it, and updates keys. */
  private async commit(op: SignedOp): Promise<void> {
    const members = this.scopeId("members");
    const before = this.kit.epochOf(members);
    this.requireLog().add(op);
    await this.store.saveOps([op]);
    // Under the members epoch in force before the op: a rotation travels under the key it replaces, so the
    // remaining members can read it and open their new lockbox. The very first epoch has no predecessor.
    if (before) await this.kit.publishGovernance(this.id, members, [op.bytes]);
    await this.refresh();
    if (!before) await this.kit.publishGovernance(this.id, members, [op.bytes]);
  }

  /** Waits at least `ms`, then until no op has come from another device for `ms` (at most `maxMs`). */
  private async quiet(ms: number, maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    this.lastOp = Date.now();
    while (Date.now() - this.lastOp < ms && Date.now() < end) {
      await new Promise((r) => setTimeout(r, ms / 4));
    }
  }

  private async receive(opened: OpenedEnvelope): Promise<void> {
    const fresh: SignedOp[] = [];
    for (const op of await readOps(opened.body.items)) {
      if (op.body.op.type === "genesis") {
        if (op.hash !== (this.id as string)) throw new IntegrityError("a genesis of another cell");
        if (!this.log) {
          await this.store.saveOps([op]);
          this.start(op);
        }
        continue;
      }
      if (op.body.cell !== this.id) throw new IntegrityError("an op of another cell");
      if (this.log?.has(op.hash) || this.early.some((e) => e.hash === op.hash)) continue;
      if (this.log) this.log.add(op);
      else this.early.push(op);
      fresh.push(op);
    }
    await this.store.saveOps(fresh);
    if (fresh.length > 0) this.lastOp = Date.now();
    if (!this.log) return;
    await this.refresh();
    // Documents that arrived before these ops can be judged now (not awaited: the Kit's queue is busy
    // with this very envelope).
    if (fresh.length > 0) void this.kit.retryHeld();
    // A redeem picked up from an invitation inbox: pass it on to every member (once the keys are open:
    // a new member's welcome carries redeems too, and must not stop at them).
    const redeems = fresh.filter((op) => op.body.op.type === "redeem");
    for (const op of redeems) {
      const o = op.body.op as { device: { signing: string } };
      const member = this.log.state().members.get(op.authorId as unknown as MemberId);
      if (this.approved.delete(o.device.signing) && member?.status === "pending") await this.admit(member.id);
    }
    const members = this.kit.epochOf(this.scopeId("members"));
    if (redeems.length > 0 && members && memberOfDevice(this.log.state(), this.kit.device.id)) {
      await this.kit.publishGovernance(
        this.id,
        members.scope,
        redeems.map((op) => op.bytes),
      );
    }
  }

  /** Opens the keys this device can reach, rotates stale ones, and tells listeners. */
  private async refresh(): Promise<void> {
    const log = this.requireLog();
    await this.keys.openAll();
    await this.keys.rotateStale();
    await this.publication.renewIfStale();
    await this.publication.watchInbox((contact) => this.emit("contact", contact));
    await this.devices.postToMailboxes();
    this.emit("change", log.state());
    for (const { op, error } of this.refused()) {
      if (this.reported.has(op.hash)) continue;
      this.reported.add(op.hash);
      this.emit("refused", op, error);
    }
  }

  /** The whole log, sent to a new member's invitation inbox so the device can read everything. */
  private async welcome(member: MemberId): Promise<void> {
    const log = this.requireLog();
    const invite = log.state().members.get(member)?.invite;
    if (!invite || this.welcomed.has(member)) return;
    this.welcomed.add(member);
    const inbox = await this.kit.addScope(
      this.inboxScope(invite),
      fromBase64(log.state().invites.get(invite)!.inbox),
    );
    await this.sendLog(inbox.scope, this.id);
  }

  /** Sends every op of the log under `scope`; returns how many. */
  private async sendLog(scope: ScopeId, docId: string): Promise<number> {
    const ops = this.requireLog().all();
    await this.sendOps(ops, scope, docId);
    return ops.length;
  }

  /** Sends ops under `scope`, in envelopes under the relays' frame limit. */
  private async sendOps(ops: readonly SignedOp[], scope: ScopeId, docId: string): Promise<void> {
    let batch: Uint8Array[] = [];
    let size = 0;
    for (const op of ops) {
      if (size + op.bytes.length > WELCOME_CHUNK && batch.length > 0) {
        await this.kit.publishGovernance(docId, scope, batch);
        batch = [];
        size = 0;
      }
      batch.push(op.bytes);
      size += op.bytes.length;
    }
    await this.kit.publishGovernance(docId, scope, batch);
  }
}
