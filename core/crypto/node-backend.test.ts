/**
 * The node:crypto route (node-backend.ts) against WebCrypto on the same keys: what one signs or seals
 * the other verifies or opens, both ways; keys it must not use (wrong usage, algorithm or IV size) are
 * left to WebCrypto, which refuses them as before. The Wycheproof vectors run on both routes too.
 */
import { afterEach, describe, expect, it } from "vitest";
import { randomBytes } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import { nodeCryptoBackend } from "./node-backend.js";
import * as c from "./suite.js";

const node = nodeCryptoBackend()!;
afterEach(() => c.useCryptoBackend(undefined));

/** Runs `fn` with the node:crypto route, then with WebCrypto alone. */
async function both<T>(fn: () => Promise<T>): Promise<[T, T]> {
  c.useCryptoBackend(node);
  const fast = await fn();
  c.useCryptoBackend(undefined);
  return [fast, await fn()];
}

describe("the node:crypto route", () => {
  it("exists in Node, and signs and seals synchronously", async () => {
    expect(node).toBeDefined();
    const pair = await c.generateSigningKeyPair();
    expect(node.sign(pair.privateKey, randomBytes(10))).toHaveLength(64);
  });

  it("makes signatures WebCrypto verifies, and verifies WebCrypto's", async () => {
    const pair = await c.generateSigningKeyPair();
    const data = randomBytes(300);
    const [fast, slow] = await both(() => c.sign(pair.privateKey, data));
    for (const signature of [fast, slow]) {
      expect(await both(() => c.verify(pair.publicKey, signature, data))).toEqual([true, true]);
      const altered = signature.slice();
      altered[10]! ^= 1;
      expect(await both(() => c.verify(pair.publicKey, altered, data))).toEqual([false, false]);
    }
  });

  it("seals what WebCrypto opens and opens what it seals; a wrong tag is an IntegrityError on both", async () => {
    for (const size of [16, 32]) {
      const key = await c.importAesKey(randomBytes(size));
      const iv = randomBytes(12);
      const aad = randomBytes(20);
      const text = randomBytes(1000);
      const [fast, slow] = await both(() => c.aesGcmEncrypt(key, iv, text, aad));
      expect(fast).toEqual(slow);
      expect(await both(() => c.aesGcmDecrypt(key, iv, fast, aad))).toEqual([text, text]);
      const altered = fast.slice();
      altered[0]! ^= 1;
      for (const backend of [node, undefined]) {
        c.useCryptoBackend(backend);
        await expect(c.aesGcmDecrypt(key, iv, altered, aad)).rejects.toBeInstanceOf(IntegrityError);
        await expect(c.aesGcmDecrypt(key, iv, fast.subarray(0, 10), aad)).rejects.toBeInstanceOf(
          IntegrityError,
        );
        await expect(c.aesGcmDecrypt(key, iv, fast, randomBytes(20))).rejects.toBeInstanceOf(IntegrityError);
      }
    }
  });

  it("leaves to WebCrypto the keys and inputs it must not take", async () => {
    const signing = await c.generateSigningKeyPair();
    const agreement = await c.generateAgreementKeyPair();
    const aes = await c.importAesKey(randomBytes(32));
    const data = randomBytes(10);
    // A public key cannot sign, an ECDH key is not an ECDSA key, an AES-GCM IV other than 96 bits.
    expect(node.sign(signing.publicKey, data)).toBeUndefined();
    expect(node.sign(agreement.privateKey, data)).toBeUndefined();
    expect(node.verify(agreement.publicKey, new Uint8Array(64), data)).toBeUndefined();
    expect(node.aesGcmEncrypt(aes, randomBytes(16), data, data)).toBeUndefined();
    c.useCryptoBackend(node);
    await expect(c.sign(signing.publicKey, data)).rejects.toThrow();
    await expect(c.sign(agreement.privateKey, data)).rejects.toThrow();
  });
});
