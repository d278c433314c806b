/**
 * The cell's rules as data: which roles exist and what each may do, which roles are officers, which
 * scopes exist and who reads and writes them, and how the rules themselves change. They live in the
 * governance log and change only through the procedure they define (until votes exist: a quorum of
 * officers approving a proposal).
 */

/** A role name: `member`, `secretary`, `treasurer`, `editor`, or a custom role the rules declare. */
export type Role = string;

/** What a role allows in the governance log. */
export type Right =
  | "invite" // create invitations
  | "admit" // admit people who redeemed an invitation, or decline them
  | "remove" // remove a member
  | "set-role" // grant and revoke roles
  | "set-policy" // set a document's read scope and write roles
  | "set-relays" // change the cell's relay list
  | "rotate" // rotate a scope key
  | "publish" // hold the publication keys: sign editions, open contact requests
  | "propose-rules"; // propose and approve new rules

/** Who reads and writes a scope by default. */
export interface ScopeRule {
  /** Roles whose members read it (`member` = every member). */
  readers: Role[];
  /** Roles whose members write its documents unless a document policy says otherwise. */
  writers: Role[];
}

/** The rules of a cell. */
export interface Rules {
  /** Rights of each role. Every member has the `member` role. */
  roles: Record<Role, Right[]>;
  /** Roles that make someone an officer. */
  officers: Role[];
  /** Sealed scopes and the public scope. */
  scopes: Record<string, ScopeRule>;
  /** Officers who must approve a rules proposal (the proposer included) before it is in force. */
  rulesQuorum: number;
}

/** The rules a new cell starts with: the seed's secretary, treasurer and editor. */
export const DEFAULT_RULES: Rules = {
  roles: {
    member: [],
    secretary: [
      "invite",
      "admit",
      "remove",
      "set-role",
      "rotate",
      "set-policy",
      "publish",
      "set-relays",
      "propose-rules",
    ],
    treasurer: ["propose-rules"],
    editor: ["publish", "propose-rules"],
  },
  officers: ["secretary", "treasurer", "editor"],
  scopes: {
    public: { readers: [], writers: ["editor"] },
    members: { readers: ["member"], writers: ["member"] },
    officers: {
      readers: ["secretary", "treasurer", "editor"],
      writers: ["secretary", "treasurer", "editor"],
    },
    treasury: { readers: ["treasurer", "secretary"], writers: ["treasurer"] },
  },
  rulesQuorum: 1,
};

/**
 * What a role name must look like, in the rules and in every op that names one: lowercase, so that no
 * name is inherited from `Object.prototype` (`constructor`, `__proto__`, `toString` are refused at the
 * shape check, and every lookup below reads own properties only).
 */
export const ROLE_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** Whether the rules declare `role` (an own property: never one inherited from `Object.prototype`). */
export function isRole(rules: Rules, role: Role): boolean {
  return Object.hasOwn(rules.roles, role);
}

/** The rule of a scope the rules declare, or undefined (own properties only). */
export function scopeRule(rules: Rules, scope: string): ScopeRule | undefined {
  return Object.hasOwn(rules.scopes, scope) ? rules.scopes[scope] : undefined;
}

/** Whether a set of roles grants a right under the rules. */
export function hasRight(rules: Rules, roles: Iterable<Role>, right: Right): boolean {
  for (const role of roles) if (isRole(rules, role) && rules.roles[role]!.includes(right)) return true;
  return false;
}

/** Whether a set of roles intersects a list of roles (every admitted member holds `member`). */
export function hasAnyRole(roles: ReadonlySet<Role>, wanted: readonly Role[]): boolean {
  return wanted.some((r) => roles.has(r));
}
