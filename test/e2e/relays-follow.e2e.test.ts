/**
 * Devices follow the cell's relay list, through real relays: a cell that lives on relay A only adds relay
 * B (the secretary, by the default rules); its devices talk to B from then on and give it the cell's
 * history (a new relay starts empty), so once A is gone they keep syncing through B: losing a server
 * changes nothing.
 */
import { describe, expect, it } from "vitest";
import type { RelayServer } from "../../adapters/relay/index.js";
import type { Cell, Kit } from "../../core/index.js";
import { admittedCell, relayDevice, relayFixture } from "../support/cells.js";
import { until, whenOpen } from "../support/devices.js";
import { fetchTopic } from "../support/relay-client.js";

const network = relayFixture(2);

/** Follows the relay list of `cell`'s log, as the member space does on every change. */
function follow(kit: Kit, cell: Cell): void {
  cell.on("change", (state) => {
    if (state.relays.length > 0) kit.useRelays(state.relays);
  });
}

describe("the cell's relay list", () => {
  it("is what its devices use: a relay added gets the history, and carries the cell once another stops", async () => {
    const [a, b] = network.relays() as [RelayServer, RelayServer];
    const f = await relayDevice([a.url]);
    const m = await relayDevice([a.url]);
    const { cell, cells } = await admittedCell(f, "Fatima", [{ kit: m, name: "Marc" }]);
    const marc = cells[0]!;
    follow(f, cell);
    follow(m, marc);
    const notes = await cell.create("members", { items: ["Réunion mardi"] });
    const [members] = f.topicsOf(cell.scopeId("members"));
    expect((await fetchTopic(b.url, members!)).records).toEqual([]);

    await cell.setRelays([a.url, b.url]);
    await until(() => marc.state.relays.includes(b.url), "Marc's device to learn of relay B");
    // B is given what the devices keep: the log from its genesis, and the document.
    await until(
      async () => (await fetchTopic(b.url, members!)).records.length >= cell.state.members.size + 1,
      "relay B to hold the cell's history",
    );

    // Relay A leaves the list (its operator stops it): Fatima's notes still reach Marc, through B.
    await cell.setRelays([b.url]);
    await until(() => marc.state.relays.join() === b.url, "Marc's device to follow the new list");
    await until(
      () => m.transportStatus().every((t) => t.endpoints.every((e) => e.id === b.url)),
      "Marc to leave A",
    );
    await a.close();
    notes.change((d) => {
      d.items.push("Tractage samedi");
    });
    const his = await whenOpen(
      () => marc.open<{ items: string[] }>(notes.id),
      "Fatima's notes on Marc's device",
    );
    await until(() => his.value().items.length === 2, "Fatima's change to reach Marc through B");
    expect(his.value().items).toEqual(["Réunion mardi", "Tractage samedi"]);
  }, 60_000);
});
