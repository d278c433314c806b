import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FrameType } from "../../core/protocol/relay.js";
import { fetchTopic, makeEnvelopes, TestClient, testSealedScope } from "../../test/support/relay-client.js";
import { relayTestBed } from "../../test/support/relay-test-bed.js";

const { author, pub, sealed, tempDir, relayProcess } = await relayTestBed();
const scopes = [pub, sealed, await testSealedScope()];

const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

const spawnRelay = (dataDir: string) => relayProcess({ dataDir });

describe("relay process", () => {
  it("keeps every acknowledged envelope through kill -9 in the middle of a burst of puts", async () => {
    const dataDir = await tempDir("cellule-crash-");
    const perRound = 900;
    const all: Uint8Array[] = [];
    for (const scope of scopes) all.push(...(await makeEnvelopes(author, scope, perRound, 2048)));
    // Interleave topics so every batch touches all of them.
    const mixed = all.map((e, i) => ({ e, k: (i % perRound) * 3 + Math.floor(i / perRound) }));
    mixed.sort((a, b) => a.k - b.k);
    const envelopes = mixed.map((m) => m.e);

    /** hash → [topic, seq] of every envelope the relay acknowledged. */
    const acked = new Map<string, [string, number]>();
    let storeId: string | undefined;
    const rounds = [{ killAfter: 30 }, { killAfter: 400 }, { killAfter: 850 }];
    for (const [round, { killAfter }] of rounds.entries()) {
      const relay = await spawnRelay(dataDir);
      expect(relay.stderr()).not.toContain("damaged");
      const clients = [await TestClient.connect(relay.wsUrl), await TestClient.connect(relay.wsUrl)];
      storeId ??= clients[0]!.hello.storeId;
      expect(clients[0]!.hello.storeId).toBe(storeId);
      const batch = envelopes.slice(round * perRound, (round + 1) * perRound);
      let acks = 0;
      let killed = false;
      await Promise.all(
        batch.map(async (e, i) => {
          const reply = await clients[i % 2]!.put(e);
          if (reply.type !== FrameType.ack) return;
          acked.set(sha(e), [Buffer.from(e.subarray(2, 34)).toString("hex"), reply.seq]);
          if (++acks === killAfter && !killed) {
            killed = true;
            relay.kill("SIGKILL");
          }
        }),
      );
      expect(killed).toBe(true);
      expect((await relay.exited).signal).toBe("SIGKILL");
    }
    expect(acked.size).toBeGreaterThanOrEqual(30 + 400 + 850);

    const relay = await spawnRelay(dataDir);
    expect(relay.stderr()).not.toContain("damaged");
    const stored = new Map<string, string>();
    for (const scope of scopes) {
      const { storeId: id, records } = await fetchTopic(relay.url, scope.topic);
      expect(id).toBe(storeId);
      records.forEach((r, i) => {
        expect(r.seq).toBe(i + 1);
        stored.set(`${scope.topic}/${r.seq}`, sha(r.envelope));
      });
    }
    for (const [hash, [topic, seq]] of acked) expect(stored.get(`${topic}/${seq}`)).toBe(hash);
    // The store takes new puts after recovery and still knows the old ones.
    const c = await TestClient.connect(relay.wsUrl);
    expect(await c.put(envelopes[0]!)).toMatchObject({ type: FrameType.ack, status: 1 });
    const [fresh] = await makeEnvelopes(author, scopes[0]!, 1);
    expect(await c.put(fresh!)).toMatchObject({ type: FrameType.ack, status: 0 });
    c.close();
  });

  it("stops cleanly on SIGTERM and comes back with its data and store ID", async () => {
    const dataDir = await tempDir("cellule-restart-");
    const first = await spawnRelay(dataDir);
    const health = await (await fetch(`${first.url}/health`)).json();
    const c = await TestClient.connect(first.wsUrl);
    const envelopes = await makeEnvelopes(author, scopes[1]!, 5);
    for (const e of envelopes) await c.put(e);
    await first.stop();
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const second = await spawnRelay(dataDir);
    expect((await (await fetch(`${second.url}/health`)).json()).storeId).toBe(health.storeId);
    const { records } = await fetchTopic(second.url, scopes[1]!.topic);
    expect(records.map((r) => sha(r.envelope))).toEqual(envelopes.map(sha));
  });
});
