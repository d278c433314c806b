/**
 * A snapshot envelope (kind 2) may not carry another device's changes (security review H2): a member M
 * who may write a document builds a saved copy of it with a change under her colleague V's actor (read
 * from V's own changes) at V's next sequence number, and sends it as a snapshot through the relays. If a
 * device took it, V's real next change would be refused there as a duplicate, for good. Every device
 * refuses M's envelope with `ActorMismatchError`, and V's edit applies everywhere.
 */
import * as A from "@automerge/automerge";
import { describe, expect, it } from "vitest";
import { ActorMismatchError, type CelluleError, type Kit } from "../../core/index.js";
import { EnvelopeKind, randomBytes, sealEnvelope } from "../../core/internals.js";
import { admittedCell, relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";

const net = relayFixture(2);

type Minutes = { text: string; by?: string };

describe("a snapshot with a colleague's actor", () => {
  it("is refused on every device, and the colleague's own edit applies everywhere", async () => {
    const [f, m, v] = [await net.device(), await net.device(), await net.device()] as [Kit, Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima Ouali", [
      { kit: m, name: "Mona Kessler" },
      { kit: v, name: "Victor Hugues" },
    ]);
    const [mona, victor] = cells as [(typeof cells)[0], (typeof cells)[0]];
    const refusals = new Map<Kit, CelluleError[]>([
      [f, []],
      [v, []],
    ]);
    for (const [kit, list] of refusals) kit.on("rejected", (error) => void list.push(error));

    // Victor writes the minutes; everyone gets them.
    const minutes = await victor.create<Minutes>("members", { text: "Ordre du jour" });
    await v.flush();
    await until(
      () => [f, m].every((k) => k.documents(cell.scopeId("members")).includes(minutes.id)),
      "the minutes to reach everyone",
    );
    const onM = await mona.open<Minutes>(minutes.id);
    const onF = await cell.open<Minutes>(minutes.id);
    await until(() => onM.value().text === "Ordre du jour", "Mona's copy to fill");

    // Mona forges Victor's next change: his actor, read from his change, and his next seq.
    const victorActor = A.getActorId(minutes.value());
    const forged = A.change(A.clone(onM.value(), { actor: victorActor }), (d) => {
      d.text = "Ordre du jour (falsifié)";
      d.by = "Victor";
    });
    const envelope = await sealEnvelope(m.device, m.epochOf(cell.scopeId("members"))!, {
      kind: EnvelopeKind.snapshot,
      docId: minutes.id,
      session: randomBytes(16),
      heads: mona.heads,
      items: [A.save(forged)],
    });
    await m.post(envelope);
    await until(
      () => [...refusals.values()].every((list) => list.some((e) => e instanceof ActorMismatchError)),
      "Fatima's and Victor's devices to refuse the snapshot",
    );

    // Victor's real edit (the same seq the forgery took) applies on every device.
    minutes.change((d) => {
      d.text = "Ordre du jour, version de Victor";
    });
    await v.flush();
    await until(
      () => [onF, onM].every((doc) => doc.value().text === "Ordre du jour, version de Victor"),
      "Victor's edit to reach Fatima and Mona",
    );
    expect(onF.value().by).toBeUndefined();
    // Once per relay that delivered it.
    expect(f.stats.rejected["actor-mismatch"]).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
