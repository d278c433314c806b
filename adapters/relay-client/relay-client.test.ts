import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { InvalidArgumentError } from "../../core/index.js";
import { runTransportAcceptance } from "../../core/testing/index.js";
import { type RelayServer, silentLogger, startRelay } from "../relay/index.js";
import { relayClient } from "./index.js";

async function relays(count: number): Promise<{ servers: RelayServer[]; close: () => Promise<void> }> {
  const dirs: string[] = [];
  const servers: RelayServer[] = [];
  for (let i = 0; i < count; i++) {
    const dir = await mkdtemp(join(tmpdir(), "cellule-rc-"));
    dirs.push(dir);
    servers.push(await startRelay({ dataDir: dir, log: silentLogger }));
  }
  return {
    servers,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

runTransportAcceptance(
  "relayClient over two relays",
  async () => {
    const { servers, close } = await relays(2);
    const urls = servers.map((s) => s.url);
    const transports = [0, 1].map(() =>
      relayClient({ relays: urls, WebSocket: WebSocket as never, minBackoffMs: 50 }),
    );
    return {
      transports,
      stores: true,
      teardown: async () => {
        await Promise.all(transports.map((t) => t.close()));
        await close();
      },
    };
  },
  { describe, it },
);

describe("relayClient", () => {
  it("refuses a configuration without relays or with a bad URL", () => {
    expect(() => relayClient({ relays: [] })).toThrow(InvalidArgumentError);
    expect(() => relayClient({ relays: ["javascript:alert(1)"] })).toThrow(InvalidArgumentError);
  });

  it("keeps an envelope published while its relay is down, and delivers it when the relay is back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellule-rc-"));
    const first = await startRelay({ dataDir: dir, log: silentLogger });
    const port = first.port;
    await first.close();
    const client = relayClient({
      relays: [`http://127.0.0.1:${port}`],
      WebSocket: WebSocket as never,
      minBackoffMs: 50,
      maxBackoffMs: 200,
    });
    await client.start({ deliver: async () => {}, backlog: async () => [] });
    const { envelopeOf, looseIdentity } = await import("../../test/support/devices.js");
    const { newScopeSecret } = await import("../../core/index.js");
    const { sealedEpoch } = await import("../../core/internals.js");
    const env = await envelopeOf(
      await looseIdentity(),
      await sealedEpoch("s" as never, 1, newScopeSecret()),
      "d" as never,
      [],
    );
    client.publish(env);
    expect(client.status().pending).toBe(1);
    expect(client.status().endpoints[0]!.connected).toBe(false);
    const back = await startRelay({ dataDir: dir, port, log: silentLogger });
    const deadline = Date.now() + 10_000;
    while (client.status().pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(client.status().pending).toBe(0);
    expect(back.stats().envelopes).toBe(1);
    await client.close();
    await back.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("changes its relays: a dropped one no longer holds an envelope back, a new one gets it", async () => {
    const { servers, close } = await relays(2);
    const [up, added] = servers as [RelayServer, RelayServer];
    const { envelopeOf, looseIdentity, until } = await import("../../test/support/devices.js");
    const { newScopeSecret } = await import("../../core/index.js");
    const { sealedEpoch } = await import("../../core/internals.js");
    // A relay nobody answers at: what is published waits for it.
    const down = await startRelay({
      dataDir: await mkdtemp(join(tmpdir(), "cellule-rc-")),
      log: silentLogger,
    });
    await down.close();
    const client = relayClient({
      relays: [up.url, down.url],
      WebSocket: WebSocket as never,
      minBackoffMs: 50,
    });
    await client.start({ deliver: async () => {}, backlog: async () => [] });
    const envelope = await envelopeOf(
      await looseIdentity(),
      await sealedEpoch("s" as never, 1, newScopeSecret()),
      "d" as never,
      [],
    );
    client.publish(envelope);
    await until(() => up.stats().envelopes === 1, "the envelope on the relay that is up");
    expect(client.status().pending).toBe(1);

    client.setEndpoints!([up.url, added.url]);
    expect(client.status().endpoints.map((e) => e.id)).toEqual([up.url, added.url]);
    await until(() => added.stats().envelopes === 1, "the envelope on the new relay");
    await until(() => client.status().pending === 0, "nothing waiting once the relay that is down is gone");
    expect(() => client.setEndpoints!([])).toThrow(InvalidArgumentError);
    expect(() => client.setEndpoints!(["ftp://relais.example.org"])).toThrow(InvalidArgumentError);
    expect(client.status().endpoints.map((e) => e.id)).toEqual([up.url, added.url]);
    await client.close();
    await close();
  });

  it("asks the relays again from the start for the topics a damaged copy needs (refetch)", async () => {
    const { servers, close } = await relays(1);
    const { envelopeOf, looseIdentity, until } = await import("../../test/support/devices.js");
    const { newScopeSecret } = await import("../../core/index.js");
    const { sealedEpoch } = await import("../../core/internals.js");
    const epoch = await sealedEpoch("s" as never, 1, newScopeSecret());
    const author = await looseIdentity();
    const options = { relays: [servers[0]!.url], WebSocket: WebSocket as never, minBackoffMs: 50 };
    const writer = relayClient(options);
    const reader = relayClient(options);
    const received: Uint8Array[] = [];
    await writer.start({ deliver: async () => {}, backlog: async () => [] });
    await reader.start({ deliver: async (e) => void received.push(e), backlog: async () => [] });
    try {
      for (let i = 0; i < 3; i++) writer.publish(await envelopeOf(author, epoch, `d${i}` as never, []));
      reader.subscribe([epoch.topic]);
      await until(() => received.length === 3, "the three envelopes");
      expect(reader.refetch).toBeTypeOf("function");
      reader.refetch!([epoch.topic]);
      await until(() => received.length === 6, "the three envelopes again");
      expect(received.slice(3).map((e) => e.length)).toEqual(received.slice(0, 3).map((e) => e.length));
    } finally {
      await Promise.all([writer.close(), reader.close()]);
      await close();
    }
  });
});
