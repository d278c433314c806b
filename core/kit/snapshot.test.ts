/**
 * Snapshot envelopes keep the actor binding (security review H2): a snapshot may bring only changes the
 * document already holds, or its author's own (key, document, session). Of a document this device has
 * never seen, a refused snapshot leaves nothing behind: no document listed, nothing stored.
 */
import * as A from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import { writersOf } from "../../test/support/devices.js";
import { randomBytes, toHex } from "../base/bytes.js";
import { type DocId, parseScopeId } from "../base/ids.js";
import { newScopeSecret } from "../index.js";
import { EnvelopeKind, sealEnvelope } from "../protocol/envelope.js";
import { deriveActor } from "./automerge.js";

describe("a snapshot of a document never seen", () => {
  it("is taken when every change is its author's own, refused (and leaves nothing) otherwise", async () => {
    const secret = newScopeSecret();
    const members = parseScopeId("members");
    const { kits } = await writersOf(members, 2);
    const [a, b] = kits as [(typeof kits)[0], (typeof kits)[0]];
    const scope = await a.addScope(members, secret);
    await b.addScope(members, secret);
    const session = randomBytes(16);
    const snapshotOf = async (actor: string) => {
      const docId = toHex(randomBytes(16)) as DocId;
      const own = await deriveActor(a.device.signingPublicKey, docId, session);
      const doc = A.change(A.init<{ text?: string }>({ actor: actor === "own" ? own : actor }), (d) => {
        d.text = "Compte rendu";
      });
      const envelope = await sealEnvelope(a.device, scope, {
        kind: EnvelopeKind.snapshot,
        docId,
        session,
        items: [A.save(doc)],
      });
      return { docId, envelope };
    };

    const honest = await snapshotOf("own");
    expect((await b.receive(honest.envelope)).status).toBe("accepted");
    expect((await b.open<{ text: string }>(honest.docId)).value().text).toBe("Compte rendu");

    const forged = await snapshotOf("ab".repeat(16));
    const outcome = await b.receive(forged.envelope);
    expect(outcome.status === "rejected" && outcome.error.code).toBe("actor-mismatch");
    expect(b.documents()).not.toContain(forged.docId);
    expect(await b.storage.loadRange([forged.docId])).toEqual([]);
  });
});
