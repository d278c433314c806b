/**
 * Documents received but not opened yet. Changes for a document no handle holds are kept in storage as
 * they came (verified, actor-checked, authorised), under `[docId, "cellule-pending", sha256]`, and merged
 * into its handle when the document is first opened. A device that joins a cell of thousands of documents
 * thus stores them without building thousands of Automerge handles, and opens each one when it is read.
 *
 * automerge-repo's own storage subsystem only reads its `snapshot` and `incremental` chunks, so pending
 * chunks are the Kit's alone: merged on open, saved by the Repo, then removed (a crash in between merges
 * them again, which Automerge treats as a no-op).
 *
 * A document is listed (`Kit.documents()`) from the moment its first envelope is being kept, before
 * anything of it is saved, and saves take real time on files or IndexedDB. So content being saved is also
 * held in memory ({@link Arrivals}) until its save completes: a document opened meanwhile takes it from
 * there, never from a storage that does not have it yet, and never waits for the disk.
 */
import * as A from "@automerge/automerge/slim";
import type { DocHandle, StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import { concat, toHex } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import type { DocId } from "../base/ids.js";
import { sha256Sync } from "../crypto/hash.js";

const PENDING = "cellule-pending";

/** Content of a document being kept while it is not open: one envelope's changes, or a snapshot. */
export interface Arrival {
  /** The items as one chunk, as it is stored. */
  readonly chunk: Uint8Array;
  /** Set when a handle opened before the chunk was saved merged it from memory. */
  taken: boolean;
}

/** The content being saved for documents that are not open, by document. */
export class Arrivals {
  private readonly byDoc = new Map<DocId, Set<Arrival>>();

  /**
   * Holds content from now until {@link done}. Call it before the first `await` of keeping it: the
   * document is listed from then on, so an open may come at any later point.
   */
  add(docId: DocId, items: readonly Uint8Array[]): Arrival {
    const arrival: Arrival = { chunk: items.length === 1 ? items[0]! : concat(...items), taken: false };
    const set = this.byDoc.get(docId) ?? new Set<Arrival>();
    this.byDoc.set(docId, set);
    set.add(arrival);
    return arrival;
  }

  /** The content is saved (or could not be): storage now answers for it. */
  done(docId: DocId, arrival: Arrival): void {
    const set = this.byDoc.get(docId);
    set?.delete(arrival);
    if (set?.size === 0) this.byDoc.delete(docId);
  }

  /** Marks what is being saved for a document as taken by a handle, and returns it. */
  take(docId: DocId): Arrival[] {
    const taken = [...(this.byDoc.get(docId) ?? [])];
    for (const arrival of taken) arrival.taken = true;
    return taken;
  }
}

/** Saves kept content of a document that is not open; resolves with its key. */
export async function storePending(
  storage: StorageAdapterInterface,
  docId: DocId,
  arrival: Arrival,
): Promise<StorageKey> {
  const key = [docId, PENDING, toHex(sha256Sync(arrival.chunk))];
  await storage.save(key, arrival.chunk);
  return key;
}

/**
 * Merges everything kept for a document into its handle, one chunk at a time: what is still being saved
 * (from `arrivals`), then what storage holds. A chunk Automerge refuses is reported to `refused` and
 * dropped, the others stay. Returns the stored keys merged, to remove once the Repo has saved the document
 * (the chunks taken from memory are removed by whoever saves them, see `Kit`).
 *
 * Call it once deliveries go to the handle (the Kit has it in its table of open handles), so that nothing
 * more is added for this document.
 */
export async function mergePending(
  storage: StorageAdapterInterface,
  arrivals: Arrivals,
  docId: DocId,
  handle: DocHandle<unknown>,
  refused: (error: IntegrityError) => void,
): Promise<StorageKey[]> {
  // Taken before storage is read: content whose save completes in between is then in one or the other
  // (or both: merging a chunk twice changes nothing), never in neither.
  const arriving = arrivals.take(docId).map((a) => a.chunk);
  const stored = await storage.loadRange([docId, PENDING]);
  for (const data of [...arriving, ...stored.map((c) => c.data)]) {
    if (!data) continue;
    try {
      handle.update((doc) => A.loadIncremental(doc, data));
    } catch (cause) {
      refused(new IntegrityError(`a kept change of ${docId} does not apply and was dropped`, { cause }));
    }
  }
  return stored.map((c) => c.key);
}
