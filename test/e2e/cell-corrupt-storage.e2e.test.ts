/**
 * One damaged file on a device (security review M9) never stops its Kit or its cell from opening, and
 * never makes a new identity: a governance op whose file holds garbage is reported (the Kit's `corrupt`
 * event), set aside and restored from the envelopes the device kept; a chunk file whose header is not
 * one is set aside by the file storage, and what it held comes back the same way; a damaged key file stops
 * the Kit with a `StorageError` and is left as it was.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodePart } from "../../adapters/fs/key-path.js";
import { fileStorage } from "../../adapters/fs/storage.js";
import { Cell, type CelluleError, IntegrityError, type Kit, StorageError } from "../../core/index.js";
import { admittedCell, relayFixture, storeOf } from "../support/cells.js";
import { type FileStore, until } from "../support/devices.js";

const net = relayFixture(1);

const opKeys = async (kit: Kit, cell: Cell) =>
  (await kit.storage.loadRange(["cellule-gov", cell.id])).map((c) => c.key);

describe("a damaged file on a member's device", () => {
  it("is reported, set aside and restored; the cell opens with its whole log, under the same identity", async () => {
    const [f, a] = [await net.device(), await net.device()];
    const { cell, cells } = await admittedCell(f, "Fatima Ouali", [{ kit: a, name: "Ali Benali" }]);
    const ali = cells[0]!;
    // Two ops Ali's device gets on the members topic (the log before came in its welcome).
    const welcomed = new Set((await opKeys(a, ali)).map(String));
    await cell.invite();
    await cell.invite();
    await until(() => ali.heads.join() === cell.heads.join(), "Ali to get both invitations");
    await a.flush();
    const before = { heads: ali.heads.join(), members: ali.members().length, device: a.device.id };
    const keys = await opKeys(a, ali);
    const store = storeOf(a) as FileStore;

    // Both op files damaged: one holds garbage in a valid chunk, the other is no chunk file at all.
    const [garbled, broken] = keys.filter((k) => !welcomed.has(String(k))) as [string[], string[]];
    await a.close(0);
    const documents = join(store.dir, "documents");
    await writeFile(join(documents, ...broken.map(String), "chunk.cel"), "not a chunk");
    const again = await net.device(store);
    await again.storage.save(garbled, new TextEncoder().encode('{"body":{"oops"'));
    const reports: [CelluleError, unknown][] = [];
    again.on("corrupt", (error, key) => void reports.push([error, key]));

    const reopened = await Cell.open(again, cell.id);
    expect(again.device.id).toBe(before.device);
    expect(reports).toHaveLength(1);
    expect(reports[0]![0]).toBeInstanceOf(IntegrityError);
    expect(reports[0]![1]).toEqual(garbled);
    expect(reopened.heads.join()).toBe(before.heads);
    expect(reopened.members()).toHaveLength(before.members);
    // Both ops are stored again; the garbage is kept aside, and so is the broken file.
    expect((await opKeys(again, reopened)).map(String).sort()).toEqual(keys.map(String).sort());
    expect(await again.storage.loadRange(["cellule-quarantine"])).toHaveLength(1);
    expect(await readdir(join(documents, ".quarantine"))).toHaveLength(1);
    await again.close(0);

    // A damaged key file: the Kit does not start, and does not make new keys over it.
    const keyFiles = await readdir(join(store.dir, "keys"));
    const keyFile = join(store.dir, "keys", keyFiles.find((n) => !n.startsWith("."))!);
    await writeFile(keyFile, "{ not json");
    await expect(net.device(store)).rejects.toBeInstanceOf(StorageError);
    expect(await readFile(keyFile, "utf8")).toBe("{ not json");
  }, 60_000);

  it("restores a document whose chunk file is damaged from the envelopes the device kept", async () => {
    const [f, a] = [await net.device(), await net.device()];
    const { cells } = await admittedCell(f, "Fatima Ouali", [{ kit: a, name: "Ali Benali" }]);
    const ali = cells[0]!;
    const notes = await ali.create<{ lines: string[] }>("members", { lines: [] });
    for (let i = 0; i < 5; i++) notes.change((d) => void d.lines.push(`point ${i}`));
    await a.flush();
    const store = storeOf(a) as FileStore;
    await a.close(0);

    // Every chunk file of the document damaged: the device keeps nothing of it but its envelopes.
    const dir = join(store.dir, "documents", encodePart(notes.id));
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
      if (entry.isFile()) await writeFile(join(entry.parentPath, entry.name), "damaged");

    let kit: Kit | undefined;
    const reported: unknown[] = [];
    const storage = fileStorage(join(store.dir, "documents"), {
      fsync: false,
      onCorrupt: (r) => {
        reported.push(r.key);
        kit?.reportCorrupt(r.error, r.key);
      },
    });
    kit = await net.device(store, { storage });
    const reopened = await Cell.open(kit, ali.id);
    const copy = await reopened.open<{ lines: string[] }>(notes.id);
    await kit.flush();
    await until(() => copy.value().lines?.length === 5, "the document to come back");
    expect(copy.value().lines).toEqual(["point 0", "point 1", "point 2", "point 3", "point 4"]);
    expect(reported.length).toBeGreaterThan(0);
  }, 60_000);
});
