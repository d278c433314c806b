/**
 * A device that may publish, opening again (the member space on an officer's phone): it publishes at start
 * only when a relay's edition is out of date — the cell's public documents changed while no device that
 * may publish was open, a relay lost its copy — and not when every relay already serves what it would.
 */
import { describe, expect, it } from "vitest";
import { Cell, openSite, publishEditions, relaySink } from "../../core/index.js";
import { relayFixture } from "../support/cells.js";
import { servedEdition } from "../support/raw.js";

const network = relayFixture();

describe("publishing at start", () => {
  it("happens when a relay's edition is out of date, and not when every relay serves the current one", async () => {
    const kit = await network.device();
    const relays = network.relays().map((r) => r.url);
    const cell = await Cell.create(kit, { name: "Cellule Jean-Jaurès", founderName: "Fatima" });
    const site = await openSite(cell, { profile: { relays } });
    const start = () =>
      publishEditions(cell, { sink: relaySink(relays), servedBy: relays, debounceMs: 60_000 });

    // Nothing served yet: the first start publishes.
    await (await start()).close();
    const first = await Promise.all(relays.map((r) => servedEdition(r, cell.id)));
    expect(first.every((e) => e !== undefined)).toBe(true);

    // Opened again with nothing changed: every relay keeps the edition it had.
    await (await start()).close();
    const again = await Promise.all(relays.map((r) => servedEdition(r, cell.id)));
    expect(again.map((e) => e?.at)).toEqual(first.map((e) => e?.at));

    // A post written while no publisher ran (the debounce never fires here): the next start publishes it.
    await site.journal.put({
      id: "p1",
      title: "Permanence samedi",
      text: "10 h",
      author: "Fatima",
      date: Date.now(),
    });
    await (await start()).close();
    for (const relay of relays)
      expect((await servedEdition(relay, cell.id))?.posts.map((p) => p.title)).toEqual(["Permanence samedi"]);

    // One relay out of date is enough: a change published to the first relay only, then a start.
    site.site.setProfile({ ...site.site.profile, place: "Lyon 7e" });
    const [one, other] = relays as [string, string];
    await (await publishEditions(cell, { sink: relaySink([one]), debounceMs: 60_000 })).close();
    expect((await servedEdition(other, cell.id))?.profile.place).toBe("");
    await (await start()).close();
    expect((await servedEdition(other, cell.id))?.profile.place).toBe("Lyon 7e");
  });
});
