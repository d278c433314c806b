import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../core/base/errors.js";
import { FrameType } from "../../../core/protocol/relay.js";
import { eventually, fetchTopic, makeEnvelopes, TestClient } from "../../../test/support/relay-client.js";
import { relayTestBed } from "../../../test/support/relay-test-bed.js";
import { peerWsUrl } from "./peer.js";

// The relays that replicate share a secret (SUB_ALL needs it): the processes read it from their environment.
const PEER_SECRET = "the peers' shared secret, for tests";
process.env.CELLULE_PEER_SECRET = PEER_SECRET;
const { author, pub, sealed, later, relay, relayProcess: spawn } = await relayTestBed();

const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function putAll(wsUrl: string, envelopes: Uint8Array[]): Promise<void> {
  const c = await TestClient.connect(wsUrl);
  const replies = await Promise.all(envelopes.map((e) => c.put(e)));
  expect(replies.every((r) => r.type === FrameType.ack)).toBe(true);
  c.close();
}

async function envelopes(url: string): Promise<number> {
  return ((await (await fetch(`${url}/health`)).json()) as { envelopes: number }).envelopes;
}

async function topicHashes(url: string, topic: string): Promise<string[]> {
  return (await fetchTopic(url, topic)).records.map((r) => sha(r.envelope)).sort();
}

describe("relay peering", () => {
  it("normalises peer URLs", () => {
    expect(peerWsUrl("http://127.0.0.1:8787")).toBe("ws://127.0.0.1:8787/ws");
    expect(peerWsUrl("https://relay.example/")).toBe("wss://relay.example/ws");
    expect(peerWsUrl("ws://h:1/ws")).toBe("ws://h:1/ws");
    expect(() => peerWsUrl("ftp://h")).toThrow(InvalidArgumentError);
    expect(() => peerWsUrl("not a url")).toThrow(InvalidArgumentError);
  });

  it("converges two relays peered with each other, and re-fills one restarted empty", async () => {
    const portB = await freePort();
    const a = await spawn({ peers: [`http://127.0.0.1:${portB}`] });
    const b = await spawn({ port: portB, peers: [a.url] });
    const onA = await makeEnvelopes(author, pub, 60);
    const onB = await makeEnvelopes(author, sealed, 40);
    const both = await makeEnvelopes(author, pub, 1);
    await Promise.all([putAll(a.wsUrl, [...onA, ...both]), putAll(b.wsUrl, [...onB, ...both])]);
    await eventually(async () => (await envelopes(a.url)) === 101 && (await envelopes(b.url)) === 101);
    for (const topic of [pub.topic, sealed.topic]) {
      expect(await topicHashes(a.url, topic)).toEqual(await topicHashes(b.url, topic));
    }
    expect(await topicHashes(b.url, pub.topic)).toEqual([...onA, ...both].map(sha).sort());
    // A live subscriber on B sees what is put on A.
    const watcher = await TestClient.connect(b.wsUrl);
    later(() => watcher.close());
    await watcher.sub([{ topic: pub.topic, since: 61 }]);
    const [late] = await makeEnvelopes(author, pub, 1);
    await putAll(a.wsUrl, [late!]);
    const seen = await watcher.waitFor((f) => f.type === FrameType.deliver);
    expect(seen.type === FrameType.deliver && sha(seen.envelope)).toBe(sha(late!));

    // B loses its disk and comes back on the same port with a new store ID: A's data flows back.
    const oldId = watcher.hello.storeId;
    await b.stop();
    const fresh = await spawn({ port: portB, peers: [a.url] });
    await eventually(async () => (await envelopes(fresh.url)) === 102);
    expect((await fetchTopic(fresh.url, pub.topic)).storeId).not.toBe(oldId);
    for (const topic of [pub.topic, sealed.topic]) {
      expect(await topicHashes(fresh.url, topic)).toEqual(await topicHashes(a.url, topic));
    }
  });

  it("pushes to a peer that does not know it, and pulls from it", async () => {
    const hub = await relay({ peerSecret: PEER_SECRET });
    const onHub = await makeEnvelopes(author, sealed, 20);
    await putAll(hub.wsUrl, onHub);
    const edge = await relay({ peers: [hub.url], peerSecret: PEER_SECRET });
    const onEdge = await makeEnvelopes(author, pub, 30);
    await putAll(edge.wsUrl, onEdge);
    await eventually(() => hub.stats().envelopes === 50 && edge.stats().envelopes === 50);
    expect(await topicHashes(hub.url, pub.topic)).toEqual(onEdge.map(sha).sort());
    expect(await topicHashes(edge.url, sealed.topic)).toEqual(onHub.map(sha).sort());
    await eventually(() => edge.stats().peers[0]!.pushed === 50 && edge.stats().peers[0]!.pulled === 50);
    expect(edge.stats().peers[0]).toMatchObject({ connected: true, peerStoreId: hub.storeId });
  });
});
