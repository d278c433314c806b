/**
 * The newest verified edition of each cell, on disk under `<dataDir>/editions/<cellId>.json` (written to a
 * temporary file, synced, then renamed: a crash leaves the old or the new edition, never half of one) and,
 * for the most recently asked cells only, in memory with its derived renderings (Atom, iCalendar, HTML),
 * computed once per edition: an LRU, so that many cells' editions cost disk, not memory.
 *
 * Which edition wins (see `compareEditions`): a relay never goes back on the publication chain it holds. An
 * edition whose chain is a strict prefix of the held one (signed by a key that has since been rotated, e.g.
 * by an expelled editor or a stolen phone) or forks from it (a past key certifying a key of its own) is
 * refused, whatever its `at`; one that extends the held chain (a rotation) wins; on the same chain the larger
 * `at` wins. An edition dated more than `maxSkewMs` beyond this relay's clock is refused too, so that no
 * signer, honest with a wrong clock or hostile, can freeze the cell's public face until that date.
 *
 * Stored editions are verified again when first read after a start, by signature and chain only (what was
 * accepted stays accepted: the clock judged it when it came), except that one dated beyond the clock is not
 * served (it can only come from a relay without that check, or from a clock that has gone back): the next
 * valid edition replaces it.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { MAX_EDITION_BYTES, type PublicationCert } from "../../../core/protocol/edition-format.js";
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

/**
 * What `put` did: kept it (`stored`), already had it (`same`), holds a newer one on the same chain
 * (`older`); or refused it: its chain is a strict prefix of the held one (`prefix`) or forks from it
 * (`fork`), it is dated beyond this relay's clock (`future`), its last certificate has ended by this
 * relay's clock (`expired`: the key may be a past holder's, and a cell renews its key well before), or this relay does not take this cell's
 * editions (`unlisted`, see `EditionPolicy`).
 */
export type EditionPutOutcome =
  | "stored"
  | "same"
  | "older"
  | "prefix"
  | "fork"
  | "future"
  | "expired"
  | "unlisted";

/** Which editions a relay takes, and how many it keeps in memory. */
export interface EditionPolicy {
  /**
   * This relay's public base URLs (`https://relay.example.org`). When given, an edition is taken only if its
   * profile's relay list names one of them (or its cell is in `allow`): a relay then serves the cells that
   * chose it, not any cell made up to fill it.
   */
  listedAs?: readonly string[];
  /** Cells (IDs) whose editions are taken whatever their relay list; without `listedAs`, the only ones. */
  allow?: readonly string[];
  /** Editions kept in memory with their renderings; the others are read from disk when asked. @default 256 */
  maxInMemory?: number;
  /** How far beyond this relay's clock an edition may be dated, in ms. @default 300000 (5 minutes) */
  maxSkewMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** Default of `EditionPolicy.maxSkewMs`. */
export const EDITION_MAX_SKEW_MS = 5 * 60_000;

const CELL = /^[0-9a-f]{64}$/;

/** A link without its signature: two certificates for the same key (an ECDSA signature is malleable) are one link. */
const link = ({ sig: _, ...rest }: PublicationCert): string => JSON.stringify(Object.entries(rest).sort());

/**
 * How an offered publication chain stands to the held one: the same, extending it (a rotation), a strict
 * prefix of it (an older key), or forking from it.
 */
export function compareChains(
  held: readonly PublicationCert[],
  offered: readonly PublicationCert[],
): "same" | "extends" | "prefix" | "fork" {
  const n = Math.min(held.length, offered.length);
  for (let i = 0; i < n; i++) if (link(held[i]!) !== link(offered[i]!)) return "fork";
  return offered.length === held.length ? "same" : offered.length > held.length ? "extends" : "prefix";
}

const normal = (url: string): string => {
  try {
    return new URL(url).href.replace(/\/$/, "");
  } catch {
    return "";
  }
};

/** See the module comment. */
export class EditionStore {
  /** Cells with an edition on disk. */
  private readonly onDisk = new Set<string>();
  /** The most recently used editions, least recent first. */
  private readonly memory = new Map<string, StoredEdition>();
  private readonly loading = new Map<string, Promise<StoredEdition | undefined>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly listedAs: Set<string> | undefined;
  private readonly allow: Set<string> | undefined;
  private readonly maxInMemory: number;
  private readonly maxSkewMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly dir: string,
    private readonly log: RelayLogger,
    policy: EditionPolicy,
  ) {
    this.listedAs = policy.listedAs && new Set(policy.listedAs.map(normal));
    this.allow = policy.allow && new Set(policy.allow);
    this.maxInMemory = Math.max(1, policy.maxInMemory ?? 256);
    this.maxSkewMs = policy.maxSkewMs ?? EDITION_MAX_SKEW_MS;
    this.now = policy.now ?? Date.now;
  }

  /** Opens (creating) `<dataDir>/editions`; its editions are read and verified when first asked. */
  static async open(dataDir: string, log: RelayLogger, policy: EditionPolicy = {}): Promise<EditionStore> {
    const dir = join(dataDir, "editions");
    await mkdir(dir, { recursive: true });
    const store = new EditionStore(dir, log, policy);
    for (const name of await readdir(dir)) {
      const cell = name.slice(0, -".json".length);
      if (name.endsWith(".json") && CELL.test(cell)) store.onDisk.add(cell);
    }
    return store;
  }

  /** The newest edition of `cell`, from memory or read from disk. */
  get(cell: string): Promise<StoredEdition | undefined> {
    const held = this.memory.get(cell);
    if (held) {
      this.memory.delete(cell);
      this.memory.set(cell, held);
      return Promise.resolve(held);
    }
    if (!this.onDisk.has(cell)) return Promise.resolve(undefined);
    let loading = this.loading.get(cell);
    if (!loading) {
      loading = this.read(cell).finally(() => this.loading.delete(cell));
      this.loading.set(cell, loading);
    }
    return loading;
  }

  /** Number of cells with an edition. */
  get size(): number {
    return this.onDisk.size;
  }

  /** Number of editions held in memory. */
  get inMemory(): number {
    return this.memory.size;
  }

  /**
   * Verifies `bytes` as an edition of `cell` (`IntegrityError`, `WrongCellError`) and keeps it if it is newer
   * than the stored one on the same chain or extends its chain; see `EditionPutOutcome` for the refusals.
   */
  put(cell: string, bytes: Buffer): Promise<EditionPutOutcome> {
    const run = (this.queues.get(cell) ?? Promise.resolve()).then(async (): Promise<EditionPutOutcome> => {
      const edition = await verifyEdition(bytes, cell);
      const now = this.now();
      if (edition.at > now + this.maxSkewMs) return "future";
      if (edition.chain[edition.chain.length - 1]!.expires < now) return "expired";
      if (!this.takes(edition)) return "unlisted";
      const next = entry(bytes, edition);
      const current = await this.get(cell);
      if (current) {
        if (current.hash === next.hash) return "same";
        const order = compareChains(current.edition.chain, edition.chain);
        if (order === "prefix" || order === "fork") return order;
        if (
          order === "same" &&
          (current.edition.at > edition.at || (current.edition.at === edition.at && current.hash > next.hash))
        )
          return "older";
      }
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
      this.onDisk.add(cell);
      this.remember(cell, next);
      return "stored";
    });
    const settled = run.catch(() => {});
    this.queues.set(cell, settled);
    void settled.then(() => {
      if (this.queues.get(cell) === settled) this.queues.delete(cell);
    });
    return run;
  }

  private takes(edition: VerifiedEdition): boolean {
    if (!this.listedAs && !this.allow) return true;
    if (this.allow?.has(edition.cell)) return true;
    const relays = Array.isArray(edition.profile.relays) ? edition.profile.relays : [];
    return !!this.listedAs && relays.some((r) => typeof r === "string" && this.listedAs!.has(normal(r)));
  }

  private async read(cell: string): Promise<StoredEdition | undefined> {
    try {
      const bytes = await readFile(join(this.dir, `${cell}.json`));
      const edition = await verifyEdition(bytes, cell);
      if (edition.at > this.now() + this.maxSkewMs) {
        this.log.warn(`not serving the edition of ${cell}: it is dated beyond this relay's clock`);
        this.onDisk.delete(cell);
        return undefined;
      }
      // A put may have stored a newer one while this was read.
      return this.memory.get(cell) ?? this.remember(cell, entry(bytes, edition));
    } catch (e) {
      this.log.warn(`skipping edition ${cell}.json: ${describeError(e)}`);
      this.onDisk.delete(cell);
      return undefined;
    }
  }

  private remember(cell: string, stored: StoredEdition): StoredEdition {
    this.memory.delete(cell);
    this.memory.set(cell, stored);
    for (const oldest of this.memory.keys()) {
      if (this.memory.size <= this.maxInMemory) break;
      this.memory.delete(oldest);
    }
    return stored;
  }
}

function entry(bytes: Buffer, edition: VerifiedEdition): StoredEdition {
  if (bytes.length > MAX_EDITION_BYTES) throw new RangeError("edition too large");
  return { bytes, edition, hash: createHash("sha256").update(bytes).digest("hex"), rendered: new Map() };
}
