/**
 * Documents the governance log names (the site's, the booklet's, the treasury's), so that every device finds
 * the same ones; the first officer who may set policies and asks for one creates it.
 */
import { UnknownDocumentError } from "../base/errors.js";
import type { DocId } from "../base/ids.js";
import { hasRight } from "../governance/rules.js";
import { Collection, type CollectionRecord } from "../kit/collection.js";
import type { Cell } from "./cell.js";

/**
 * The ID of the cell's document named `name`. When there is none yet and this device's member may set
 * policies, `create` makes it in `scope` and the log names it, with the scope's writers. Otherwise
 * `UnknownDocumentError`.
 */
export async function namedDocument(
  cell: Cell,
  name: string,
  scope: string,
  create: () => Promise<{ id: DocId }>,
): Promise<DocId> {
  const known = cell.named(name);
  if (known) return known;
  const { rules } = cell.state;
  if (!hasRight(rules, cell.me()?.roles ?? [], "set-policy"))
    throw new UnknownDocumentError(`the cell has no ${name} yet: an officer who may set policies creates it`);
  const doc = await create();
  await cell.setPolicy(doc.id, { scope, writers: rules.scopes[scope]?.writers ?? [], name });
  return doc.id;
}

/**
 * The cell's collection named `name` in `scope` (see `Collection`), created and named the first time by an
 * officer who may set policies; `UnknownDocumentError` as for `namedDocument`.
 */
export async function namedCollection<T extends CollectionRecord>(
  cell: Cell,
  name: string,
  scope: string,
): Promise<Collection<T>> {
  const id = await namedDocument(cell, name, scope, () =>
    Collection.create(cell.kit, cell.scopeId(scope), name),
  );
  return Collection.open<T>(cell.kit, id);
}
