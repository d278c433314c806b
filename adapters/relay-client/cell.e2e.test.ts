/**
 * A cell end to end through two real relay processes: founding, invitations, admission by a secretary,
 * refusal of an admission by an ordinary member, removal with key rotation, and relays that learn nothing.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Cell, ForbiddenError, type Kit, type MemberId } from "../../core/index.js";
import { memoryKit, until } from "../../test-support/devices.js";
import { type RelayProcess, startRelayProcess } from "../../test-support/relay-process.js";
import { memoryStorage } from "../memory/index.js";
import { relayClient } from "./index.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

async function relay(): Promise<RelayProcess> {
  const r = await startRelayProcess();
  cleanup.push(() => r.stop());
  return r;
}

async function device(relays: RelayProcess[]): Promise<Kit> {
  const storage = memoryStorage();
  const kit = await memoryKit({
    storage,
    transports: [
      relayClient({
        relays: relays.map((r) => r.url),
        WebSocket: WebSocket as never,
        storage,
        minBackoffMs: 50,
      }),
    ],
  });
  cleanup.push(() => kit.close(200));
  return kit;
}

const membership = (cell: Cell) =>
  JSON.stringify(
    cell
      .members()
      .map((m) => [m.id, m.name, m.status, [...m.roles].sort()])
      .sort(),
  );

async function allBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
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
});
