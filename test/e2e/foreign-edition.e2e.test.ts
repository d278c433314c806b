/**
 * A stolen officer phone extends the cell's publication chain on a relay before the real devices publish
 * there (the one attack the relays' "never go back on a chain" rule cannot stop: first seen wins). A member
 * device tells which relay serves a chain its log did not make (`foreignEditions`), and names the link
 * where it departs, so the officers know which operator to ask to delete it; relays serving the real
 * chain are not listed.
 */
import { describe, expect, it } from "vitest";
import { type Cell, foreignEditions, type Kit, publishEditions, relaySink } from "../../core/index.js";
import { buildEdition, signEdition } from "../../core/internals.js";
import { rotatedKeys } from "../../core/site/test-support.js";
import { admittedCell, relayFixture } from "../support/cells.js";
import { servedEdition } from "../support/raw.js";

const network = relayFixture();

describe("a foreign edition on one relay", () => {
  it("is found by a member device, which names the relay and the first link the log did not make", async () => {
    const [f, e] = [await network.device(), await network.device()] as [Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [{ kit: e, name: "Élise", role: "editor" }]);
    const [elise] = cells as [Cell];
    const [a, b] = network.relays().map((r) => r.url) as [string, string];

    // Élise's phone is stolen: the thief certifies a key of his own with the current key, and is first on B.
    const thief = await rotatedKeys(cell.id, await elise.publicationKeys());
    const defaced = await signEdition(
      buildEdition(
        cell.genesis,
        thief.chain,
        {
          profile: { name: "DEFACED", place: "", description: "", contact: "", relays: [] },
          posts: [],
          pages: { about: "", contact: "", whyJoin: "" },
          events: [],
        },
        Date.now(),
      ),
      thief.signing.privateKey,
    );
    expect(
      (await fetch(`${b}/c/${cell.id}/edition`, { method: "PUT", body: Buffer.from(defaced) })).status,
    ).toBe(201);
    const publisher = await publishEditions(cell, { sink: relaySink([a, b]), debounceMs: 50 });
    await publisher.close();
    expect((await servedEdition(a, cell.id))?.profile.name).toBe("Cellule Louise-Michel");
    expect((await servedEdition(b, cell.id))?.profile.name).toBe("DEFACED");

    expect(await foreignEditions(cell, [a, b])).toEqual([{ relay: b, link: 1 }]);
    expect(await foreignEditions(elise, [a])).toEqual([]);
  }, 60_000);
});
