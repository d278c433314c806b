import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Repo } from "@automerge/automerge-repo";
import { runStorageAdapterTests } from "@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, StorageError } from "../../core/base/errors.js";
import { runKeystoreAcceptance, runStorageAcceptance } from "../../core/testing/index.js";
import { fileKeystore, fileStorage } from "./index.js";
import { decodePart, encodePart } from "./key-path.js";

// Every directory a test makes lives under this one, so the last test can check nothing is left behind.
const base = await mkdtemp(join(tmpdir(), "cellule-fs-test-"));
const tempDir = () => mkdtemp(join(base, "t-"));
const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

afterAll(async () => {
  await removeDir(base);
});

/** Every file and directory under `dir`, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

const storageFixture = async () => {
  const dir = await tempDir();
  return { adapter: fileStorage(dir), reopen: async () => fileStorage(dir), teardown: () => removeDir(dir) };
};

const keystoreFixture = async () => {
  const dir = await tempDir();
  return {
    keystore: fileKeystore(dir),
    reopen: async () => fileKeystore(dir),
    teardown: () => removeDir(dir),
  };
};

describe("fileStorage", () => {
  runStorageAdapterTests(storageFixture, "fileStorage");
});

runStorageAcceptance("fileStorage", storageFixture, { describe, it });
runStorageAcceptance(
  "fileStorage without fsync",
  async () => {
    const dir = await tempDir();
    return {
      adapter: fileStorage(dir, { fsync: false, maxOpenFiles: 4 }),
      reopen: async () => fileStorage(dir, { fsync: false }),
      teardown: () => removeDir(dir),
    };
  },
  { describe, it },
);
runKeystoreAcceptance("fileKeystore", keystoreFixture, { describe, it });

describe("fileStorage on disk", () => {
  it("encodes key parts injectively into safe file names", () => {
    const parts = ["", "%", "a", "A", ".", "..", "a/b", "é", "e\u0301", "con", "CON", "%41", "🙂", "\u0000"];
    const names = parts.map((p) => encodePart(p));
    expect(new Set(names).size).toBe(parts.length);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(parts.length);
    for (const [i, name] of names.entries()) {
      expect(name).toMatch(/^[a-z0-9_%A-F-]+$/);
      expect(decodePart(name)).toBe(parts[i]);
    }
    expect(names[parts.indexOf("con")]).not.toBe("con");
    expect(decodePart("%61")).toBeUndefined(); // not canonical: 'a' is written as itself
    expect(decodePart("chunk.cel")).toBeUndefined();
    expect(decodePart("%FF")).toBeUndefined(); // not UTF-8
    expect(() => encodePart("\uD800")).toThrow(InvalidArgumentError);
    expect(() => encodePart("x".repeat(256))).toThrow(InvalidArgumentError);
  });

  it("writes nothing outside its directory, whatever the key", async () => {
    const parent = await tempDir();
    const dir = join(parent, "store");
    const storage = fileStorage(dir);
    await storage.save(["..", "..", "escape"], new Uint8Array([1]));
    await storage.save(["../..", "/etc/passwd"], new Uint8Array([2]));
    await storage.save(["/", "\\", "C:"], new Uint8Array([3]));
    expect(await readdir(parent)).toEqual(["store"]);
    expect(await tree(dir)).toContain("%2E%2E/%2E%2E/escape/chunk.cel");
    await removeDir(parent);
  });

  it("ignores temporary files left by a crash, and finishes an interrupted range removal", async () => {
    const dir = await tempDir();
    const storage = fileStorage(dir);
    await storage.save(["doc", "snapshot"], new Uint8Array([1, 2, 3]));
    await writeFile(join(dir, "doc", "snapshot", "chunk.cel.0123456789ab.tmp"), "partial");
    await mkdir(join(dir, ".trash-deadbeef", "x"), { recursive: true });
    await writeFile(join(dir, "stray.txt"), "not ours");
    const reopened = fileStorage(dir);
    expect(await reopened.loadRange([])).toEqual([
      { key: ["doc", "snapshot"], data: new Uint8Array([1, 2, 3]) },
    ]);
    expect(await readdir(dir)).not.toContain(".trash-deadbeef");
    await removeDir(dir);
  });

  it("keeps documents readable by this user only: chunk files 0600 in directories 0700 (review L3)", async () => {
    const dir = await tempDir();
    const storage = fileStorage(join(dir, "documents"));
    await storage.save(["doc", "incremental", "h1"], new Uint8Array([1]));
    for (const path of [
      "documents",
      "documents/doc",
      "documents/doc/incremental",
      "documents/doc/incremental/h1",
    ])
      expect(((await stat(join(dir, path))).mode & 0o077).toString(8), path).toBe("0");
    expect(((await stat(join(dir, "documents/doc/incremental/h1/chunk.cel"))).mode & 0o777).toString(8)).toBe(
      "600",
    );
    await removeDir(dir);
  });

  it("prunes directories emptied by remove and removeRange", async () => {
    const dir = await tempDir();
    const storage = fileStorage(dir);
    await storage.save(["doc", "incremental", "h1"], new Uint8Array([1]));
    await storage.save(["doc", "incremental", "h2"], new Uint8Array([2]));
    await storage.save(["other"], new Uint8Array([3]));
    await storage.remove(["doc", "incremental", "h1"]);
    expect(await tree(dir)).not.toContain("doc/incremental/h1");
    await storage.removeRange(["doc", "incremental"]);
    expect(await tree(dir)).toEqual(["other", "other/chunk.cel"]);
    await removeDir(dir);
  });

  it("sets aside a chunk file changed outside Cellule, reporting a StorageError (see quarantine.test.ts)", async () => {
    const dir = await tempDir();
    const errors: StorageError[] = [];
    const storage = fileStorage(dir, { onCorrupt: (r) => void errors.push(r.error) });
    await storage.save(["doc"], new Uint8Array([1]));
    await writeFile(join(dir, "doc", "chunk.cel"), "garbage");
    expect(await storage.load(["doc"])).toBeUndefined();
    expect(errors[0]).toBeInstanceOf(StorageError);
    expect(errors[0]!.message).toMatch(/not a Cellule chunk file/);
    await removeDir(dir);
  });

  it("keeps every save when removes prune the same directories concurrently", async () => {
    const dir = await tempDir();
    const storage = fileStorage(dir, { fsync: false });
    const kept = Array.from({ length: 100 }, (_, i) => ["doc", `d${i % 5}`, "incremental", `k${i}`]);
    const churn = Array.from({ length: 100 }, (_, i) => ["doc", `d${i % 5}`, "incremental", `t${i}`]);
    await Promise.all([
      ...kept.map((key) => storage.save(key, new Uint8Array([1]))),
      ...churn.map(async (key) => {
        await storage.save(key, new Uint8Array([2]));
        await storage.remove(key);
        await storage.removeRange([...key, "below"]);
      }),
    ]);
    const keys = (await storage.loadRange(["doc"])).map((chunk) => JSON.stringify(chunk.key)).sort();
    expect(keys).toEqual(kept.map((key) => JSON.stringify(key)).sort());
    await removeDir(dir);
  });

  it("serves an automerge-repo Repo across a restart", async () => {
    const dir = await tempDir();
    const first = new Repo({ storage: fileStorage(dir) });
    const handle = first.create<{ items: string[] }>({ items: [] });
    for (let i = 0; i < 20; i++) handle.change((doc) => void doc.items.push(`item ${i}`));
    await first.flush();
    await first.shutdown();
    const second = new Repo({ storage: fileStorage(dir) });
    const again = await second.find<{ items: string[] }>(handle.url);
    expect(again.doc().items).toHaveLength(20);
    await second.shutdown();
    await removeDir(dir);
  });

  it("refuses keys that cannot be file names with InvalidArgumentError", async () => {
    const dir = await tempDir();
    const storage = fileStorage(dir);
    await expect(storage.save(["x".repeat(300)], new Uint8Array(1))).rejects.toThrow(InvalidArgumentError);
    await expect(storage.save(["\uDC00"], new Uint8Array(1))).rejects.toThrow(InvalidArgumentError);
    await removeDir(dir);
  });
});

describe("fileKeystore on disk", () => {
  it("writes the key file with mode 0600 in a directory with mode 0700", async () => {
    const parent = await tempDir();
    const dir = join(parent, "keys");
    await fileKeystore(dir).create("device");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readdir(dir)).toEqual(["device.key.json"]);
    expect((await stat(join(dir, "device.key.json"))).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(join(dir, "device.key.json"), "utf8"));
    expect(file).toMatchObject({
      format: "cellule-device-keys",
      version: 1,
      signing: { kty: "EC", crv: "P-256" },
    });
    await removeDir(parent);
  });

  it("refuses a key file readable by others with an actionable StorageError", async () => {
    const dir = await tempDir();
    const keystore = fileKeystore(dir);
    await keystore.create("device");
    const path = join(dir, "device.key.json");
    await chmod(path, 0o644);
    const error = await keystore.load("device").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe("storage");
    expect((error as Error).message).toContain(`chmod 600 ${path}`);
    await chmod(path, 0o640);
    await expect(keystore.load("device")).rejects.toThrow(/mode 640/);
    await chmod(path, 0o600);
    expect(await keystore.load("device")).toBeDefined();
    expect(await fileKeystore(dir, { checkPermissions: false }).load("device")).toBeDefined();
    await removeDir(dir);
  });

  it("refuses malformed key files with a StorageError", async () => {
    const dir = await tempDir();
    const keystore = fileKeystore(dir);
    const good = await (async () => {
      await keystore.create("good");
      return JSON.parse(await readFile(join(dir, "good.key.json"), "utf8"));
    })();
    const otherKey = await (async () => {
      await keystore.create("other");
      return JSON.parse(await readFile(join(dir, "other.key.json"), "utf8"));
    })();
    const cases: [string, string][] = [
      ["not json", "{ not json"],
      ["empty", ""],
      ["wrong format", JSON.stringify({ ...good, format: "something-else" })],
      ["missing agreement", JSON.stringify({ ...good, agreement: undefined })],
      ["wrong curve", JSON.stringify({ ...good, signing: { ...good.signing, crv: "P-384" } })],
      ["public key only", JSON.stringify({ ...good, signing: { ...good.signing, d: undefined } })],
      ["not on the curve", JSON.stringify({ ...good, signing: { ...good.signing, x: "A".repeat(43) } })],
      [
        "mismatched pair",
        JSON.stringify({ ...good, agreement: { ...good.agreement, d: otherKey.agreement.d } }),
      ],
    ];
    for (const [what, content] of cases) {
      await writeFile(join(dir, "bad.key.json"), content, { mode: 0o600 });
      const error = await keystore.load("bad").catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(StorageError);
      expect((error as Error).message, what).toMatch(/bad\.key\.json/);
    }
    await removeDir(dir);
  });

  it("re-imports loaded private keys as non-extractable", async () => {
    const dir = await tempDir();
    await fileKeystore(dir).create("device");
    const keys = await fileKeystore(dir).load("device");
    expect(keys?.signing.privateKey.extractable).toBe(false);
    expect(keys?.agreement.privateKey.extractable).toBe(false);
    await removeDir(dir);
  });
});

describe("temporary directories", () => {
  it("are all removed by the tests that made them", async () => {
    // Runs last in this file (vitest runs tests in order): every fixture and test removed its directory.
    expect(await readdir(base)).toEqual([]);
  });
});
