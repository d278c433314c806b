/**
 * Reading a change's actor from its header (what the receive path checks against the author's own actor)
 * agrees with Automerge's full decoder on every kind of change, and refuses what is not a change; a
 * malformed change leaves a document as it was.
 */
import * as A from "@automerge/automerge";
import { Repo } from "@automerge/automerge-repo";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntegrityError } from "../base/errors.js";
import { actorsOf, applyChanges, checkChanges } from "./automerge.js";

/** The changes of a document written by `actors` in turn, one change per text. */
function history(actors: string[], texts: string[]): Uint8Array[] {
  let docs = actors.map((actor) => A.init<{ items: Record<string, string> }>({ actor }));
  const changes: Uint8Array[] = [];
  texts.forEach((text, i) => {
    const k = i % docs.length;
    // Merging first gives later changes dependencies on other actors' changes.
    let doc = docs.reduce((d, other) => (other === docs[k] ? d : A.merge(d, A.clone(other))), docs[k]!);
    doc = A.change(doc, (d) => {
      d.items ??= {};
      d.items[`i${i}`] = text;
    });
    changes.push(A.getLastLocalChange(doc)!);
    docs = docs.map((d, j) => (j === k ? doc : d));
  });
  return changes;
}

/** 16 bytes, as Cellule's derived actors are (Automerge prints an actor of one zero byte as ""). */
const actor = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString("hex"));

describe("actorsOf", () => {
  it("reads the actor Automerge decodes, for small, large and dependent changes", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(actor, { minLength: 1, maxLength: 3 }),
        fc.array(fc.string({ maxLength: 2000 }), { minLength: 1, maxLength: 6 }),
        (actors, texts) => {
          const changes = history(actors, texts);
          expect(actorsOf(changes)).toEqual(changes.map((c) => A.decodeChange(c).actor));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses what is not a change, with IntegrityError", () => {
    const [change] = history(["cafe"], ["texte"]) as [Uint8Array];
    const document = A.save(A.from({ a: 1 }));
    const wrongMagic = change.slice();
    wrongMagic[0] = 0;
    const longer = new Uint8Array([...change, 0]);
    // A compressed change chunk (type 2) is left to Automerge's decoder, which refuses this one.
    const compressed = change.slice();
    compressed[8] = 2;
    for (const bad of [
      new Uint8Array(),
      new Uint8Array([1, 2, 3]),
      document,
      wrongMagic,
      change.slice(0, 20),
      longer,
    ]) {
      expect(() => actorsOf([bad])).toThrow(IntegrityError);
    }
  });
});

describe("applyChanges", () => {
  it("leaves the document as it was when one change of a batch is malformed", async () => {
    const repo = new Repo();
    const handle = repo.create<{ items?: Record<string, string> }>({});
    const [first, second] = history(["0a"], ["un", "deux"]) as [Uint8Array, Uint8Array];
    const broken = second.slice();
    broken[broken.length - 3]! ^= 0xff;
    expect(() => checkChanges([first, broken])).toThrow(IntegrityError);
    const before = A.getHeads(handle.doc());
    expect(() => applyChanges(handle, [first, broken])).toThrow(IntegrityError);
    expect(A.getHeads(handle.doc())).toEqual(before);
    applyChanges(handle, [first, second]);
    expect(handle.doc().items).toEqual({ i0: "un", i1: "deux" });
    await repo.shutdown();
  });
});
