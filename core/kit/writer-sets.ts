/**
 * The simplest `Authority`: explicit sets of device IDs per scope and per document, for a Kit used without
 * a cell (a cell's governance log decides instead, see governance/write-authority.ts).
 */
import { ForbiddenError } from "../base/errors.js";
import type { DeviceId, DocId, ScopeId } from "../base/ids.js";
import type { Authority, WriteRequest } from "../ports/authority.js";

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
  allowScope(scope: ScopeId, devices: Iterable<DeviceId>): this {
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
