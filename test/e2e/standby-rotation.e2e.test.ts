/**
 * Issue 11, M2, through relays: when a plain member leaves (or removes a lost phone) while the first
 * designated rotator is offline, the members key no longer waits for that one device. The member space
 * can say the scope is stale meanwhile (`staleScopes`), and the next rotator renews it on its own once its
 * standby has passed by its Kit's clock. Before, only `designatedRotators()[0]` ever rotated: the scope
 * stayed stale for as long as that device was away.
 */
import { describe, expect, it } from "vitest";
import { ROTATION_STANDBY_MS } from "../../core/cell/keys.js";
import type { Cell, Kit } from "../../core/index.js";
import { governance } from "../../core/internals.js";
import { admittedCell, relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";
import { partitionFixture } from "../support/partition.js";

const network = relayFixture();
const partition = partitionFixture(network);

describe("rotation without the first rotator online", () => {
  it("the second secretary renews the members key after its standby, and says it is stale until then", async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const [f, a, b] = [
      await partition.device({ clock }),
      await partition.device({ clock }),
      await partition.device({ clock }),
    ] as [Kit, Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima Ouali", [
      { kit: a, name: "Ali Benali", role: "secretary" },
      { kit: b, name: "Béatrice Roux" },
    ]);
    const [ali, bea] = cells as [Cell, Cell];
    const rotators = governance.designatedRotators(cell.state, "members");
    const [first, second] = rotators[0] === cell.me()!.id ? [f, a] : [a, f];
    const secondCell = second === f ? cell : ali;
    const epoch = cell.state.scopes.get("members")!.at(-1)!.epoch;

    await partition.cut(first);
    await bea.remove(bea.me()!.id); // Béatrice leaves: she may not rotate
    await until(
      () => secondCell.members().find((m) => m.name === "Béatrice Roux")?.status === "removed",
      "the leave",
    );
    await until(
      () => secondCell.staleScopes().includes("members"),
      "the second rotator to see the key stale",
    );
    expect(secondCell.state.scopes.get("members")!.at(-1)!.epoch).toBe(epoch);

    now += ROTATION_STANDBY_MS + 1;
    await until(
      () => secondCell.state.scopes.get("members")!.at(-1)!.epoch === epoch + 1,
      "the second rotator to renew the key after its standby",
      30_000,
    );
    expect(secondCell.staleScopes()).toEqual([]);
    await partition.restore(first);
    const firstCell = first === f ? cell : ali;
    await until(
      () => firstCell.state.scopes.get("members")!.at(-1)!.epoch === epoch + 1,
      "the first to catch up",
    );
  }, 120_000);

  it("a rotator who is not first renews at once when asked (the member space's button)", async () => {
    const [f, a, b] = [await partition.device(), await partition.device(), await partition.device()] as [
      Kit,
      Kit,
      Kit,
    ];
    const { cell, cells } = await admittedCell(f, "Fatima Ouali", [
      { kit: a, name: "Ali Benali", role: "secretary" },
      { kit: b, name: "Béatrice Roux" },
    ]);
    const [ali, bea] = cells as [Cell, Cell];
    const first = governance.designatedRotators(cell.state, "members")[0] === cell.me()!.id ? f : a;
    const secondCell = first === f ? ali : cell;
    const epoch = cell.state.scopes.get("members")!.at(-1)!.epoch;
    await partition.cut(first);
    await bea.remove(bea.me()!.id);
    await until(() => secondCell.staleScopes().includes("members"), "the key to be stale");
    await secondCell.renewStaleKeys();
    expect(secondCell.state.scopes.get("members")!.at(-1)!.epoch).toBe(epoch + 1);
    expect(secondCell.staleScopes()).toEqual([]);
    await partition.restore(first);
  }, 120_000);
});
