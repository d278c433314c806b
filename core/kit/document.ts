/**
 * A document as a developer sees it: its value, local changes that the Kit signs, seals and sends, and
 * change notifications (local, from other tabs, or from verified envelopes).
 */
import type * as A from "@automerge/automerge/slim";
import type { DocHandle } from "@automerge/automerge-repo/slim";
import type { DocId, ScopeId } from "../base/ids.js";

/** What the Kit provides a document with. */
export interface DocumentHost {
  change<T>(doc: CelluleDocument<T>, fn: A.ChangeFn<T>): void;
}

/** One Automerge document of a scope. */
export class CelluleDocument<T = unknown> {
  /** @internal */
  constructor(
    /** Document ID. */
    readonly id: DocId,
    /** The scope that can read it. */
    readonly scope: ScopeId,
    /** @internal the local automerge-repo handle. */
    readonly handle: DocHandle<T>,
    private readonly host: DocumentHost,
  ) {}

  /** The current value (an immutable Automerge document). */
  value(): A.Doc<T> {
    return this.handle.doc();
  }

  /**
   * Changes the document locally and sends the change, signed (and sealed unless the scope is public),
   * to every relay. Throws `ForbiddenError` before changing anything if this device may not write it.
   */
  change(fn: A.ChangeFn<T>): void {
    this.host.change(this, fn);
  }

  /** Calls `listener` with the new value after every change, wherever it came from. Returns an unsubscribe. */
  subscribe(listener: (value: A.Doc<T>) => void): () => void {
    const onChange = ({ doc }: { doc: A.Doc<T> }) => listener(doc);
    this.handle.on("change", onChange);
    return () => this.handle.off("change", onChange);
  }
}
