import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromHex, toBase64Url, toHex } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError } from "../base/errors.js";
import { exportPublicKey, generateAgreementKeyPair } from "../crypto/suite.js";
import { readHeader } from "../protocol/envelope.js";
import { CONTACT_LIMITS, type ContactRequest, contactTopic, openContact, sealContact } from "./contact.js";

const v = JSON.parse(readFileSync(new URL("../test-vectors/contact-v1.json", import.meta.url), "utf8"));
const subtle = globalThis.crypto.subtle;
const ECDH = { name: "ECDH", namedCurve: "P-256" };
const CELL = "c".repeat(64);

const request: ContactRequest = {
  name: "Camille",
  reach: "06 12 34 56 78",
  message: "Je voudrais venir à la prochaine réunion.",
  consent: true,
  lang: "fr",
};

async function admissionKeys() {
  const pair = await generateAgreementKeyPair();
  return { pair, raw: toBase64Url(await exportPublicKey(pair.publicKey)) };
}

describe("contact requests", () => {
  it("seal to the checked-in vector and open it again", async () => {
    const { d: _d, key_ops: _o, ...pub } = v.ephemeralJwk;
    const ephemeral = {
      privateKey: await subtle.importKey("jwk", v.ephemeralJwk, ECDH, false, ["deriveBits"]),
      publicKey: await subtle.importKey("jwk", pub, ECDH, true, []),
    };
    const sealed = await sealContact(v.cell, v.admission, v.keyIndex, v.request, {
      ephemeral,
      iv: fromHex(v.iv),
      at: v.at,
    });
    expect(toHex(sealed)).toBe(v.sealed);
    const admission = await subtle.importKey("jwk", v.admissionJwk, ECDH, false, ["deriveBits"]);
    const opened = await openContact(fromHex(v.sealed), v.cell, (i) => (i === v.keyIndex ? [admission] : []));
    expect(opened).toEqual({ ...v.request, cell: v.cell, at: v.at, keyIndex: v.keyIndex });
  });

  it("round-trip, carry a valid envelope header on the cell's contact topic, and pad the text", async () => {
    const { pair, raw } = await admissionKeys();
    const short = await sealContact(CELL, raw, 0, request);
    const header = readHeader(short);
    expect(header.topic).toBe(await contactTopic(CELL));
    expect(header.epoch).toBe(0);
    expect((short.length - 50 - 65 - 16) % 256).toBe(0);
    const longer = await sealContact(CELL, raw, 0, { ...request, message: `${request.message}!!` });
    expect(longer.length).toBe(short.length);
    const other = await admissionKeys();
    const opened = await openContact(short, CELL, () => [other.pair.privateKey, pair.privateKey]);
    expect(opened).toMatchObject({ ...request, cell: CELL, keyIndex: 0 });
    expect(Math.abs(opened.at - Date.now())).toBeLessThan(5_000);
  });

  it("refuse incomplete or oversized input with a typed error naming the field", async () => {
    const { raw } = await admissionKeys();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...request, name: "  " }, /name is required/],
      [{ ...request, reach: "" }, /reach is required/],
      [{ ...request, name: "x".repeat(CONTACT_LIMITS.name + 1) }, /name is longer/],
      [{ ...request, message: "x".repeat(CONTACT_LIMITS.message + 1) }, /message is longer/],
      [{ ...request, message: 42 }, /message must be text/],
      [{ ...request, consent: false }, /consent is required/],
      [{ ...request, consent: "yes" }, /consent is required/],
    ];
    for (const [input, message] of cases) {
      await expect(sealContact(CELL, raw, 0, input as unknown as ContactRequest)).rejects.toThrow(message);
      await expect(sealContact(CELL, raw, 0, input as unknown as ContactRequest)).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
    }
    await expect(sealContact(CELL, "not a key!", 0, request)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(sealContact(CELL, toBase64Url(new Uint8Array(65)), 0, request)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it("refuse altered, truncated, foreign or unopenable requests with IntegrityError", async () => {
    const { pair, raw } = await admissionKeys();
    const other = await admissionKeys();
    const sealed = await sealContact(CELL, raw, 3, request);
    const key = (i: number) => (i === 3 ? [pair.privateKey] : []);
    const altered = (at: number) => {
      const copy = sealed.slice();
      copy[at]! ^= 1;
      return copy;
    };
    const bad: [Uint8Array, string, (i: number) => CryptoKey[], RegExp][] = [
      [sealed.subarray(0, 100), CELL, key, /wrong size/],
      [new Uint8Array(70_000), CELL, key, /wrong size/],
      [sealed, "d".repeat(64), key, /another cell/],
      [sealed, CELL, () => [], /no key #3 for this contact/],
      [sealed, CELL, () => [other.pair.privateKey], /decryption failed/],
      [sealed, CELL, () => [other.pair.privateKey, other.pair.privateKey], /decryption failed/],
      [altered(40), CELL, key, /decryption failed/],
      [altered(sealed.length - 1), CELL, key, /decryption failed/],
      [altered(0), CELL, key, /unknown contact format/],
    ];
    for (const [bytes, cell, keyFor, message] of bad) {
      const attempt = openContact(bytes, cell, keyFor);
      await expect(attempt).rejects.toBeInstanceOf(IntegrityError);
      await expect(openContact(bytes, cell, keyFor)).rejects.toThrow(message);
    }
  });
});
