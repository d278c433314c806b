/**
 * A Kit holds one cell: founding, joining, linking, recovering or asking to join another cell on a Kit
 * that holds one is refused before anything is sent or stored, so a device's key never links two cells
 * (what a relay and both cells' members would otherwise see). No network: the refusal comes first.
 */
import { describe, expect, it } from "vitest";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { memoryKit } from "../../test/support/devices.js";
import { KitInUseError } from "../base/errors.js";
import { createKit } from "../kit/create-kit.js";
import { Cell } from "./cell.js";
import { JoinRequest } from "./join-request.js";

/** A request to join `cell`, sealed to its current admission key. */
function request(cell: Cell) {
  const chain = cell.state.publication;
  const admission = chain.at(-1)!.cert.admission;
  return { cell: cell.id, admission, keyIndex: chain.length - 1, name: "Ali", reach: "ali@example.org" };
}

describe("one cell per Kit", () => {
  it("refuses to bring a second cell onto a Kit, and stores nothing of it", async () => {
    const other = await Cell.create(await memoryKit(), { name: "Cellule du 11e", founderName: "Samia" });
    const kit = await memoryKit();
    const mine = await Cell.create(kit, { name: "Cellule Jean-Jaurès", founderName: "Fatima" });
    const invitation = await other.invite();
    const attempts = [
      () => Cell.create(kit, { name: "Cellule bis", founderName: "Fatima" }),
      () => Cell.join(kit, invitation, { name: "Fatima" }),
      () => Cell.link(kit, "cellule-link:1:e30"),
      () => Cell.recover(kit, "n'importe quels mots"),
      () => JoinRequest.send(kit, request(other)),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(KitInUseError);
    expect(await Cell.list(kit)).toEqual([mine.id]);
    expect(await JoinRequest.pending(kit)).toEqual([]);
  });

  it("refuses another cell while a request to join one waits, and takes that cell's invitation", async () => {
    const asked = await Cell.create(await memoryKit(), { name: "Cellule du 11e", founderName: "Samia" });
    const kit = await memoryKit();
    await JoinRequest.send(kit, request(asked));
    await expect(Cell.create(kit, { name: "Cellule bis", founderName: "Ali" })).rejects.toBeInstanceOf(
      KitInUseError,
    );
    const joined = await Cell.join(kit, await asked.invite(), { name: "Ali" });
    expect(joined.id).toBe(asked.id);
  });

  it("gives a device in two cells a key in each: a Kit of its own on the same keystore", async () => {
    const keystore = memoryKeystore();
    const first = await createKit({ storage: memoryStorage(), keystore, deviceName: "cell-1" });
    const second = await createKit({ storage: memoryStorage(), keystore, deviceName: "cell-2" });
    const a = await Cell.create(first, { name: "Cellule Jean-Jaurès", founderName: "Fatima" });
    const b = await Cell.create(second, { name: "Cellule du 11e", founderName: "Fatima" });
    const [inA] = a.me()!.devices;
    expect(b.me()!.devices.has(inA!)).toBe(false);
    expect(first.device.id).not.toBe(second.device.id);
  });
});
