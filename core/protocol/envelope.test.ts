/**
 * Envelope format v1 against fixed vectors (fixed keys, IV, content): the bytes must match the layout
 * documented in envelope.ts, and envelopes made once must keep opening to the same content.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DocId, ScopeId } from "../index.js";
import {
  crypto,
  DeviceIdentity,
  EnvelopeKind,
  fromHex,
  HEADER_LENGTH,
  openEnvelope,
  publicEpoch,
  sealEnvelope,
  sealedEpoch,
  toHex,
} from "../internals.js";

const v = JSON.parse(readFileSync(new URL("../test-vectors/envelope-v1.json", import.meta.url), "utf8"));

async function vectorIdentity(): Promise<DeviceIdentity> {
  const subtle = globalThis.crypto.subtle;
  const { d: _d, key_ops: _ops, ...publicJwk } = v.signingKeyJwk;
  const privateKey = await subtle.importKey(
    "jwk",
    v.signingKeyJwk,
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
  const publicKey = await subtle.importKey("jwk", publicJwk, { name: "ECDSA", namedCurve: "P-256" }, true, [
    "verify",
  ]);
  return DeviceIdentity.fromKeys({
    signing: { privateKey, publicKey },
    agreement: await crypto.generateAgreementKeyPair(),
  });
}

const content = {
  kind: EnvelopeKind.changes,
  docId: v.content.docId as DocId,
  session: fromHex(v.content.session),
  heads: v.content.heads as string[],
  items: (v.content.items as string[]).map(fromHex),
};

describe("envelope v1 vectors", () => {
  it("derives the device ID and the scope topic", async () => {
    const id = await vectorIdentity();
    expect(toHex(id.signingPublicKey)).toBe(v.signingPublicKey);
    expect(id.id).toBe(v.deviceId);
    const scope = await sealedEpoch(v.scope.id as ScopeId, v.scope.epoch, fromHex(v.scope.secret));
    expect(scope.topic).toBe(v.scope.topic);
  });

  it("seals to the documented byte layout", async () => {
    const id = await vectorIdentity();
    const scope = await sealedEpoch(v.scope.id as ScopeId, v.scope.epoch, fromHex(v.scope.secret));
    const env = await sealEnvelope(id, scope, content, fromHex(v.iv));
    expect(toHex(env.subarray(0, HEADER_LENGTH))).toBe(v.expectedHeader);
    // Payload = body ‖ 64-byte signature, sealed: 16-byte tag on top.
    const bodyLength = v.expectedUnsignedBody.length / 2;
    expect(env.length).toBe(HEADER_LENGTH + bodyLength + 64 + 16);
    const key = await crypto.importAesKey(
      await crypto.hkdf(
        fromHex(v.scope.secret),
        new TextEncoder().encode("cellule/v1"),
        new TextEncoder().encode("envelope-key"),
        32,
      ),
    );
    const body = await crypto.aesGcmDecrypt(
      key,
      fromHex(v.iv),
      env.subarray(HEADER_LENGTH),
      env.subarray(0, HEADER_LENGTH),
    );
    expect(toHex(body.subarray(0, bodyLength))).toBe(v.expectedUnsignedBody);
    const signed = new Uint8Array([
      ...new TextEncoder().encode("cellule/envelope/v1"),
      ...env.subarray(0, HEADER_LENGTH),
      ...body.subarray(0, bodyLength),
    ]);
    const verifyKey = await crypto.importVerifyKey(id.signingPublicKey);
    expect(await crypto.verify(verifyKey, body.subarray(bodyLength), signed)).toBe(true);
  });

  it("opens the stored sealed and public envelopes to the same content", async () => {
    const scope = await sealedEpoch(v.scope.id as ScopeId, v.scope.epoch, fromHex(v.scope.secret));
    const sealed = await openEnvelope(fromHex(v.sealedEnvelope), (t) =>
      t === scope.topic ? scope : undefined,
    );
    const pub = await publicEpoch(v.publicScope.id as ScopeId);
    const plain = await openEnvelope(fromHex(v.publicEnvelope), (t) => (t === pub.topic ? pub : undefined));
    for (const opened of [sealed, plain]) {
      expect(opened.body.authorId).toBe(v.deviceId);
      expect(opened.body.docId).toBe(v.content.docId);
      expect(toHex(opened.body.session)).toBe(v.content.session);
      expect(opened.body.heads).toEqual(v.content.heads);
      expect(opened.body.items.map(toHex)).toEqual(v.content.items);
    }
    // The public envelope is signed, not sealed: header with epoch 0 and a zero IV, then the body in clear.
    const publicBytes = fromHex(v.publicEnvelope);
    expect(toHex(publicBytes.subarray(34, HEADER_LENGTH))).toBe("00".repeat(16));
    expect(
      toHex(publicBytes.subarray(HEADER_LENGTH, HEADER_LENGTH + v.expectedUnsignedBody.length / 2)),
    ).toBe(v.expectedUnsignedBody);
  });
});
