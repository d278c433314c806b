/**
 * Issue 11, C1, through two real relay processes: an expelled officer's removals and a demoted officer's
 * invitation, signed by their tampered apps citing the log from before their loss and posted under the old
 * members key, are refused by every device, and stay refused after a restart. Before the reducer judged
 * losses across branches, the expelled officer's removals stood (everyone ended up removed) and the demoted
 * officer's invitation was valid.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { DocId } from "../../core/base/ids.js";
import { Cell, type Kit } from "../../core/index.js";
import { EnvelopeKind, governance, type ScopeEpoch, sealEnvelope } from "../../core/internals.js";
import { admittedCell, membership, relayDevice, storeOf } from "../support/cells.js";
import { until } from "../support/devices.js";
import { postRaw } from "../support/raw.js";
import { type RelayProcess, startRelayProcess } from "../support/relay-process.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

async function device(relays: RelayProcess[], restartOf?: Kit): Promise<Kit> {
  const kit = await relayDevice(
    relays.map((r) => r.url),
    restartOf ? { store: storeOf(restartOf) } : {},
  );
  cleanup.push(() => kit.close(200));
  return kit;
}

/** Founder F, Ali (secretary) and Béatrice (member), through two relays. */
async function cellWithSecretary() {
  const relays = [await startRelayProcess(), await startRelayProcess()];
  for (const r of relays) cleanup.push(() => r.stop());
  const [f, a, b] = [await device(relays), await device(relays), await device(relays)] as [Kit, Kit, Kit];
  const { cell, cells } = await admittedCell(f, "Fatima Ouali", [
    { kit: a, name: "Ali Benali", role: "secretary" },
    { kit: b, name: "Béatrice Roux" },
  ]);
  const [ali, bea] = cells as [Cell, Cell];
  return { relays, f, a, b, cell, ali, bea };
}

/** Ali's tampered app: ops citing `heads`, sealed as governance under `epoch`, posted to a relay. */
async function postOps(
  a: Kit,
  cell: Cell,
  epoch: ScopeEpoch,
  relay: RelayProcess,
  ops: governance.Op[],
  heads: governance.OpHash[],
) {
  const signed = [];
  for (const op of ops) signed.push(await governance.signOp(a.device, cell.id, heads, op));
  const envelope = await sealEnvelope(a.device, epoch, {
    kind: EnvelopeKind.governance,
    docId: cell.id as string as DocId,
    session: new Uint8Array(16),
    items: signed.map((s) => s.bytes),
  });
  await postRaw(relay, envelope);
  return signed;
}

describe("authority at old heads, through relays", () => {
  it("an expelled secretary's removals of the founder and a member, citing pre-expulsion heads, are refused everywhere", async () => {
    const { relays, f, a, cell, ali, bea } = await cellWithSecretary();
    const aliId = ali.me()!.id;
    const oldEpoch = a.epochOf(ali.scopeId("members")) as ScopeEpoch;
    const before = ali.heads;
    await cell.remove(aliId);
    await until(
      () => bea.members().find((m) => m.id === aliId)?.status === "removed",
      "B to see the removal",
    );
    await until(() => (f.epochOf(cell.scopeId("members"))?.epoch ?? 0) > oldEpoch.epoch, "the rotation");

    const late = await postOps(
      a,
      ali,
      oldEpoch,
      relays[0]!,
      [
        { type: "remove", member: cell.me()!.id },
        { type: "remove", member: bea.me()!.id },
      ],
      before,
    );
    for (const c of [cell, bea])
      await until(
        () => late.every((op) => c.refused().some((r) => r.op.hash === op.hash)),
        "the late removals to be refused",
      );
    expect(cell.me()!.status).toBe("member");
    expect(bea.me()!.status).toBe("member");
    expect(membership(cell)).toBe(membership(bea));

    // After a restart, from what each device stored: still refused.
    await f.close(200);
    const again = await Cell.open(await device(relays, f), cell.id);
    expect(again.me()!.status).toBe("member");
    expect(again.members().find((m) => m.id === bea.me()!.id)!.status).toBe("member");
    expect(late.every((op) => again.refused().some((r) => r.op.hash === op.hash))).toBe(true);
  }, 120_000);

  it("a demoted secretary's invitation and grant citing pre-revocation heads are refused everywhere", async () => {
    const { relays, a, cell, ali, bea } = await cellWithSecretary();
    const aliId = ali.me()!.id;
    const epoch = a.epochOf(ali.scopeId("members")) as ScopeEpoch;
    const before = ali.heads;
    await cell.revoke(aliId, "secretary");
    await until(
      () =>
        !bea
          .members()
          .find((m) => m.id === aliId)!
          .roles.has("secretary"),
      "B to see the revocation",
    );

    const late = await postOps(
      a,
      ali,
      epoch,
      relays[1]!,
      [
        {
          type: "invite",
          invite: "c29ja3B1cHBldA",
          role: "secretary",
          expires: Date.now() + 3_600_000,
          single: false,
          inbox: "aW5ib3g",
        },
        { type: "set-role", member: bea.me()!.id, role: "secretary", granted: true },
      ],
      before,
    );
    for (const c of [cell, bea])
      await until(
        () => late.every((op) => c.refused().some((r) => r.op.hash === op.hash)),
        "the demoted secretary's ops to be refused",
      );
    for (const c of [cell, bea]) {
      expect(c.state.invites.has("c29ja3B1cHBldA")).toBe(false);
      expect(
        c
          .members()
          .find((m) => m.id === bea.me()!.id)!
          .roles.has("secretary"),
      ).toBe(false);
    }
  }, 120_000);
});
