/**
 * Smoke test of the browser test setup (web-test-runner.config.mjs), run in Chromium: WebCrypto through the
 * core's envelope code, and Automerge (slim entries, WASM fetched from the dev server) through the pre-bundled
 * npm dependencies.
 */
import { initializeWasm, isWasmInitialized, load, save } from "@automerge/automerge/slim";
import { isValidAutomergeUrl, Repo } from "@automerge/automerge-repo/slim";
import { randomBytes, utf8 } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import type { DocId, ScopeId, Topic } from "../base/ids.js";
import { DeviceIdentity } from "../crypto/identity.js";
import { generateAgreementKeyPair, generateSigningKeyPair } from "../crypto/suite.js";
import { assert, bytesEqual, deepEqual, equal, rejects } from "../testing/assert.js";
import { EnvelopeKind, HEADER_LENGTH, openEnvelope, sealEnvelope } from "./envelope.js";
import { newScopeSecret, publicEpoch, type ScopeEpoch, sealedEpoch } from "./scope-keys.js";

// Globals of the mocha framework provided by @web/test-runner.
declare const describe: (name: string, body: () => void) => void;
declare const it: (name: string, body: () => Promise<void>) => void;
declare const before: (body: () => Promise<void>) => void;

/** Served by the test runner's dev server (see web-test-runner.config.mjs). */
const AUTOMERGE_WASM_URL = "/__cellule__/automerge.wasm";

const newDevice = async (): Promise<DeviceIdentity> =>
  DeviceIdentity.fromKeys({
    signing: await generateSigningKeyPair(),
    agreement: await generateAgreementKeyPair(),
  });

const only =
  (scope: ScopeEpoch) =>
  (topic: Topic, epoch: number): ScopeEpoch | undefined =>
    topic === scope.topic && epoch === scope.epoch ? scope : undefined;

const flipBit = (bytes: Uint8Array, offset: number): Uint8Array => {
  const copy = bytes.slice();
  copy[offset]! ^= 0x01;
  return copy;
};

describe("envelope in Chromium", () => {
  it("runs in a real Chromium", async () => {
    assert(typeof window !== "undefined" && typeof document !== "undefined", "expected a browser page");
    assert(/Chrom(e|ium)\//.test(navigator.userAgent), `expected Chromium, got ${navigator.userAgent}`);
    assert(globalThis.isSecureContext, "expected a secure context (WebCrypto needs one)");
  });

  it("seals under a sealed epoch, opens again, and refuses a flipped bit with IntegrityError", async () => {
    const author = await newDevice();
    const scope = await sealedEpoch("members" as ScopeId, 1, newScopeSecret());
    const items = [utf8("hello from Chromium"), new Uint8Array([0, 1, 2, 255])];
    const session = randomBytes(16);
    const sealed = await sealEnvelope(author, scope, {
      kind: EnvelopeKind.changes,
      docId: "smoke-doc" as DocId,
      session,
      items,
    });

    const opened = await openEnvelope(sealed, only(scope));
    equal(opened.body.kind, EnvelopeKind.changes, "kind");
    equal(opened.body.authorId, author.id, "author ID");
    equal(opened.body.docId, "smoke-doc", "document ID");
    bytesEqual(opened.body.session, session, "session");
    equal(opened.body.items.length, 2, "item count");
    bytesEqual(opened.body.items[0], items[0]!, "item 0");
    bytesEqual(opened.body.items[1], items[1]!, "item 1");
    equal(opened.header.topic, scope.topic, "topic");

    // in the iv (authenticated header), in the ciphertext, in the GCM tag
    for (const offset of [HEADER_LENGTH - 1, HEADER_LENGTH + 10, sealed.length - 1]) {
      await rejects(
        () => openEnvelope(flipBit(sealed, offset), only(scope)),
        IntegrityError,
        `bit flipped at offset ${offset}`,
      );
    }
  });

  it("refuses a flipped bit in a public (signed, not sealed) envelope with IntegrityError", async () => {
    const author = await newDevice();
    const scope = await publicEpoch("public:smoke" as ScopeId);
    const signed = await sealEnvelope(author, scope, {
      kind: EnvelopeKind.snapshot,
      docId: "smoke-public" as DocId,
      session: randomBytes(16),
      items: [utf8("readable by anyone, forgeable by no one")],
    });
    const opened = await openEnvelope(signed, only(scope));
    equal(opened.body.authorId, author.id, "author ID");
    // the last byte of the item, just before the 64-byte signature: only ECDSA verification can catch it
    await rejects(
      () => openEnvelope(flipBit(signed, signed.length - 65), only(scope)),
      IntegrityError,
      "bit flipped in a signed body",
    );
  });
});

describe("Automerge in Chromium (pre-bundled, slim)", () => {
  before(async () => {
    if (!isWasmInitialized()) await initializeWasm(AUTOMERGE_WASM_URL);
  });

  it("creates a Repo and a document", async () => {
    assert(isWasmInitialized(), "Automerge WASM initialised");
    const repo = new Repo({ network: [] });
    try {
      const handle = repo.create<{ count: number; items: string[] }>({ count: 0, items: [] });
      assert(isValidAutomergeUrl(handle.url), `a valid automerge URL, got ${handle.url}`);
      handle.change((d) => {
        d.count += 1;
        d.items.push("first");
      });
      deepEqual(handle.doc(), { count: 1, items: ["first"] }, "document after a change");
      // automerge-repo and @automerge/automerge/slim share one Automerge (one WASM instance)
      const copy = load<{ count: number; items: string[] }>(save(handle.doc()));
      deepEqual(copy, { count: 1, items: ["first"] }, "document saved and loaded again");
    } finally {
      await repo.shutdown();
    }
  });
});
