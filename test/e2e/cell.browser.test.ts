/**
 * In real Chromium: the lockbox and recovery vectors hold with the browser's WebCrypto, and a cell is founded, joined
 * and admitted between two devices on IndexedDB (non-extractable keys) through a real relay; after a
 * reload of the founder's Kit, the cell reopens from what IndexedDB kept.
 */
import { initializeWasm, isWasmInitialized } from "@automerge/automerge/slim";
import { dexieKeystore, dexieStorage } from "../../adapters/dexie/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import { recoveryIdentity } from "../../core/crypto/recovery-phrase.js";
import { Cell, createKit, type Kit } from "../../core/index.js";
import { fromHex, governance, toHex } from "../../core/internals.js";
import vectors from "../../core/test-vectors/lockbox-v1.json" with { type: "json" };
import recovery from "../../core/test-vectors/recovery-v1.json" with { type: "json" };
import { assert, deepEqual } from "../../core/testing/assert.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

const WASM = "/__cellule__/automerge.wasm";
const relayUrl = async (): Promise<string> => (await (await fetch("/__cellule__/relay.json")).json()).url;

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("lockboxes in Chromium", () => {
  it("open the checked-in vectors for each recipient", async () => {
    for (const jwk of vectors.recipientJwks) {
      const privateKey = await crypto.subtle.importKey(
        "jwk",
        jwk,
        { name: "ECDH", namedCurve: "P-256" },
        false,
        ["deriveBits"],
      );
      const secret = await governance.openLockbox(
        vectors.lockboxes,
        { agreementPrivateKey: privateKey },
        vectors.context,
      );
      assert(secret !== undefined, "a recipient finds its entry");
      deepEqual(toHex(secret!), vectors.secret, "the epoch secret");
    }
    const previous = await governance.unwrapPrevious(
      fromHex(vectors.secret),
      vectors.wrapped,
      vectors.context,
    );
    deepEqual(toHex(previous), vectors.previous, "the previous epoch secret");
  });
});

describe("recovery phrases in Chromium", () => {
  it("give the checked-in recovery device (the browser derives the public keys)", async () => {
    const device = await recoveryIdentity(recovery.phrase);
    deepEqual(device.id, recovery.deviceId, "the recovery device's ID");
  });
});

describe("a cell in Chromium", () => {
  it("founds, joins and admits between two IndexedDB devices through a relay, and reopens after a reload", async () => {
    if (!isWasmInitialized()) await initializeWasm(WASM);
    const url = await relayUrl();
    const run = Math.random().toString(36).slice(2);
    const open = (name: string) => {
      const storage = dexieStorage(`cell-${name}-${run}`);
      return createKit({
        storage,
        keystore: dexieKeystore(`cell-keys-${name}-${run}`),
        transports: [relayClient({ relays: [url], storage, minBackoffMs: 50 })],
        automergeWasm: WASM,
      });
    };
    let founderKit: Kit = await open("founder");
    const joinerKit = await open("joiner");
    try {
      const cell = await Cell.create(founderKit, { name: "Cellule de quartier", founderName: "Nadia" });
      const joiner = await Cell.join(joinerKit, await cell.invite(), { name: "Jules" });
      await until(() => cell.members().some((m) => m.status === "pending"), "the redeem to arrive");
      await cell.admit(cell.members().find((m) => m.status === "pending")!.id);
      await joiner.whenMember(15_000);
      const doc = await joiner.create<{ text: string }>("members", { text: "Réunion mardi" });
      await until(
        () => founderKit.documents(cell.scopeId("members")).includes(doc.id),
        "the founder to get it",
      );

      await founderKit.close(1000);
      founderKit = await open("founder");
      const again = await Cell.open(founderKit, cell.id);
      deepEqual(again.status, "member", "the founder's status after a reload");
      deepEqual(
        again.members().map((m) => [m.name, m.status]),
        [
          ["Nadia", "member"],
          ["Jules", "member"],
        ],
        "the membership after a reload",
      );
      deepEqual((await again.open<{ text: string }>(doc.id)).value().text, "Réunion mardi", "the document");
    } finally {
      await Promise.all([founderKit.close(0), joinerKit.close(0)]);
    }
  });
});
