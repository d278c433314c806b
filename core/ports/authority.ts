/**
 * Who may write what. The Kit asks an `Authority` before applying any change it receives and before
 * publishing its own. The foundation's `WriterSets` keeps explicit sets of device IDs per scope and per
 * document; the governance log replaces it with roles resolved at the heads an envelope cites.
 */
import { ForbiddenError } from "../base/errors.js";
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

/**
 * Writers listed per scope (any document of the scope) and per document (overrides the scope's list).
 *
 * @example
 * const writers = new WriterSets().allowScope("demo", [alice.id, bob.id]);
 */
export class WriterSets implements Authority {
  private readonly scopes = new Map<ScopeId, Set<DeviceId>>();
  private readonly docs = new Map<DocId, Set<DeviceId>>();

  /** Lets these devices write every document of a scope (adds to the current list). */
  allowScope(scope: ScopeId | string, devices: Iterable<DeviceId>): this {
    const set = this.scopes.get(scope as ScopeId) ?? new Set();
    for (const d of devices) set.add(d);
    this.scopes.set(scope as ScopeId, set);
    return this;
  }

  /** Sets the exact writers of one document, replacing the scope's list for it. */
  setDocumentWriters(docId: DocId, devices: Iterable<DeviceId>): this {
    this.docs.set(docId, new Set(devices));
    return this;
  }

  heads(): string[] {
    return [];
  }

  checkWrite({ docId, scope, device }: WriteRequest): void {
    const writers = this.docs.get(docId) ?? this.scopes.get(scope);
    if (!writers?.has(device)) {
      throw new ForbiddenError(
        `device ${device.slice(0, 8)}… may not write document ${docId} in scope ${scope}`,
      );
    }
  }
}
