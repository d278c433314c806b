/**
 * End to end through real relay processes on loopback: convergence, a relay killed mid-burst and restarted
 * empty, forged envelopes injected at a relay, and relays that never see plaintext.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type Kit, newScopeSecret, parseScopeId, type ScopeId, WriterSets } from "../../core/index.js";
import { deriveActor, fromHex, type ScopeEpoch } from "../../core/internals.js";
import { encodePut } from "../../core/protocol/relay-frames.js";
import { changesAs, envelopeOf, looseIdentity, memoryKit, until } from "../../test/support/devices.js";
import { type RelayProcess, startRelayProcess } from "../../test/support/relay-process.js";
import { memoryStorage } from "../memory/index.js";
import { relayClient } from "./index.js";

const MEMBERS = parseScopeId("members");
const OFFICERS = parseScopeId("officers");

type Items = { items: Record<string, number>; note?: string };

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

async function relay(options: Parameters<typeof startRelayProcess>[0] = {}): Promise<RelayProcess> {
  const r = await startRelayProcess(options);
  cleanup.push(() => r.stop());
  return r;
}

async function device(
  authority: WriterSets,
  relays: RelayProcess[],
  scope: ScopeId,
  secret: Uint8Array,
): Promise<Kit> {
  const storage = memoryStorage();
  const kit = await memoryKit({
    authority,
    storage,
    transports: [
      relayClient({
        relays: relays.map((r) => r.url),
        WebSocket: WebSocket as never,
        storage,
        minBackoffMs: 50,
        maxBackoffMs: 400,
      }),
    ],
  });
  cleanup.push(() => kit.close());
  authority.allowScope(scope, [kit.device.id]);
  await kit.addScope(scope, secret);
  return kit;
}

const tick = () => new Promise((r) => setImmediate(r));

async function health(r: RelayProcess): Promise<{ envelopes: number }> {
  return (await fetch(`${r.url}/health`)).json() as Promise<{ envelopes: number }>;
}

/** Every file under a directory, read whole. */
async function allBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath ?? (entry as any).path, entry.name)));
  }
  return Buffer.concat(parts);
}

describe("end to end through relays", () => {
  it("converges through two relays, survives one dying mid-burst, and re-fills it when it comes back empty", async () => {
    const r1 = await relay();
    const r2 = await relay();
    const authority = new WriterSets();
    const secret = newScopeSecret();
    const a = await device(authority, [r1, r2], MEMBERS, secret);
    const b = await device(authority, [r1, r2], MEMBERS, secret);
    const marker = `MARQUEUR-${Math.random().toString(36).slice(2)}`;

    const doc = await a.create<Items>(MEMBERS, { items: {}, note: marker });
    await until(() => b.documents(MEMBERS).includes(doc.id), "B to see the document");
    const copy = await b.open<Items>(doc.id);
    await until(() => copy.value().items !== undefined, "B to apply the first change");

    // 500 changes from A, one envelope each; r1 is killed with SIGKILL halfway. B writes concurrently.
    for (let i = 0; i < 500; i++) {
      doc.change((d) => {
        d.items[`a${i}`] = i;
      });
      if (i % 5 === 0) {
        copy.change((d) => {
          d.items[`b${i}`] = i;
        });
      }
      if (i === 250) r1.kill("SIGKILL");
      await tick();
    }
    await r1.exited;
    const expected = 500 + 100;
    await until(
      () =>
        Object.keys(doc.value().items).length === expected &&
        Object.keys(copy.value().items).length === expected,
      "both devices to hold all 600 items",
      30_000,
    );
    expect(copy.value()).toEqual(doc.value());
    expect(a.stats.rejected).toEqual({});
    expect(b.stats.rejected).toEqual({});

    // The relays never saw plaintext: no marker, no document ID, no item key in r2's files.
    const stored = await allBytes(r2.dataDir);
    expect(stored.length).toBeGreaterThan(0);
    for (const secretText of [marker, doc.id, "a499"])
      expect(stored.includes(Buffer.from(secretText))).toBe(false);

    // r1 comes back on the same address with an empty data directory: the devices re-seed it.
    const total = (await health(r2)).envelopes;
    const r1b = await relay({ port: r1.port });
    await until(
      async () => (await health(r1b)).envelopes >= total,
      "the restarted relay to be re-filled",
      30_000,
    );

    // A brand-new device that only knows the restarted relay gets everything.
    const c = await device(authority, [r1b], MEMBERS, secret);
    await until(() => c.documents(MEMBERS).includes(doc.id), "C to see the document");
    const third = await c.open<Items>(doc.id);
    await until(
      () => Object.keys(third.value().items ?? {}).length === expected,
      "C to hold all 600 items",
      30_000,
    );
    expect(third.value()).toEqual(doc.value());
  }, 120_000);

  it("drops envelopes a relay injects (forged, foreign actor, altered, replayed elsewhere) and keeps the honest history", async () => {
    const r = await relay();
    const authority = new WriterSets();
    const secret = newScopeSecret();
    const a = await device(authority, [r], MEMBERS, secret);
    const b = await device(authority, [r], MEMBERS, secret);
    const doc = await a.create<Items>(MEMBERS, { items: { honest: 1 } });
    await until(() => b.documents(MEMBERS).includes(doc.id), "B to see the document");
    const scope = (await b.addScope(MEMBERS, secret)) as ScopeEpoch;
    const otherScope = await b.addScope(OFFICERS, newScopeSecret());
    await a.flush();

    // Forgeries, posted straight to the relay as a hostile client would.
    const stranger = await looseIdentity();
    const strangerSession = new Uint8Array(16).fill(3);
    const forged = await envelopeOf(
      stranger,
      scope,
      doc.id,
      changesAs(await deriveActor(stranger.signingPublicKey, doc.id, strangerSession), (d) => {
        d.items = { pirate: 1 };
      }),
      strangerSession,
    );
    const mallory = await looseIdentity();
    authority.allowScope(MEMBERS, [mallory.id]);
    const aActor = (await import("@automerge/automerge")).getActorId(doc.value());
    const usurping = await envelopeOf(
      mallory,
      scope,
      doc.id,
      changesAs(aActor, (d) => (d.note = "usurpé")),
    );
    const flipped = usurping.slice();
    flipped[flipped.length - 1]! ^= 0x80;
    // Same bytes as a valid members envelope but filed under the officers topic (header rewritten).
    const replayed = forged.slice();
    replayed.set(fromHex(otherScope.topic), 2);

    const ws = new WebSocket(r.wsUrl);
    await new Promise((ok) => ws.once("open", ok));
    let id = 1;
    for (const env of [forged, usurping, flipped, replayed]) ws.send(encodePut(id++, env));
    cleanup.push(async () => ws.close());

    await until(
      () => Object.values(b.stats.rejected).reduce((x, y) => x + y, 0) >= 4,
      "B to reject the 4 forgeries",
    );
    expect(b.stats.rejected).toEqual({ forbidden: 1, "actor-mismatch": 1, integrity: 2 });
    expect((await b.open<Items>(doc.id)).value()).toEqual({ items: { honest: 1 } });

    // Honest history still flows both ways.
    doc.change((d) => {
      d.items.after = 2;
    });
    await until(
      async () => (await b.open<Items>(doc.id)).value().items.after === 2,
      "B to get the honest change",
    );
    // A receives the three forgeries of its topic in its own time (B's rejections and B's copy of A's
    // change say nothing of A's queue): wait for A to have judged them before counting.
    await until(
      () => Object.values(a.stats.rejected).reduce((x, y) => x + y, 0) >= 3,
      "A to reject the 3 forgeries on its topic",
    );
    expect(a.stats.rejected.forbidden ?? 0).toBe(1);
  }, 60_000);
});
