/**
 * The welcome against an invitation holder (issue 11, H4), through two in-process relays: someone who
 * holds only a multi-use invitation (a photo of its QR code) and reads the inbox topic from a relay finds
 * nothing there but redeems, while the invitee, admitted, gets the whole log sealed to its device.
 */
import { describe, expect, it } from "vitest";
import { fromBase64 } from "../../core/base/bytes.js";
import type { ScopeId } from "../../core/base/ids.js";
import { readOps } from "../../core/governance/ops.js";
import { Cell, type Kit } from "../../core/index.js";
import { openEnvelope } from "../../core/protocol/envelope.js";
import { sealedEpoch } from "../../core/protocol/scope-keys.js";
import { membership, relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";

const network = relayFixture();
const device = () => network.device();

/** Every envelope a relay stores under a topic, as anyone gets them: `GET /t/<topic>?since=0`. */
async function stored(url: string, topic: string): Promise<Uint8Array[]> {
  const res = await fetch(`${url}/t/${topic}?since=0`);
  expect(res.ok).toBe(true);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const view = new DataView(bytes.buffer);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = view.getUint32(at + 8);
    out.push(bytes.slice(at + 12, at + 12 + length));
    at += 12 + length;
  }
  return out;
}

describe("the welcome", () => {
  it("gives someone holding only a multi-use invitation nothing but redeems from its inbox", async () => {
    const [f, n1] = [await device(), await device()] as [Kit, Kit];
    const cell = await Cell.create(f, { name: "Cellule Louise-Michel", founderName: "Fatima" });
    const invitation = await cell.invite({ single: false });
    const joined = [await Cell.join(n1, invitation, { name: "Nadia" })];
    await until(() => cell.members().some((m) => m.status === "pending"), "the redeem");
    for (const m of cell.members().filter((m) => m.status === "pending")) await cell.admit(m.id);
    for (const c of joined) await c.whenMember();
    await until(() => joined.every((c) => membership(c) === membership(cell)), "everyone to agree");

    // The observer derives the inbox's key and topic from the invitation alone.
    const inbox = await sealedEpoch(
      `${cell.id}/invite:${invitation.id}` as ScopeId,
      1,
      fromBase64(invitation.inbox),
    );
    const types = new Set<string>();
    let opened = 0;
    for (const relay of network.relays()) {
      for (const bytes of await stored(relay.url, inbox.topic)) {
        const envelope = await openEnvelope(bytes, (t) => (t === inbox.topic ? inbox : undefined));
        opened++;
        for (const op of await readOps(envelope.body.items)) types.add(op.body.op.type);
      }
    }
    expect(opened).toBeGreaterThan(0);
    expect([...types]).toEqual(["redeem"]);
  }, 60_000);
});
