/**
 * Issue 11, M5, through two in-process relays: an invitation's expiry is judged by the clock of the device
 * that receives the redeem, not by the time the redeemer claims. Someone holding an expired invitation,
 * whose app dates its redeem from before the expiry, gets a pending request that no officer's device will
 * admit, and that no member's device passes on to the others. Before, the claimed time decided: the
 * request was admitted, and every member device re-broadcast every redeem, valid or not.
 */
import { describe, expect, it } from "vitest";
import { Cell, ExpiredInviteError, type Kit } from "../../core/index.js";
import { admittedCell, relayFixture, storeOf } from "../support/cells.js";
import { until } from "../support/devices.js";

const network = relayFixture();

describe("invitation expiry", () => {
  it("a redeem dated before the expiry but received after it is neither admitted nor passed on", async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const [f, b] = [
      await network.device(undefined, { clock }),
      await network.device(undefined, { clock }),
    ] as [Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [{ kit: b, name: "Béatrice" }]);
    const [bea] = cells as [Cell];
    const invitation = await cell.invite({ expiresInMs: 60_000 });
    await until(() => bea.state.invites.has(invitation.id), "B to see the invitation");
    // And to listen to its inbox, before the clock moves past its expiry (then she no longer would).
    await until(
      () => bea.kit.epochOf(bea.scopeId(`invite:${invitation.id}`)) !== undefined,
      "B to listen to the invitation's inbox",
    );

    // Two minutes later by every member's clock; the holder's app says it is still the day it was given.
    now += 120_000;
    const stale = await network.device(undefined, { clock: { now: () => invitation.expires - 1 } });
    const published = b.stats.published;
    await Cell.join(stale, invitation, { name: "Intrus" });
    const pending = () => cell.members().find((m) => m.name === "Intrus" && m.status === "pending");
    await until(() => !!pending(), "F to receive the request");
    await until(() => bea.members().some((m) => m.name === "Intrus"), "B to receive the request");

    const intruder = pending()!.id;
    await expect(cell.admit(intruder)).rejects.toBeInstanceOf(ExpiredInviteError);
    expect(b.stats.published).toBe(published);
    // Judged late after a restart too (the device recorded it).
    await f.close(0);
    const again = await Cell.open(await network.device(storeOf(f), { clock }), cell.id);
    await expect(again.admit(intruder)).rejects.toBeInstanceOf(ExpiredInviteError);
    expect(again.members().find((m) => m.id === intruder)?.status).toBe("pending");
  }, 60_000);
});
