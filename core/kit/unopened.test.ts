/**
 * Documents received but not opened yet, on storage whose saves take time (files in Node, IndexedDB in
 * browsers). `kit.documents()` lists a document as soon as its first envelope is being accepted, so an app
 * that opens what it lists may open it while its content is still being saved: the document must then
 * open with that content, and stay in step with what arrives later. The test holds the saves itself, so the
 * open lands inside that window on every run, on files and on memory alike.
 */

import type { StorageKey } from "@automerge/automerge-repo/slim";
import { afterEach, describe, expect, it } from "vitest";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import {
  type DeviceStore,
  type FileStore,
  fileStore,
  holdingSaves,
  memoryKit,
} from "../../test/support/devices.js";
import { parseScopeId } from "../base/ids.js";
import { newScopeSecret } from "../protocol/scope-keys.js";
import { createKit } from "./create-kit.js";
import type { CelluleDocument } from "./document.js";
import type { Kit } from "./kit.js";
import { WriterSets } from "./writer-sets.js";

const MEMBERS = parseScopeId("members");

type Note = { title: string; items?: string[] };

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const stores: [string, () => Promise<DeviceStore>][] = [
  [
    "files",
    async () => {
      const store: FileStore = await fileStore();
      cleanup.push(() => store.remove());
      return store;
    },
  ],
  ["memory", async () => ({ storage: memoryStorage(), keystore: memoryKeystore() })],
];

describe.each(stores)("a document opened while it is being received, on %s", (_, makeStore) => {
  /** A writes on memory; B, on the storage under test, receives what A publishes, saves held on demand. */
  async function pair() {
    const secret = newScopeSecret();
    const authority = new WriterSets();
    const a = await memoryKit({ authority });
    const store = await makeStore();
    const held = holdingSaves(store.storage);
    const b = await createKit({ ...store, storage: held.storage, authority });
    cleanup.push(() => Promise.all([a.close(0), b.close(0)]));
    authority.allowScope(MEMBERS, [a.device.id, b.device.id]);
    const scope = await a.addScope(MEMBERS, secret);
    await b.addScope(MEMBERS, secret);
    /** What A published since the last call. */
    const sent = new Set<string>();
    const newlyPublished = async (): Promise<Uint8Array[]> => {
      await a.flush();
      const all = await a.envelopes(scope.topic);
      const fresh = all.filter((e) => !sent.has(e.join()));
      for (const e of fresh) sent.add(e.join());
      return fresh;
    };
    return { a, b, held, newlyPublished, store, secret, authority };
  }

  /** The Kit's own saves of a document: its registration, and its content while it is not open. */
  const registrationOf = (docId: string) => (key: StorageKey) => key[0] === "cellule-doc" && key[1] === docId;
  const pendingOf = (docId: string) => (key: StorageKey) => key[0] === docId && key[1] === "cellule-pending";
  const keptOf = (docId: string) => (key: StorageKey) => registrationOf(docId)(key) || pendingOf(docId)(key);

  /**
   * B receives `envelope` with the saves `match` accepts held; `during` runs once one of them is reached and
   * completes while they still are; then they are released and the envelope must be accepted.
   */
  async function receiveHolding(
    b: Kit,
    held: ReturnType<typeof holdingSaves>,
    envelope: Uint8Array,
    match: (key: StorageKey) => boolean,
    during: () => Promise<void>,
  ) {
    const window = held.hold(match);
    cleanup.push(async () => window.release()); // never leave the Kit waiting, whatever failed
    const receiving = b.receive(envelope);
    await window.reached;
    try {
      await during();
    } finally {
      window.release();
    }
    expect((await receiving).status).toBe("accepted");
  }

  it("opens with its content when opened as soon as it is listed, while it is being registered", async () => {
    const { a, b, held, newlyPublished } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "Réunion jeudi" });
    const [envelope] = await newlyPublished();
    let copy: CelluleDocument<Note> | undefined;
    await receiveHolding(b, held, envelope!, keptOf(doc.id), async () => {
      // The first save of this document is under way, and it is listed already.
      expect(b.documents(MEMBERS)).toEqual([doc.id]);
      copy = await b.open<Note>(doc.id);
      expect(copy.value()).toEqual({ title: "Réunion jeudi" });
    });
    // The open handle keeps up with what arrives next, and a second open gives the same handle.
    doc.change((d) => {
      d.items = ["tract"];
    });
    for (const e of await newlyPublished()) expect((await b.receive(e)).status).toBe("accepted");
    expect(copy!.value()).toEqual({ title: "Réunion jeudi", items: ["tract"] });
    expect((await b.open<Note>(doc.id)).handle).toBe(copy!.handle);
    expect(b.stats.rejected).toEqual({});
  });

  it("opens with its content when opened while the content itself is being saved", async () => {
    const { a, b, held, newlyPublished } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "Collage samedi" });
    const [envelope] = await newlyPublished();
    await receiveHolding(b, held, envelope!, pendingOf(doc.id), async () => {
      expect(b.documents(MEMBERS)).toEqual([doc.id]);
      expect((await b.open<Note>(doc.id)).value()).toEqual({ title: "Collage samedi" });
    });
  });

  it("opens with everything when opened while a later envelope of it is being saved", async () => {
    const { a, b, held, newlyPublished } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "Ordre du jour" });
    for (const e of await newlyPublished()) expect((await b.receive(e)).status).toBe("accepted");
    doc.change((d) => {
      d.items = ["trésorerie", "collage"];
    });
    const [later] = await newlyPublished();
    await receiveHolding(b, held, later!, pendingOf(doc.id), async () => {
      expect((await b.open<Note>(doc.id)).value()).toEqual({
        title: "Ordre du jour",
        items: ["trésorerie", "collage"],
      });
    });
  });

  it("keeps what a document opened in the window received, once, and after a restart", async () => {
    const { a, b, held, newlyPublished, store, secret, authority } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "Fête de quartier" });
    const [envelope] = await newlyPublished();
    await receiveHolding(b, held, envelope!, keptOf(doc.id), async () => {
      await b.open<Note>(doc.id);
    });
    // The open took the content from memory: the copy saved meanwhile goes once the Repo has saved it.
    await b.flush();
    expect(await store.storage.loadRange([doc.id, "cellule-pending"])).toEqual([]);
    await b.close(0);
    const again = await createKit({ ...store, authority, createIdentity: false });
    cleanup.push(() => again.close(0));
    await again.addScope(MEMBERS, secret);
    expect(again.documents(MEMBERS)).toEqual([doc.id]);
    expect((await again.open<Note>(doc.id)).value()).toEqual({ title: "Fête de quartier" });
  });
});
