/**
 * A document arriving through relays on a member's Node device, which keeps its data in files: opened the
 * moment `kit.documents()` lists it, it must open with its content and follow what comes next (see
 * core/kit/unopened.ts). The device's saves of the new document are held until the open is done, so the
 * open lands between listing and saving on every run instead of once in a while.
 */
import type { StorageKey } from "@automerge/automerge-repo/slim";
import { describe, expect, it } from "vitest";
import { admittedCell, deviceStore, relayFixture } from "../support/cells.js";
import { holdingSaves, until } from "../support/devices.js";

const network = relayFixture();

type Minutes = { title: string; points: string[] };

/** The Kit's own saves for a document: its registration, and its content while it is not open. */
const keptDocument = (key: StorageKey): string | undefined =>
  key[0] === "cellule-doc" ? key[1] : key[1] === "cellule-pending" ? key[0] : undefined;

describe("a document arriving on a member's device", () => {
  it("opens with its content when opened as soon as it is listed, and follows later changes", async () => {
    const store = await deviceStore();
    const held = holdingSaves(store.storage);
    const f = await network.device();
    const m = await network.device(store, { storage: held.storage });
    const { cell, cells } = await admittedCell(f, "Fatima Ouali", [{ kit: m, name: "Marc Petit" }]);
    const mine = cells[0]!;
    const members = cell.scopeId("members");
    const before = new Set<string>(m.documents());
    // From now on, the member device's saves of any document it did not have wait for `release`.
    const window = held.hold((key) => {
      const docId = keptDocument(key);
      return docId !== undefined && !before.has(docId);
    });
    try {
      const doc = await cell.create<Minutes>("members", { title: "CR de la réunion", points: ["tract"] });
      expect(keptDocument(await window.reached)).toBe(doc.id);
      expect(m.documents(members)).toContain(doc.id);
      const copy = await mine.open<Minutes>(doc.id);
      expect(copy.value()).toEqual({ title: "CR de la réunion", points: ["tract"] });
      window.release();
      doc.change((d) => {
        d.points.push("collage");
      });
      await until(() => copy.value().points.length === 2, "the member's copy to get the next change");
      expect(copy.value()).toEqual(doc.value());
    } finally {
      window.release();
    }
  });
});
