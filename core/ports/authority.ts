/**
 * Who may write what. The Kit asks an `Authority` before applying any change it receives and before
 * publishing its own. `WriterSets` (kit/writer-sets.ts) keeps explicit sets of device IDs per scope and
 * per document; a cell's governance log replaces it with roles resolved at the heads an envelope cites
 * (governance/write-authority.ts).
 */
import type { DeviceId, DocId, ScopeId } from "../base/ids.js";

/** A write to check. */
export interface WriteRequest {
  docId: DocId;
  scope: ScopeId;
  device: DeviceId;
  /** Governance heads the author cited (hex). */
  heads: string[];
  /** The scope epoch the envelope was sealed under (absent for the device's own writes, made under the current one). */
  epoch?: number;
}

/** Decides whether a device may write a document. */
export interface Authority {
  /** Heads this device cites in the envelopes it writes. */
  heads(): string[];
  /** Throws `ForbiddenError` unless the write is allowed. Pure: no I/O, no clock. */
  checkWrite(request: WriteRequest): void;
}
