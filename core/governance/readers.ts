/**
 * Who reads a scope, and who may hold its current key: pure functions of the resolved state, used to seal
 * lockboxes and to decide when a key must rotate.
 */
import type { DeviceId, MemberId } from "../base/ids.js";
import { hasAnyRole, hasRight, scopeRule } from "./rules.js";
import type { CellState, DeviceState, OpHash } from "./types.js";

/** The active devices of members (admitted, not removed). */
export function devicesOf(state: CellState, members: readonly MemberId[]): DeviceState[] {
  return members.flatMap((id) => {
    const m = state.members.get(id);
    if (m?.status !== "member") return [];
    return [...m.devices].map((d) => state.devices.get(d)!).filter((d) => !d.removed);
  });
}

/** Whether a member reads a scope: one of its two people for a pair, a reader role otherwise. */
export function reads(state: CellState, scope: string, member: MemberId): boolean {
  const pair = state.pairs.get(scope);
  if (pair) return pair.open && pair.members.includes(member);
  const m = state.members.get(member);
  return !!m && m.status === "member" && hasAnyRole(m.roles, scopeRule(state.rules, scope)?.readers ?? []);
}

/** The active devices of the members who read `scope`, by device ID. */
export function readers(state: CellState, scope: string): Map<DeviceId, { agreement: string }> {
  const members = [...state.members.keys()].filter((m) => reads(state, scope, m));
  return new Map(devicesOf(state, members).map((d) => [d.id, { agreement: d.keys.agreement }]));
}

/**
 * Whether a device that may hold the current key of `scope` no longer reads it: one of the readers when
 * the epoch was made, or of the members given the key since, was removed, lost the role, or lost a device.
 * `stateAt` gives the state at some heads (`GovernanceLog.stateAt`).
 */
export function stale(
  state: CellState,
  scope: string,
  stateAt: (heads: readonly OpHash[]) => CellState | undefined,
): boolean {
  const latest = state.scopes.get(scope)?.at(-1);
  const then = latest && stateAt([latest.op]);
  if (!latest || !then) return false;
  const holders = new Set(readers(then, scope).keys());
  for (const member of latest.grantees) {
    for (const d of state.members.get(member)?.devices ?? []) holders.add(d);
  }
  for (const d of latest.exposed ?? []) holders.add(d);
  const now = readers(state, scope);
  return [...holders].some((d) => !now.has(d));
}

/**
 * The member who rotates a stale scope when its remover may not: the first (by ID) of the active members
 * whose roles may rotate keys; for a pair, the first of its two people while it is open.
 */
export function designatedRotators(state: CellState, scope: string): MemberId[] {
  const pair = state.pairs.get(scope);
  if (pair) return pair.open ? [...pair.members].sort() : [];
  return [...state.members.values()]
    .filter((m) => m.status === "member" && hasRight(state.rules, m.roles, "rotate"))
    .map((m) => m.id)
    .sort();
}
