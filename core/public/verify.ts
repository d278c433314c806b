/**
 * Verifies an edition with WebCrypto alone (no Automerge, no WASM): what a keyless widget imports.
 * The chain: SHA-256(genesis body bytes) is the cell ID, and that body names the founder device's key;
 * each publication certificate is signed by the previous key (the first by the founder's); the edition
 * is signed by the last key and dated no later than its certificate's end. Pure: nothing here reads a
 * clock (relays and the contact form judge the certificate's end against theirs). The genesis op's own signature is not checked here: the hash already binds
 * the founder's key to the cell, and the first certificate proves its holder signed.
 */
import { fromUtf8, utf8 } from "../base/bytes.js";
import { IntegrityError, WrongCellError } from "../base/errors.js";
import { importVerifyKey, sha256, verify } from "../crypto/suite.js";
import {
  EDITION_DOMAIN,
  type EditionBody,
  MAX_EDITION_BYTES,
  publicationStatement,
} from "../protocol/edition-format.js";

/** A verified edition: its body and the cell's current admission key. */
export interface VerifiedEdition extends EditionBody {
  /** The admission key of the last certificate (base64url raw ECDH P-256 point). */
  admissionKey: string;
}

/** What every malformed part of an edition throws (one message shape: the widget bundle counts its bytes). */
const malformed = (what: string) => new IntegrityError(`${what} is malformed`);

/**
 * Reads `{"<field>":<JSON object>,"sig":"<b64url>"}`: the object, its text and the signature. A body's
 * bytes are the UTF-8 of its text: texts come from strict UTF-8 decoding, which round-trips exactly.
 */
function read<T = Record<string, unknown>>(
  text: string,
  field: string,
): { value: T; text: string; sig: string } {
  const prefix = `{"${field}":`;
  const m = /,"sig":"([\w-]{86})"}$/.exec(text);
  if (text.startsWith(prefix) && m) {
    const inner = text.slice(prefix.length, -m[0].length);
    try {
      const value = JSON.parse(inner);
      if (typeof value === "object" && value && !Array.isArray(value))
        return { value, text: inner, sig: m[1]! };
    } catch {}
  }
  throw malformed(field);
}

/**
 * Bytes of a base64url text. Not base/bytes.ts's `fromBase64`, whose tables make it fast for the member
 * space's thousands of keys and signatures: a widget decodes a handful, and atob keeps its bundle small.
 */
function base64url(text: string): Uint8Array {
  if (!/^[\w-]*$/.test(text)) throw malformed("base64url");
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Checks that `sig` (base64url) is `key`'s signature of `data`'s UTF-8; `what` names the link in errors. A
 * malformed key or signature is a bad signature too (one message: the widget bundle counts its bytes).
 */
async function check(key: string, sig: string, data: string, what: string): Promise<void> {
  let ok = false;
  try {
    ok = await verify(await importVerifyKey(base64url(key)), base64url(sig), utf8(data));
  } catch {}
  if (!ok) throw new IntegrityError(`${what}: bad signature`);
}

/**
 * Verifies edition wire bytes; when `cell` is given the edition must be that cell's (`WrongCellError`).
 * `IntegrityError` for anything malformed, tampered or wrongly chained.
 */
export async function verifyEdition(bytes: Uint8Array, cell?: string): Promise<VerifiedEdition> {
  if (bytes.length > MAX_EDITION_BYTES) throw new IntegrityError("edition too large");
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw malformed("edition");
  }
  const outer = read<EditionBody>(text, "edition");
  const body = outer.value;
  // A record: an object, not null, not a list (the profile, the pages, each post and event).
  const object = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (body.v !== 1 || !/^[0-9a-f]{64}$/.test(body.cell)) throw malformed("edition");
  if (cell !== undefined && body.cell !== cell) throw new WrongCellError(`edition of cell ${body.cell}`);
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
    throw malformed("edition");

  const genesis = read(body.genesis, "body");
  const g = genesis.value as {
    cell?: unknown;
    author?: unknown;
    op?: { type?: unknown; founder?: { signing?: unknown } };
  };
  const founder = g.op?.founder?.signing;
  if (g.cell !== "" || g.op?.type !== "genesis" || typeof founder !== "string" || g.author !== founder)
    throw new IntegrityError("not a genesis op");
  // Every link names the key that signs the next one, so all signatures can be checked at once.
  const checks = [
    sha256(utf8(genesis.text)).then((h) => {
      // Not base/bytes.ts's `toHex` and its table: hex is written once here.
      if (h.reduce((hex, b) => hex + (b | 256).toString(16).slice(1), "") !== body.cell)
        throw new IntegrityError("genesis does not hash to the cell ID");
    }),
  ];
  let signer = founder;
  for (const [i, cert] of chain.entries()) {
    const what = `publication certificate ${i}`;
    // A key, heads or signature of another type fails the signature check; these two are used as they are.
    if (typeof cert?.admission !== "string" || typeof cert.expires !== "number") throw malformed(what);
    checks.push(check(signer, cert.sig, publicationStatement(body.cell, i, cert), what));
    signer = cert.key;
  }
  if (body.at > chain[chain.length - 1]!.expires)
    throw new IntegrityError("edition after its certificate's end");
  checks.push(check(signer, outer.sig, EDITION_DOMAIN + outer.text, "edition"));
  // The first failure in chain order, whichever settles first: the same edition gets the same error everywhere.
  const failed = (await Promise.allSettled(checks)).find((o) => o.status === "rejected");
  if (failed) throw failed.reason;
  // Signed is not sane: list items that are not records (`posts: [null]`) are left out for every reader.
  return {
    ...body,
    posts: body.posts.filter(object),
    events: body.events.filter(object),
    admissionKey: chain[chain.length - 1]!.admission,
  };
}
