/**
 * Signed releases of the member space (`release.json`): the list of the app's files with their SHA-256,
 * signed (ECDSA P-256, raw r‖s) by a release key that the person deploying the app holds. The service worker
 * (sw.js) pins the key of the release it was first installed with, and installs a later release only if it is
 * signed by that key and every file matches its hash (see sw.js for what this protects against, and what not).
 *
 * The signed message, in UTF-8 (sw.js builds the same bytes; a change here is a change there):
 *
 *     cellule-app-release/1
 *     key <the public key, 65-byte SEC1, base64url>
 *     <file name> <sha-256, hex>        one line per file, sorted by name
 *
 * Signing runs in Node (demo/app-sign.ts, `npm run app:sign`) and in tests; nothing here touches a file.
 */
import { fromBase64, toBase64Url, toHex } from "../../core/base/bytes.js";
import { CelluleError, IntegrityError } from "../../core/base/errors.js";
import { exportPublicKey, importVerifyKey, sha256, sign, verify } from "../../core/crypto/suite.js";

/** The first line of the signed message and `release.json`'s `format`. */
export const RELEASE_FORMAT = "cellule-app-release/1";

/** Files of `dist/app/` a release does not list: itself, and the relay list each host writes for itself. */
export const UNSIGNED_FILES: readonly string[] = ["release.json", "relays.json"];

/** `release.json`. */
export interface Release {
  format: typeof RELEASE_FORMAT;
  /** The release key's public half, 65-byte SEC1, base64url. */
  key: string;
  /** File name → SHA-256 (hex). */
  files: Record<string, string>;
  /** ECDSA P-256 over `releaseMessage(key, files)`, raw r‖s, base64url. */
  signature: string;
}

/** Signing was asked for and no release key was given (or the one given is not a P-256 private key). */
export class ReleaseKeyError extends CelluleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("release-key", message, options);
  }
}

/** The bytes a release's signature covers (see the module's comment). */
export function releaseMessage(key: string, files: Record<string, string>): Uint8Array {
  const lines = [RELEASE_FORMAT, `key ${key}`];
  for (const name of Object.keys(files).sort()) {
    if (!/^[\w.-]+$/.test(name)) throw new IntegrityError(`not a file name of the member space: ${name}`);
    lines.push(`${name} ${files[name]}`);
  }
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

/**
 * The release of `files` (file name → contents: what `dist/app/` holds), signed with `keys`. Files named in
 * `UNSIGNED_FILES` are left out.
 */
export async function signRelease(
  files: Record<string, string | Uint8Array>,
  keys: { privateKey: CryptoKey; publicKey: CryptoKey },
): Promise<Release> {
  const hashes: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    if (UNSIGNED_FILES.includes(name)) continue;
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    hashes[name] = toHex(await sha256(bytes));
  }
  const key = toBase64Url(await exportPublicKey(keys.publicKey));
  const signature = toBase64Url(await sign(keys.privateKey, releaseMessage(key, hashes)));
  return { format: RELEASE_FORMAT, key, files: hashes, signature };
}

/** Whether `release` is signed by its own key, and by `pinned` (base64url) when given. */
export async function verifyRelease(release: Release, pinned?: string): Promise<boolean> {
  if (release.format !== RELEASE_FORMAT || (pinned !== undefined && release.key !== pinned)) return false;
  try {
    const key = await importVerifyKey(fromBase64(release.key));
    return await verify(key, fromBase64(release.signature), releaseMessage(release.key, release.files));
  } catch {
    return false;
  }
}

/**
 * The release key pair from its key file's text: the private key as a JWK (what `newReleaseKey` writes).
 * `ReleaseKeyError` if it is not an ECDSA P-256 private key.
 */
export async function importReleaseKey(
  jwkText: string,
): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  try {
    const jwk = JSON.parse(jwkText) as JsonWebKey;
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.d) throw new TypeError("not a P-256 private JWK");
    const algorithm = { name: "ECDSA", namedCurve: "P-256" };
    const privateKey = await crypto.subtle.importKey("jwk", jwk, algorithm, false, ["sign"]);
    const { d: _d, ...rest } = jwk;
    const publicKey = await crypto.subtle.importKey(
      "jwk",
      { ...rest, key_ops: ["verify"] },
      algorithm,
      true,
      ["verify"],
    );
    return { privateKey, publicKey };
  } catch (cause) {
    throw new ReleaseKeyError("the release key file does not hold an ECDSA P-256 private key (JWK)", {
      cause,
    });
  }
}

/** A new release key: the text of its key file (the private key as a JWK; keep it secret). */
export async function newReleaseKey(): Promise<string> {
  const algorithm = { name: "ECDSA", namedCurve: "P-256" };
  const pair = (await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  return `${JSON.stringify(await crypto.subtle.exportKey("jwk", pair.privateKey))}\n`;
}
