/**
 * Lockboxes: fixed vectors (fixed keys, fixed randomness → the exact entries checked in), and the
 * behaviour around them: only recipients open, padding hides the count, boxes are bound to their
 * cell/scope/epoch, altered input is refused with a typed error.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromBase64, fromHex, toBase64Url, toHex } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError } from "../base/errors.js";
import { exportPublicKey, generateAgreementKeyPair } from "../crypto/suite.js";
import { openLockbox, sealLockboxes, unwrapPrevious, wrapPrevious } from "./lockbox.js";

const v = JSON.parse(readFileSync(new URL("../test-vectors/lockbox-v1.json", import.meta.url), "utf8"));
const subtle = globalThis.crypto.subtle;

function vectorRandom(start: number) {
  let call = start;
  return (n: number) => {
    const out = new Uint8Array(n).map((_, i) => (call * 31 + i * 7) & 0xff);
    call++;
    return out;
  };
}

async function importPair(jwk: JsonWebKey): Promise<CryptoKeyPair> {
  const { d: _d, key_ops: _ops, ...pub } = jwk;
  const algorithm = { name: "ECDH", namedCurve: "P-256" };
  return {
    privateKey: await subtle.importKey("jwk", jwk, algorithm, false, ["deriveBits"]),
    publicKey: await subtle.importKey("jwk", pub, algorithm, true, []),
  };
}

async function device() {
  const pair = await generateAgreementKeyPair();
  return {
    agreementPrivateKey: pair.privateKey,
    agreement: toBase64Url(await exportPublicKey(pair.publicKey)),
  };
}

const ctx = { cell: "cell-1", scope: "members", epoch: 2 };
const secret = () => globalThis.crypto.getRandomValues(new Uint8Array(32));

describe("lockbox v1 vectors", () => {
  it("seals to exactly the checked-in entries and wrapped secret", async () => {
    const ephemeral = await importPair(v.ephemeralJwk);
    const recipients = (v.recipients as string[]).map((agreement) => ({ agreement }));
    const sealed = await sealLockboxes(fromHex(v.secret), recipients, v.context, {
      ephemeral,
      random: vectorRandom(0),
    });
    expect(sealed).toEqual(v.lockboxes);
    expect(await wrapPrevious(fromHex(v.secret), fromHex(v.previous), v.context, vectorRandom(100))).toBe(
      v.wrapped,
    );
  });

  it("opens for each checked-in recipient and unwraps the previous secret", async () => {
    for (const jwk of v.recipientJwks) {
      const { privateKey } = await importPair(jwk);
      const opened = await openLockbox(v.lockboxes, { agreementPrivateKey: privateKey }, v.context);
      expect(toHex(opened!)).toBe(v.secret);
    }
    expect(toHex(await unwrapPrevious(fromHex(v.secret), v.wrapped, v.context))).toBe(v.previous);
  });
});

describe("lockboxes", () => {
  it("open for every recipient and for nobody else", async () => {
    const readers = await Promise.all([device(), device(), device()]);
    const outsider = await device();
    const s = secret();
    const boxes = await sealLockboxes(s, readers, ctx);
    for (const r of readers) expect(await openLockbox(boxes, r, ctx)).toEqual(s);
    expect(await openLockbox(boxes, outsider, ctx)).toBeUndefined();
  });

  it("pad to a multiple of 8 (at least 8) with entries shaped like real ones, sorted by tag", async () => {
    const readers = await Promise.all(Array.from({ length: 9 }, device));
    for (const [n, expected] of [
      [0, 8],
      [1, 8],
      [8, 8],
      [9, 16],
    ] as const) {
      const boxes = await sealLockboxes(secret(), readers.slice(0, n), ctx);
      expect(boxes.entries).toHaveLength(expected);
      const tags = boxes.entries.map((e) => e.tag);
      expect(tags).toEqual([...tags].sort());
      for (const e of boxes.entries) {
        expect(fromBase64(e.tag)).toHaveLength(8);
        expect(fromBase64(e.box)).toHaveLength(60);
      }
    }
  });

  it("are bound to their cell, scope and epoch", async () => {
    const r = await device();
    const boxes = await sealLockboxes(secret(), [r], ctx);
    for (const other of [
      { ...ctx, cell: "cell-2" },
      { ...ctx, scope: "officers" },
      { ...ctx, epoch: 3 },
    ]) {
      expect(await openLockbox(boxes, r, other)).toBeUndefined();
    }
  });

  it("refuse altered boxes and ephemeral keys with IntegrityError", async () => {
    const r = await device();
    const boxes = await sealLockboxes(secret(), [r], ctx);
    // Flip one ciphertext bit in every entry, so the recipient's own entry is altered too.
    const flipped = structuredClone(boxes);
    for (const [i, e] of flipped.entries.entries()) {
      const bytes = fromBase64(e.box);
      bytes[20]! ^= 1;
      flipped.entries[i] = { ...e, box: toBase64Url(bytes) };
    }
    await expect(openLockbox(flipped, r, ctx)).rejects.toBeInstanceOf(IntegrityError);
    const truncated = structuredClone(boxes);
    truncated.entries = truncated.entries.map((e) => ({ ...e, box: e.box.slice(0, 40) }));
    await expect(openLockbox(truncated, r, ctx)).rejects.toBeInstanceOf(IntegrityError);
    await expect(openLockbox({ ...boxes, ephemeral: "AAAA" }, r, ctx)).rejects.toBeInstanceOf(IntegrityError);
    await expect(openLockbox({ ...boxes, ephemeral: "not base64!" }, r, ctx)).rejects.toBeInstanceOf(
      IntegrityError,
    );
  });

  it("refuse bad arguments with InvalidArgumentError", async () => {
    const r = await device();
    await expect(sealLockboxes(new Uint8Array(16), [r], ctx)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(sealLockboxes(secret(), [{ agreement: "AAAA" }], ctx)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(sealLockboxes(secret(), [r], { ...ctx, epoch: -1 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(sealLockboxes(secret(), [r], { ...ctx, scope: "a\nb" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe("previous-epoch wrapping", () => {
  it("unwraps under the new secret only, for the same context only", async () => {
    const [next, previous] = [secret(), secret()];
    const wrapped = await wrapPrevious(next, previous, ctx);
    expect(await unwrapPrevious(next, wrapped, ctx)).toEqual(previous);
    await expect(unwrapPrevious(secret(), wrapped, ctx)).rejects.toBeInstanceOf(IntegrityError);
    await expect(unwrapPrevious(next, wrapped, { ...ctx, epoch: 9 })).rejects.toBeInstanceOf(IntegrityError);
    await expect(unwrapPrevious(next, wrapped.slice(0, 30), ctx)).rejects.toBeInstanceOf(IntegrityError);
  });
});
