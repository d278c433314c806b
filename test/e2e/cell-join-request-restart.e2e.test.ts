/**
 * Issue 12, item 5, through two in-process relays: a request to join accepted by the secretary is admitted
 * when its redeem arrives even though the secretary's app was closed and opened again in between (the
 * approval is stored, not only in memory). The order is made certain: the secretary's Kit is closed (its
 * invitation delivered), the newcomer's redeem is on the relays before the secretary's device opens again.
 * The approval goes with its invitation: once expired, a restarted device forgets it.
 */
import { describe, expect, it } from "vitest";
import { CellStore } from "../../core/cell/store.js";
import { Cell, JoinRequest, type Kit } from "../../core/index.js";
import { admittedCell, relayFixture, storeOf } from "../support/cells.js";
import { until } from "../support/devices.js";

const network = relayFixture();

function admissionOf(cell: Cell) {
  const chain = cell.state.publication;
  return { cell: cell.id, admission: chain.at(-1)!.cert.admission, keyIndex: chain.length - 1 };
}

/** Whether every envelope `kit` sent is on at least one relay. */
const delivered = (kit: Kit) => kit.transportStatus().every((t) => t.pending === 0);

/**
 * F founds; V asks to join, and V's app is closed (its request delivered); F accepts, and F's app is closed
 * (its invitation delivered); then V's app opens again and redeems. F receives nothing while it was open
 * after accepting, since V was closed all that time.
 */
async function acceptedThenClosed(options: { clock?: { now: () => number } } = {}) {
  const f = await network.device(undefined, options);
  const { cell } = await admittedCell(f, "Fatima", []);
  const v = await network.device();
  await JoinRequest.send(v, { ...admissionOf(cell), name: "Camille", reach: "06 00" });
  await v.close();
  await until(async () => (await cell.contacts()).length === 1, "the request to reach Fatima");
  const [camille] = await cell.contacts();
  await cell.acceptJoin(camille!);
  // The approval is on F's disk before F closes (close waits for the invitation to reach a relay).
  expect((await new CellStore(f.storage, cell.id).loadApprovals()).size).toBe(1);
  await f.close();
  expect(cell.members()).toHaveLength(1);
  const v2 = await network.device(storeOf(v));
  const [request] = await JoinRequest.pending(v2);
  const joined = await request!.whenInvited();
  await until(() => delivered(v2), "the redeem to reach the relays while Fatima's app is closed");
  return { f, cell, joined };
}

describe("a request to join accepted before a restart", () => {
  it("is admitted by the reopened device when the redeem comes while it was closed", async () => {
    const { f, cell, joined } = await acceptedThenClosed();
    expect(joined.status).toBe("joining");

    const again = await Cell.open(await network.device(storeOf(f)), cell.id);
    await joined.whenMember();
    expect(joined.me()).toMatchObject({ name: "Camille", status: "member" });
    await until(
      () => again.members().some((m) => m.name === "Camille" && m.status === "member"),
      "the reopened device to see her admitted",
    );
    // Admitted once, and the approval is gone from the store.
    expect(again.state.members.size).toBe(2);
    expect((await new CellStore(storeOf(f).storage, cell.id).loadApprovals()).size).toBe(0);
  }, 60_000);

  it("expires with its invitation: a device reopened after the expiry forgets it and admits nobody", async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const { f, cell } = await acceptedThenClosed({ clock });
    now += 15 * 86_400_000;
    const again = await Cell.open(await network.device(storeOf(f), { clock }), cell.id);
    expect((await new CellStore(storeOf(f).storage, cell.id).loadApprovals()).size).toBe(0);
    // The expired invitation's inbox is not listened to any more: the redeem is not even picked up.
    expect(again.members().map((m) => m.name)).toEqual(["Fatima"]);
  }, 60_000);
});
