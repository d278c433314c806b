/**
 * Envelopes that arrive before the governance ops they cite (ops and documents travel on different
 * topics) are held, not refused, and judged again when the log grows, also after a restart.
 */
import { describe, expect, it } from "vitest";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { memoryKit } from "../../test/support/devices.js";
import { Cell } from "../cell/cell.js";
import type { Transport } from "../ports/transport.js";
import { EnvelopeKind, readHeader } from "../protocol/envelope.js";
import type { Kit } from "./kit.js";

/** A transport that only records what its device sends: the test delivers it, in the order it chooses. */
function outbox(): Transport & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    name: "outbox",
    sent,
    start: async () => {},
    publish: (e) => void sent.push(e),
    subscribe: () => {},
    unsubscribe: () => {},
    status: () => ({ name: "outbox", endpoints: [], pending: 0 }),
    close: async () => {},
  };
}

const deliver = async (to: Kit, envelopes: Uint8Array[]) => {
  for (const e of envelopes) await to.receive(e, "test");
};

describe("envelopes ahead of their governance ops", () => {
  it("are held, then applied once the ops arrive, also after a restart", async () => {
    const fOut = outbox();
    const f = await memoryKit({ transports: [fOut] });
    const cell = await Cell.create(f, { name: "Cellule", founderName: "Fatima" });
    const invitation = await cell.invite();

    const store = { storage: memoryStorage(), keystore: memoryKeystore() };
    const aOut = outbox();
    let a = await memoryKit({ ...store, transports: [aOut] });
    const ali = await Cell.join(a, invitation, { name: "Ali" });
    await deliver(f, aOut.sent.splice(0));
    const pending = cell.members().find((m) => m.status === "pending")!;
    await cell.admit(pending.id);
    // The welcome's log travels before the box that opens its scope (relays hand it over when the box opens
    // the topic): delivered again once the box has been.
    await deliver(a, fOut.sent);
    await deliver(a, fOut.sent.splice(0));
    await ali.whenMember(5_000);

    // Fatima makes an op (a new invitation), then writes a document citing it.
    await cell.invite();
    const ops = fOut.sent.splice(0);
    await cell.create("members", { note: "Réunion mardi" });
    await f.flush();
    const docs = fOut.sent.splice(0);
    expect(ops.length).toBeGreaterThan(0);
    expect(docs.length).toBeGreaterThan(0);

    // Ali's device gets the document first: held, not refused.
    const outcomes = await Promise.all(docs.map((d) => a.receive(d, "test")));
    expect(outcomes.map((o) => o.status)).toEqual(docs.map(() => "held"));
    expect(a.stats.rejected.forbidden).toBeUndefined();
    const scope = ali.scopeId("members");
    expect(a.documents(scope)).toEqual([]);

    // It restarts; the op arrives; the document is applied.
    await a.close(0);
    a = await memoryKit({ ...store, transports: [outbox()] });
    const again = await Cell.open(a, cell.id);
    await deliver(a, ops);
    await a.flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(a.documents(again.scopeId("members"))).toHaveLength(1);
    // (Envelopes under scopes Ali does not read, like the new invitation's inbox, are refused as usual.)
    expect(a.stats.rejected.forbidden).toBeUndefined();
    expect(readHeader(docs[0]!).epoch).toBeGreaterThan(0);
    expect(EnvelopeKind.changes).toBe(1);
  });
});
