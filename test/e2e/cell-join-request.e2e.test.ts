/**
 * Joining without an invitation, end to end through two in-process relays: a visitor's new device asks
 * to join; the request reaches the officers like a contact request; the secretary accepts; an invitation
 * sealed to that device arrives in its mailbox, is redeemed, and admitted; the new member reads the cell.
 */
import { describe, expect, it } from "vitest";
import {
  type Cell,
  contactTopic,
  InvalidArgumentError,
  JoinRequest,
  type Kit,
  sealContact,
} from "../../core/index.js";
import { admittedCell, relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";

const network = relayFixture();
const device = () => network.device();

function admissionOf(cell: Cell) {
  const chain = cell.state.publication;
  return { cell: cell.id, admission: chain.at(-1)!.cert.admission, keyIndex: chain.length - 1 };
}

describe("a request to join", () => {
  it("is accepted by the secretary: an invitation reaches the device, which becomes a member", async () => {
    const f = await device();
    const { cell } = await admittedCell(f, "Fatima", []);
    await cell.create("members", { note: "Réunion mardi" });

    const v = await device();
    await expect(
      JoinRequest.send(v, { ...admissionOf(cell), name: " ", reach: "camille@example.org" }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    const request = await JoinRequest.send(v, {
      ...admissionOf(cell),
      name: "Camille",
      reach: "camille@example.org",
      message: "Je voudrais adhérer",
    });
    expect((await JoinRequest.pending(v)).map((r) => r.cell)).toEqual([cell.id]);
    const invited = request.whenInvited();

    // A plain contact request cannot be "accepted"; the request to join shows its device.
    const plain = await sealContact(cell.id, admissionOf(cell).admission, 0, {
      name: "Nadia",
      reach: "nadia@example.org",
      message: "",
      consent: true,
      lang: "fr",
    });
    await fetch(`${network.relays()[0]!.url}/t/${await contactTopic(cell.id)}`, {
      method: "POST",
      body: plain as never,
    });
    await until(async () => (await cell.contacts()).length === 2, "both requests");
    const contacts = await cell.contacts();
    const nadia = contacts.find((c) => c.name === "Nadia")!;
    const camille = contacts.find((c) => c.name === "Camille")!;
    expect(camille.device?.signing).toBeDefined();
    await expect(cell.acceptJoin(nadia)).rejects.toBeInstanceOf(InvalidArgumentError);

    await cell.acceptJoin(camille);
    const joined = await invited;
    await joined.whenMember();
    expect(joined.me()).toMatchObject({ name: "Camille", status: "member" });
    await until(
      () => cell.members().some((m) => m.name === "Camille" && m.status === "member"),
      "Fatima to see her",
    );
    await until(
      () => v.documents(joined.scopeId("members")).length > 0,
      "Camille to receive the members' documents",
    );
    expect(await JoinRequest.pending(v)).toEqual([]);
  }, 60_000);

  it("ignores a device mail that is not an invitation to that cell", async () => {
    const f = await device();
    const { cell } = await admittedCell(f, "Fatima", []);
    const other = await admittedCell(await device(), "Omar", [], "Autre cellule");
    const v: Kit = await device();
    const request = await JoinRequest.send(v, { ...admissionOf(cell), name: "Camille", reach: "06" });
    const invited = request.whenInvited().then(() => "invited");
    // Omar's cell sends v an invitation to his own cell, to v's mailbox of Fatima's cell: refused.
    await until(async () => (await cell.contacts()).length === 1, "the request");
    const [req] = await cell.contacts();
    const { sealInvitation } = await import("../../core/cell/device-mail.js");
    const foreign = await sealInvitation(cell.id, req!.device!, await other.cell.invite({ single: true }));
    let refused = 0;
    v.on("rejected", () => refused++);
    await f.post(foreign);
    await until(() => refused > 0, "v to refuse the foreign invitation");
    expect(await Promise.race([invited, new Promise((r) => setTimeout(() => r("waiting"), 300))])).toBe(
      "waiting",
    );
  }, 60_000);
});
