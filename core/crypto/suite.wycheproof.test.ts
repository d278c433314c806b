/**
 * Wycheproof vectors (C2SP/wycheproof testvectors_v1, copied into core/test-vectors/wycheproof/) run through the
 * wrappers of core/crypto/suite.ts, on both of their routes in Node (WebCrypto, and node:crypto). Every case of every
 * file is run: `valid` must pass, `invalid` must be rejected, `acceptable` may go either way but must not crash.
 * Cases the wrapper cannot express on this platform are run anyway, counted as "not applicable" with the
 * reason, and must fail closed (rejected, or else correct).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concat, equalBytes, fromBase64, fromHex, toHex } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import { nodeCryptoBackend } from "./node-backend.js";
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  ecdh,
  hkdf,
  importAesKey,
  importAgreementPublicKey,
  importVerifyKey,
  useCryptoBackend,
  verify,
} from "./suite.js";

/** Both routes: WebCrypto alone, and node:crypto for what it takes (see node-backend.ts). */
const ROUTES = [
  ["WebCrypto", undefined],
  ["node:crypto", nodeCryptoBackend()],
] as const;

type Result = "valid" | "invalid" | "acceptable";

interface TestCase {
  tcId: number;
  comment: string;
  flags: string[];
  result: Result;
}

interface VectorFile<G extends { tests: TestCase[] }> {
  algorithm: string;
  numberOfTests: number;
  testGroups: G[];
}

interface AeadGroup {
  keySize: number;
  ivSize: number;
  tagSize: number;
  tests: (TestCase & { key: string; iv: string; aad: string; msg: string; ct: string; tag: string })[];
}

interface EcJwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
  d?: string;
  kid?: string;
}

interface EcdhGroup {
  curve: string;
  encoding: string;
  tests: (TestCase & { public: EcJwk; private: EcJwk; shared: string })[];
}

interface EcdsaGroup {
  sha: string;
  publicKey: { curve: string; uncompressed?: string };
  publicKeyJwk?: EcJwk;
  tests: (TestCase & { msg: string; sig: string })[];
}

interface HkdfGroup {
  keySize: number;
  tests: (TestCase & { ikm: string; salt: string; info: string; size: number; okm: string })[];
}

/** What the wrapper did with one case. Wrong behaviour (wrong output, wrong error type) throws instead. */
type Outcome = { accepted: true } | { accepted: false; by: string } | { notApplicable: string };

const ACCEPTED: Outcome = { accepted: true };
const rejected = (by: string): Outcome => ({ accepted: false, by });

/** Counts per file, filled by the group tests and checked by the last test of the file. */
class Tally {
  valid = 0;
  invalid = 0;
  acceptable = 0;
  readonly rejectedBy = new Map<string, number>();
  readonly notApplicable = new Map<string, number>();

  get na(): number {
    let n = 0;
    for (const v of this.notApplicable.values()) n += v;
    return n;
  }

  get run(): number {
    return this.valid + this.invalid + this.acceptable;
  }

  summary(name: string, ms: number): string {
    const na = [...this.notApplicable].map(([why, n]) => `${n} × ${why}`).join("; ");
    const by = [...this.rejectedBy].map(([how, n]) => `${n} × ${how}`).join("; ");
    return (
      `${name}: ${this.valid} valid passed, ${this.invalid} invalid rejected, ${this.acceptable} acceptable, ` +
      `${this.na} n.a.${na ? ` (${na})` : ""}; rejections: ${by || "none"}; ${ms.toFixed(0)} ms`
    );
  }
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

function load<G extends { tests: TestCase[] }>(name: string): VectorFile<G> {
  return JSON.parse(readFileSync(new URL(`../test-vectors/wycheproof/${name}`, import.meta.url), "utf8"));
}

const describeError = (e: unknown): string =>
  e instanceof Error ? `${e.constructor.name}(${e.name}): ${e.message}` : String(e);

/** Runs `fn`; an `IntegrityError` becomes a rejection, any other error is a wrapper bug and propagates. */
async function integrity<T>(what: string, fn: () => Promise<T>): Promise<{ ok: T } | { rejected: string }> {
  try {
    return { ok: await fn() };
  } catch (e) {
    if (e instanceof IntegrityError) return { rejected: what };
    throw new Error(`${what} threw ${describeError(e)} instead of IntegrityError`);
  }
}

/**
 * Runs every case of every group of a file: one `it` per group, then one `it` checking that every case of the
 * file was counted. Failures of a group are collected so one `it` reports all of its bad tcIds at once.
 */
function suite<G extends { tests: TestCase[] }>(
  file: string,
  groupName: (g: G) => string,
  run: (g: G, tc: G["tests"][number]) => Promise<Outcome>,
) {
  const vectors = load<G>(file);
  for (const [route, backend] of ROUTES) {
    const tally = new Tally();
    let ms = 0;
    describe(`${file} (${route})`, () => {
      beforeAll(() => useCryptoBackend(backend));
      afterAll(() => useCryptoBackend(undefined));
      vectors.testGroups.forEach((group, i) => {
        const ids = group.tests.map((t) => t.tcId);
        const range = ids.length ? `tcId ${Math.min(...ids)}–${Math.max(...ids)}` : "empty";
        it(`group ${i + 1}/${vectors.testGroups.length}: ${groupName(group)} (${range})`, async () => {
          const start = performance.now();
          const failures: string[] = [];
          for (const tc of group.tests) {
            let outcome: Outcome;
            try {
              outcome = await run(group, tc);
            } catch (e) {
              failures.push(`tcId ${tc.tcId} (${tc.result}, ${tc.comment}): ${describeError(e)}`);
              continue;
            }
            if ("notApplicable" in outcome) {
              bump(tally.notApplicable, outcome.notApplicable);
            } else if (tc.result === "acceptable") {
              tally.acceptable++;
            } else if (tc.result === "valid" && outcome.accepted) {
              tally.valid++;
            } else if (tc.result === "invalid" && !outcome.accepted) {
              tally.invalid++;
              bump(tally.rejectedBy, outcome.by);
            } else {
              const what = outcome.accepted ? "accepted" : `rejected by ${outcome.by}`;
              failures.push(
                `tcId ${tc.tcId} (${tc.result}, ${tc.comment}, [${tc.flags.join(", ")}]): ${what}`,
              );
            }
          }
          ms += performance.now() - start;
          expect(failures).toEqual([]);
        });
      });

      it(`runs all ${vectors.numberOfTests} cases`, () => {
        const listed = vectors.testGroups.reduce((n, g) => n + g.tests.length, 0);
        expect(listed).toBe(vectors.numberOfTests);
        expect(tally.run).toBeGreaterThan(0);
        expect(tally.run + tally.na).toBe(vectors.numberOfTests);
        console.log(tally.summary(`${file} (${route})`, ms));
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// AES-GCM: importAesKey, aesGcmEncrypt, aesGcmDecrypt (128-bit tag appended to the ciphertext).

/**
 * What the wrapper can express here: the tag is always 128 bits; Node's WebCrypto (OpenSSL 3) refuses AES-GCM IVs
 * shorter than 12 or longer than 128 bytes (OperationError). The project itself only uses 96-bit IVs.
 */
function aeadNotApplicable(g: AeadGroup): string | undefined {
  if (g.tagSize !== 128) return `${g.tagSize}-bit tag (the wrapper always uses 128-bit tags)`;
  if (![128, 192, 256].includes(g.keySize)) return `${g.keySize}-bit key (WebCrypto AES takes 128/192/256)`;
  if (g.ivSize > 0 && (g.ivSize < 96 || g.ivSize > 1024))
    return "IV outside 96–1024 bits (Node WebCrypto AES-GCM refuses it)";
  return undefined;
}

suite<AeadGroup>(
  "aes_gcm_test.json",
  (g) => `AES-${g.keySize}-GCM, ${g.ivSize}-bit IV, ${g.tagSize}-bit tag`,
  async (g, tc) => {
    const key = await importAesKey(fromHex(tc.key));
    const iv = fromHex(tc.iv);
    const aad = fromHex(tc.aad);
    const msg = fromHex(tc.msg);
    const sealed = concat(fromHex(tc.ct), fromHex(tc.tag));
    const na = aeadNotApplicable(g);

    // Encryption: valid cases must give exactly ct ‖ tag; nothing may ever give an invalid case's ct ‖ tag.
    let encrypted: Uint8Array | undefined;
    try {
      encrypted = await aesGcmEncrypt(key, iv, msg, aad);
    } catch (e) {
      if (tc.result === "valid" && !na) throw new Error(`aesGcmEncrypt threw ${describeError(e)}`);
    }
    if (encrypted) {
      const same = equalBytes(encrypted, sealed);
      if (tc.result === "valid" && !same) throw new Error(`aesGcmEncrypt gave ${toHex(encrypted)}`);
      if (tc.result === "invalid" && same) throw new Error("aesGcmEncrypt reproduced the invalid ciphertext");
    }

    // Decryption: must give msg back, or fail with IntegrityError; a wrong plaintext is always a bug.
    const opened = await integrity("aesGcmDecrypt", () => aesGcmDecrypt(key, iv, sealed, aad));
    if ("ok" in opened && !equalBytes(opened.ok, msg))
      throw new Error(`aesGcmDecrypt gave ${toHex(opened.ok)}`);
    if (tc.result === "valid" && encrypted === undefined && "ok" in opened)
      throw new Error("aesGcmDecrypt accepted an IV that aesGcmEncrypt refused");
    if (na)
      return {
        notApplicable: `${na}, ${"ok" in opened ? "ran anyway and was correct" : "refused (IntegrityError)"}`,
      };
    return "ok" in opened ? ACCEPTED : rejected(opened.rejected);
  },
);

// ---------------------------------------------------------------------------------------------------------------
// ECDH P-256: JWK private key imported with WebCrypto (no wrapper takes a private key), public key given to
// importAgreementPublicKey as raw 04 ‖ x ‖ y (the only form the project takes), then the ecdh wrapper.

const ECDH_P256 = { name: "ECDH", namedCurve: "P-256" } as const;

/** The raw form the project takes, 04 ‖ x ‖ y, whatever the curve the JWK names. */
const rawFromJwk = (jwk: EcJwk): Uint8Array => concat(Uint8Array.of(4), fromBase64(jwk.x), fromBase64(jwk.y));

suite<EcdhGroup>(
  "ecdh_secp256r1_webcrypto_test.json",
  (g) => `${g.curve}, ${g.encoding} (JWK) keys`,
  async (_g, tc) => {
    const { kid: _kid, ...privateJwk } = tc.private;
    const privateKey = await crypto.subtle.importKey("jwk", privateJwk, ECDH_P256, false, ["deriveBits"]);

    const publicKey = await integrity("importAgreementPublicKey", () =>
      importAgreementPublicKey(rawFromJwk(tc.public)),
    );
    if ("rejected" in publicKey) return rejected(publicKey.rejected);
    // The raw form carries no curve name: a caller holding a JWK for another curve must refuse it itself.
    if (tc.public.kty !== "EC" || tc.public.crv !== "P-256")
      return rejected(`JWK curve check (${tc.public.crv})`);
    const shared = await integrity("ecdh", () => ecdh(privateKey, publicKey.ok));
    if ("rejected" in shared) return rejected(shared.rejected);
    if (equalBytes(shared.ok, fromHex(tc.shared))) return ACCEPTED;
    if (tc.result === "valid") throw new Error(`ecdh gave ${toHex(shared.ok)}, expected ${tc.shared}`);
    return rejected("ecdh result mismatch");
  },
);

// ---------------------------------------------------------------------------------------------------------------
// ECDSA P-256 / SHA-256, IEEE P1363 (raw r ‖ s) signatures: importVerifyKey, verify.

const verifyKeys = new Map<EcdsaGroup, ReturnType<typeof importVerifyKeyOutcome>>();

function importVerifyKeyOutcome(g: EcdsaGroup) {
  if (g.publicKey.curve !== "secp256r1" || g.sha !== "SHA-256")
    throw new Error(`unexpected group: ${g.publicKey.curve} / ${g.sha}`);
  if (g.publicKey.uncompressed) {
    const raw = fromHex(g.publicKey.uncompressed);
    return integrity("importVerifyKey", () => importVerifyKey(raw));
  }
  // No uncompressed point in the group: import the JWK with WebCrypto (no wrapper takes a JWK).
  const { kid: _kid, ...jwk } = g.publicKeyJwk!;
  return integrity("WebCrypto JWK import", () =>
    crypto.subtle
      .importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"])
      .catch((e) => {
        throw new IntegrityError("not a valid P-256 public key", { cause: e });
      }),
  );
}

suite<EcdsaGroup>(
  "ecdsa_secp256r1_sha256_p1363_test.json",
  (g) =>
    `${g.publicKey.curve} ${g.sha}, key ${(g.publicKey.uncompressed ?? g.publicKeyJwk?.x ?? "").slice(0, 18)}…`,
  async (g, tc) => {
    let key = verifyKeys.get(g);
    if (!key) {
      key = importVerifyKeyOutcome(g);
      verifyKeys.set(g, key);
    }
    const imported = await key;
    if ("rejected" in imported) return rejected(imported.rejected);
    let ok: boolean;
    try {
      ok = await verify(imported.ok, fromHex(tc.sig), fromHex(tc.msg));
    } catch (e) {
      throw new Error(`verify threw ${describeError(e)} (it must return false)`);
    }
    if (typeof ok !== "boolean") throw new Error(`verify returned ${String(ok)}`);
    return ok
      ? ACCEPTED
      : rejected(fromHex(tc.sig).length === 64 ? "verify → false" : "verify → false (length)");
  },
);

// ---------------------------------------------------------------------------------------------------------------
// HKDF-SHA-256: hkdf(ikm, salt, info, length). Invalid cases ask for more than 255 × 32 bytes: must throw.

suite<HkdfGroup>(
  "hkdf_sha256_test.json",
  (g) => `${g.keySize}-bit IKM`,
  async (_g, tc) => {
    let okm: Uint8Array;
    try {
      okm = await hkdf(fromHex(tc.ikm), fromHex(tc.salt), fromHex(tc.info), tc.size);
    } catch (e) {
      if (tc.result === "valid") throw new Error(`hkdf threw ${describeError(e)}`);
      return rejected(`hkdf threw ${e instanceof Error ? e.name : typeof e}`);
    }
    if (okm.length !== tc.size) throw new Error(`hkdf gave ${okm.length} bytes for ${tc.size}`);
    if (tc.result !== "invalid" && !equalBytes(okm, fromHex(tc.okm)))
      throw new Error(`hkdf gave ${toHex(okm)}`);
    return ACCEPTED;
  },
);
