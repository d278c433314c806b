/**
 * In Node, the suite's per-envelope calls — ECDSA P-256 sign and verify, AES-256-GCM seal and open — made
 * synchronously by `node:crypto` on the very same WebCrypto keys (`KeyObject.from` reads a CryptoKey,
 * extractable or not). Same algorithms, same bytes, same errors: only the route changes. Node runs
 * WebCrypto's calls on its thread pool, and with one envelope per change the hops there and back cost
 * several times the cryptography itself (the `crypto-overhead` bench); browsers keep WebCrypto, which is
 * all they have for non-extractable keys.
 *
 * One signature at a time is checked on the calling thread; many at once (`verifyAll`) on Node's worker
 * threads, where they run in parallel.
 *
 * Anything outside what the project uses (an IV other than 96 bits, a key of another algorithm or without
 * the usage) goes to WebCrypto, so that it fails or succeeds exactly as there. `node:crypto` is reached
 * through `process.getBuiltinModule` (Node ≥ 20.16), which bundlers leave alone: in a browser this module
 * finds nothing and returns undefined (the project's own browser bundles leave it out: rollup.config.mjs).
 * suite.ts asks for it once, on its first call that could use it (`platformCryptoBackend`).
 */

/**
 * The suite's per-envelope primitives made synchronously by the platform, on the same keys (suite.ts's
 * route, `useCryptoBackend`). Each returns undefined for what it leaves to WebCrypto; a failure throws as
 * WebCrypto would reject.
 */
export interface CryptoBackend {
  sign(privateKey: CryptoKey, data: Uint8Array): Uint8Array | undefined;
  verify(publicKey: CryptoKey, signature: Uint8Array, data: Uint8Array): boolean | undefined;
  /** `verify` on worker threads, for many signatures at once (`verifyAll`). */
  verifyPooled(publicKey: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> | undefined;
  aesGcmEncrypt(
    key: CryptoKey,
    iv: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): Uint8Array | undefined;
  aesGcmDecrypt(
    key: CryptoKey,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    aad: Uint8Array,
  ): Uint8Array | undefined;
}

type NodeCrypto = typeof import("node:crypto");
type KeyObject = import("node:crypto").KeyObject;

const IV_BYTES = 12;
const TAG_BYTES = 16;

let platform: { backend: CryptoBackend | undefined } | undefined;

/** `nodeCryptoBackend()`, looked up once, by the first call (suite.ts's first signature or seal). */
export function platformCryptoBackend(): CryptoBackend | undefined {
  platform ??= { backend: nodeCryptoBackend() };
  return platform.backend;
}

/** The backend, when this runs in Node (see the module comment); undefined elsewhere. */
export function nodeCryptoBackend(): CryptoBackend | undefined {
  const builtin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  const nc = builtin?.("node:crypto") as NodeCrypto | undefined;
  if (!nc?.KeyObject?.from || !nc.sign || !nc.createCipheriv) return undefined;

  const objects = new WeakMap<CryptoKey, KeyObject>();
  const object = (key: CryptoKey): KeyObject => {
    let found = objects.get(key);
    if (!found) {
      found = nc.KeyObject.from(key);
      objects.set(key, found);
    }
    return found;
  };
  const usable = (key: CryptoKey, algorithm: string, usage: KeyUsage) =>
    key.algorithm.name === algorithm &&
    key.usages.includes(usage) &&
    (algorithm !== "ECDSA" || (key.algorithm as EcKeyAlgorithm).namedCurve === "P-256");
  const aes = (key: CryptoKey, iv: Uint8Array, usage: KeyUsage) =>
    usable(key, "AES-GCM", usage) && iv.length === IV_BYTES;
  const cipher = (key: CryptoKey) => `aes-${(key.algorithm as AesKeyAlgorithm).length}-gcm` as "aes-256-gcm";

  return {
    sign(key, data) {
      if (!usable(key, "ECDSA", "sign")) return undefined;
      return new Uint8Array(nc.sign("sha256", data, { key: object(key), dsaEncoding: "ieee-p1363" }));
    },
    verify(key, signature, data) {
      if (!usable(key, "ECDSA", "verify")) return undefined;
      return nc.verify("sha256", data, { key: object(key), dsaEncoding: "ieee-p1363" }, signature);
    },
    verifyPooled(key, signature, data) {
      if (!usable(key, "ECDSA", "verify")) return undefined;
      return new Promise<boolean>((resolve, reject) =>
        nc.verify("sha256", data, { key: object(key), dsaEncoding: "ieee-p1363" }, signature, (error, ok) =>
          error ? reject(error) : resolve(ok),
        ),
      );
    },
    aesGcmEncrypt(key, iv, plaintext, aad) {
      if (!aes(key, iv, "encrypt")) return undefined;
      const c = nc.createCipheriv(cipher(key), object(key), iv, { authTagLength: TAG_BYTES });
      c.setAAD(aad);
      const head = c.update(plaintext);
      const tail = c.final();
      const out = new Uint8Array(head.length + tail.length + TAG_BYTES);
      out.set(head);
      out.set(tail, head.length);
      out.set(c.getAuthTag(), head.length + tail.length);
      return out;
    },
    aesGcmDecrypt(key, iv, ciphertext, aad) {
      if (!aes(key, iv, "decrypt")) return undefined;
      if (ciphertext.length < TAG_BYTES) throw new RangeError("AES-GCM ciphertext shorter than its tag");
      const split = ciphertext.length - TAG_BYTES;
      const d = nc.createDecipheriv(cipher(key), object(key), iv, { authTagLength: TAG_BYTES });
      d.setAAD(aad);
      d.setAuthTag(ciphertext.subarray(split));
      const head = d.update(ciphertext.subarray(0, split));
      const tail = d.final();
      const out = new Uint8Array(head.length + tail.length);
      out.set(head);
      out.set(tail, head.length);
      return out;
    },
  };
}
