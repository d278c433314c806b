/** The governance log: ops, the reducer, rules, invitations and lockboxes. */

export { canonicalJson } from "../base/canonical-json.js";
export * from "./actions.js";
export * from "./invitation-text.js";
export * from "./lockbox.js";
export { type AddOutcome, GovernanceLog } from "./log.js";
export * from "./ops.js";
export * from "./readers.js";
export * from "./records.js";
export { type OpStatus, type Resolution, resolve, stateAt } from "./reducer.js";
export * from "./rules.js";
export * from "./state.js";
export type * from "./types.js";
export { GovernanceAuthority } from "./write-authority.js";
