/**
 * The Kit's options, counters and events: its public shapes, apart from the Kit that implements them and
 * the factory (create-kit.ts) that fills in the defaults.
 */
import type {
  NetworkAdapterInterface,
  StorageAdapterInterface,
  StorageKey,
} from "@automerge/automerge-repo/slim";
import type { CelluleError } from "../base/errors.js";
import type { DocId, EnvelopeHash, ScopeId } from "../base/ids.js";
import type { Logger } from "../base/logger.js";
import type { Authority } from "../ports/authority.js";
import type { Clock } from "../ports/clock.js";
import type { Keystore } from "../ports/keystore.js";
import type { Transport } from "../ports/transport.js";
import type { AutomergeWasmSource } from "./automerge.js";

/** Options of {@link createKit}. */
export interface KitOptions {
  /** Local storage of documents and envelopes (Dexie in browsers, filesystem in Node, memory in tests). */
  storage: StorageAdapterInterface;
  /** Where the device keys live. */
  keystore: Keystore;
  /** How envelopes reach other devices (relay client, BroadcastChannel). @default [] */
  transports?: Transport[];
  /** Who may write what. @default a new `WriterSets` (nobody but what you allow) */
  authority?: Authority;
  /** Name of the device keys in the keystore. @default "device" */
  deviceName?: string;
  /** Create device keys when none are stored. Never silently: pass false where a missing key means data loss. @default true */
  createIdentity?: boolean;
  /** Automerge WASM for browsers (URL of `automerge.wasm` or its bytes). Not needed in Node. */
  automergeWasm?: AutomergeWasmSource;
  /** automerge-repo network adapters between this device's own tabs only (e.g. BroadcastChannel). @default [] */
  localNetwork?: NetworkAdapterInterface[];
  /** After this many local changes to a document, also publish a compacted snapshot of it. @default 500 */
  snapshotEvery?: number;
  /** @default a console logger for `cellule:kit` */
  logger?: Logger;
  /** What time it is, for expiry and the times records carry (see ports/clock.ts). @default the system clock */
  clock?: Clock;
}

/** Counters of what the Kit did with envelopes. */
export interface KitStats {
  accepted: number;
  duplicates: number;
  published: number;
  /** Envelopes received before the governance ops they cite (judged again when the log grows). */
  held: number;
  /** Rejections by error code (`integrity`, `forbidden`, `actor-mismatch`, `unknown-scope`, …). */
  rejected: Record<string, number>;
}

/** Events of the Kit. */
export interface KitEvents {
  /** An envelope was refused; nothing was applied. */
  rejected: (error: CelluleError, source: string) => void;
  /** An envelope was verified and applied. */
  accepted: (docId: DocId, hash: EnvelopeHash, source: string) => void;
  /** A document was seen for the first time on this device. */
  document: (docId: DocId, scope: ScopeId) => void;
  /** A document changed: a change made here was sent, or one from another device was applied. */
  written: (docId: DocId, scope: ScopeId) => void;
  /**
   * Something this device stored could not be read back (a damaged file, a bad disk): it was moved aside
   * and is fetched again where it can be (governance ops from the envelopes kept of the log).
   */
  corrupt: (error: CelluleError, key: StorageKey) => void;
}
