/**
 * Documents received but not opened yet. Changes for a document no handle holds are kept in storage as
 * they came (verified, actor-checked, authorised), under `[docId, "cellule-pending", sha256]`, and merged
 * into its handle when the document is first opened. A device that joins a cell of thousands of documents
 * thus stores them without building thousands of Automerge handles, and opens each one when it is read.
 *
 * automerge-repo's own storage subsystem only reads its `snapshot` and `incremental` chunks, so pending
 * chunks are the Kit's alone: merged on open, saved by the Repo, then removed (a crash in between merges
 * them again, which Automerge treats as a no-op).
 */
import * as A from "@automerge/automerge/slim";
import type { DocHandle, StorageAdapterInterface } from "@automerge/automerge-repo/slim";
import { concat, toHex } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import type { DocId } from "../base/ids.js";
import { sha256Sync } from "../crypto/hash.js";

const PENDING = "cellule-pending";

/** Keeps changes (or a snapshot) of a document that is not open. */
export async function storePending(
  storage: StorageAdapterInterface,
  docId: DocId,
  items: readonly Uint8Array[],
): Promise<void> {
  const chunk = items.length === 1 ? items[0]! : concat(...items);
  await storage.save([docId, PENDING, toHex(sha256Sync(chunk))], chunk);
}

/**
 * Merges a document's pending chunks into its handle, one at a time: a chunk Automerge refuses is
 * reported to `refused` and dropped, the others stay. Returns the keys merged, to remove once the Repo
 * has saved the document.
 */
export async function mergePending(
  storage: StorageAdapterInterface,
  docId: DocId,
  handle: DocHandle<unknown>,
  refused: (error: IntegrityError) => void,
): Promise<string[][]> {
  const chunks = await storage.loadRange([docId, PENDING]);
  for (const { data } of chunks) {
    if (!data) continue;
    try {
      handle.update((doc) => A.loadIncremental(doc, data));
    } catch (cause) {
      refused(new IntegrityError(`a stored change of ${docId} does not apply and was dropped`, { cause }));
    }
  }
  return chunks.map((c) => c.key);
}
