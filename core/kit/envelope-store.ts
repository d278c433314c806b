/**
 * What a Kit keeps beside automerge-repo's own documents, in the same storage: which scope each document it
 * holds belongs to, every envelope it received or sent (by topic, for re-seeding relays), and the envelopes
 * waiting for governance ops (see Ingest), across restarts. One place owns the storage key layout.
 */
import type { StorageAdapterInterface } from "@automerge/automerge-repo/slim";
import { fromUtf8, utf8 } from "../base/bytes.js";
import type { DocId, EnvelopeHash, ScopeId, Topic } from "../base/ids.js";

/** The scope of each document this device holds: `[DOC_KEY, docId]` → the scope's ID. */
const DOC_KEY = "cellule-doc";
/** Every envelope kept: `[ENVELOPE_KEY, topic, hash]` → its bytes. */
const ENVELOPE_KEY = "cellule-env";
/** Envelopes waiting for governance ops: `[HELD_KEY, hash]` → their bytes. */
const HELD_KEY = "cellule-held";

/** See the module comment. */
export class EnvelopeStore {
  constructor(private readonly storage: StorageAdapterInterface) {}

  /** The documents this device holds, with their scopes. */
  async documents(): Promise<[DocId, ScopeId][]> {
    const out: [DocId, ScopeId][] = [];
    for (const { key, data } of await this.storage.loadRange([DOC_KEY]))
      if (data) out.push([key[1] as DocId, fromUtf8(data) as ScopeId]);
    return out;
  }

  /** Records that this device holds `docId`, in `scope`. */
  saveDocument(docId: DocId, scope: ScopeId): Promise<void> {
    return this.storage.save([DOC_KEY, docId], utf8(scope));
  }

  async has(topic: Topic, hash: EnvelopeHash): Promise<boolean> {
    return (await this.storage.load([ENVELOPE_KEY, topic, hash])) !== undefined;
  }

  save(topic: Topic, hash: EnvelopeHash, bytes: Uint8Array): Promise<void> {
    return this.storage.save([ENVELOPE_KEY, topic, hash], bytes);
  }

  /** Every envelope kept under these topics, in no particular order. */
  async backlog(topics: Topic[]): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (const topic of topics) {
      for (const { data } of await this.storage.loadRange([ENVELOPE_KEY, topic])) if (data) out.push(data);
    }
    return out;
  }

  /** The envelopes held before a restart. */
  async held(): Promise<[EnvelopeHash, Uint8Array][]> {
    const out: [EnvelopeHash, Uint8Array][] = [];
    for (const { key, data } of await this.storage.loadRange([HELD_KEY]))
      if (data) out.push([key[1] as EnvelopeHash, data]);
    return out;
  }

  /** Keeps a held envelope (`bytes`), or forgets it once judged (`undefined`). */
  keepHeld(hash: EnvelopeHash, bytes: Uint8Array | undefined): Promise<void> {
    return bytes ? this.storage.save([HELD_KEY, hash], bytes) : this.storage.remove([HELD_KEY, hash]);
  }
}
