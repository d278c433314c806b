/**
 * Issue 12, item 3, through two in-process relays: invitations listed and revoked (a redeem of a revoked
 * invitation, which an app that ignores the revocation still sends, is refused on every device), leaving
 * the cell, device names, and when each device was last seen (kept by each device, across a restart).
 */
import { describe, expect, it } from "vitest";
import { Cell, ForbiddenError, InvalidArgumentError, type Kit, NotAMemberError } from "../../core/index.js";
import { admittedCell, membership, relayFixture, storeOf } from "../support/cells.js";
import { until } from "../support/devices.js";

const network = relayFixture();

async function cellOfThree() {
  const [f, a, b] = (await Promise.all([network.device(), network.device(), network.device()])) as [
    Kit,
    Kit,
    Kit,
  ];
  const { cell, cells } = await admittedCell(f, "Fatima", [
    { kit: a, name: "Ali", role: "secretary" },
    { kit: b, name: "Béa" },
  ]);
  const [ali, bea] = cells as [Cell, Cell];
  return { f, a, b, cell, ali, bea };
}

describe("invitations", () => {
  it("are listed with role, expiry and use, and a revoked one admits nobody on any device", async () => {
    const { cell, ali, bea } = await cellOfThree();
    const single = await cell.invite({ role: "treasurer", expiresInMs: 3_600_000 });
    const multi = await ali.invite({ single: false });
    await until(() => bea.state.invites.has(multi.id) && bea.state.invites.has(single.id), "Béa to see both");
    const listed = cell.invitations().filter((i) => [single.id, multi.id].includes(i.id));
    expect(listed.map((i) => [i.id, i.role, i.single, i.used, i.revoked, i.open])).toEqual([
      [multi.id, "member", false, false, false, true],
      [single.id, "treasurer", true, false, false, true],
    ]);
    expect(listed.find((i) => i.id === single.id)?.expires).toBe(single.expires);

    await cell.revokeInvite(single.id);
    expect(cell.invitations().find((i) => i.id === single.id)).toMatchObject({ revoked: true, open: false });
    // The invitee's app does not know of the revocation and redeems anyway.
    const intruder = await Cell.join(await network.device(), single, { name: "Intrus" });
    // A redeem of the open one reaches every device: so the revoked one had its chance to arrive too.
    const welcome = await Cell.join(await network.device(), multi, { name: "Chloé" });
    const chloe = () => cell.members().find((m) => m.name === "Chloé");
    await until(() => chloe()?.status === "pending", "Chloé's redeem");
    await until(() => cell.refused().some((r) => r.op.body.op.type === "redeem"), "the revoked redeem");
    for (const c of [cell, ali, bea]) {
      await until(() => c.members().some((m) => m.name === "Chloé"), "every device to see Chloé");
      await until(() => c.refused().some((r) => r.op.body.op.type === "redeem"), "every device to refuse");
      expect(c.members().some((m) => m.name === "Intrus")).toBe(false);
    }
    expect(intruder.status).toBe("joining");
    await cell.admit(chloe()!.id);
    await welcome.whenMember();
    expect(cell.invitations().find((i) => i.id === multi.id)).toMatchObject({ used: true, open: true });
  }, 60_000);

  it("are revoked only by whoever may invite, and not once used up", async () => {
    const { cell, ali, bea } = await cellOfThree();
    const invitation = await cell.invite();
    await until(() => bea.state.invites.has(invitation.id), "Béa to see it");
    await expect(bea.revokeInvite(invitation.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cell.revokeInvite("bm9uZQ")).rejects.toBeInstanceOf(InvalidArgumentError);
    // A removed officer: her device knows she was removed and refuses.
    await cell.remove(ali.me()!.id);
    await until(() => ali.status === "removed", "Ali to learn of her removal");
    await expect(ali.revokeInvite(invitation.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(cell.invitations().find((i) => i.id === invitation.id)?.revoked).toBe(false);
    await Cell.join(await network.device(), invitation, { name: "Chloé" });
    await until(() => cell.members().some((m) => m.name === "Chloé"), "Chloé's redeem");
    await expect(cell.revokeInvite(invitation.id)).rejects.toBeInstanceOf(ForbiddenError);
  }, 60_000);
});

describe("leaving", () => {
  it("removes the member by themself; the keys they read rotate, and the device reads nothing new", async () => {
    const { cell, ali, bea, b } = await cellOfThree();
    const members = cell.scopeId("members");
    const epoch = cell.kit.epochOf(members)!.epoch;
    await bea.leave();
    expect(bea.status).toBe("removed");
    await expect(bea.leave()).rejects.toBeInstanceOf(NotAMemberError);
    await until(() => cell.members().find((m) => m.name === "Béa")?.status === "removed", "Fatima to see it");
    await until(() => (cell.kit.epochOf(members)?.epoch ?? 0) > epoch, "the members key to rotate");
    await until(() => membership(ali) === membership(cell), "Ali to agree");
    await until(() => ali.kit.epochOf(members)!.epoch > epoch, "Ali to get the new key");
    expect(b.epochOf(members)!.epoch).toBe(epoch);
  }, 60_000);
});

describe("devices", () => {
  it("have the names their member gives them, and a last-seen time kept across a restart", async () => {
    const { f, cell, bea, b } = await cellOfThree();
    const device = b.device.id;
    await expect(bea.nameDevice(device, "   ")).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(bea.nameDevice(device, "x".repeat(65))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(bea.nameDevice(f.device.id, "Volé")).rejects.toBeInstanceOf(ForbiddenError);
    await bea.nameDevice(device, "Téléphone de Béa");
    const beaId = bea.me()!.id;
    await until(() => cell.devicesOf(beaId)[0]?.name === "Téléphone de Béa", "Fatima to see the name");
    expect(cell.devicesOf(cell.me()!.id)).toEqual([
      expect.objectContaining({ id: f.device.id, self: true, removed: false, recovery: false }),
    ]);

    const before = Date.now();
    await bea.create("members", { note: "Réunion jeudi" });
    await until(() => (cell.devicesOf(beaId)[0]?.lastSeen ?? 0) >= before, "Fatima to hear from Béa");
    const seen = cell.devicesOf(beaId)[0]!.lastSeen!;
    await f.close();
    const again = await Cell.open(await network.device(storeOf(f)), cell.id);
    expect(again.devicesOf(beaId)[0]!.lastSeen).toBeGreaterThanOrEqual(seen);
    expect(again.devicesOf(beaId)[0]!.name).toBe("Téléphone de Béa");
  }, 60_000);
});
