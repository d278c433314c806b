/**
 * Acceptance suite for `Keystore` implementations (memory, filesystem, Dexie in Node and in Chromium).
 * Keys must be usable with core/crypto/suite.ts, survive a restart where the store persists, stay apart per name,
 * and keep their private halves non-extractable. It only needs `describe`/`it`, so it runs under vitest and
 * under mocha.
 */
import { equalBytes } from "../base/bytes.js";
import { StorageError } from "../base/errors.js";
import type { DeviceKeys } from "../crypto/identity.js";
import {
  ecdh,
  exportPublicKey,
  importAgreementPublicKey,
  importVerifyKey,
  sign,
  verify,
} from "../crypto/suite.js";
import type { Keystore } from "../ports/keystore.js";
import { assert, bytesEqual, equal, isUndefined, rejects } from "./assert.js";
import { type TestFramework, withFixture } from "./framework.js";

/** One fresh, empty keystore for one test. */
export interface KeystoreFixture {
  /** The keystore under test, with no keys in it. */
  keystore: Keystore;
  /** Releases what the fixture holds (closes databases, deletes temporary directories). */
  teardown?: () => void | Promise<void>;
  /**
   * Simulates a restart: a new keystore over the same stored keys (the previous one may be closed).
   * Omit it for stores that keep nothing across restarts; the restart tests are then skipped.
   */
  reopen?: () => Promise<Keystore>;
}

/** The raw public keys of a device, to compare key sets across loads. */
async function publicKeys(keys: DeviceKeys): Promise<{ signing: Uint8Array; agreement: Uint8Array }> {
  return {
    signing: await exportPublicKey(keys.signing.publicKey),
    agreement: await exportPublicKey(keys.agreement.publicKey),
  };
}

/** Throws unless both key sets have the same public keys. */
async function samePublicKeys(actual: DeviceKeys, expected: DeviceKeys, what: string): Promise<void> {
  const a = await publicKeys(actual);
  const e = await publicKeys(expected);
  bytesEqual(a.signing, e.signing, `${what}: signing public key`);
  bytesEqual(a.agreement, e.agreement, `${what}: agreement public key`);
}

/** Throws unless the private key signs data that verifies under the exported public key. */
async function signsFor(keys: DeviceKeys, publicKeyOf: DeviceKeys, what: string): Promise<void> {
  const data = new TextEncoder().encode(`signed by ${what}`);
  const signature = await sign(keys.signing.privateKey, data);
  equal(signature.length, 64, `${what}: signature length`);
  const verifyKey = await importVerifyKey(await exportPublicKey(publicKeyOf.signing.publicKey));
  assert(await verify(verifyKey, signature, data), `${what}: signature does not verify with the public key`);
  assert(
    !(await verify(verifyKey, signature, new Uint8Array([1]))),
    `${what}: signature verifies other data`,
  );
}

/** Throws unless both private keys are non-extractable and refuse export. */
async function privateKeysLocked(keys: DeviceKeys, what: string): Promise<void> {
  for (const [kind, key] of [
    ["signing", keys.signing.privateKey],
    ["agreement", keys.agreement.privateKey],
  ] as const) {
    equal(key.type, "private", `${what}: ${kind} private key type`);
    equal(key.extractable, false, `${what}: ${kind} private key extractable flag`);
    await rejects(
      () => crypto.subtle.exportKey("jwk", key),
      undefined,
      `${what}: export of the ${kind} private key`,
    );
  }
}

/** Shared ECDH secret of `a`'s private agreement key and `b`'s exported public agreement key. */
async function agree(a: DeviceKeys, b: DeviceKeys): Promise<Uint8Array> {
  const pub = await importAgreementPublicKey(await exportPublicKey(b.agreement.publicKey));
  return ecdh(a.agreement.privateKey, pub);
}

/**
 * Declares the keystore acceptance tests under `describe(name)`.
 *
 * @param name - shown in the test report, e.g. `"fileKeystore"`
 * @param setup - returns a fresh, empty keystore for each call (called twice by the ECDH test)
 * @param framework - the test framework's `describe` and `it`
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * runKeystoreAcceptance("memoryKeystore", async () => ({ keystore: memoryKeystore() }), { describe, it });
 * ```
 */
export function runKeystoreAcceptance(
  name: string,
  setup: () => Promise<KeystoreFixture>,
  { describe, it }: TestFramework,
): void {
  const test = (title: string, body: (fixture: KeystoreFixture) => Promise<void>) =>
    it(title, withFixture(setup, body));

  describe(`${name} (Cellule keystore acceptance)`, () => {
    test("load of a missing name gives undefined", async ({ keystore }) => {
      isUndefined(await keystore.load("device"), "load('device') on an empty keystore");
    });

    test("create gives usable keys, and load gives the same keys", async ({ keystore }) => {
      const created = await keystore.create("device");
      await signsFor(created, created, "created keys");
      const loaded = await keystore.load("device");
      assert(loaded, "load after create gave undefined");
      await samePublicKeys(loaded, created, "loaded keys");
      await signsFor(loaded, created, "loaded keys");
      const id = await publicKeys(created);
      equal(id.signing.length, 65, "raw signing public key length");
      assert(!equalBytes(id.signing, id.agreement), "signing and agreement keys must be distinct key pairs");
    });

    test("ECDH between two keystores' agreement keys gives one shared secret", async (fixture) => {
      const other = await setup();
      try {
        const alice = await fixture.keystore.create("alice");
        const bob = await other.keystore.create("bob");
        const ab = await agree(alice, bob);
        const ba = await agree(bob, alice);
        equal(ab.length, 32, "ECDH secret length");
        bytesEqual(ab, ba, "secret computed by alice vs by bob");
        const aliceLoaded = await fixture.keystore.load("alice");
        assert(aliceLoaded, "alice's keys are missing after create");
        bytesEqual(await agree(aliceLoaded, bob), ab, "secret computed with alice's loaded keys");
      } finally {
        await other.teardown?.();
      }
    });

    test("private keys are non-extractable, after create and after load", async ({ keystore }) => {
      await privateKeysLocked(await keystore.create("device"), "created keys");
      const loaded = await keystore.load("device");
      assert(loaded, "load after create gave undefined");
      await privateKeysLocked(loaded, "loaded keys");
    });

    test("delete forgets the keys; deleting a missing name does nothing", async ({ keystore }) => {
      await keystore.create("device");
      await keystore.delete("device");
      isUndefined(await keystore.load("device"), "load after delete");
      await keystore.delete("device");
      await keystore.delete("never-created");
      const again = await keystore.create("device");
      await signsFor(again, again, "keys created again after delete");
    });

    test("create refuses to replace existing keys", async ({ keystore }) => {
      const first = await keystore.create("device");
      await rejects(() => keystore.create("device"), StorageError, "second create('device')");
      const loaded = await keystore.load("device");
      assert(loaded, "keys are missing after a refused create");
      await samePublicKeys(loaded, first, "keys after a refused create");
    });

    test("two names hold independent keys", async ({ keystore }) => {
      const a = await keystore.create("a");
      const b = await keystore.create("b");
      const pa = await publicKeys(a);
      const pb = await publicKeys(b);
      assert(!equalBytes(pa.signing, pb.signing), "two names got the same signing key");
      assert(!equalBytes(pa.agreement, pb.agreement), "two names got the same agreement key");
      await keystore.delete("a");
      isUndefined(await keystore.load("a"), "deleted name");
      const loadedB = await keystore.load("b");
      assert(loadedB, "deleting 'a' removed 'b'");
      await samePublicKeys(loadedB, b, "keys of 'b' after deleting 'a'");
    });

    test("names with unusual characters are kept apart", async ({ keystore }) => {
      const names = ["a/b", "a", "..", "../x", "%", "%2F", "é", "🙂", "A", " "];
      const created = await Promise.all(names.map((n) => keystore.create(n)));
      for (const [i, n] of names.entries()) {
        const loaded = await keystore.load(n);
        assert(loaded, `keys under ${JSON.stringify(n)} are missing`);
        await samePublicKeys(loaded, created[i]!, `keys under ${JSON.stringify(n)}`);
      }
    });

    test("after a restart (fixtures with reopen), the same keys load, locked and usable", async (fixture) => {
      if (!fixture.reopen) return;
      const device = await fixture.keystore.create("device");
      const other = await fixture.keystore.create("other");
      await fixture.keystore.delete("other");
      const reopened = await fixture.reopen();
      const loaded = await reopened.load("device");
      assert(loaded, "keys are missing after a restart");
      await samePublicKeys(loaded, device, "keys after a restart");
      await signsFor(loaded, device, "keys after a restart");
      await privateKeysLocked(loaded, "keys after a restart");
      bytesEqual(await agree(loaded, other), await agree(device, other), "ECDH with keys after a restart");
      isUndefined(await reopened.load("other"), "keys deleted before the restart");
    });
  });
}
