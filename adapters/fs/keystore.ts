/**
 * Device keys in a directory (Node): one JSON file of private JWKs per name, mode 0600 in a directory
 * created 0700, written crash-safely and never replaced. After loading, keys are re-imported as
 * non-extractable `CryptoKey`s, so the rest of the process cannot export them again.
 *
 * A key file that other users could read or change, or that is not a well-formed key file, is refused
 * with a `StorageError` saying how to fix it: a leaked or tampered key must be noticed, not used.
 */
import { open, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { equalBytes } from "../../core/base/bytes.js";
import { StorageError } from "../../core/base/errors.js";
import type { DeviceKeys } from "../../core/crypto/identity.js";
import {
  ecdh,
  generateAgreementKeyPair,
  generateSigningKeyPair,
  sign,
  verify,
} from "../../core/crypto/suite.js";
import type { Keystore } from "../../core/ports/keystore.js";
import { fsyncDirectory, makeDirectory, writeFileAtomic } from "./atomic.js";
import { encodePart, NAME_MAX } from "./key-path.js";

/** Options of `fileKeystore`. */
export interface FileKeystoreInit {
  /**
   * fsync key files and the directory, so a created key survives a power loss.
   * @default true
   */
  fsync?: boolean;
  /**
   * Check that key files are not accessible to the group or to others. Ignored on Windows, where
   * POSIX permission bits mean nothing.
   * @default true
   */
  checkPermissions?: boolean;
}

const FORMAT = "cellule-device-keys";
const SUFFIX = ".key.json";
const MAX_FILE = 64 * 1024;
const ECDSA = { name: "ECDSA", namedCurve: "P-256" } as const;
const ECDH = { name: "ECDH", namedCurve: "P-256" } as const;

/** The JSON stored in a key file. */
interface KeyFile {
  format: typeof FORMAT;
  version: 1;
  signing: JsonWebKey;
  agreement: JsonWebKey;
}

/** What to do about an unusable key file. */
const FIX = "Restore it from a backup, or delete it and link this device again as a new one.";

const errno = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? "";

/** The P-256 private JWK fields, checked; `StorageError` naming the file otherwise. */
function privateJwk(value: unknown, path: string, which: string): JsonWebKey {
  const jwk = value as Record<string, unknown> | null;
  const b64url = (v: unknown) => typeof v === "string" && /^[A-Za-z0-9_-]{43}$/.test(v);
  if (
    !jwk ||
    typeof jwk !== "object" ||
    jwk.kty !== "EC" ||
    jwk.crv !== "P-256" ||
    ![jwk.x, jwk.y, jwk.d].every(b64url)
  ) {
    throw new StorageError(
      `${path} is malformed: its "${which}" entry is not a P-256 private key (JWK with kty, crv, x, y, d). ` +
        FIX,
    );
  }
  return { kty: "EC", crv: "P-256", x: jwk.x as string, y: jwk.y as string, d: jwk.d as string };
}

/** Parses and checks a key file's text. */
function parseKeyFile(text: string, path: string): { signing: JsonWebKey; agreement: JsonWebKey } {
  let parsed: Partial<KeyFile>;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new StorageError(`${path} is malformed (not JSON). ${FIX}`, { cause });
  }
  if (!parsed || parsed.format !== FORMAT || parsed.version !== 1) {
    throw new StorageError(
      `${path} is not a Cellule device key file (format "${FORMAT}", version 1). ` + FIX,
    );
  }
  return {
    signing: privateJwk(parsed.signing, path, "signing"),
    agreement: privateJwk(parsed.agreement, path, "agreement"),
  };
}

/** Imports a checked private JWK as a non-extractable key pair (the public half stays extractable). */
async function importPair(
  jwk: JsonWebKey,
  kind: "signing" | "agreement",
  path: string,
): Promise<CryptoKeyPair> {
  const algorithm = kind === "signing" ? ECDSA : ECDH;
  const { d: _d, ...publicJwk } = jwk;
  try {
    return {
      privateKey: await crypto.subtle.importKey(
        "jwk",
        jwk,
        algorithm,
        false,
        kind === "signing" ? ["sign"] : ["deriveBits"],
      ),
      publicKey: await crypto.subtle.importKey(
        "jwk",
        publicJwk,
        algorithm,
        true,
        kind === "signing" ? ["verify"] : [],
      ),
    };
  } catch (cause) {
    throw new StorageError(`${path} is malformed: its ${kind} key is not a valid P-256 key. ` + FIX, {
      cause,
    });
  }
}

/** Checks that each private key belongs to its public key, which a hand-edited or damaged file may break. */
async function checkPairs(keys: DeviceKeys, path: string): Promise<void> {
  const probe = new TextEncoder().encode(path);
  const signs = await verify(keys.signing.publicKey, await sign(keys.signing.privateKey, probe), probe);
  const peer = await generateAgreementKeyPair();
  const agrees = equalBytes(
    await ecdh(keys.agreement.privateKey, peer.publicKey),
    await ecdh(peer.privateKey, keys.agreement.publicKey),
  );
  if (!signs || !agrees) {
    throw new StorageError(`${path} is corrupted: a private key does not match its public key. ` + FIX);
  }
}

/**
 * A keystore keeping each device's keys in `directory/<name>.key.json` (mode 0600; the directory is
 * created with mode 0700). `create` never replaces existing keys.
 *
 * @param directory - where key files live; nothing is written outside it
 *
 * @example
 * ```ts
 * const identity = await loadIdentity(fileKeystore(".cellule-data/keys"), "relay", true);
 * ```
 */
export function fileKeystore(directory: string, init: FileKeystoreInit = {}): Keystore {
  const { fsync = true } = init;
  const checkPermissions = (init.checkPermissions ?? true) && process.platform !== "win32";
  const root = resolve(directory);
  const fileOf = (name: string): string =>
    join(root, encodePart(name, NAME_MAX - SUFFIX.length - 20) + SUFFIX);

  const readKeyFile = async (path: string): Promise<string | undefined> => {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, "r");
    } catch (error) {
      if (errno(error) === "ENOENT") return undefined;
      throw new StorageError(`cannot open ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      // Checked on the open file, so the file read is the file checked.
      const stat = await handle.stat();
      if (!stat.isFile()) throw new StorageError(`${path} is not a regular file: move it away and retry`);
      if (checkPermissions && (stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8).padStart(3, "0");
        throw new StorageError(
          `${path} is accessible to other users (mode ${mode}): its private keys may have leaked. ` +
            `If only you could have read it, run \`chmod 600 ${path}\`; otherwise delete it and link this ` +
            "device again as a new one.",
        );
      }
      if (stat.size > MAX_FILE) {
        throw new StorageError(`${path} is malformed (${stat.size} bytes, a key file is under 1 KiB)`);
      }
      return await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  };

  return {
    async load(name) {
      const path = fileOf(name);
      const text = await readKeyFile(path);
      if (text === undefined) return undefined;
      const jwks = parseKeyFile(text, path);
      const keys: DeviceKeys = {
        signing: await importPair(jwks.signing, "signing", path),
        agreement: await importPair(jwks.agreement, "agreement", path),
      };
      await checkPairs(keys, path);
      return keys;
    },

    async create(name) {
      const path = fileOf(name);
      // Extractable only long enough to write the JWKs; the keys handed back are re-imported locked.
      const signing = await generateSigningKeyPair(true);
      const agreement = await generateAgreementKeyPair(true);
      const file: KeyFile = {
        format: FORMAT,
        version: 1,
        signing: await crypto.subtle.exportKey("jwk", signing.privateKey),
        agreement: await crypto.subtle.exportKey("jwk", agreement.privateKey),
      };
      try {
        await makeDirectory(root, fsync, 0o700);
        await writeFileAtomic(path, [new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`)], {
          mode: 0o600,
          fsync,
          exclusive: true,
        });
      } catch (error) {
        if (errno(error) === "EEXIST") {
          throw new StorageError(
            `keys already exist under "${name}" (${path}): load them, or delete them first`,
          );
        }
        throw new StorageError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
      }
      const jwks = parseKeyFile(JSON.stringify(file), path);
      return {
        signing: await importPair(jwks.signing, "signing", path),
        agreement: await importPair(jwks.agreement, "agreement", path),
      };
    },

    async delete(name) {
      const path = fileOf(name);
      try {
        await unlink(path);
      } catch (error) {
        if (errno(error) === "ENOENT") return;
        throw new StorageError(`cannot delete ${path}: ${(error as Error).message}`, { cause: error });
      }
      if (fsync) await fsyncDirectory(root);
    },
  };
}
