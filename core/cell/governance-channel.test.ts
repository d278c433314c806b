/**
 * Which governance ops a cell takes from an envelope (security review C2), on one device: whoever holds a
 * scope's key can seal an envelope, but ops by devices the log does not know are dropped before they are
 * stored, an envelope of nothing else is refused and not kept, and one envelope carries at most
 * MAX_OPS_PER_ENVELOPE ops. A stranger's envelope that waits for ops is held in memory only.
 */
import { describe, expect, it } from "vitest";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { memoryKit } from "../../test/support/devices.js";
import { randomBytes, toHex } from "../base/bytes.js";
import type { DocId } from "../base/ids.js";
import { DeviceIdentity } from "../crypto/identity.js";
import * as c from "../crypto/suite.js";
import { MAX_REFUSED_PER_AUTHOR } from "../governance/log.js";
import { readOp, signOp } from "../governance/ops.js";
import type { OpHash } from "../governance/types.js";
import { EnvelopeKind, sealEnvelope } from "../protocol/envelope.js";
import { Cell } from "./cell.js";
import { MAX_OPS_PER_ENVELOPE } from "./governance-sync.js";
import { CellStore } from "./store.js";

const stranger = async () =>
  DeviceIdentity.fromKeys({
    signing: await c.generateSigningKeyPair(),
    agreement: await c.generateAgreementKeyPair(),
  });

describe("governance envelopes on the members scope", () => {
  it("keep the ops of known devices only; a stranger's envelope is refused and not kept", async () => {
    const f = await memoryKit();
    const cell = await Cell.create(f, { name: "Cellule", founderName: "Fatima" });
    const members = f.epochOf(cell.scopeId("members"))!;
    const seal = async (author: DeviceIdentity, items: Uint8Array[]) =>
      sealEnvelope(author, members, {
        kind: EnvelopeKind.governance,
        docId: cell.id as string as DocId,
        session: randomBytes(16),
        heads: cell.heads,
        items,
      });
    const storedOps = async () => (await f.storage.loadRange(["cellule-gov", cell.id])).length;
    const kept = async () => (await f.envelopes(members.topic)).length;
    const before = { heads: cell.heads, ops: await storedOps(), kept: await kept() };

    // Someone who holds the members key (a removed member, a stolen key) but whom the log does not know.
    const x = await stranger();
    const junk = await Promise.all(
      [1, 2, 3].map(
        async (i) =>
          (await signOp(x, cell.id, cell.heads, { type: "set-relays", relays: [`wss://x${i}.example`] }))
            .bytes,
      ),
    );
    const refused = await f.receive(await seal(x, junk));
    expect(refused.status).toBe("rejected");
    expect(refused.status === "rejected" && refused.error.code).toBe("forbidden");
    expect(cell.heads).toEqual(before.heads);
    expect(await storedOps()).toBe(before.ops);
    expect(await kept()).toBe(before.kept);

    // Mixed with an op of the founder's: hers is taken, the stranger's are not.
    const real = await signOp(f.device, cell.id, cell.heads, {
      type: "set-relays",
      relays: ["wss://a.example"],
    });
    expect((await f.receive(await seal(f.device, [...junk, real.bytes]))).status).toBe("accepted");
    const keys = (await f.storage.loadRange(["cellule-gov", cell.id])).map((k) => k.key[2]);
    expect(keys).toContain(real.hash);
    for (const bytes of junk) expect(keys).not.toContain((await readOp(bytes)).hash);

    // Too many ops in one envelope: refused before any is read.
    const many = Array.from({ length: MAX_OPS_PER_ENVELOPE + 1 }, () => new Uint8Array(8));
    const big = await f.receive(await seal(f.device, many));
    expect(big.status === "rejected" && big.error.code).toBe("quota");

    // A stranger's op citing ops this device lacks: its envelope waits, in memory only.
    const ahead = await signOp(x, cell.id, [toHex(randomBytes(32)) as OpHash], {
      type: "set-relays",
      relays: [],
    });
    expect((await f.receive(await seal(x, [ahead.bytes]))).status).toBe("held");
    expect(f.held.count).toBe(1);
    expect(await f.storage.loadRange(["cellule-held"])).toEqual([]);
  });

  it("takes at most MAX_REFUSED_PER_AUTHOR (and one envelope) of an author's refused ops, and still their allowed ones", async () => {
    const f = await memoryKit();
    const cell = await Cell.create(f, { name: "Cellule", founderName: "Fatima" });
    const members = f.epochOf(cell.scopeId("members"))!;
    const send = async (items: Uint8Array[]) =>
      f.receive(
        await sealEnvelope(f.device, members, {
          kind: EnvelopeKind.governance,
          docId: cell.id as string as DocId,
          session: randomBytes(16),
          heads: cell.heads,
          items,
        }),
      );
    const stored = async () => (await f.storage.loadRange(["cellule-gov", cell.id])).length;
    // Admissions of nobody: signed by the founder's key (a stolen phone, a tampered app), all refused.
    const refused = async (count: number) =>
      Promise.all(
        Array.from(
          { length: count },
          async () =>
            (
              await signOp(f.device, cell.id, cell.heads, {
                type: "admit",
                member: toHex(randomBytes(32)) as never,
              })
            ).bytes,
        ),
      );
    const start = await stored();
    for (let i = 0; i < MAX_REFUSED_PER_AUTHOR / 500; i++) await send(await refused(500));
    expect(await stored()).toBe(start + MAX_REFUSED_PER_AUTHOR);
    expect((await send(await refused(500))).status).toBe("rejected");
    expect(await stored()).toBe(start + MAX_REFUSED_PER_AUTHOR);
    // An op the rules allow still goes in.
    const allowed = await signOp(f.device, cell.id, cell.heads, {
      type: "set-role",
      member: cell.me()!.id,
      role: "treasurer",
      granted: true,
    });
    const outcome = await send([allowed.bytes]);
    expect(outcome.status).toBe("accepted");
    expect(await stored()).toBe(start + MAX_REFUSED_PER_AUTHOR + 1);
  }, 60_000);

  it("keeps no stranger's op that came before the genesis (a welcome, stored ops)", async () => {
    const store = { storage: memoryStorage(), keystore: memoryKeystore() };
    const f = await memoryKit(store);
    const cell = await Cell.create(f, { name: "Cellule", founderName: "Fatima" });
    const heads = cell.heads;
    const x = await stranger();
    const junk = await signOp(x, cell.id, heads, { type: "set-relays", relays: ["wss://x.example"] });
    await new CellStore(f.storage, cell.id).saveOps([junk]);
    await f.close(0);
    const again = await memoryKit(store);
    const reopened = await Cell.open(again, cell.id);
    expect(reopened.heads).toEqual(heads);
    expect(reopened.refused().map((r) => r.op.hash)).not.toContain(junk.hash);
  });
});
