/**
 * Verifies an edition with WebCrypto alone (no Automerge, no WASM): what a keyless widget imports.
 * The chain: SHA-256(genesis body bytes) is the cell ID; the genesis is signed by its founder device;
 * each publication certificate is signed by the previous key (the first by the founder); the edition
 * is signed by the last key.
 */
import { concat, fromBase64, fromUtf8, toHex, utf8 } from "../bytes.js";
import { importVerifyKey, sha256, verify } from "../crypto.js";
import { IntegrityError, WrongCellError } from "../errors.js";
import { EDITION_DOMAIN, type EditionBody, MAX_EDITION_BYTES, publicationStatement } from "./format.js";

/** A verified edition: its body and the cell's current admission key. */
export interface VerifiedEdition extends EditionBody {
  /** The admission key of the last certificate (base64url raw ECDH P-256 point). */
  admissionKey: string;
}

const GOVERNANCE_DOMAIN = "cellule/governance/v1\n";

/** Splits `{"<field>":<body>,"sig":"<b64url>"}` into the body bytes and text and the signature. */
function split(bytes: Uint8Array, field: string): { body: Uint8Array; text: string; sig: Uint8Array } {
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw new IntegrityError(`${field} is not UTF-8`);
  }
  const prefix = `{"${field}":`;
  const m = /,"sig":"([A-Za-z0-9_-]{80,90})"}$/.exec(text);
  if (!text.startsWith(prefix) || !m) throw new IntegrityError(`${field} is malformed`);
  // Prefix and suffix are ASCII: character offsets are byte offsets there.
  return {
    body: bytes.subarray(prefix.length, bytes.length - m[0].length),
    text: text.slice(prefix.length, text.length - m[0].length),
    sig: signature(m[1]!, field),
  };
}

function signature(b64: string, what: string): Uint8Array {
  try {
    return fromBase64(b64);
  } catch {
    throw new IntegrityError(`${what} has a malformed signature`);
  }
}

function parse(text: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v;
  } catch {}
  throw new IntegrityError(`${what} is not a JSON object`);
}

async function check(key: string, sig: Uint8Array, data: Uint8Array, what: string): Promise<void> {
  let k: CryptoKey;
  try {
    k = await importVerifyKey(fromBase64(key));
  } catch {
    throw new IntegrityError(`${what}: malformed key`);
  }
  if (!(await verify(k, sig, data))) throw new IntegrityError(`${what}: bad signature`);
}

/**
 * Verifies edition wire bytes; when `cell` is given the edition must be that cell's (`WrongCellError`).
 * `IntegrityError` for anything malformed, tampered or wrongly chained.
 */
export async function verifyEdition(bytes: Uint8Array, cell?: string): Promise<VerifiedEdition> {
  if (!(bytes instanceof Uint8Array)) throw new IntegrityError("an edition is bytes");
  if (bytes.length > MAX_EDITION_BYTES) throw new IntegrityError("edition too large");
  const outer = split(bytes, "edition");
  const body = parse(outer.text, "edition") as unknown as EditionBody;
  const object = (v: unknown) => typeof v === "object" && v !== null;
  if (body.v !== 1 || !/^[0-9a-f]{64}$/.test(body.cell)) throw new IntegrityError("edition is malformed");
  if (cell !== undefined && body.cell !== cell)
    throw new WrongCellError(`edition of cell ${body.cell.slice(0, 12)}…, not ${cell.slice(0, 12)}…`);
  const { chain } = body;
  if (
    typeof body.at !== "number" ||
    typeof body.genesis !== "string" ||
    !Array.isArray(chain) ||
    !chain.length ||
    chain.length > 64 ||
    !object(body.profile) ||
    !object(body.pages) ||
    !Array.isArray(body.posts) ||
    !Array.isArray(body.events)
  )
    throw new IntegrityError("edition is malformed");

  const genesis = split(utf8(body.genesis), "body");
  const g = parse(genesis.text, "genesis") as {
    cell?: unknown;
    author?: unknown;
    op?: { type?: unknown; founder?: { signing?: unknown } };
  };
  const founder = g.op?.founder?.signing;
  if (g.cell !== "" || g.op?.type !== "genesis" || typeof founder !== "string" || g.author !== founder)
    throw new IntegrityError("not a genesis op");
  // Every link names the key that signs the next one, so all signatures can be checked at once.
  const checks = [
    sha256(genesis.body).then((h) => {
      if (toHex(h) !== body.cell) throw new IntegrityError("the genesis op does not hash to the cell ID");
    }),
    check(founder, genesis.sig, concat(utf8(GOVERNANCE_DOMAIN), genesis.body), "genesis"),
  ];
  let signer = founder;
  for (const [i, cert] of chain.entries()) {
    const what = `publication certificate ${i}`;
    if (typeof cert?.key !== "string" || typeof cert.admission !== "string" || typeof cert.sig !== "string")
      throw new IntegrityError(`${what} is malformed`);
    const statement = utf8(publicationStatement(body.cell, i, cert.key, cert.admission));
    checks.push(check(signer, signature(cert.sig, what), statement, what));
    signer = cert.key;
  }
  checks.push(check(signer, outer.sig, concat(utf8(EDITION_DOMAIN), outer.body), "edition"));
  // The first failure in chain order, whichever settles first: the same edition gets the same error everywhere.
  const failed = (await Promise.allSettled(checks)).find((o) => o.status === "rejected");
  if (failed) throw failed.reason;
  return { ...body, admissionKey: chain[chain.length - 1]!.admission };
}
