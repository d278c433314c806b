/**
 * The newest verified edition of each cell, on disk under `<dataDir>/editions/<cellId>.json` (written to a
 * temporary file, synced, then renamed: a crash leaves the old or the new edition, never half of one) and
 * in memory with its derived renderings (Atom, iCalendar, HTML), computed once per edition.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { MAX_EDITION_BYTES } from "../../../core/protocol/edition-format.js";
import { type VerifiedEdition, verifyEdition } from "../../../core/public/verify.js";
import { describeError, type RelayLogger } from "../log.js";

/** One stored edition. */
export interface StoredEdition {
  bytes: Buffer;
  edition: VerifiedEdition;
  /** SHA-256 hex of the bytes: the tiebreak between equal `at`, and the ETag. */
  hash: string;
  /** Renderings by name (`atom`, `ics`, `html:fr`…), made on first request. */
  rendered: Map<string, Buffer>;
}

/** What `put` did. */
export type EditionPutOutcome = "stored" | "older" | "same";

const CELL = /^[0-9a-f]{64}$/;

/** See the module comment. */
export class EditionStore {
  private readonly editions = new Map<string, StoredEdition>();
  private readonly queues = new Map<string, Promise<unknown>>();

  private constructor(private readonly dir: string) {}

  /** Opens (creating) `<dataDir>/editions` and loads the editions it holds, skipping unreadable ones. */
  static async open(dataDir: string, log: RelayLogger): Promise<EditionStore> {
    const dir = join(dataDir, "editions");
    await mkdir(dir, { recursive: true });
    const store = new EditionStore(dir);
    for (const name of await readdir(dir)) {
      const cell = name.slice(0, -".json".length);
      if (!name.endsWith(".json") || !CELL.test(cell)) continue;
      try {
        const bytes = await readFile(join(dir, name));
        store.editions.set(cell, entry(bytes, await verifyEdition(bytes, cell)));
      } catch (e) {
        log.warn(`skipping edition ${name}: ${describeError(e)}`);
      }
    }
    return store;
  }

  /** The newest edition of `cell`. */
  get(cell: string): StoredEdition | undefined {
    return this.editions.get(cell);
  }

  /** Number of cells with an edition. */
  get size(): number {
    return this.editions.size;
  }

  /**
   * Verifies `bytes` as an edition of `cell` (`IntegrityError`, `WrongCellError`, `QuotaError` by way of the
   * caller's size limit) and keeps it if it is newer than the stored one.
   */
  put(cell: string, bytes: Buffer): Promise<EditionPutOutcome> {
    const run = (this.queues.get(cell) ?? Promise.resolve()).then(async () => {
      const edition = await verifyEdition(bytes, cell);
      const next = entry(bytes, edition);
      const current = this.editions.get(cell);
      if (current && current.hash === next.hash) return "same";
      if (
        current &&
        (current.edition.at > edition.at || (current.edition.at === edition.at && current.hash > next.hash))
      )
        return "older";
      const path = join(this.dir, `${cell}.json`);
      const tmp = `${path}.${process.pid}.tmp`;
      const file = await open(tmp, "w");
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(tmp, path);
      this.editions.set(cell, next);
      return "stored";
    });
    const settled = run.catch(() => {});
    this.queues.set(cell, settled);
    void settled.then(() => {
      if (this.queues.get(cell) === settled) this.queues.delete(cell);
    });
    return run as Promise<EditionPutOutcome>;
  }
}

function entry(bytes: Buffer, edition: VerifiedEdition): StoredEdition {
  if (bytes.length > MAX_EDITION_BYTES) throw new RangeError("edition too large");
  return { bytes, edition, hash: createHash("sha256").update(bytes).digest("hex"), rendered: new Map() };
}
