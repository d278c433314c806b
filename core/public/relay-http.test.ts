/**
 * The relays' HTTP client against real loopback servers: one that accepts, one that refuses, one that
 * accepts the connection and never answers (the time limit must end the request), and a port nothing
 * listens on.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchFromRelays, RelayFetchError, relayUrl, sendToRelays } from "./relay-http.js";

const servers: http.Server[] = [];
const received: { url: string; method: string; body: string }[] = [];
let accepting = "";
let refusing = "";
let silent = "";
const DEAD = "http://127.0.0.1:9";

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
}

beforeAll(async () => {
  accepting = await serve((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ url: req.url!, method: req.method!, body });
      res.end("ok");
    });
  });
  refusing = await serve((_req, res) => {
    res.statusCode = 507;
    res.end();
  });
  silent = await serve(() => {
    // accepts and never answers
  });
  // The first fetch of a process loads its HTTP stack: not what the time limits below are about.
  await fetch(`${accepting}/warm-up`);
});

/** Long enough for a loopback server that answers, under a loaded machine; the silent one never does. */
const LIMIT = 2000;

afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe("the relays' HTTP client", () => {
  it("takes a relay URL as a base, with or without its trailing slash", () => {
    expect(relayUrl("https://r.example/cellule", "c/x/edition").href).toBe(
      "https://r.example/cellule/c/x/edition",
    );
    expect(relayUrl("https://r.example/cellule/", "c/x").href).toBe("https://r.example/cellule/c/x");
  });

  it("sends to every relay and says which accepted; a silent relay is given up after its time limit", async () => {
    const accepted = await sendToRelays(
      [silent, refusing, accepting, DEAD],
      "t/abc",
      new TextEncoder().encode("hi"),
      {
        timeoutMs: LIMIT,
      },
    );
    expect(accepted).toEqual([accepting]);
    expect(received.at(-1)).toEqual({ url: "/base/t/abc", method: "POST", body: "hi" });
  });

  it("fails 'invalid' when relays answered but none accepted, 'unreachable' when none answered", async () => {
    const body = new Uint8Array(1);
    const invalid = await sendToRelays([refusing, DEAD], "t/x", body).catch((e) => e);
    expect(invalid).toBeInstanceOf(RelayFetchError);
    expect(invalid.code).toBe("invalid");
    expect(invalid.attempts.map((a: { error: string }) => a.error)[0]).toBe("HTTP 507");
    const unreachable = await sendToRelays([silent, DEAD], "t/x", body, { timeoutMs: LIMIT }).catch((e) => e);
    expect(unreachable.code).toBe("unreachable");
  });

  it("counts statuses the caller accepts (409 for an edition a relay holds newer)", async () => {
    expect(
      await sendToRelays([refusing], "c/x/edition", new Uint8Array(1), {
        method: "PUT",
        alsoAccepted: [507],
      }),
    ).toEqual([refusing]);
  });

  it("fetches from the first relay that answers within its time limit", async () => {
    const { value, relay } = await fetchFromRelays([silent, refusing, accepting], "health", {
      timeoutMs: LIMIT,
      check: (bytes) => new TextDecoder().decode(bytes),
    });
    expect([value, relay]).toEqual(["ok", accepting]);
  });
});
