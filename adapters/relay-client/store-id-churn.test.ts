/**
 * A relay that says a new store ID on every connection (issue 11, M7) and never acknowledges: before, each
 * HELLO re-queued the device's whole backlog under fresh IDs (earlier copies stayed until acknowledged),
 * re-read it from storage and reset the backoff, so the outbox and the uploads grew with every reconnect.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import type { Topic } from "../../core/index.js";
import { FrameType } from "../../core/protocol/relay.js";
import { encodeHello } from "../../core/protocol/relay-frames.js";
import { until } from "../../test/support/devices.js";
import { makeEnvelopes, testIdentity, testPublicScope } from "../../test/support/relay-client.js";
import { relayClient } from "./index.js";

/** A hostile relay: a new store ID in each HELLO, no ACK ever; it hangs up once it got `hangUpAfter` PUTs. */
async function churningRelay(hangUpAfter: number) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/ws" });
  await new Promise<void>((ok) => server.once("listening", ok));
  const putsPerConnection: number[] = [];
  server.on("connection", (ws) => {
    const i = putsPerConnection.push(0) - 1;
    ws.send(encodeHello(randomBytes(16), 1024 * 1024));
    // Without a reseed to wait for, a connection is cut as soon as the client subscribed.
    ws.on("message", (data: Buffer) => {
      if (data[0] === FrameType.put && ++putsPerConnection[i]! >= hangUpAfter) ws.close();
      if (data[0] === FrameType.sub) setImmediate(() => putsPerConnection[i] === 0 && ws.close());
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    putsPerConnection,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe("a relay that changes its store ID on every connection", () => {
  it("cannot grow the outbox or the uploads, nor keep the device reading its backlog", async () => {
    const scope = await testPublicScope();
    const backlog = await makeEnvelopes(await testIdentity(), scope, 40);
    const relay = await churningRelay(backlog.length);
    let backlogReads = 0;
    const transport = relayClient({
      relays: [relay.url],
      WebSocket: WebSocket as never,
      minBackoffMs: 5,
      maxBackoffMs: 50,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    await transport.start({
      deliver: async () => {},
      backlog: async () => {
        backlogReads++;
        return backlog;
      },
    });
    transport.subscribe([scope.topic as Topic]);
    const pending = () => transport.status().endpoints[0]!.pending;
    let most = 0;
    await until(() => {
      most = Math.max(most, pending());
      return relay.putsPerConnection.length >= 10;
    }, "ten connections");
    await transport.close();
    await relay.close();

    expect(Math.max(most, pending())).toBeLessThanOrEqual(backlog.length);
    // Read for the relay's first HELLO and for its first change; never again within the cooldown.
    expect(backlogReads).toBe(2);
    // Each connection gets at most one copy of the backlog.
    expect(Math.max(...relay.putsPerConnection)).toBeLessThanOrEqual(backlog.length);
    expect(relay.putsPerConnection.slice(2).every((n) => n <= backlog.length)).toBe(true);
  });
});
