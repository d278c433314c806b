/**
 * The Cell API refuses bad input with typed errors and changes nothing: one founder device, no network
 * (what travels is tested end to end in test/e2e/cell*.e2e.test.ts).
 */
import { describe, expect, it } from "vitest";
import { memoryKit } from "../../test/support/devices.js";
import { ExpiredInviteError, ForbiddenError, InvalidArgumentError, NotAMemberError } from "../base/errors.js";
import { parseCellId, parseDocId, parseMemberId } from "../base/ids.js";
import { invitationFrom, invitationToText } from "../governance/invitation-text.js";
import type { OpHash } from "../governance/types.js";
import { Cell } from "./cell.js";

async function founded() {
  const kit = await memoryKit();
  const cell = await Cell.create(kit, { name: "Cellule Jean-Jaurès", founderName: "Fatima" });
  return { kit, cell, me: cell.me()!.id };
}

describe("Cell input", () => {
  it("refuses a cell or a member without a name", async () => {
    const kit = await memoryKit();
    await expect(Cell.create(kit, { name: "  ", founderName: "Fatima" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    const { cell } = await founded();
    await expect(Cell.join(await memoryKit(), await cell.invite(), { name: "" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it("refuses ops the log would refuse, leaving the log as it was", async () => {
    const { cell, me } = await founded();
    const heads = cell.heads.join();
    const stranger = parseMemberId("x".repeat(43));
    await expect(cell.invite({ role: "roi" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cell.admit(stranger)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cell.decline(stranger)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cell.remove(stranger)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cell.grant(me, "member")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cell.grant(me, "roi")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      cell.setPolicy(parseDocId("2xQzPq7hWvYbX4fTt1pGq8dKmNs"), { scope: "nulle-part", writers: ["member"] }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cell.approveRules("0".repeat(64) as OpHash)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(cell.setRelays(["ftp://relais.example.org"])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cell.openPair(me)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cell.openPair(stranger)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cell.create("nulle-part", {})).rejects.toBeInstanceOf(NotAMemberError);
    await expect(cell.signRecord("", {})).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(cell.heads.join()).toBe(heads);
  });

  it("passes invitations as text, and refuses damaged or expired ones", async () => {
    const { cell } = await founded();
    const invitation = await cell.invite({ expiresInMs: 60_000 });
    expect(invitationFrom(invitationToText(invitation))).toEqual(invitation);
    const text = invitationToText(invitation);
    for (const bad of ["", "bonjour", "cellule-invite:1:", `${text.slice(0, -10)}`, "cellule-invite:1:e30"]) {
      expect(() => invitationFrom(bad), bad.slice(0, 30)).toThrow(InvalidArgumentError);
    }
    const joiner = await memoryKit();
    await expect(Cell.join(joiner, "pas une invitation", { name: "Ali" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    const expired = await cell.invite({ expiresInMs: -1 });
    await expect(Cell.join(joiner, invitationToText(expired), { name: "Ali" })).rejects.toBeInstanceOf(
      ExpiredInviteError,
    );
    expect(await Cell.list(joiner)).toEqual([]);
  });

  it("says plainly when this device knows no such cell", async () => {
    const kit = await memoryKit();
    await expect(Cell.open(kit, parseCellId("0".repeat(64)))).rejects.toBeInstanceOf(NotAMemberError);
  });

  it("dates invitations, their expiry and records by the Kit's clock", async () => {
    let now = Date.UTC(2026, 0, 15, 9);
    const clock = { now: () => now };
    const kit = await memoryKit({ clock });
    const cell = await Cell.create(kit, { name: "Cellule du 11e", founderName: "Fatima" });
    const invitation = await cell.invite({ expiresInMs: 60_000 });
    expect(invitation.expires).toBe(Date.UTC(2026, 0, 15, 9, 1));
    expect((await cell.signRecord("note", { n: 1 })).at).toBe(now);
    // A device whose clock says the invitation has expired refuses to redeem it.
    now += 120_000;
    const late = await memoryKit({ clock });
    await expect(Cell.join(late, invitation, { name: "Ali" })).rejects.toBeInstanceOf(ExpiredInviteError);
  });
});
