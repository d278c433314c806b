import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { IntegrityError, StorageError } from "../../../core/base/errors.js";
import { makeEnvelopes } from "../../../test/support/relay-client.js";
import { relayTestBed } from "../../../test/support/relay-test-bed.js";
import { crc32, RECORD_HEADER_BYTES, writeRecord } from "./log-file.js";
import { RelayStore } from "./store.js";

const { author, pub, sealed } = await relayTestBed();
const dirs: string[] = [];
const open: RelayStore[] = [];

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "cellule-store-"));
  dirs.push(d);
  return d;
}

async function openStore(dir: string): Promise<RelayStore> {
  const s = await RelayStore.open(dir);
  open.push(s);
  return s;
}

async function closeStore(s: RelayStore): Promise<void> {
  await s.close();
  open.splice(open.indexOf(s), 1);
}

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe("RelayStore", () => {
  it("numbers envelopes per topic and globally, and answers duplicates with the first seq", async () => {
    const s = await openStore(await tempDir());
    const [a, b] = await makeEnvelopes(author, pub, 2);
    const [c] = await makeEnvelopes(author, sealed, 1);
    const ra = await s.put(a!);
    expect(ra).toMatchObject({ stored: true, seq: 1, globalSeq: 1, topic: pub.topic });
    expect((await s.put(b!)).seq).toBe(2);
    expect(await s.put(c!)).toMatchObject({ stored: true, seq: 1, globalSeq: 3, topic: sealed.topic });
    const dup = await s.put(a!);
    expect(dup).toMatchObject({ stored: false, seq: 1, globalSeq: 1 });
    expect(dup.hash.equals(ra.hash)).toBe(true);
    expect(s.stats()).toMatchObject({ envelopes: 3, topics: 2 });
    expect(s.head(pub.topic)).toBe(2);
    expect(s.globalHead).toBe(3);
  });

  it("stores an envelope put twice at once only once", async () => {
    const s = await openStore(await tempDir());
    const [a] = await makeEnvelopes(author, pub, 1);
    const [r1, r2] = await Promise.all([s.put(a!), s.put(a!)]);
    expect([r1.stored, r2.stored].sort()).toEqual([false, true]);
    expect(r1.seq).toBe(r2.seq);
    expect(s.stats().envelopes).toBe(1);
  });

  it("refuses bytes that are not an envelope", async () => {
    const s = await openStore(await tempDir());
    await expect(s.put(new Uint8Array(10))).rejects.toBeInstanceOf(IntegrityError);
    const bad = (await makeEnvelopes(author, pub, 1))[0]!.slice();
    bad[0] = 9;
    await expect(s.put(bad)).rejects.toBeInstanceOf(IntegrityError);
  });

  it("shares one fsync among concurrent puts (group commit)", async () => {
    const s = await openStore(await tempDir());
    const envelopes = await makeEnvelopes(author, pub, 500);
    const results = await Promise.all(envelopes.map((e) => s.put(e)));
    expect(results.map((r) => r.seq)).toEqual(envelopes.map((_, i) => i + 1));
    expect(s.stats().syncs).toBeLessThan(10);
  });

  it("reads back by topic and globally, from cache and from disk, across a restart", async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    const envelopes = await makeEnvelopes(author, pub, 20);
    const others = await makeEnvelopes(author, sealed, 5);
    for (let i = 0; i < 20; i++) {
      await s.put(envelopes[i]!);
      if (i < 5) await s.put(others[i]!);
    }
    const id = s.storeIdHex;
    const fromCache = await s.readTopic(pub.topic, 3, 7);
    expect(fromCache.map((r) => r.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(Buffer.compare(fromCache[0]!.envelope, Buffer.from(envelopes[2]!))).toBe(0);
    await closeStore(s);

    const again = await openStore(dir);
    expect(again.storeIdHex).toBe(id);
    expect(again.stats()).toMatchObject({ envelopes: 25, topics: 2 });
    const fromDisk = await again.readTopic(pub.topic, 1, 100);
    expect(fromDisk.map((r) => Buffer.from(r.envelope).toString("hex"))).toEqual(
      envelopes.map((e) => Buffer.from(e).toString("hex")),
    );
    const global = await again.readGlobal(1, 3);
    expect(global.map((r) => [r.globalSeq, r.topic, r.seq])).toEqual([
      [1, pub.topic, 1],
      [2, sealed.topic, 1],
      [3, pub.topic, 2],
    ]);
    expect((await again.put(envelopes[0]!)).stored).toBe(false);
    const [next] = await makeEnvelopes(author, pub, 1);
    expect(await again.put(next!)).toMatchObject({ stored: true, seq: 21, globalSeq: 26 });
  });

  it("cuts garbage and a half-written record at the tail, keeping every complete record", async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    const envelopes = await makeEnvelopes(author, pub, 10);
    for (const e of envelopes) await s.put(e);
    const id = s.storeIdHex;
    await closeStore(s);
    const log = join(dir, "envelopes.log");
    const goodSize = (await stat(log)).size;

    // A torn write: the first half of a valid record, then a crash.
    const [extra] = await makeEnvelopes(author, pub, 1);
    const record = Buffer.alloc(RECORD_HEADER_BYTES + extra!.length);
    writeRecord(record, 0, 11, 11, extra!);
    await appendFile(log, record.subarray(0, record.length / 2));
    const a = await openStore(dir);
    expect(a.stats().envelopes).toBe(10);
    expect(a.storeIdHex).toBe(id);
    expect((await stat(log)).size).toBe(goodSize);
    await closeStore(a);

    // Random garbage.
    await appendFile(log, Buffer.from("this is not a record at all, just bytes".repeat(20)));
    const b = await openStore(dir);
    expect(b.stats().envelopes).toBe(10);
    expect(b.storeIdHex).toBe(id);
    expect((await stat(log)).size).toBe(goodSize);
    expect(await b.put(extra!)).toMatchObject({ stored: true, seq: 11 });
    await closeStore(b);

    const c = await openStore(dir);
    expect(c.stats().envelopes).toBe(11);
    expect((await c.readTopic(pub.topic, 11, 11))[0]!.envelope.equals(Buffer.from(extra!))).toBe(true);
  });

  it("keeps what checks out around a damaged record and takes a new store ID", async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    const envelopes = await makeEnvelopes(author, pub, 5);
    for (const e of envelopes) await s.put(e);
    const id = s.storeIdHex;
    await closeStore(s);
    const log = join(dir, "envelopes.log");
    const bytes = await readFile(log);
    const recordSize = bytes.length / 5;
    bytes[Math.floor(recordSize * 2.5)]! ^= 0xff; // inside the third record
    await writeFile(log, bytes);

    const again = await openStore(dir);
    expect(again.storeIdHex).not.toBe(id);
    expect(again.stats().envelopes).toBe(4);
    const kept = await again.readTopic(pub.topic, 1, 10);
    expect(kept.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(kept[2]!.envelope.equals(Buffer.from(envelopes[3]!))).toBe(true);
    expect((await readdir(dir)).some((f) => f.startsWith("envelopes.log.damaged-"))).toBe(true);
    expect(await again.put(envelopes[2]!)).toMatchObject({ stored: true, seq: 5 });
  });

  it("refuses a second opening of the same directory", async () => {
    const dir = await tempDir();
    await openStore(dir);
    await expect(RelayStore.open(dir)).rejects.toBeInstanceOf(StorageError);
  });
});
