/**
 * Strangers flooding a cell's public topic (security review C2) through a real relay: knowing only the
 * cell's ID and a relay's address, anyone can compute the public topic and post envelopes there signed by
 * keys of their own. Neither their governance ops nor their envelopes waiting for "missing" ops may change
 * anything that lasts on a member's device: its heads, the ops it stores, its storage, what it holds in
 * memory; and the members keep writing and inviting.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Cell, type DocId, type Kit } from "../../core/index.js";
import {
  EnvelopeKind,
  FrameType,
  governance,
  publicEpoch,
  randomBytes,
  sealEnvelope,
  toHex,
} from "../../core/internals.js";
import { admittedCell, relayFixture, storeOf } from "../support/cells.js";
import { type FileStore, looseIdentity, until } from "../support/devices.js";
import { TestClient } from "../support/relay-client.js";

const net = relayFixture(1);

/** Bytes of every file under a device's directory. */
async function bytesOn(kit: Kit): Promise<number> {
  let total = 0;
  const dir = (storeOf(kit) as FileStore).dir;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

async function storedOps(kit: Kit, cell: Cell): Promise<number> {
  return (await kit.storage.loadRange(["cellule-gov", cell.id])).length;
}

/** What a member device holds of the cell, to compare before and after the flood. */
async function footprint(kit: Kit, cell: Cell) {
  return {
    heads: cell.heads.join(","),
    ops: await storedOps(kit, cell),
    refused: cell.refused().length,
    held: kit.held,
  };
}

/** Envelopes a device judged, one way or another (held ones may be judged again, and counted twice). */
const judgedBy = (kit: Kit) =>
  Object.values(kit.stats.rejected).reduce((a, b) => a + b, 0) + kit.stats.accepted + kit.stats.held;

describe("strangers on a cell's public topic", () => {
  it("leave members' heads, stored ops, storage and memory as they were; members still write and invite", async () => {
    const [f, a] = [await net.device(), await net.device()];
    const { cell, cells } = await admittedCell(f, "Fatima Ouali", [{ kit: a, name: "Ali Benali" }]);
    const ali = cells[0]!;
    await f.flush();
    await a.flush();
    const before = { f: await footprint(f, cell), a: await footprint(a, ali) };
    const bytesBefore = { f: await bytesOn(f), a: await bytesOn(a) };
    const judgedBefore = { f: judgedBy(f), a: judgedBy(a) };

    // The attacker: the cell's ID and a relay, nothing else.
    const topic = await publicEpoch(`${cell.id}/public` as never);
    const attacker = await TestClient.connect(net.relays()[0]!.wsUrl);
    const OPS_ENVELOPES = 10;
    const OPS_PER_ENVELOPE = 1_000;
    const BIG = 12;
    const SMALL = 60;
    // 1. Governance ops signed by fresh keys, citing the genesis, as kind-3 envelopes of the public scope.
    for (let e = 0; e < OPS_ENVELOPES; e++) {
      const items: Uint8Array[] = [];
      for (let i = 0; i < OPS_PER_ENVELOPE; i++) {
        const stranger = await looseIdentity();
        const op = await governance.signOp(stranger, cell.id, [cell.id as never], {
          type: "set-relays",
          relays: [`wss://relay-${e}-${i}.example`],
        });
        items.push(op.bytes);
      }
      const envelope = await sealEnvelope(await looseIdentity(), topic, {
        kind: EnvelopeKind.governance,
        docId: cell.id as string as DocId,
        session: randomBytes(16),
        heads: [cell.id],
        items,
      });
      expect((await attacker.put(envelope)).type).toBe(FrameType.ack);
    }
    // 2. Documents citing governance heads nobody has, so that devices would wait for them: big ones
    //    (close to the 1 MiB limit) and many small ones.
    const flood = async (count: number, size: number) => {
      for (let i = 0; i < count; i++) {
        const envelope = await sealEnvelope(await looseIdentity(), topic, {
          kind: EnvelopeKind.changes,
          docId: toHex(randomBytes(16)) as DocId,
          session: randomBytes(16),
          heads: [toHex(randomBytes(32))],
          items: [new Uint8Array(size).fill(i & 0xff)],
        });
        expect((await attacker.put(envelope)).type).toBe(FrameType.ack);
      }
    };
    await flood(BIG, 1_000_000);
    await flood(SMALL, 20_000);
    attacker.close();
    const posted = OPS_ENVELOPES + BIG + SMALL;

    // Every envelope reached both devices and was refused, or held for a while (the small ones).
    const judged = (kit: Kit, was: number) => judgedBy(kit) - was >= posted;
    await until(() => judged(f, judgedBefore.f) && judged(a, judgedBefore.a), "the flood to arrive", 60_000);
    await f.flush();
    await a.flush();

    const after = { f: await footprint(f, cell), a: await footprint(a, ali) };
    const grown = { f: (await bytesOn(f)) - bytesBefore.f, a: (await bytesOn(a)) - bytesBefore.a };
    console.log(
      JSON.stringify({
        test: "public-flood",
        strangerOps: OPS_ENVELOPES * OPS_PER_ENVELOPE,
        heldFlood: { big: BIG, small: SMALL },
        heads: [before.f.heads.split(",").length, after.f.heads.split(",").length],
        storedOps: [before.f.ops, after.f.ops],
        storageGrowthBytes: grown,
        heldInMemory: after.f.held,
        rejected: f.stats.rejected,
      }),
    );
    for (const [x, y] of [
      [before.f, after.f],
      [before.a, after.a],
    ] as const) {
      expect(y.heads.split(",").length).toBe(x.heads.split(",").length);
      expect(y.heads).toBe(x.heads);
      expect(y.ops).toBe(x.ops);
      expect(y.refused).toBe(x.refused);
      // Only strangers' envelopes were held, in memory, within their bound.
      expect(y.held.bytes).toBeLessThanOrEqual(512 * 1024);
    }
    // Storage: what the relay client records of its progress, nothing of the flood.
    expect(grown.f).toBeLessThan(64 * 1024);
    expect(grown.a).toBeLessThan(64 * 1024);
    expect(f.stats.rejected.forbidden).toBeGreaterThanOrEqual(OPS_ENVELOPES);

    // Members still write and invite, and see each other's work.
    const notes = await ali.create<{ text: string }>("members", { text: "Réunion jeudi" });
    notes.change((d) => {
      d.text = "Réunion jeudi, 19 h";
    });
    await a.flush();
    await until(() => f.documents(cell.scopeId("members")).includes(notes.id), "the note to reach Fatima");
    const invitation = await cell.invite();
    expect(invitation.cell).toBe(cell.id);
    await until(() => ali.heads.join(",") === cell.heads.join(","), "Ali to get the new invitation");
    expect(f.stats.rejected.quota).toBeUndefined();

    // Nothing of the flood waits across a restart: the device opens again with nothing held.
    await f.close(0);
    const started = performance.now();
    const again = await net.device(storeOf(f));
    const reopened = await Cell.open(again, cell.id);
    const restartMs = performance.now() - started;
    console.log(JSON.stringify({ test: "public-flood", restartMs: Math.round(restartMs) }));
    expect(again.held).toEqual({ count: 0, bytes: 0 });
    expect(reopened.heads.join(",")).toBe(cell.heads.join(","));
    expect(restartMs).toBeLessThan(2_000);
  }, 120_000);
});
