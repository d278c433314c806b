/**
 * Who is in the cell, as this device changes it: invitations, admissions (with the keys of the scopes the
 * new member reads and the welcome, the whole log sealed to their device: welcome.ts), removals, roles and
 * devices (each loss rotating what the lost person or device could read), and requests to join accepted
 * from a contact.
 */
import { ExpiredInviteError, ForbiddenError, InvalidArgumentError, NotAMemberError } from "../base/errors.js";
import { type DeviceId, type MemberId, memberIdOf } from "../base/ids.js";
import {
  admit as admitOp,
  createInvite,
  decline as declineOp,
  type Invitation,
  removeDevice,
  removeMember,
  revokeInvite,
  setRole,
} from "../governance/actions.js";
import type { Role } from "../governance/rules.js";
import type { SignedOp } from "../governance/types.js";
import type { CellContext } from "./context.js";
import { joiningDevice, sealInvitation } from "./device-mail.js";
import type { CellKeys } from "./keys.js";
import type { CellPublication, ReceivedContact } from "./publication.js";
import type { Approval } from "./store.js";
import { sendWelcome } from "./welcome.js";

/** What an invitation may say. */
export interface InviteOptions {
  /** The role the invitee gets once admitted (default: member). */
  role?: Role;
  /** How long it may be redeemed (default: 7 days). */
  expiresInMs?: number;
  /** Whether one redeem uses it up. */
  single?: boolean;
  /** Relays the invitee's device should use first. */
  relays?: string[];
}

/** An invitation of the cell, as the officers' list shows it (never its private key). */
export interface InvitationInfo {
  /** Its ID in the log (its public key), for `revokeInvite`. */
  id: string;
  role: Role;
  /** When it expires (ms). */
  expires: number;
  /** Whether one redeem uses it up. */
  single: boolean;
  /** Who made it. */
  by: MemberId;
  /** Who redeemed it so far. */
  redeemedBy: MemberId[];
  /** Used: redeemed at least once. */
  used: boolean;
  /** Withdrawn by an officer. */
  revoked: boolean;
  /** Past its expiry, by this device's clock. */
  expired: boolean;
  /** Whether it can still be redeemed: not revoked, not expired, not a used-up single-use one. */
  open: boolean;
}

/** See the module comment. */
export class Membership {
  /** Members already sent their welcome from this device. */
  private readonly welcomed = new Set<string>();
  /**
   * Devices whose request to join this device accepted, by signing key: their redeem of that invitation is
   * admitted. Kept in the store too, so that it survives a restart of the app (loaded once).
   */
  private approvedList: Promise<Map<string, Approval>> | undefined;
  private readonly admitting = new Set<string>();
  private lateMembers: Promise<Set<MemberId>> | undefined;

  constructor(
    private readonly ctx: CellContext,
    private readonly keys: CellKeys,
    private readonly publication: CellPublication,
  ) {}

  async invite(options: InviteOptions = {}): Promise<Invitation> {
    const { op, invitation } = await createInvite(this.ctx.kit.device, this.ctx.log(), {
      ...options,
      expires: this.ctx.kit.clock.now() + (options.expiresInMs ?? 7 * 86_400_000),
    });
    await this.ctx.commit(op);
    return invitation;
  }

  /** Every invitation of the cell, newest expiry first. */
  invitations(): InvitationInfo[] {
    const log = this.ctx.maybeLog();
    if (!log) return [];
    const now = this.ctx.kit.clock.now();
    return [...log.state().invites.values()]
      .map((i) => {
        const used = i.redeemedBy.length > 0;
        const expired = i.expires < now;
        return {
          id: i.key,
          role: i.role,
          expires: i.expires,
          single: i.single,
          by: i.by,
          redeemedBy: [...i.redeemedBy],
          used,
          revoked: i.revoked,
          expired,
          open: !i.revoked && !expired && !(i.single && used),
        };
      })
      .sort((a, b) => b.expires - a.expires || (a.id < b.id ? -1 : 1));
  }

  /**
   * Withdraws an invitation before it is used up: `InvalidArgumentError` for one the log does not know;
   * `ForbiddenError` when this device's member may not invite, or the invitation is revoked or used up.
   */
  async revokeInvite(id: string): Promise<void> {
    if (!this.ctx.log().state().invites.has(id))
      throw new InvalidArgumentError("no such invitation in this cell");
    await this.ctx.commit(await revokeInvite(this.ctx.kit.device, this.ctx.log(), id));
    for (const [signing, approval] of await this.approved())
      if (approval.invite === id) await this.forget(signing);
  }

  /**
   * This device's member leaves the cell: their removal by themself. Their devices read nothing new: the
   * scopes they read rotate on the first device of an officer who may (this one no longer can).
   * `NotAMemberError` when this device is not an admitted member.
   */
  async leave(): Promise<void> {
    const me = this.ctx.me();
    if (me?.status !== "member") throw new NotAMemberError("only a member can leave the cell");
    await this.remove(me.id);
  }

  async admit(member: MemberId): Promise<void> {
    if ((await this.late()).has(member))
      throw new ExpiredInviteError(
        "this request reached this device after its invitation had expired: invite them again",
      );
    await this.ctx.commit(await admitOp(this.ctx.kit.device, this.ctx.log(), member));
    await this.keys.share(member);
    await this.welcome(member);
  }

  async decline(member: MemberId): Promise<void> {
    await this.ctx.commit(await declineOp(this.ctx.kit.device, this.ctx.log(), member));
  }

  async remove(member: MemberId): Promise<void> {
    await this.ctx.commit(await removeMember(this.ctx.kit.device, this.ctx.log(), member));
    await this.renewKeys();
  }

  async grant(member: MemberId, role: Role): Promise<void> {
    await this.ctx.commit(await setRole(this.ctx.kit.device, this.ctx.log(), member, role, true));
    await this.keys.share(member);
  }

  async revoke(member: MemberId, role: Role): Promise<void> {
    await this.ctx.commit(await setRole(this.ctx.kit.device, this.ctx.log(), member, role, false));
    await this.renewKeys();
  }

  async removeDevice(device: DeviceId): Promise<void> {
    await this.ctx.commit(await removeDevice(this.ctx.kit.device, this.ctx.log(), device));
    await this.renewKeys();
  }

  /**
   * A single-use invitation sealed to the device a contact request carries, posted to its mailbox; its
   * redeem is admitted when it comes back (`admitApproved`).
   */
  async acceptJoin(contact: ReceivedContact): Promise<void> {
    const device = joiningDevice(contact);
    const invitation = await this.invite({ single: true, expiresInMs: 14 * 86_400_000 });
    // Stored before the invitation leaves: a redeem answering it is admitted even after a restart.
    const approval = { invite: invitation.id, expires: invitation.expires };
    (await this.approved()).set(device.signing, approval);
    await this.ctx.store.saveApproval(device.signing, approval);
    await this.ctx.kit.post(await sealInvitation(this.ctx.id, device, invitation));
  }

  /**
   * Admits the pending members whose redeem this device approved and already holds (it arrived, but the
   * app stopped before admitting), and forgets approvals whose invitation expired or was revoked, or whose
   * newcomer someone else admitted or declined. Called when the cell opens.
   */
  async admitApproved(): Promise<void> {
    const log = this.ctx.maybeLog();
    if (!log) return;
    const state = log.state();
    const now = this.ctx.kit.clock.now();
    for (const [signing, approval] of await this.approved()) {
      const invite = state.invites.get(approval.invite);
      const redeemer = invite?.redeemedBy
        .map((id) => state.members.get(id))
        .find((m) => m && [...m.devices].some((d) => state.devices.get(d)?.keys.signing === signing));
      if (redeemer?.status === "pending" && approval.expires >= now && !invite?.revoked) {
        if ((await this.late()).has(redeemer.id)) await this.forget(signing);
        else await this.admitFor(signing, redeemer.id);
      } else if (redeemer || approval.expires < now || invite?.revoked) await this.forget(signing);
    }
  }

  /**
   * A redeem received (M5): judged late when it reached this device after its invitation expired by this
   * device's clock, whatever time the redeemer claims (a late one is recorded, never admitted from here and
   * never passed on); on time, its member is admitted at once when its device is one whose request to join
   * this device accepted. Returns whether it is on time and valid, that is worth passing on to the members.
   */
  async redeemed(redeem: SignedOp): Promise<boolean> {
    const log = this.ctx.log();
    const o = redeem.body.op as { invite: string; device: { signing: string } };
    const id = memberIdOf(redeem.authorId);
    const member = log.state().members.get(id);
    const invite = log.state().invites.get(o.invite);
    if (!log.status(redeem.hash)?.valid || !invite || member?.status !== "pending") return false;
    if (invite.expires < this.ctx.kit.clock.now()) {
      (await this.late()).add(id);
      await this.ctx.store.saveLate(id);
      return false;
    }
    const approval = (await this.approved()).get(o.device.signing);
    if (approval?.invite === o.invite) await this.admitFor(o.device.signing, id);
    return true;
  }

  /** Admits an approved newcomer, then forgets the approval (kept if the admission fails: tried again on open). */
  private async admitFor(signing: string, member: MemberId): Promise<void> {
    // The redeem may come in while the cell opens and admits what it holds: one admission, not two.
    if (this.admitting.has(signing)) return;
    this.admitting.add(signing);
    try {
      if (this.ctx.log().state().members.get(member)?.status === "pending") await this.admit(member);
      await this.forget(signing);
    } catch (error) {
      // This device may no longer admit (its role was revoked): another officer will have to.
      if (error instanceof ForbiddenError || error instanceof ExpiredInviteError) await this.forget(signing);
      else throw error;
    } finally {
      this.admitting.delete(signing);
    }
  }

  private async forget(signing: string): Promise<void> {
    (await this.approved()).delete(signing);
    await this.ctx.store.removeApproval(signing);
  }

  /** The approvals of this device (loaded once from the store). */
  private approved(): Promise<Map<string, Approval>> {
    this.approvedList ??= this.ctx.store.loadApprovals();
    return this.approvedList;
  }

  /** Members whose redeem reached this device after their invitation had expired (loaded once). */
  private late(): Promise<Set<MemberId>> {
    this.lateMembers ??= this.ctx.store.loadLate();
    return this.lateMembers;
  }

  /** After this device's op made keys stale: rotates them, then renews the publication keys. */
  private async renewKeys(): Promise<void> {
    await this.keys.rotateStale(true);
    await this.publication.renewIfStale(true);
  }

  /**
   * The whole log, sealed to the new member's device (see welcome.ts), so it can read everything; never
   * under the invitation's inbox, which anyone holding the invitation reads.
   */
  private async welcome(member: MemberId): Promise<void> {
    const state = this.ctx.log().state();
    const m = state.members.get(member);
    if (!m?.invite || this.welcomed.has(member)) return;
    this.welcomed.add(member);
    for (const id of m.devices) {
      const device = state.devices.get(id);
      if (device && !device.removed) await sendWelcome(this.ctx, m.invite, device.keys);
    }
  }
}
