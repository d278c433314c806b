import { describe, expect, it } from "vitest";
import type { TransportStatus } from "../../core/index.js";
import { syncStateOf } from "./sync-status.js";

const relay = (...endpoints: [connected: boolean, pending: number][]): TransportStatus => ({
  name: "relay",
  pending: Math.max(0, ...endpoints.map(([, p]) => p)),
  endpoints: endpoints.map(([connected, pending], i) => ({
    id: `https://r${i}.example`,
    connected,
    pending,
  })),
});
const tabs: TransportStatus = {
  name: "broadcast",
  pending: 0,
  endpoints: [{ id: "c", connected: true, pending: 0 }],
};

describe("what the member space's header says of sending", () => {
  it("counts what no relay acknowledged, and says sent once one relay has everything", () => {
    expect(syncStateOf([relay([true, 3])], true)).toEqual({
      kind: "waiting",
      waiting: 3,
      connected: 1,
      relays: 1,
    });
    expect(syncStateOf([relay([true, 0])], true)).toEqual({
      kind: "sent",
      waiting: 0,
      connected: 1,
      relays: 1,
    });
    // A relay that is down holds nothing back once another has it all.
    expect(syncStateOf([relay([false, 7], [true, 0])], true)).toMatchObject({
      kind: "sent",
      connected: 1,
      relays: 2,
    });
    expect(syncStateOf([relay([true, 2], [true, 5])], true)).toMatchObject({ kind: "waiting", waiting: 2 });
  });

  it("ignores the transport between tabs, which acknowledges nothing for a relay", () => {
    expect(syncStateOf([tabs, relay([true, 4])], true)).toMatchObject({
      kind: "waiting",
      waiting: 4,
      relays: 1,
    });
    expect(syncStateOf([tabs, relay([false, 4])], true)).toMatchObject({
      kind: "offline",
      waiting: 4,
      connected: 0,
    });
  });

  it("is connecting before a relay first answered, then offline", () => {
    expect(syncStateOf([relay([false, 1])], false).kind).toBe("connecting");
    expect(syncStateOf([relay([false, 1])], true).kind).toBe("offline");
    expect(syncStateOf([], true)).toEqual({ kind: "offline", waiting: 0, connected: 0, relays: 0 });
  });
});
