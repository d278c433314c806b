/**
 * The relay's data directory: one process at a time (a `lock` file with its pid), a persistent random
 * store ID (`store-id`), and the envelope log, checked and repaired before the store uses it.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import {
  copyFile,
  type FileHandle,
  link,
  mkdir,
  open,
  readFile,
  rename,
  unlink,
  writeFile,
} from "node:fs/promises";
import { join, resolve } from "node:path";
import { StorageError } from "../../../core/base/errors.js";
import type { RelayLogger } from "../log.js";
import { rewriteLog, type ScanResult, scanLog } from "./log-file.js";

const STORE_ID_FILE = "store-id";
const LOCK_FILE = "lock";
const heldLocks = new Set<string>();

/** A locked data directory with its log scanned and ready for appends at `scan.end`. */
export interface OpenedDataDir {
  /** Absolute path of the directory. */
  root: string;
  storeId: Buffer;
  /** The log, open for reading and writing. */
  fh: FileHandle;
  scan: ScanResult;
  lockPath: string;
}

/** The steps of a log repair, in order (a test makes each one fail, as a crash there would). */
export type RepairStep = "store-id" | "rewrite" | "keep-damaged" | "replace" | "sync-dir";

/**
 * Locks `dir` (created if missing), scans the log `logName`, and repairs it: a torn tail is cut; a hole
 * in the middle makes a rewritten log of the records that still check out and a new store ID.
 * `StorageError` if the directory is in use by a live process or cannot be read.
 *
 * A repair survives a crash at any step: the new store ID is made durable first (clients re-post what the
 * relay lost as soon as it runs again, whatever happens next), the damaged file is kept by a second link to
 * it, and the rewritten log replaces it in one rename, so the log is always there, whole, either the damaged
 * one (repaired again at the next start) or the rewritten one. A log that is missing while a store ID is
 * there (lost data) also takes a new ID. `step` is called before each step of a repair (tests only).
 */
export async function openDataDir(
  dir: string,
  logName: string,
  log: RelayLogger,
  step: (name: RepairStep) => void = () => {},
): Promise<OpenedDataDir> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const lockPath = await acquireLock(root);
  try {
    const logPath = join(root, logName);
    let storeId = await readStoreId(root, log);
    if (!existsSync(logPath)) {
      if (storeId) {
        log.error(`${logPath} is missing: taking a new store ID so clients re-post what they hold`);
        storeId = undefined;
      }
      await (await open(logPath, "a", 0o600)).close();
      await syncDir(root);
    }
    await unlink(`${logPath}.rewrite`).catch(() => {});
    let scan = scanLog(logPath);
    if (!scan.clean) {
      // A hole in the middle is not a crash artefact: keep the damaged file for inspection, keep every
      // record that still checks out, and take a new store ID so clients re-post what they hold.
      const damaged = `${logPath}.damaged-${Date.now()}`;
      log.error(`log ${logPath} is damaged (${scan.holeBytes} bytes unreadable); kept as ${damaged}`);
      step("store-id");
      storeId = await writeStoreId(root);
      step("rewrite");
      rewriteLog(logPath, `${logPath}.rewrite`, scan.records);
      step("keep-damaged");
      await link(logPath, damaged).catch(() => copyFile(logPath, damaged));
      step("replace");
      await rename(`${logPath}.rewrite`, logPath);
      step("sync-dir");
      await syncDir(root);
      scan = scanLog(logPath);
    }
    storeId ??= await writeStoreId(root);
    const fh = await open(logPath, "r+");
    if (scan.tailBytes > 0) {
      log.warn(`cut a torn tail of ${scan.tailBytes} bytes from ${logPath} (a write interrupted by a crash)`);
      await fh.truncate(scan.end);
      await fh.datasync();
    }
    return { root, storeId, fh, scan, lockPath };
  } catch (e) {
    await releaseLock(root, lockPath);
    throw e instanceof StorageError ? e : new StorageError(`cannot open the store in ${root}`, { cause: e });
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

async function readStoreId(dir: string, log: RelayLogger): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = (await readFile(join(dir, STORE_ID_FILE), "utf8")).trim();
  } catch {
    return undefined;
  }
  if (/^[0-9a-f]{32}$/.test(text)) return Buffer.from(text, "hex");
  log.warn(`${STORE_ID_FILE} in ${dir} is unreadable; taking a new store ID`);
  return undefined;
}

async function writeStoreId(dir: string): Promise<Buffer> {
  const id = randomBytes(16);
  const path = join(dir, STORE_ID_FILE);
  const fh = await open(`${path}.tmp`, "w", 0o600);
  try {
    await fh.writeFile(`${id.toString("hex")}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(`${path}.tmp`, path);
  await syncDir(dir);
  return id;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One process per data directory: two writers would interleave records. A dead owner's lock is stale. */
async function acquireLock(dir: string): Promise<string> {
  const path = join(dir, LOCK_FILE);
  if (heldLocks.has(dir)) throw new StorageError(`the store in ${dir} is already open in this process`);
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
      heldLocks.add(dir);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) {
        throw new StorageError(`cannot lock the data directory ${dir}`, { cause: e });
      }
    }
    const pid = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    // Our own pid in the file, but not in heldLocks: left by an earlier process that had our pid (containers).
    if (pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new StorageError(
        `the data directory ${dir} is in use by process ${pid} (if it is not, remove ${path})`,
      );
    }
    await unlink(path).catch(() => {});
  }
}

/** Releases the lock taken by `openDataDir`. */
export async function releaseLock(dir: string, path: string): Promise<void> {
  heldLocks.delete(dir);
  await unlink(path).catch(() => {});
}
