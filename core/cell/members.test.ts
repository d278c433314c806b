/**
 * The members part of the Cell API without a network (issue 12, item 3): invitations listed as they stand
 * (open, used, revoked, expired by this device's clock), and typed errors, with nothing written, for an
 * unknown invitation, a device name that is empty, too long or for another's device, and leaving twice.
 * What travels between devices is tested end to end in test/e2e/cell-members.e2e.test.ts.
 */
import { describe, expect, it } from "vitest";
import { memoryKit } from "../../test/support/devices.js";
import { ForbiddenError, InvalidArgumentError, NotAMemberError } from "../base/errors.js";
import { parseDeviceId, parseMemberId } from "../base/ids.js";
import { Cell } from "./cell.js";

async function founded() {
  let now = Date.now();
  const kit = await memoryKit({ clock: { now: () => now } });
  const cell = await Cell.create(kit, { name: "Cellule Jean-Jaurès", founderName: "Fatima" });
  return { kit, cell, later: (ms: number) => (now += ms) };
}

describe("Cell members API", () => {
  it("lists invitations as they stand: open, revoked, expired by this device's clock", async () => {
    const { cell, later } = await founded();
    const short = await cell.invite({ expiresInMs: 60_000 });
    const multi = await cell.invite({ single: false, role: "editor" });
    const revoked = await cell.invite();
    await cell.revokeInvite(revoked.id);
    const byId = () => new Map(cell.invitations().map((i) => [i.id, i]));
    expect(byId().get(multi.id)).toMatchObject({ role: "editor", single: false, used: false, open: true });
    expect(byId().get(revoked.id)).toMatchObject({ revoked: true, open: false, expired: false });
    expect(byId().get(short.id)).toMatchObject({ expired: false, open: true, by: cell.me()!.id });
    later(120_000);
    expect(byId().get(short.id)).toMatchObject({ expired: true, open: false });
    expect(JSON.stringify(cell.invitations())).not.toContain(short.key);
  });

  it("refuses with typed errors, writing nothing", async () => {
    const { kit, cell } = await founded();
    const heads = cell.heads.join();
    await expect(cell.revokeInvite("bm9uZQ")).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cell.nameDevice(kit.device.id, "")).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cell.nameDevice(kit.device.id, "x".repeat(65))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cell.nameDevice(kit.device.id, 42 as unknown as string)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    const stranger = parseDeviceId("x".repeat(43));
    await expect(cell.nameDevice(stranger, "Volé")).rejects.toBeInstanceOf(ForbiddenError);
    expect(cell.heads.join()).toBe(heads);
    expect(cell.devicesOf(parseMemberId("y".repeat(43)))).toEqual([]);
  });

  it("names this device, and leaves once", async () => {
    const { kit, cell } = await founded();
    await cell.nameDevice(kit.device.id, "  Téléphone  ");
    expect(cell.devicesOf(cell.me()!.id)).toEqual([
      { id: kit.device.id, name: "Téléphone", removed: false, recovery: false, self: true },
    ]);
    await cell.leave();
    expect(cell.status).toBe("removed");
    expect(cell.devicesOf(cell.me()!.id)[0]?.removed).toBe(true);
    await expect(cell.leave()).rejects.toBeInstanceOf(NotAMemberError);
  });

  it("has no invitations, devices or leaving while joining", async () => {
    const { cell } = await founded();
    const joining = await Cell.join(await memoryKit(), await cell.invite(), { name: "Ali" });
    expect(joining.invitations()).toEqual([]);
    expect(joining.devicesOf(cell.me()!.id)).toEqual([]);
    await expect(joining.leave()).rejects.toBeInstanceOf(NotAMemberError);
  });
});
