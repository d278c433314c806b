/**
 * The shape of each op type, checked when an op is read: a signed op whose fields are missing or of the
 * wrong type is refused with `IntegrityError` before the reducer sees it, so that an authentic but
 * malformed op (a tampered app) cannot throw inside the reducer and stop a cell's log on every device.
 */
import { IntegrityError } from "../base/errors.js";
import { type Right, ROLE_NAME } from "./rules.js";
import type { Op } from "./types.js";

const RIGHTS = new Set<Right>([
  "invite",
  "admit",
  "remove",
  "set-role",
  "set-policy",
  "set-relays",
  "rotate",
  "publish",
  "propose-rules",
]);
const B64URL = /^[A-Za-z0-9_-]+$/;
const HASH = /^[0-9a-f]{64}$/;
/** Longest name, role, scope or URL an op may carry, in characters. */
const MAX_TEXT = 2048;
/** Longest device name, in characters. */
export const MAX_DEVICE_NAME = 64;

type Check = (value: unknown) => boolean;

/** A role name, or a scope name declared in the rules (see `ROLE_NAME`), never one `Object.prototype` has. */
const name: Check = (v) => typeof v === "string" && ROLE_NAME.test(v) && !(v in Object.prototype);
/** A scope an op names: one of the rules' scopes, or a pair scope. */
const PAIR_SCOPE = /^pair:[A-Za-z0-9_-]{22}$/;
const scopeName: Check = (v) => name(v) || (typeof v === "string" && PAIR_SCOPE.test(v));

const text: Check = (v) => typeof v === "string" && v.length > 0 && v.length <= MAX_TEXT;
const b64: Check = (v) => typeof v === "string" && v.length <= MAX_TEXT && B64URL.test(v);
const hash: Check = (v) => typeof v === "string" && HASH.test(v);
const bool: Check = (v) => typeof v === "boolean";
const epoch: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 1;
const list =
  (item: Check, max = 10_000): Check =>
  (v) =>
    Array.isArray(v) && v.length <= max && v.every(item);
const record = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const fields =
  (shape: Record<string, Check>): Check =>
  (v) =>
    record(v) && Object.entries(shape).every(([k, check]) => check(v[k]));

const deviceKeys = fields({ signing: b64, agreement: b64 });
const lockboxes = fields({
  ephemeral: b64,
  entries: list(fields({ tag: b64, box: b64 }), 100_000),
});
const rules: Check = (v) =>
  record(v) &&
  record(v.roles) &&
  Object.entries(v.roles).every(
    ([role, rights]) => name(role) && list((r) => RIGHTS.has(r as Right), 64)(rights),
  ) &&
  list(name, 256)(v.officers) &&
  record(v.scopes) &&
  Object.entries(v.scopes).every(
    ([scope, rule]) => name(scope) && fields({ readers: list(name, 256), writers: list(name, 256) })(rule),
  ) &&
  Number.isSafeInteger(v.rulesQuorum) &&
  (v.rulesQuorum as number) >= 1;

const SHAPES: Record<Op["type"], Record<string, Check>> = {
  genesis: { name: text, nonce: b64, founder: deviceKeys, founderName: text, rules },
  invite: {
    invite: b64,
    role: name,
    expires: (v) => Number.isSafeInteger(v),
    single: bool,
    inbox: b64,
  },
  redeem: { invite: b64, device: deviceKeys, name: text, proof: b64 },
  "revoke-invite": { invite: b64 },
  admit: { member: text },
  decline: { member: text },
  remove: { member: text },
  "set-role": { member: text, role: name, granted: bool },
  "add-device": { member: text, device: deviceKeys, recovery: (v) => v === undefined || bool(v) },
  "remove-device": { device: text },
  "name-device": {
    device: text,
    name: (v) => typeof v === "string" && v.trim().length > 0 && v.length <= MAX_DEVICE_NAME,
  },
  rotate: { scope: scopeName, epoch, lockboxes, previous: (v) => v === null || b64(v) },
  "share-keys": { scope: scopeName, epoch, member: text, lockboxes },
  "open-pair": {
    scope: (v) => typeof v === "string" && PAIR_SCOPE.test(v),
    members: (v) =>
      list(text, 2)(v) && (v as string[]).length === 2 && (v as string[])[0] !== (v as string[])[1],
    lockboxes,
  },
  "set-policy": {
    doc: text,
    scope: name,
    writers: list(name, 256),
    name: (v) => v === undefined || (typeof v === "string" && /^[a-z][a-z0-9-]{0,63}$/.test(v)),
  },
  "set-relays": { relays: list(text, 64) },
  publication: {
    index: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
    cert: fields({
      key: b64,
      admission: b64,
      expires: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
      heads: hash,
      sig: b64,
    }),
    scope: name,
    epoch,
    box: b64,
  },
  "propose-rules": { rules },
  "approve-rules": { proposal: hash },
};

/** Whether `type` names an op type. */
export function isOpType(type: unknown): type is Op["type"] {
  return typeof type === "string" && Object.hasOwn(SHAPES, type);
}

/** Throws `IntegrityError` unless `op` has the fields its type requires, of the right types. */
export function checkOpShape(op: { type: Op["type"] } & Record<string, unknown>): void {
  const shape = SHAPES[op.type];
  for (const [field, check] of Object.entries(shape)) {
    if (!check(op[field])) throw new IntegrityError(`governance op ${op.type} has a malformed ${field}`);
  }
}
