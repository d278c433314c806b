/**
 * The state a governance log resolves to, and the two pure steps the reducer takes for each op: may its
 * author do it at this state (`authorize`), and what it changes (`applyOp`). No I/O, no clock.
 */
import { IntegrityError } from "../base/errors.js";
import { cellIdOf, type DeviceId, type MemberId, memberIdOf } from "../base/ids.js";
import { reads } from "./readers.js";
import { hasRight, isRole, type Right, scopeRule } from "./rules.js";
import type { CellState, MemberState, OpHash, SignedOp } from "./types.js";

/** An empty state for a cell whose genesis is `genesis`. */
export function emptyState(genesis: SignedOp): CellState {
  const op = genesis.body.op;
  if (op.type !== "genesis") throw new IntegrityError("not a genesis op");
  return {
    cellId: cellIdOf(genesis.hash),
    name: op.name,
    rules: op.rules,
    members: new Map(),
    devices: new Map(),
    invites: new Map(),
    scopes: new Map(),
    policies: new Map(),
    named: new Map(),
    relays: [],
    proposals: new Map(),
    pairs: new Map(),
    publication: [],
  };
}

/** The active member whose device wrote an op, if any. */
export function memberOfDevice(state: CellState, device: DeviceId): MemberState | undefined {
  const d = state.devices.get(device);
  if (!d || d.removed) return undefined;
  const m = state.members.get(d.member);
  return m?.status === "member" ? m : undefined;
}

/** Why an op is refused, or undefined when its author may do it at `state`. */
export function authorize(state: CellState, op: SignedOp): string | undefined {
  const o = op.body.op;
  if (o.type === "genesis") return "a second genesis";
  if (op.body.cell !== state.cellId) return "op of another cell";
  if (o.type === "redeem") {
    const invite = state.invites.get(o.invite);
    if (!invite) return "unknown invitation";
    if (op.body.at > invite.expires) return "invitation expired";
    if (invite.revoked) return "invitation revoked";
    if (invite.single && invite.redeemedBy.length > 0) return "single-use invitation already redeemed";
    if (state.devices.has(op.authorId)) return "device already known";
    return undefined;
  }
  const author = memberOfDevice(state, op.authorId);
  if (!author) return "author is not a member with an active device";
  const may = (right: Right) => hasRight(state.rules, author.roles, right);
  switch (o.type) {
    case "invite":
      if (!may("invite")) return "may not invite";
      if (o.role !== "member" && !isRole(state.rules, o.role)) return `unknown role ${o.role}`;
      return state.invites.has(o.invite) ? "invitation exists" : undefined;
    case "revoke-invite": {
      if (!may("invite")) return "may not revoke invitations";
      const invite = state.invites.get(o.invite);
      if (!invite) return "unknown invitation";
      if (invite.revoked) return "invitation already revoked";
      return invite.single && invite.redeemedBy.length > 0 ? "single-use invitation already used" : undefined;
    }
    case "admit":
    case "decline":
      if (!may("admit")) return "may not admit";
      return state.members.get(o.member)?.status === "pending" ? undefined : "nobody pending under that ID";
    case "remove":
      if (!may("remove") && o.member !== author.id) return "may not remove";
      return state.members.get(o.member)?.status === "member" ? undefined : "not a member";
    case "set-role": {
      if (!may("set-role")) return "may not set roles";
      if (o.role === "member" || !isRole(state.rules, o.role))
        return `not a role that can be granted: ${o.role}`;
      return state.members.get(o.member)?.status === "member" ? undefined : "not a member";
    }
    case "add-device":
      if (o.member !== author.id) return "devices are added by their own member";
      return op.subjectId && state.devices.has(op.subjectId) ? "device already known" : undefined;
    case "remove-device": {
      const target = state.devices.get(o.device as DeviceId);
      if (!target || target.removed) return "unknown device";
      return target.member === author.id || may("remove") ? undefined : "may not remove that device";
    }
    case "name-device": {
      const target = state.devices.get(o.device as DeviceId);
      if (!target || target.removed) return "unknown device";
      return target.member === author.id ? undefined : "devices are named by their own member";
    }
    case "rotate": {
      const pair = state.pairs.get(o.scope);
      if (pair) {
        if (!pair.members.includes(author.id) && !may("rotate")) return "may not rotate that pair's keys";
      } else {
        if (!may("rotate")) return "may not rotate keys";
        if (!scopeRule(state.rules, o.scope) || o.scope === "public") return `no sealed scope ${o.scope}`;
      }
      const epochs = state.scopes.get(o.scope) ?? [];
      const last = epochs.at(-1)?.epoch ?? 0;
      return o.epoch === last + 1 ? undefined : `epoch ${o.epoch} does not follow ${last}`;
    }
    case "share-keys":
      if (!reads(state, o.scope, o.member)) return "keys are shared with a member who reads the scope";
      if (!may("admit") && !reads(state, o.scope, author.id))
        return "may not share keys of a scope one does not read";
      if (state.members.get(o.member)?.status !== "member") return "keys are shared with a member";
      return state.scopes.get(o.scope)?.some((e) => e.epoch === o.epoch) ? undefined : "no such epoch";
    case "open-pair":
      if (!o.members.includes(author.id)) return "a pair is opened by one of its two members";
      if (!o.members.every((m) => state.members.get(m)?.status === "member"))
        return "a pair is between members";
      return state.scopes.has(o.scope) ? "that scope exists" : undefined;
    case "set-policy":
      if (!may("set-policy")) return "may not set document policies";
      return scopeRule(state.rules, o.scope) ? undefined : `no scope ${o.scope}`;
    case "set-relays":
      return may("set-relays") ? undefined : "may not change relays";
    case "publication":
      if (!may("publish")) return "may not hold the publication keys";
      if (!reads(state, o.scope, author.id)) return "publication keys are sealed under a scope one reads";
      if (o.index !== state.publication.length)
        return `publication link ${o.index} does not follow ${state.publication.length}`;
      return state.scopes.get(o.scope)?.some((e) => e.epoch === o.epoch) ? undefined : "no such epoch";
    case "propose-rules":
      return may("propose-rules") ? undefined : "may not propose rules";
    case "approve-rules": {
      if (!may("propose-rules")) return "may not approve rules";
      const p = state.proposals.get(o.proposal);
      return p && !p.approvals.has(author.id) ? undefined : "no such open proposal, or already approved";
    }
  }
}

/** Applies an authorized op. Mutates `state`. */
export function applyOp(state: CellState, op: SignedOp): void {
  const o = op.body.op;
  const authorMember = state.devices.get(op.authorId)?.member;
  switch (o.type) {
    case "genesis": {
      const id = memberIdOf(op.subjectId!);
      state.members.set(id, {
        id,
        name: o.founderName,
        status: "member",
        roles: new Set(["member", ...o.rules.officers.filter((r) => isRole(o.rules, r))]),
        devices: new Set([op.subjectId!]),
      });
      state.devices.set(op.subjectId!, { id: op.subjectId!, member: id, keys: o.founder, removed: false });
      return;
    }
    case "invite":
      state.invites.set(o.invite, {
        key: o.invite,
        role: o.role,
        expires: o.expires,
        single: o.single,
        by: authorMember!,
        redeemedBy: [],
        revoked: false,
        inbox: o.inbox,
      });
      return;
    case "revoke-invite":
      state.invites.get(o.invite)!.revoked = true;
      return;
    case "redeem": {
      const id = memberIdOf(op.authorId);
      state.invites.get(o.invite)!.redeemedBy.push(id);
      state.members.set(id, {
        id,
        name: o.name,
        status: "pending",
        roles: new Set(),
        devices: new Set([op.authorId]),
        invite: o.invite,
      });
      state.devices.set(op.authorId, { id: op.authorId, member: id, keys: o.device, removed: false });
      return;
    }
    case "admit": {
      const m = state.members.get(o.member)!;
      const role = m.invite ? state.invites.get(m.invite)?.role : undefined;
      m.status = "member";
      m.roles = new Set(["member", ...(role && role !== "member" ? [role] : [])]);
      return;
    }
    case "decline":
      state.members.get(o.member)!.status = "declined";
      return;
    case "remove": {
      const m = state.members.get(o.member)!;
      m.status = "removed";
      m.roles = new Set();
      for (const d of m.devices) state.devices.get(d)!.removed = true;
      for (const pair of state.pairs.values()) if (pair.members.includes(o.member)) pair.open = false;
      return;
    }
    case "set-role": {
      const roles = state.members.get(o.member)!.roles;
      if (o.granted) roles.add(o.role);
      else roles.delete(o.role);
      return;
    }
    case "add-device":
      state.members.get(o.member)!.devices.add(op.subjectId!);
      state.devices.set(op.subjectId!, {
        id: op.subjectId!,
        member: o.member,
        keys: o.device,
        removed: false,
        ...(o.recovery ? { recovery: true } : {}),
      });
      return;
    case "remove-device":
      state.devices.get(o.device as DeviceId)!.removed = true;
      return;
    case "name-device":
      state.devices.get(o.device as DeviceId)!.name = o.name.trim();
      return;
    case "rotate": {
      const epochs = state.scopes.get(o.scope) ?? [];
      const same = epochs.find((e) => e.epoch === o.epoch);
      if (same) same.alternates.push({ op: op.hash, lockboxes: o.lockboxes, previous: o.previous });
      else
        epochs.push({
          epoch: o.epoch,
          op: op.hash,
          lockboxes: o.lockboxes,
          previous: o.previous,
          alternates: [],
          grants: [],
          grantees: [],
        });
      state.scopes.set(o.scope, epochs);
      return;
    }
    case "share-keys":
      state.scopes
        .get(o.scope)!
        .find((e) => e.epoch === o.epoch)!
        .grants.push(o.lockboxes);
      state.scopes
        .get(o.scope)!
        .find((e) => e.epoch === o.epoch)!
        .grantees.push(o.member);
      return;
    case "open-pair":
      state.scopes.set(o.scope, [
        {
          epoch: 1,
          op: op.hash,
          lockboxes: o.lockboxes,
          previous: null,
          alternates: [],
          grants: [],
          grantees: [],
        },
      ]);
      state.pairs.set(o.scope, { members: [...o.members], open: true });
      return;
    case "set-policy":
      state.policies.set(o.doc, { scope: o.scope, writers: o.writers });
      if (o.name) state.named.set(o.name, o.doc);
      return;
    case "set-relays":
      state.relays = [...o.relays];
      return;
    case "publication": {
      // Of concurrent links with one index, the first in log order stands; the others are kept aside.
      const link = { cert: o.cert, scope: o.scope, epoch: o.epoch, box: o.box, op: op.hash };
      if (o.index === state.publication.length) state.publication.push({ ...link, alternates: [] });
      else state.publication[o.index]!.alternates.push(link);
      return;
    }
    case "propose-rules":
      state.proposals.set(op.hash, { rules: o.rules, approvals: new Set(), quorum: state.rules.rulesQuorum });
      approve(state, op.hash, authorMember!);
      return;
    case "approve-rules":
      approve(state, o.proposal, authorMember!);
      return;
  }
}

function approve(state: CellState, proposal: OpHash, member: MemberId): void {
  const p = state.proposals.get(proposal)!;
  p.approvals.add(member);
  if (p.approvals.size >= p.quorum) {
    state.rules = p.rules;
    state.proposals.delete(proposal);
  }
}

/** The member an op's author acts for (its device's member), for the concurrent-removal rule. */
export function actingMember(state: CellState, op: SignedOp): MemberId | undefined {
  return state.devices.get(op.authorId)?.member;
}
