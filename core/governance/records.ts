/**
 * Signed records: entries that matter (an admission form, a dues stamp, a vote) carry their own signature
 * and the governance heads their author had seen, and are re-validated against the log each time a view
 * is built (DESIGN §6). A record counts only if, at the heads it cites, its author's device belonged to an
 * active member holding one of the roles the view requires, and no removal of that member that the record
 * did not see has arrived since: a late removal hides the records made concurrently with it, the same way
 * on every device. Documents may hold records in any order; the view decides what counts.
 *
 * Signature: ECDSA P-256 over `"cellule/record/v1\n" ‖ canonical JSON of { at, cell, data, heads, kind }`.
 */
import { concat, fromBase64, toBase64Url, utf8 } from "../base/bytes.js";
import { type Canonical, canonicalJson } from "../base/canonical-json.js";
import { ForbiddenError, IntegrityError, InvalidArgumentError } from "../base/errors.js";
import type { DeviceId, MemberId } from "../base/ids.js";
import { type DeviceIdentity, deviceIdOf } from "../crypto/identity.js";
import { cachedVerifyKey, verify } from "../crypto/suite.js";
import type { GovernanceLog } from "./log.js";
import { hasAnyRole, type Role } from "./rules.js";
import { memberOfDevice } from "./state.js";
import type { OpHash } from "./types.js";

const DOMAIN = utf8("cellule/record/v1\n");

/** A record as stored in a document. */
export interface SignedRecord<T extends Canonical = Canonical> {
  kind: string;
  data: T;
  /** The author device's signing key, base64url (raw P-256 point). */
  author: string;
  /** Governance heads the author had seen. */
  heads: OpHash[];
  /** Author's clock (ms): informative only, never used to decide validity. */
  at: number;
  /** base64url r‖s. */
  sig: string;
}

/** What a view gets from a list of records. */
export interface RecordCheck<T extends Canonical> {
  /** Records that count, with the member who made each. */
  valid: { record: SignedRecord<T>; member: MemberId }[];
  /** Records that do not count, each with why (`IntegrityError` or `ForbiddenError`). */
  refused: { record: unknown; error: IntegrityError | ForbiddenError }[];
  /** Records citing governance ops this device has not received yet: they may count later. */
  waiting: SignedRecord<T>[];
}

function signedBytes(cell: string, r: Omit<SignedRecord, "author" | "sig">): Uint8Array {
  return concat(DOMAIN, utf8(canonicalJson({ at: r.at, cell, data: r.data, heads: r.heads, kind: r.kind })));
}

/** Signs a record of `kind` by `device`, citing the log's current heads. */
export async function signRecord<T extends Canonical>(
  device: DeviceIdentity,
  log: GovernanceLog,
  kind: string,
  data: T,
  at = Date.now(),
): Promise<SignedRecord<T>> {
  if (!kind) throw new InvalidArgumentError("a record has a kind");
  const unsigned = { kind, data, heads: log.heads(), at };
  const sig = await device.sign(signedBytes(log.cellId, unsigned));
  return { ...unsigned, author: toBase64Url(device.signingPublicKey), sig: toBase64Url(sig) };
}

function isRecord(value: unknown): value is SignedRecord {
  const r = value as SignedRecord;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.kind === "string" &&
    typeof r.author === "string" &&
    typeof r.sig === "string" &&
    typeof r.at === "number" &&
    Array.isArray(r.heads) &&
    r.heads.every((h) => typeof h === "string" && /^[0-9a-f]{64}$/.test(h)) &&
    "data" in r
  );
}

/**
 * Checks records of `kind` against the log: authentic, by an active member holding one of `roles` at the
 * heads each cites, not made concurrently with a removal of that member. Never throws for bad records.
 */
export async function checkRecords<T extends Canonical>(
  log: GovernanceLog,
  records: readonly unknown[],
  options: { kind: string; roles: readonly Role[] },
): Promise<RecordCheck<T>> {
  const out: RecordCheck<T> = { valid: [], refused: [], waiting: [] };
  const now = log.state();
  await Promise.all(
    records.map(async (record) => {
      const refuse = (error: IntegrityError | ForbiddenError) => out.refused.push({ record, error });
      if (!isRecord(record)) return refuse(new IntegrityError("not a signed record"));
      if (record.kind !== options.kind)
        return refuse(new IntegrityError(`a ${record.kind} record, not ${options.kind}`));
      let raw: Uint8Array;
      let ok = false;
      try {
        raw = fromBase64(record.author);
        ok = await verify(
          await cachedVerifyKey(raw),
          fromBase64(record.sig),
          signedBytes(log.cellId, record),
        );
      } catch {
        return refuse(new IntegrityError("a record with a malformed author key or signature"));
      }
      if (!ok) return refuse(new IntegrityError("a record whose signature does not match"));
      const then = log.stateAt(record.heads);
      if (!then) return void out.waiting.push(record as SignedRecord<T>);
      const device = await deviceIdOf(raw);
      const member = memberOfDevice(then, device);
      if (!member)
        return refuse(new ForbiddenError("the author was not an active member at the heads it cites"));
      if (!hasAnyRole(member.roles, options.roles)) {
        return refuse(
          new ForbiddenError(`a ${options.kind} record needs one of the roles ${options.roles.join(", ")}`),
        );
      }
      if (!memberOfDevice(now, device) && !predatesRemoval(log, record.heads, member.id, device)) {
        return refuse(
          new ForbiddenError("made concurrently with the removal of its author (or their device)"),
        );
      }
      out.valid.push({ record: record as SignedRecord<T>, member: member.id });
    }),
  );
  // Deterministic order whatever the verification order: by author clock, then signature.
  out.valid.sort((a, b) => a.record.at - b.record.at || (a.record.sig < b.record.sig ? -1 : 1));
  return out;
}

/**
 * Whether a record citing `heads` came before a removal of its author's member or device: the removal
 * had seen everything the record had seen. A record whose author saw ops the removal had not is
 * concurrent with it, and does not count.
 */
function predatesRemoval(
  log: GovernanceLog,
  heads: readonly OpHash[],
  member: MemberId,
  device: DeviceId,
): boolean {
  return log.all().some((op) => {
    const o = op.body.op;
    const removes =
      (o.type === "remove" && o.member === member) || (o.type === "remove-device" && o.device === device);
    return removes && log.status(op.hash)?.valid === true && heads.every((h) => log.precedes(h, op.hash));
  });
}
