/**
 * In real Chromium: the relay client over the browser's WebSocket passes the transport acceptance suite,
 * and two Kits on IndexedDB sync a sealed document through a real relay, keeping only sealed envelopes at rest.
 */
import { initializeWasm, isWasmInitialized } from "@automerge/automerge/slim";
import { createKit, type Kit, newScopeSecret, parseScopeId, WriterSets } from "../../core/index.js";
import { assert, deepEqual } from "../../core/testing/assert.js";
import { runTransportAcceptance } from "../../core/testing/index.js";
import { dexieKeystore, dexieStorage } from "../dexie/index.js";
import { relayClient } from "./index.js";

const MEMBERS = parseScopeId("members");

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

const relayUrl = async (): Promise<string> => (await (await fetch("/__cellule__/relay.json")).json()).url;

runTransportAcceptance(
  "relayClient (Chromium WebSocket)",
  async () => {
    const url = await relayUrl();
    const transports = [0, 1].map(() => relayClient({ relays: [url], minBackoffMs: 50 }));
    return {
      transports,
      stores: true,
      teardown: async () => void (await Promise.all(transports.map((t) => t.close()))),
    };
  },
  { describe, it },
);

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("Kit in Chromium through a real relay", () => {
  it("syncs a sealed document between two IndexedDB devices; envelopes at rest are sealed", async () => {
    if (!isWasmInitialized()) await initializeWasm("/__cellule__/automerge.wasm");
    const url = await relayUrl();
    const authority = new WriterSets();
    const secret = newScopeSecret();
    const run = Math.random().toString(36).slice(2);
    const kits: Kit[] = [];
    for (const name of ["a", "b"]) {
      const storage = dexieStorage(`kit-${name}-${run}`);
      const kit = await createKit({
        storage,
        keystore: dexieKeystore(`keys-${name}-${run}`),
        transports: [relayClient({ relays: [url], storage, minBackoffMs: 50 })],
        authority,
        automergeWasm: "/__cellule__/automerge.wasm",
      });
      authority.allowScope(MEMBERS, [kit.device.id]);
      await kit.addScope(MEMBERS, secret);
      kits.push(kit);
    }
    const [a, b] = kits as [Kit, Kit];
    const marker = `MARQUEUR-${run}`;
    const doc = await a.create<{ note: string }>(MEMBERS, { note: marker });
    await until(() => b.documents(MEMBERS).includes(doc.id), "B to see the document");
    const copy = await b.open<{ note: string }>(doc.id);
    await until(() => copy.value().note === marker, "B to apply the change");
    deepEqual(copy.value(), doc.value(), "converged value");

    // Envelopes kept in IndexedDB are the sealed bytes: the marker is not in them.
    const storage = dexieStorage(`kit-a-${run}`);
    const envelopes = await storage.loadRange(["cellule-env"]);
    assert(envelopes.length > 0, "A keeps its envelopes");
    const text = new TextEncoder().encode(marker);
    for (const { data } of envelopes) {
      const hay = Array.from(data!).join(",");
      assert(!hay.includes(Array.from(text).join(",")), "an envelope at rest holds the plaintext");
    }
    for (const k of kits) await k.close();
  });
});
