import { fetchFromRelays, RelayFetchError } from "./relay-http.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const relayUrl = async (): Promise<string> => (await (await fetch("/__cellule__/relay.json")).json()).url;
/** A loopback port nothing listens on. */
const DEAD = "http://127.0.0.1:9/";

describe("fetchFromRelays", () => {
  it("falls back to the next relay when one is down, and says which relay served", async () => {
    const live = await relayUrl();
    const { value, relay } = await fetchFromRelays([DEAD, live], "/health", {
      check: (bytes) => {
        const body = JSON.parse(new TextDecoder().decode(bytes)) as { ok?: boolean };
        if (body.ok !== true) throw new Error("not a relay");
        return body;
      },
    });
    check(value.ok === true && relay === live, `served by ${relay}`);
  });

  it("moves on from an answer the check refuses, and tells 'invalid' from 'unreachable'", async () => {
    const live = await relayUrl();
    let error: unknown;
    try {
      await fetchFromRelays([live, live], "/health", {
        check: () => {
          throw new Error("bad signature");
        },
      });
    } catch (e) {
      error = e;
    }
    check(error instanceof RelayFetchError && error.code === "invalid", `${error}`);
    check(error.attempts.length === 2, "both relays were tried");
    try {
      await fetchFromRelays([DEAD], "/health", { check: (b) => b, timeoutMs: 2000 });
      error = undefined;
    } catch (e) {
      error = e;
    }
    check(error instanceof RelayFetchError && error.code === "unreachable", `${error}`);
  });

  it("treats an HTTP error as a relay that did not answer", async () => {
    const live = await relayUrl();
    let error: unknown;
    try {
      await fetchFromRelays([live], "/nothing-here", { check: (b) => b, timeoutMs: 2000 });
    } catch (e) {
      error = e;
    }
    check(error instanceof RelayFetchError && error.code === "unreachable", `${error}`);
    check(/HTTP 404/.test(error.attempts[0]!.error), error.attempts[0]!.error);
  });
});
