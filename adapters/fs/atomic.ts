/**
 * Crash-safe file writes: write a temporary file beside the target, fsync it, then rename (or link, to
 * refuse an existing target) it into place and fsync the directory. After a crash the target holds either
 * the old or the new content, never a mix; at worst a `*.tmp` file is left behind.
 */
import { link, mkdir, open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { concat, randomBytes, toHex } from "../../core/base/bytes.js";

/** Options of `writeFileAtomic`. */
export interface AtomicWriteOptions {
  /** Permission bits of the new file. */
  mode: number;
  /** fsync the file and its directory; without it a power loss may lose the write (never corrupt it). */
  fsync: boolean;
  /** Refuse to replace an existing file: rejects with the `EEXIST` error of `link`. */
  exclusive?: boolean;
}

/** Errors of a directory fsync on platforms that cannot do it (Windows, some network filesystems). */
const FSYNC_DIR_UNSUPPORTED = new Set(["EISDIR", "EPERM", "EINVAL", "EBADF", "EACCES", "ENOTSUP"]);

/** fsync of a directory, so that renames and new entries in it survive a power loss. Best effort. */
export async function fsyncDirectory(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch (error) {
    if (!FSYNC_DIR_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
  } finally {
    await handle?.close();
  }
}

/** `mkdir -p` whose new directories are themselves made durable when `fsync` is set. */
export async function makeDirectory(path: string, fsync: boolean, mode?: number): Promise<void> {
  const first = await mkdir(path, { recursive: true, mode });
  if (!fsync || first === undefined) return;
  // Each new directory is an entry in its parent: fsync the parent of the first one and every new one.
  const created: string[] = [];
  for (let d = path; ; d = dirname(d)) {
    created.push(d);
    if (d === first || dirname(d) === d) break;
  }
  await fsyncDirectory(dirname(first));
  for (const d of created) await fsyncDirectory(d);
}

/** Writes `chunks` to `path` atomically (see the module comment). The directory must exist. */
export async function writeFileAtomic(
  path: string,
  chunks: Uint8Array[],
  { mode, fsync, exclusive = false }: AtomicWriteOptions,
): Promise<void> {
  const temp = `${path}.${toHex(randomBytes(6))}.tmp`;
  const handle = await open(temp, "wx", mode);
  try {
    try {
      await handle.writeFile(chunks.length === 1 ? chunks[0]! : concat(...chunks));
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    if (exclusive) {
      await link(temp, path);
      await unlink(temp);
    } else {
      await rename(temp, path);
    }
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  if (fsync) await fsyncDirectory(dirname(path));
}
