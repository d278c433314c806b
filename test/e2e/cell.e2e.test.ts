/**
 * A cell end to end through two real relay processes: founding, invitations, admission by a secretary,
 * refusal of an admission by an ordinary member, removal with key rotation, and relays that learn nothing.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCellId } from "../../core/base/ids.js";
import {
  Cell,
  type DocId,
  ForbiddenError,
  type Kit,
  type MemberId,
  NotAMemberError,
} from "../../core/index.js";
import {
  deriveActor,
  EnvelopeKind,
  governance,
  type ScopeEpoch,
  sealEnvelope,
} from "../../core/internals.js";
import { admittedCell, membership, relayDevice, storeOf } from "../support/cells.js";
import { changesAs, until } from "../support/devices.js";
import { postRaw } from "../support/raw.js";
import { type RelayProcess, startRelayProcess } from "../support/relay-process.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

async function relay(): Promise<RelayProcess> {
  const r = await startRelayProcess();
  cleanup.push(() => r.stop());
  return r;
}

async function device(relays: RelayProcess[], restartOf?: Kit): Promise<Kit> {
  const kit = await relayDevice(
    relays.map((r) => r.url),
    restartOf ? { store: storeOf(restartOf) } : {},
  );
  cleanup.push(() => kit.close(200));
  return kit;
}

async function allBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

/** Founder F, Ali (member) and Béatrice (treasurer), all admitted, through two relays. */
async function cellOfThree() {
  const relays = [await relay(), await relay()];
  const [f, a, b] = [await device(relays), await device(relays), await device(relays)] as [Kit, Kit, Kit];
  const { cell, cells } = await admittedCell(f, "Fatima Ouali", [
    { kit: a, name: "Ali Benali" },
    { kit: b, name: "Béatrice Roux", role: "treasurer" },
  ]);
  const [ali, bea] = cells as [Cell, Cell];
  return { relays, f, a, b, cell, ali, bea };
}

describe("a cell through relays", () => {
  it("founds, invites, admits, refuses, removes and rotates; relays see no names, no content", async () => {
    const relays = [await relay(), await relay()];
    const [f, a, b] = [await device(relays), await device(relays), await device(relays)] as [Kit, Kit, Kit];

    const cell = await Cell.create(f, { name: "Cellule Louise-Michel", founderName: "Fatima Ouali" });
    const forAli = await cell.invite();
    const forBea = await cell.invite({ role: "treasurer" });
    const ali = await Cell.join(a, forAli, { name: "Ali Benali" });
    const bea = await Cell.join(b, forBea, { name: "Béatrice Roux" });
    await until(
      () => cell.members().filter((m) => m.status === "pending").length === 2,
      "two pending members",
    );
    for (const m of cell.members().filter((x) => x.status === "pending")) await cell.admit(m.id);
    await ali.whenMember();
    await bea.whenMember();
    await until(
      () => membership(ali) === membership(cell) && membership(bea) === membership(cell),
      "all three to agree on the membership",
    );
    expect(cell.members().map((m) => m.status)).toEqual(["member", "member", "member"]);
    expect(bea.me()?.roles).toEqual(new Set(["member", "treasurer"]));

    // An ordinary member may not admit or invite: refused before anything is sent.
    await expect(ali.invite()).rejects.toBeInstanceOf(ForbiddenError);
    await expect(ali.admit(bea.me()!.id)).rejects.toBeInstanceOf(ForbiddenError);

    // A members document, written by one member, read by all.
    const secretMarker = `ORDRE-DU-JOUR-${Math.random().toString(36).slice(2)}`;
    const agenda = await ali.create<{ items: string[] }>("members", { items: [secretMarker] });
    await until(() => f.documents(cell.scopeId("members")).includes(agenda.id), "F to get the agenda");
    await until(() => b.documents(cell.scopeId("members")).includes(agenda.id), "B to get the agenda");

    // Removal: Béatrice is removed; the scopes she read rotate; she reads nothing written afterwards.
    const beaId = bea.me()!.id as MemberId;
    const epochBefore = f.epochOf(cell.scopeId("members"))!.epoch;
    await cell.remove(beaId);
    expect(f.epochOf(cell.scopeId("members"))!.epoch).toBe(epochBefore + 1);
    await until(
      () => a.epochOf(cell.scopeId("members"))?.epoch === epochBefore + 1,
      "A to get the new members key",
    );
    await until(() => bea.status === "removed", "B to learn she was removed");
    const after = await cell.create<{ note: string }>("members", { note: "après" });
    await until(() => a.documents(cell.scopeId("members")).includes(after.id), "A to get the new document");
    await new Promise((r) => setTimeout(r, 300));
    expect(b.documents(cell.scopeId("members"))).not.toContain(after.id);
    expect(b.epochOf(cell.scopeId("members"))!.epoch).toBe(epochBefore);
    // Her device refuses to write now (its own log says she is removed).
    const copy = await bea.open<{ items: string[] }>(agenda.id);
    expect(() =>
      copy.change((d) => {
        d.items.push("encore");
      }),
    ).toThrow(ForbiddenError);

    // The relays hold no member name, no content, no document ID.
    const stored = Buffer.concat(await Promise.all(relays.map((r) => allBytes(r.dataDir))));
    for (const text of [
      "Fatima",
      "Ali Benali",
      "Béatrice",
      "Louise-Michel",
      secretMarker,
      agenda.id,
      "treasurer",
    ]) {
      expect(stored.includes(Buffer.from(text)), text).toBe(false);
    }
  }, 120_000);

  it("refuses everywhere an op its author had no right to, and holds a removed member's writes at old heads", async () => {
    const { relays, f, a, b, cell, ali, bea } = await cellOfThree();
    const aliId = ali.me()!.id;

    // Ali's tampered app skips the local check and grants herself the secretary role.
    const grab = await governance.signOp(a.device, cell.id, ali.heads, {
      type: "set-role",
      member: aliId,
      role: "secretary",
      granted: true,
    });
    const members = a.epochOf(ali.scopeId("members")) as ScopeEpoch;
    const grabEnvelope = await sealEnvelope(a.device, members, {
      kind: EnvelopeKind.governance,
      docId: cell.id as unknown as DocId,
      session: new Uint8Array(16),
      items: [grab.bytes],
    });
    await postRaw(relays[0]!, grabEnvelope);
    for (const c of [cell, ali, bea]) {
      await until(() => c.refused().some((r) => r.op.hash === grab.hash), "the grab to be refused");
      expect(c.refused().find((r) => r.op.hash === grab.hash)!.error).toBeInstanceOf(ForbiddenError);
      expect(
        c
          .members()
          .find((m) => m.id === aliId)!
          .roles.has("secretary"),
      ).toBe(false);
    }

    // A shared document; then Béatrice is removed.
    const minutes = await cell.create<{ note: string }>("members", { note: "avant" });
    await until(() => b.documents(cell.scopeId("members")).includes(minutes.id), "B to get the minutes");
    const oldEpoch = b.epochOf(cell.scopeId("members")) as ScopeEpoch;
    const headsBefore = bea.heads;
    await cell.remove(bea.me()!.id);
    await until(() => ali.heads.join() === cell.heads.join(), "A to get the removal");
    expect(ali.members().find((m) => m.name === "Béatrice Roux")!.status).toBe("removed");

    // Her tampered app writes under the old key, citing the log after her removal: refused by everyone.
    const session = new Uint8Array(16).fill(7);
    const forbiddenBefore = [f.stats.rejected.forbidden ?? 0, a.stats.rejected.forbidden ?? 0];
    const late = await sealEnvelope(b.device, oldEpoch, {
      kind: EnvelopeKind.changes,
      docId: minutes.id,
      session,
      heads: cell.heads,
      items: changesAs(await deriveActor(b.device.signingPublicKey, minutes.id, session), (d) => {
        d.late = "après exclusion";
      }),
    });
    await postRaw(relays[0]!, late);
    await until(
      () =>
        (f.stats.rejected.forbidden ?? 0) > forbiddenBefore[0]! &&
        (a.stats.rejected.forbidden ?? 0) > forbiddenBefore[1]!,
      "F and A to refuse the late write",
    );

    // Even a member in good standing may not seal under a key older than one the log she cites has made.
    const stale = new Uint8Array(16).fill(9);
    const underOldKey = await sealEnvelope(a.device, oldEpoch, {
      kind: EnvelopeKind.changes,
      docId: minutes.id,
      session: stale,
      heads: cell.heads,
      items: changesAs(await deriveActor(a.device.signingPublicKey, minutes.id, stale), (d) => {
        d.stale = "ancienne clé";
      }),
    });
    const forbiddenOnF = f.stats.rejected.forbidden ?? 0;
    await postRaw(relays[0]!, underOldKey);
    await until(
      () => (f.stats.rejected.forbidden ?? 0) > forbiddenOnF,
      "F to refuse a write under the old key",
    );

    // A write citing the log from before her removal, posted after it (issue 11, C1): a loss its author did
    // not cite is known, so every device holds it instead of applying it (this write was applied before).
    const session2 = new Uint8Array(16).fill(8);
    const concurrent = await sealEnvelope(b.device, oldEpoch, {
      kind: EnvelopeKind.changes,
      docId: minutes.id,
      session: session2,
      heads: headsBefore,
      items: changesAs(await deriveActor(b.device.signingPublicKey, minutes.id, session2), (d) => {
        d.concurrent = "pendant";
      }),
    });
    const heldBefore = [f.stats.held, a.stats.held];
    await postRaw(relays[1]!, concurrent);
    await until(() => f.stats.held > heldBefore[0]! && a.stats.held > heldBefore[1]!, "F and A to hold it");
    const onF = await f.open<Record<string, string>>(minutes.id);
    const onA = await a.open<Record<string, string>>(minutes.id);
    expect(onF.value()).toEqual(onA.value());
    expect(onF.value()).toEqual({ note: "avant" });
  }, 120_000);

  it("reopens a cell after a restart from what the device stored, keys included", async () => {
    const { relays, f, a, cell } = await cellOfThree();
    const doc = await cell.create<{ note: string }>("members", { note: "gardé" });
    const unused = await cell.invite();
    const used = [...cell.state.invites.keys()].filter((key) => key !== unused.id);
    await f.close(200);
    const restarted = await device(relays, f);
    expect(await Cell.list(restarted)).toEqual([cell.id]);
    const again = await Cell.open(restarted, cell.id);
    expect(membership(again)).toBe(membership(cell));
    expect(again.status).toBe("member");
    expect(f.epochOf(cell.scopeId("members"))!.epoch).toBe(cell.state.scopes.get("members")!.at(-1)!.epoch);
    expect((await again.open<{ note: string }>(doc.id)).value().note).toBe("gardé");
    // Still a working member: a new document reaches the others.
    const later = await again.create<{ note: string }>("members", { note: "après redémarrage" });
    await until(() => a.documents(cell.scopeId("members")).includes(later.id), "A to get the new document");
    await expect(Cell.open(restarted, parseCellId("0".repeat(64)))).rejects.toBeInstanceOf(NotAMemberError);

    // Invitation inboxes after a restart: an unused invitation's is listened to by every member; a used
    // single-use one's only by those who admit (a second redeem is refused, and seen), until it expires.
    expect(used).toHaveLength(2);
    await a.close(200);
    const aliRestarted = await device(relays, a);
    const ali = await Cell.open(aliRestarted, cell.id);
    const listens = (kit: Kit, key: string) => kit.epochOf(ali.scopeId(`invite:${key}`)) !== undefined;
    expect(used.map((key) => listens(aliRestarted, key))).toEqual([false, false]);
    expect(listens(aliRestarted, unused.id)).toBe(true);
    expect([...used, unused.id].map((key) => listens(restarted, key))).toEqual([true, true, true]);
  }, 120_000);
});
