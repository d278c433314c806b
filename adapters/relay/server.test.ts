import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Topic } from "../../core/base/ids.js";
import { FrameType, RELAY_DEFAULTS, RelayErrorCode } from "../../core/protocol/relay.js";
import { makeEnvelopes, TestClient } from "../../test/support/relay-client.js";
import { relayTestBed } from "../../test/support/relay-test-bed.js";
import { silentLogger, startRelay } from "./index.js";
import { ALL_TOPICS, encodeSub, encodeUnsub } from "./ws/frames.js";

const { author, pub, sealed, relay, client, tempDir, later } = await relayTestBed();

const PEER_SECRET = "a secret of the relays that peer";
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("relay WebSocket protocol", () => {
  it("says HELLO with its store ID and frame limit", async () => {
    const r = await relay();
    const c = await client(r);
    expect(c.hello.storeId).toBe(r.storeId);
    expect(c.hello.maxFrame).toBe(RELAY_DEFAULTS.maxFrameBytes);
  });

  it("acknowledges a PUT, and a second PUT of the same envelope as a duplicate", async () => {
    const r = await relay();
    const c = await client(r);
    const [a, b] = await makeEnvelopes(author, pub, 2);
    const ack = await c.put(a!);
    expect(ack).toMatchObject({ type: FrameType.ack, status: 0, seq: 1 });
    expect(await c.put(b!)).toMatchObject({ status: 0, seq: 2 });
    const dup = await c.put(a!);
    expect(dup).toMatchObject({ type: FrameType.ack, status: 1, seq: 1 });
    expect(dup.type === FrameType.ack && ack.type === FrameType.ack && dup.hash === ack.hash).toBe(true);
  });

  it("sends the backlog, CAUGHT_UP, then live envelopes; honours since; stops after UNSUB", async () => {
    const r = await relay();
    const writer = await client(r);
    const envelopes = await makeEnvelopes(author, pub, 5);
    for (const e of envelopes.slice(0, 3)) await writer.put(e);

    const reader = await client(r);
    await reader.sub([{ topic: pub.topic, since: 0 }]);
    const caught = reader.ofType(FrameType.caughtUp)[0]!;
    expect(caught).toMatchObject({ topic: pub.topic, seq: 3 });
    expect(reader.ofType(FrameType.deliver).map((d) => d.seq)).toEqual([1, 2, 3]);
    expect(reader.ofType(FrameType.deliver).map((d) => hex(d.envelope))).toEqual(
      envelopes.slice(0, 3).map(hex),
    );

    const late = await client(r);
    await late.sub([{ topic: pub.topic, since: 2 }]);
    expect(late.ofType(FrameType.deliver).map((d) => d.seq)).toEqual([3]);

    await writer.put(envelopes[3]!);
    await writer.put(envelopes[4]!);
    await reader.waitForCount((f) => f.type === FrameType.deliver, 5);
    expect(reader.ofType(FrameType.deliver).map((d) => d.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(hex(reader.ofType(FrameType.deliver)[4]!.envelope)).toBe(hex(envelopes[4]!));
    await late.waitForCount((f) => f.type === FrameType.deliver, 3);

    late.send(encodeUnsub([pub.topic]));
    const [more] = await makeEnvelopes(author, pub, 1);
    // An UNSUB gets no answer, but a relay handles one connection's frames in order: once it acknowledged
    // a PUT that `late` sent after it (on a topic nobody reads), the UNSUB is in force. (A fixed delay
    // stood for this; under load the writer's PUT could overtake the UNSUB.)
    const marks = await makeEnvelopes(author, sealed, 2);
    await late.put(marks[0]!);
    await writer.put(more!);
    await reader.waitForCount((f) => f.type === FrameType.deliver, 6);
    // `more` went out to its subscribers before its PUT was acknowledged, so before the relay handles a
    // PUT `late` sends now: once that is acknowledged, `late` has received whatever it was sent.
    await late.put(marks[1]!);
    expect(late.ofType(FrameType.deliver)).toHaveLength(3);
  });

  it("delivers every seq exactly once, in order, to a subscriber joining during a burst", async () => {
    const r = await relay();
    const writer = await client(r);
    const envelopes = await makeEnvelopes(author, pub, 600);
    const puts = envelopes.map((e) => writer.put(e));
    await puts[100];
    const reader = await client(r);
    await reader.sub([{ topic: pub.topic, since: 0 }]);
    await Promise.all(puts);
    await reader.waitForCount((f) => f.type === FrameType.deliver, 600);
    // Every put is acknowledged, so delivered to the reader already: a duplicate would have been sent before
    // the relay handles a PUT the reader sends now (on a topic it does not read). Its ACK closes the window
    // a fixed delay stood for.
    const [mark] = await makeEnvelopes(author, sealed, 1);
    await reader.put(mark!);
    const seqs = reader.ofType(FrameType.deliver).map((d) => d.seq);
    expect(seqs).toEqual(envelopes.map((_, i) => i + 1));
  });

  it("streams every topic by global seq with SUB_ALL", async () => {
    const r = await relay({ peerSecret: PEER_SECRET });
    const writer = await client(r);
    const [p1, p2] = await makeEnvelopes(author, pub, 2);
    const [s1] = await makeEnvelopes(author, sealed, 1);
    await writer.put(p1!);
    await writer.put(s1!);
    await writer.put(p2!);
    const all = await TestClient.connect(r.wsUrl, { Authorization: `Bearer ${PEER_SECRET}` });
    later(() => all.close());
    const caught = await all.subAll(1);
    expect(caught).toMatchObject({ topic: ALL_TOPICS, seq: 3 });
    expect(all.ofType(FrameType.deliverAll).map((d) => [d.globalSeq, hex(d.envelope)])).toEqual([
      [2, hex(s1!)],
      [3, hex(p2!)],
    ]);
    const [s2] = await makeEnvelopes(author, sealed, 1);
    await writer.put(s2!);
    await all.waitForCount((f) => f.type === FrameType.deliverAll, 3);
    expect(all.ofType(FrameType.deliverAll)[2]!.globalSeq).toBe(4);
  });

  it("refuses a 2 MiB frame by closing that connection (1009) while another client is still served", async () => {
    const r = await relay();
    const bystander = await client(r);
    await bystander.sub([{ topic: pub.topic, since: 0 }]);
    const big = await client(r);
    const frame = Buffer.alloc(2 * 1024 * 1024);
    frame[0] = FrameType.put;
    big.send(frame);
    expect((await big.closed).code).toBe(1009);
    const [e] = await makeEnvelopes(author, pub, 1);
    expect(await bystander.put(e!)).toMatchObject({ type: FrameType.ack, status: 0 });
    await bystander.waitFor((f) => f.type === FrameType.deliver && f.seq === 1);
  });

  it("closes a connection over its rate with ERROR rateLimited; others are unaffected", async () => {
    const r = await relay({ ratePerSecond: 20, rateBurst: 20 });
    const calm = await client(r);
    const greedy = await client(r);
    for (let i = 0; i < 100; i++) greedy.send(encodeUnsub([]));
    const error = await greedy.waitFor((f) => f.type === FrameType.error);
    expect(error).toMatchObject({ reqId: 0, code: RelayErrorCode.rateLimited });
    expect((await greedy.closed).code).toBe(1008);
    const [e] = await makeEnvelopes(author, pub, 1);
    expect(await calm.put(e!)).toMatchObject({ type: FrameType.ack, status: 0 });
  });

  it.each([
    ["an unknown frame type", Buffer.from([0x7f, 0, 0, 0, 1]), RelayErrorCode.malformed],
    [
      "a frame only relays send",
      Buffer.from([FrameType.deliver, 0, 0, 0, 0, 0, 0, 0, 1]),
      RelayErrorCode.malformed,
    ],
    [
      "a SUB whose count does not match",
      Buffer.from([FrameType.sub, 0, 0, 0, 7, 0, 2, 1, 2, 3]),
      RelayErrorCode.malformed,
    ],
    ["an empty frame", Buffer.alloc(0), RelayErrorCode.malformed],
    [
      "a PUT of too few bytes for a header",
      Buffer.from([FrameType.put, 0, 0, 0, 9, 1, 1, 0]),
      RelayErrorCode.badEnvelope,
    ],
    [
      "a PUT with an unknown envelope version",
      Buffer.concat([Buffer.from([FrameType.put, 0, 0, 0, 9, 2, 1]), Buffer.alloc(100)]),
      RelayErrorCode.badEnvelope,
    ],
  ])("answers %s with ERROR and closes, leaving others alone", async (_name, frame, code) => {
    const r = await relay();
    const other = await client(r);
    const bad = await client(r);
    bad.send(frame);
    const error = await bad.waitFor((f) => f.type === FrameType.error);
    expect(error).toMatchObject({ code });
    await bad.closed;
    const [e] = await makeEnvelopes(author, pub, 1);
    expect(await other.put(e!)).toMatchObject({ type: FrameType.ack });
  });

  it("refuses a SUB over the topic limit without closing the connection", async () => {
    const r = await relay({ maxTopicsPerConnection: 2 });
    const c = await client(r);
    await c.sub([{ topic: pub.topic, since: 0 }]);
    c.send(
      encodeSub(99, [
        { topic: sealed.topic, since: 0 },
        { topic: "ab".repeat(32) as Topic, since: 0 },
      ]),
    );
    expect(await c.waitFor((f) => f.type === FrameType.error)).toMatchObject({
      reqId: 99,
      code: RelayErrorCode.tooManyTopics,
    });
    const [e] = await makeEnvelopes(author, pub, 1);
    expect(await c.put(e!)).toMatchObject({ type: FrameType.ack, status: 0 });
    await c.waitFor((f) => f.type === FrameType.deliver && f.seq === 1);
  });

  it("answers a text frame with ERROR malformed", async () => {
    const r = await relay();
    const c = await client(r);
    c.ws.send("hello");
    expect(await c.waitFor((f) => f.type === FrameType.error)).toMatchObject({
      code: RelayErrorCode.malformed,
    });
    expect((await c.closed).code).toBe(1003);
  });

  it("accepts WebSocket upgrades only on /ws", async () => {
    const r = await relay();
    const ws = new WebSocket(`ws://127.0.0.1:${r.port}/other`);
    const outcome = await new Promise<string>((resolve) => {
      ws.on("open", () => resolve("open"));
      ws.on("error", () => resolve("error"));
    });
    expect(outcome).toBe("error");
  });

  it("keeps its data and store ID across a restart", async () => {
    const dataDir = await tempDir();
    const first = await startRelay({ dataDir, log: silentLogger });
    const c = await TestClient.connect(first.wsUrl);
    const envelopes = await makeEnvelopes(author, pub, 3);
    for (const e of envelopes) await c.put(e);
    c.close();
    await first.close();

    const second = await relay({ dataDir });
    expect(second.storeId).toBe(first.storeId);
    const reader = await client(second);
    expect(reader.hello.storeId).toBe(first.storeId);
    await reader.sub([{ topic: pub.topic, since: 0 }]);
    expect(reader.ofType(FrameType.deliver).map((d) => hex(d.envelope))).toEqual(envelopes.map(hex));
    expect(await reader.put(envelopes[0]!)).toMatchObject({ status: 1, seq: 1 });
  });
});
