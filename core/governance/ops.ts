/**
 * Governance ops: the signed, hash-linked records of a cell's membership, roles, devices, keys, document
 * policies, relays and rules. An op names its parents (the heads its author had seen), is encoded as
 * canonical JSON and signed by the author's device (ECDSA P-256). Its hash (SHA-256 of the signed body,
 * not of the malleable signature) is its ID; the genesis op's hash is the cell's ID.
 *
 * Wire form: UTF-8 canonical JSON `{"body":{…},"sig":"<base64url r‖s>"}`, carried as the single item of a
 * governance envelope (kind 3).
 */
import { concat, fromBase64, fromUtf8, toBase64Url, toHex, utf8 } from "../base/bytes.js";
import { canonicalJson } from "../base/canonical-json.js";
import { IntegrityError } from "../base/errors.js";
import type { CellId } from "../base/ids.js";
import { sha256Quick } from "../crypto/hash.js";
import { type DeviceIdentity, deviceIdOf } from "../crypto/identity.js";
import { cachedVerifyKey, verifyAll } from "../crypto/suite.js";
import { checkOpShape, isOpType } from "./shape.js";
import type { DeviceKeysPublic, Op, OpBody, OpHash, SignedOp } from "./types.js";

const DOMAIN = utf8("cellule/governance/v1\n");
const REDEEM_DOMAIN = "cellule/redeem/v1\n";

/** What an invitee signs with the invitation's private key: the cell and the new device's signing key. */
export function redeemStatement(cell: CellId | string, deviceSigningKey: string): Uint8Array {
  return utf8(`${REDEEM_DOMAIN}${cell}\n${deviceSigningKey}`);
}

function introduced(op: Op): DeviceKeysPublic | undefined {
  if (op.type === "genesis") return op.founder;
  if (op.type === "redeem" || op.type === "add-device") return op.device;
  return undefined;
}

async function finish(body: OpBody, encoded: Uint8Array, bytes: Uint8Array): Promise<SignedOp> {
  const device = introduced(body.op);
  return {
    hash: toHex(await sha256Quick(encoded)) as OpHash,
    body,
    authorId: await deviceIdOf(fromBase64(body.author)),
    ...(device ? { subjectId: await deviceIdOf(fromBase64(device.signing)) } : {}),
    bytes,
  };
}

function bodyBytes(body: OpBody): Uint8Array {
  return utf8(canonicalJson(body));
}

/** Signs an op by `author`. */
export async function signOp(
  author: DeviceIdentity,
  cell: CellId | "",
  parents: OpHash[],
  op: Op,
  at = Date.now(),
): Promise<SignedOp> {
  const body: OpBody = {
    v: 1,
    cell,
    parents: [...parents].sort(),
    author: toBase64Url(author.signingPublicKey),
    at,
    op,
  };
  const encoded = bodyBytes(body);
  const sig = await author.sign(concat(DOMAIN, encoded));
  const bytes = utf8(canonicalJson({ body, sig: toBase64Url(sig) }));
  return finish(body, encoded, bytes);
}

const WIRE_PREFIX = '{"body":';
const WIRE_SIGNATURE = /,"sig":"([A-Za-z0-9_-]{80,90})"}$/;

/**
 * Parses and verifies an op's wire bytes; `IntegrityError` if malformed or wrongly signed. The hash and
 * the signature cover the body bytes exactly as received (the author wrote them canonically).
 */
export async function readOp(bytes: Uint8Array): Promise<SignedOp> {
  return (await readOps([bytes]))[0]!;
}

/**
 * `readOp` of many ops at once, their signatures checked together (in parallel where the platform can):
 * all are read, or `IntegrityError` for the first wrong one in order and none is.
 */
export async function readOps(items: readonly Uint8Array[]): Promise<SignedOp[]> {
  const parsed = items.map((bytes) => ({ bytes, ...parseOp(bytes) }));
  const checks = (await firstInOrder(parsed.map(signatureChecks))).flat();
  const valid = await verifyAll(checks);
  const wrong = checks.find((_, i) => !valid[i]);
  if (wrong) throw new IntegrityError(wrong.error);
  return Promise.all(parsed.map((p) => finishChecked(p.body, p.encoded, p.bytes)));
}

/** The values, or the first rejection in the order given (not the first to settle). */
async function firstInOrder<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** The signatures an op must carry: its author's, and a redeem's proof of the invitation key. */
async function signatureChecks({
  body,
  encoded,
  signature,
}: ReturnType<typeof parseOp>): Promise<
  { publicKey: CryptoKey; signature: Uint8Array; data: Uint8Array; error: string }[]
> {
  let author: CryptoKey;
  let sig: Uint8Array;
  try {
    author = await cachedVerifyKey(fromBase64(body.author));
    sig = fromBase64(signature);
  } catch {
    throw new IntegrityError("governance op has a malformed author key or signature");
  }
  const checks = [
    {
      publicKey: author,
      signature: sig,
      data: concat(DOMAIN, encoded),
      error: "bad governance op signature",
    },
  ];
  const op = body.op;
  if (op.type === "redeem") {
    // The invitee proves it holds the invitation's private key; checked here so the reducer stays pure.
    let inviteKey: CryptoKey;
    try {
      inviteKey = await cachedVerifyKey(fromBase64(op.invite));
    } catch {
      throw new IntegrityError("redeem names a malformed invitation key");
    }
    if (op.device?.signing !== body.author)
      throw new IntegrityError("a redeem is signed by the device it introduces");
    checks.push({
      publicKey: inviteKey,
      signature: fromBase64(op.proof),
      data: redeemStatement(body.cell, op.device.signing),
      error: "redeem proof does not match the invitation",
    });
  }
  return checks;
}

/**
 * Reads an op this device stored itself: every op is verified by `readOp` before it is stored (or signed
 * here), and the device's storage is trusted as its Automerge documents and keys are, so the signatures
 * are not checked again (at 4,000 ops they were most of a cold start). The bytes are still parsed and
 * checked for shape, and the hash is recomputed from them: the op is what its bytes say.
 */
export async function readStoredOp(bytes: Uint8Array): Promise<SignedOp> {
  const { body, encoded } = parseOp(bytes);
  return finishChecked(body, encoded, bytes);
}

async function finishChecked(body: OpBody, encoded: Uint8Array, bytes: Uint8Array): Promise<SignedOp> {
  try {
    return await finish(body, encoded, bytes);
  } catch (cause) {
    throw new IntegrityError("governance op names a malformed device key", { cause });
  }
}

/** The wire form's parts, checked for shape: `IntegrityError` otherwise. */
function parseOp(bytes: Uint8Array): { body: OpBody; encoded: Uint8Array; signature: string } {
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw new IntegrityError("governance op is not UTF-8");
  }
  const signature = WIRE_SIGNATURE.exec(text);
  if (!text.startsWith(WIRE_PREFIX) || !signature) throw new IntegrityError("governance op is malformed");
  // Prefix and suffix are ASCII, so character offsets are byte offsets there.
  const encoded = bytes.subarray(WIRE_PREFIX.length, bytes.length - signature[0].length);
  let body: OpBody;
  try {
    body = JSON.parse(text.slice(WIRE_PREFIX.length, text.length - signature[0].length));
  } catch {
    throw new IntegrityError("governance op is not JSON");
  }
  if (
    body?.v !== 1 ||
    typeof body.cell !== "string" ||
    !Array.isArray(body.parents) ||
    !body.parents.every((p) => typeof p === "string" && /^[0-9a-f]{64}$/.test(p)) ||
    typeof body.author !== "string" ||
    typeof body.at !== "number" ||
    typeof body.op !== "object" ||
    body.op === null ||
    !isOpType((body.op as { type?: unknown }).type)
  ) {
    throw new IntegrityError("governance op is malformed");
  }
  checkOpShape(body.op as Op & Record<string, unknown>);
  return { body, encoded, signature: signature[1]! };
}
