/**
 * automerge-repo storage in a directory (Node). Each key part is one directory level, named by
 * `encodePart`; the value of a key is the file `chunk.cel` in the directory of its last part, so a key and
 * its extensions (`["a"]`, `["a", "b"]`) coexist and a range is exactly one subtree.
 *
 * A chunk file is `"CEL" 0x01 | save sequence (u64, big-endian) | data`: the sequence lets `loadRange` list
 * chunks in the order they were last saved, across restarts. Writes are crash-safe (temporary file, fsync,
 * rename); a range removal first renames the subtree away, so after a crash it is either all there or all
 * gone. One process at a time should own a directory.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile, rename, rm, rmdir, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Chunk, StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import { randomBytes, toHex } from "../../core/base/bytes.js";
import { StorageError } from "../../core/base/errors.js";
import { checkStorageKey } from "../../core/ports/storage.js";
import { makeDirectory, writeFileAtomic } from "./atomic.js";
import { decodePart, encodePart } from "./key-path.js";
import { limiter } from "./limit.js";

/** Options of `fileStorage`. */
export interface FileStorageInit {
  /**
   * fsync every written file and directory, so a completed save survives a power loss. Turning it off
   * keeps writes atomic but may lose the latest ones.
   * @default true
   */
  fsync?: boolean;
  /**
   * Most file operations in flight at once, so a burst of saves or a large range never runs out of file
   * descriptors (`EMFILE`).
   * @default 64
   */
  maxOpenFiles?: number;
  /**
   * Told of each chunk file that is not one (changed outside Cellule, a bad disk): it is moved to the
   * `.quarantine` folder of the directory and read as missing, so one bad file never stops a device from
   * opening; what it held is fetched again from relays or other devices.
   * @default a warning on the console
   */
  onCorrupt?: (report: CorruptChunk) => void;
}

/** A chunk file that was not one, and where it was moved (see `FileStorageInit.onCorrupt`). */
export interface CorruptChunk {
  key: StorageKey;
  /** Where the file was. */
  path: string;
  /** Where it is now (undefined if it could not be moved; it is read as missing all the same). */
  quarantined?: string;
  error: StorageError;
}

const CHUNK_FILE = "chunk.cel";
const MAGIC = [0x43, 0x45, 0x4c, 0x01]; // "CEL" v1
const HEADER = 12;
const TRASH = ".trash-";
const QUARANTINE = ".quarantine";

// Save sequence: microseconds of wall-clock time, bumped to stay strictly increasing within the process
// (shared by every instance, so a reopened adapter in the same process keeps counting up).
let lastSequence = 0;
const nextSequence = (): number => {
  lastSequence = Math.max(Date.now() * 1000, lastSequence + 1);
  return lastSequence;
};

const errno = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? "";
const missing = (error: unknown): boolean => errno(error) === "ENOENT" || errno(error) === "ENOTDIR";

/** Splits a chunk file into its save sequence and data; `StorageError` if it is not one. */
function parseChunk(bytes: Uint8Array, path: string): { sequence: number; data: Uint8Array } {
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new StorageError(
      `${path} is not a Cellule chunk file (bad header): it was changed outside Cellule; ` +
        "restore it from a backup or delete it and let the document sync again",
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { sequence: Number(view.getBigUint64(4)), data: new Uint8Array(bytes.subarray(HEADER)) };
}

/**
 * A storage adapter keeping each key in its own crash-safe file under `directory` (created if needed).
 * `loadRange` lists chunks in the order they were last saved.
 *
 * @param directory - where the data lives; nothing is written outside it
 *
 * @example
 * ```ts
 * const repo = new Repo({ storage: fileStorage(".cellule-data/documents") });
 * ```
 */
export function fileStorage(directory: string, init: FileStorageInit = {}): StorageAdapterInterface {
  const { fsync = true, maxOpenFiles = 64 } = init;
  const onCorrupt =
    init.onCorrupt ??
    ((report: CorruptChunk) =>
      console.warn(`cellule: ${report.error.message} (moved to ${report.quarantined ?? "nowhere"})`));
  const root = resolve(directory);
  const limit = limiter(maxOpenFiles);
  const dirOf = (key: StorageKey): string => join(root, ...key.map((part) => encodePart(part)));

  // On first use: create the root and finish range removals a crash interrupted.
  let ready: Promise<void> | undefined;
  const start = (): Promise<void> => {
    ready ??= (async () => {
      try {
        await makeDirectory(root, fsync, 0o700);
        for (const name of await readdir(root)) {
          if (name.startsWith(TRASH)) await rm(join(root, name), { recursive: true, force: true });
        }
      } catch (error) {
        ready = undefined; // let a later call try again, e.g. once the disk is mounted
        throw new StorageError(
          `cannot use ${root} for storage (${(error as Error).message}): check that it is a directory ` +
            "this user can write to",
          { cause: error },
        );
      }
    })();
    return ready;
  };

  /** Removes now-empty directories from `dir` up to (not including) the root. Stops at the first non-empty. */
  const prune = async (dir: string): Promise<void> => {
    for (let d = dir; d.length > root.length && d.startsWith(root); d = dirname(d)) {
      try {
        await rmdir(d);
      } catch {
        return; // not empty (or already gone, or being written to): leave it
      }
    }
  };

  /** Moves a bad chunk file out of the key tree, and reports it. */
  const quarantine = async (key: StorageKey, path: string, error: StorageError): Promise<void> => {
    let quarantined: string | undefined = join(
      root,
      QUARANTINE,
      `${Date.now()}-${toHex(randomBytes(4))}.cel`,
    );
    try {
      await makeDirectory(dirname(quarantined), fsync, 0o700);
      await rename(path, quarantined);
    } catch {
      quarantined = undefined;
    }
    onCorrupt({ key, path, ...(quarantined ? { quarantined } : {}), error });
  };

  const readChunk = async (
    path: string,
    key: StorageKey,
  ): Promise<{ sequence: number; data: Uint8Array } | undefined> => {
    let bytes: Uint8Array;
    try {
      bytes = await limit(() => readFile(path));
    } catch (error) {
      if (missing(error)) return undefined;
      throw new StorageError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return parseChunk(bytes, path);
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      await quarantine(key, path, error);
      return undefined;
    }
  };

  /** Every key at or below `dir`, whose key is `key`. Names the encoder never produces are skipped. */
  const walk = async (
    dir: string,
    key: StorageKey,
    found: { key: StorageKey; path: string }[],
  ): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (missing(error)) return;
      throw error;
    }
    const below: Promise<void>[] = [];
    for (const entry of entries) {
      if (entry.name === CHUNK_FILE && entry.isFile()) {
        found.push({ key, path: join(dir, CHUNK_FILE) });
        continue;
      }
      const part = decodePart(entry.name);
      if (part !== undefined && entry.isDirectory())
        below.push(walk(join(dir, entry.name), [...key, part], found));
    }
    await Promise.all(below);
  };

  const removeTree = async (dir: string): Promise<void> => {
    const trash = join(root, `${TRASH}${toHex(randomBytes(8))}`);
    try {
      await rename(dir, trash);
    } catch (error) {
      if (missing(error)) return;
      throw error;
    }
    await rm(trash, { recursive: true, force: true });
  };

  const save = async (key: StorageKey, data: Uint8Array): Promise<void> => {
    checkStorageKey(key, false);
    const dir = dirOf(key);
    await start();
    const header = new Uint8Array(HEADER);
    header.set(MAGIC);
    new DataView(header.buffer).setBigUint64(4, BigInt(nextSequence()));
    // A concurrent remove may prune the directory between mkdir and write: make it again and retry.
    for (let attempt = 1; ; attempt++) {
      try {
        await makeDirectory(dir, fsync, 0o700);
        await limit(() => writeFileAtomic(join(dir, CHUNK_FILE), [header, data], { mode: 0o600, fsync }));
        return;
      } catch (error) {
        if (missing(error) && attempt < 5) continue;
        throw new StorageError(`cannot save ${JSON.stringify(key)} in ${root}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  };

  return {
    async load(key) {
      checkStorageKey(key, false);
      await start();
      return (await readChunk(join(dirOf(key), CHUNK_FILE), key))?.data;
    },

    save,

    async remove(key) {
      checkStorageKey(key, false);
      const dir = dirOf(key);
      await start();
      try {
        await unlink(join(dir, CHUNK_FILE));
      } catch (error) {
        if (missing(error)) return;
        throw error;
      }
      await prune(dir);
    },

    async loadRange(prefix): Promise<Chunk[]> {
      checkStorageKey(prefix, true);
      const dir = dirOf(prefix);
      await start();
      const found: { key: StorageKey; path: string }[] = [];
      await walk(dir, [...prefix], found);
      const chunks = await Promise.all(
        found.map(async ({ key, path }) => ({
          key,
          chunk: await readChunk(path, key),
          id: JSON.stringify(key),
        })),
      );
      return chunks
        .filter((c): c is typeof c & { chunk: NonNullable<typeof c.chunk> } => c.chunk !== undefined)
        .sort((a, b) => a.chunk.sequence - b.chunk.sequence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(({ key, chunk }) => ({ key, data: chunk.data }));
    },

    async removeRange(prefix) {
      checkStorageKey(prefix, true);
      const dir = dirOf(prefix);
      await start();
      if (prefix.length > 0) {
        await removeTree(dir);
        await prune(dirname(dir));
        return;
      }
      // The root itself stays: remove each of its key subtrees.
      const names = await readdir(root);
      await Promise.all(
        names.filter((n) => decodePart(n) !== undefined).map((n) => removeTree(join(root, n))),
      );
    },
  };
}
