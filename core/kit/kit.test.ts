import * as A from "@automerge/automerge";
import type { StorageKey } from "@automerge/automerge-repo/slim";
import { describe, expect, it } from "vitest";
import { memoryStorage } from "../../adapters/memory/index.js";
import { changesAs, envelopeOf, holdingSaves, looseIdentity, writersOf } from "../../test/support/devices.js";
import {
  ActorMismatchError,
  type DocId,
  ForbiddenError,
  IntegrityError,
  newScopeSecret,
  parseDocId,
  parseScopeId,
  UnknownDocumentError,
  UnknownScopeError,
} from "../index.js";
import { deriveActor, envelopeHash, fromHex } from "../internals.js";
import type { Transport } from "../ports/transport.js";

const MEMBERS = parseScopeId("members");
const OFFICERS = parseScopeId("officers");

type Note = { title: string; items?: string[] };

/** Two writers with a sealed scope; B receives whatever A publishes through `kit.receive`. */
async function pair() {
  const secret = newScopeSecret();
  const { authority, kits } = await writersOf(MEMBERS, 2);
  const [a, b] = kits as [(typeof kits)[0], (typeof kits)[0]];
  const scopeA = await a.addScope(MEMBERS, secret);
  await b.addScope(MEMBERS, secret);
  const sent: Uint8Array[] = [];
  // Capture what A publishes by wrapping the storage save of envelopes: simpler, read A's backlog.
  const publishedBy = async (kit: typeof a) => {
    const out: Uint8Array[] = [];
    for (const { data } of await (kit as any).options.storage.loadRange(["cellule-env", scopeA.topic]))
      out.push(data);
    return out;
  };
  return { a, b, authority, scope: scopeA, secret, sent, publishedBy };
}

describe("Kit: documents and ingest", () => {
  it("creates a document, seals its changes, and another device applies them", async () => {
    const { a, b, publishedBy } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "Réunion de cellule" });
    doc.change((d) => {
      d.items = ["tract", "affiches"];
    });
    await a.flush();
    for (const env of await publishedBy(a)) expect((await b.receive(env)).status).toBe("accepted");
    const copy = await b.open<Note>(doc.id);
    expect(copy.value()).toEqual({ title: "Réunion de cellule", items: ["tract", "affiches"] });
    expect(b.documents(MEMBERS)).toEqual([doc.id]);
    // The same envelopes again are duplicates, not errors.
    for (const env of await publishedBy(a)) expect((await b.receive(env)).status).toBe("duplicate");
    expect(b.stats.rejected).toEqual({});
  });

  it("uses an actor bound to the device key, document and session", async () => {
    const { a } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "x" });
    const actor = A.getActorId(doc.value());
    expect(actor).toHaveLength(32);
    const other = await deriveActor(a.device.signingPublicKey, "another" as DocId, new Uint8Array(16));
    expect(actor).not.toBe(other);
  });

  it("refuses forgeries with typed errors and keeps the honest history", async () => {
    const { a, b, authority, scope, secret, publishedBy } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "honnête" });
    await a.flush();
    const honest = await publishedBy(a);
    for (const env of honest) await b.receive(env);

    const outcomes: string[] = [];
    const expectRejected = async (env: Uint8Array, type: new (...args: any[]) => Error) => {
      const outcome = await b.receive(env);
      expect(outcome.status).toBe("rejected");
      if (outcome.status === "rejected") {
        expect(outcome.error).toBeInstanceOf(type);
        outcomes.push(outcome.error.code);
      }
    };

    // Unknown key: a device nobody allowed to write.
    const stranger = await looseIdentity();
    const strangerSession = new Uint8Array(16).fill(7);
    const strangerActor = await deriveActor(stranger.signingPublicKey, doc.id, strangerSession);
    await expectRejected(
      await envelopeOf(
        stranger,
        scope,
        doc.id,
        changesAs(strangerActor, (d) => (d.title = "pirate")),
        strangerSession,
      ),
      ForbiddenError,
    );

    // A writer of the scope using A's actor (copying A's session from A's envelope).
    const mallory = await looseIdentity();
    authority.allowScope(MEMBERS, [mallory.id]);
    const aActor = A.getActorId(doc.value());
    const victimSession = (a as any).session as Uint8Array;
    await expectRejected(
      await envelopeOf(
        mallory,
        scope,
        doc.id,
        changesAs(aActor, (d) => (d.title = "usurpé")),
        victimSession,
      ),
      ActorMismatchError,
    );

    // Flipped bit, truncated envelope, garbage.
    const good = honest[0]!;
    const flipped = good.slice();
    flipped[flipped.length - 20]! ^= 1;
    await expectRejected(flipped, IntegrityError);
    await expectRejected(good.slice(0, good.length - 10), IntegrityError);
    await expectRejected(good.slice(0, 30), IntegrityError);
    await expectRejected(new Uint8Array(0), IntegrityError);

    // Replayed under another known topic (another scope both devices hold): the header is authenticated.
    const other = await b.addScope(OFFICERS, newScopeSecret());
    const moved = good.slice();
    moved.set(fromHex(other.topic), 2);
    await expectRejected(moved, IntegrityError);
    // Under a topic nobody knows.
    const unknown = good.slice();
    unknown.set(new Uint8Array(32).fill(9), 2);
    await expectRejected(unknown, UnknownScopeError);
    // Under the right topic but a wrong epoch.
    const epoch2 = good.slice();
    epoch2[37] = 2;
    await expectRejected(epoch2, UnknownScopeError);

    expect(b.stats.rejected).toEqual({ forbidden: 1, "actor-mismatch": 1, integrity: 5, "unknown-scope": 2 });
    // Honest history intact, and still moving.
    doc.change((d) => {
      d.title = "toujours honnête";
    });
    await a.flush();
    for (const env of await publishedBy(a)) await b.receive(env);
    expect((await b.open<Note>(doc.id)).value().title).toBe("toujours honnête");
    expect(secret).toHaveLength(32);
  });

  it("refuses a local change by a device that may not write, before changing anything", async () => {
    const { a, authority } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "avant" });
    authority.setDocumentWriters(doc.id, []);
    expect(() =>
      doc.change((d) => {
        d.title = "après";
      }),
    ).toThrow(ForbiddenError);
    expect(doc.value().title).toBe("avant");
  });

  it("says plainly when a document is unknown", async () => {
    const { a } = await pair();
    await expect(a.open(parseDocId("4NMNnkMhL8jXrdJ9jamS58PAVdXu"))).rejects.toBeInstanceOf(
      UnknownDocumentError,
    );
  });
});

describe("Kit: documents received but not opened", () => {
  it("stores them without a handle, lists them, and merges them when first opened", async () => {
    const { a, b, publishedBy } = await pair();
    const docs = await Promise.all([1, 2, 3].map((i) => a.create<Note>(MEMBERS, { title: `Note ${i}` })));
    docs[0]!.change((d) => {
      d.items = ["un", "deux"];
    });
    await a.flush();
    for (const e of await publishedBy(a)) expect((await b.receive(e)).status).toBe("accepted");
    expect(b.documents(MEMBERS).sort()).toEqual(docs.map((d) => d.id).sort());
    expect(Object.keys(b.repo.handles)).toHaveLength(0);
    const storage = (b as any).options.storage;
    expect(await storage.loadRange([docs[0]!.id, "cellule-pending"])).not.toHaveLength(0);
    const opened = await b.open<Note>(docs[0]!.id);
    expect(opened.value()).toEqual({ title: "Note 1", items: ["un", "deux"] });
    expect(await storage.loadRange([docs[0]!.id, "cellule-pending"])).toHaveLength(0);
    // Once open, what arrives goes to the handle.
    docs[0]!.change((d) => {
      d.items!.push("trois");
    });
    await a.flush();
    for (const e of await publishedBy(a)) await b.receive(e);
    expect(opened.value().items).toEqual(["un", "deux", "trois"]);
  });

  it("opens a document whose stored changes include a damaged one, and keeps the rest", async () => {
    const { a, b, publishedBy } = await pair();
    const doc = await a.create<Note>(MEMBERS, { title: "Gardé" });
    await a.flush();
    for (const e of await publishedBy(a)) await b.receive(e);
    const storage = (b as any).options.storage;
    // A stored change damaged on disk: its checksum no longer matches.
    const damaged = A.getLastLocalChange(A.change(A.init<{ t?: string }>(), (d) => (d.t = "x")))!.slice();
    damaged[damaged.length - 3]! ^= 0xff;
    await storage.save([doc.id, "cellule-pending", "abîmé"], damaged);
    const refused: unknown[] = [];
    b.on("rejected", (error) => refused.push(error));
    // Automerge ignores or refuses a damaged chunk depending on what it is merged into: either way the
    // document opens with everything else, and a refusal is reported as an IntegrityError.
    expect((await b.open<Note>(doc.id)).value()).toEqual({ title: "Gardé" });
    for (const error of refused) expect(error).toBeInstanceOf(IntegrityError);
    expect(await storage.loadRange([doc.id, "cellule-pending"])).toHaveLength(0);
  });
});

describe("Kit: snapshots", () => {
  it("publishes a compacted snapshot after `snapshotEvery` local changes; a device holding only it reads the whole document", async () => {
    const secret = newScopeSecret();
    const { kits } = await writersOf(MEMBERS, 2, { snapshotEvery: 10 });
    const [a, b] = kits as [(typeof kits)[0], (typeof kits)[0]];
    const scope = await a.addScope(MEMBERS, secret);
    await b.addScope(MEMBERS, secret);
    const doc = await a.create<{ n: number[] }>(MEMBERS, { n: [] });
    for (let i = 0; i < 24; i++) {
      doc.change((d) => {
        d.n.push(i);
      });
      await new Promise((r) => setImmediate(r));
    }
    await a.flush();
    const { openEnvelope } = await import("../internals.js");
    const envelopes = (await (a as any).options.storage.loadRange(["cellule-env", scope.topic])).map(
      (c: { data: Uint8Array }) => c.data,
    );
    const opened = await Promise.all(envelopes.map((e: Uint8Array) => openEnvelope(e, () => scope)));
    const snapshots = opened.filter((o) => o.body.kind === 2);
    expect(snapshots).toHaveLength(2); // after changes 10 and 20 (the creation counts as one)
    // The newest snapshot alone brings B to the state it captured.
    const newest = envelopes[opened.indexOf(snapshots.at(-1)!)];
    expect((await b.receive(newest)).status).toBe("accepted");
    const copy = await b.open<{ n: number[] }>(doc.id);
    expect(copy.value().n.length).toBeGreaterThanOrEqual(19);
    // The remaining envelopes complete it; those the snapshot covered change nothing.
    for (const e of envelopes) await b.receive(e);
    expect(copy.value()).toEqual(doc.value());
    expect(b.stats.rejected).toEqual({});
  });
});

describe("Kit: sending", () => {
  it("hands envelopes to the transports in the order it made them, however long each one's save takes", async () => {
    const sent: Uint8Array[] = [];
    const transport: Transport = {
      name: "outbox",
      start: async () => {},
      publish: (e) => void sent.push(e),
      subscribe: () => {},
      unsubscribe: () => {},
      status: () => ({ name: "outbox", endpoints: [], pending: 0 }),
      close: async () => {},
    };
    const held = holdingSaves(memoryStorage());
    const { kits } = await writersOf(MEMBERS, 1, { storage: held.storage, transports: [transport] });
    const a = kits[0]!;
    await a.addScope(MEMBERS, newScopeSecret());
    const isEnvelope = (key: StorageKey) => key[0] === "cellule-env";
    // The first envelope's save waits; the second one's completes first.
    let first: StorageKey | undefined;
    const window = held.hold((key) => {
      if (isEnvelope(key)) first ??= key;
      return key === first;
    });
    const doc = await a.create<Note>(MEMBERS, { title: "Réunion" });
    expect(await window.reached).toBe(first);
    const secondSaved = held.saved((key) => isEnvelope(key) && key !== first);
    doc.change((d) => {
      d.items = ["tract"];
    });
    await secondSaved;
    // Saved in memory, the second envelope would be handed over by now (microtasks only, all run before
    // `setImmediate`): a receiver given the change before the creation it builds on shows an empty document.
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([]);
    window.release();
    await a.flush();
    expect(sent).toHaveLength(2);
    expect(await envelopeHash(sent[0]!)).toBe(first![2]);
    await a.close(0);
  });
});
