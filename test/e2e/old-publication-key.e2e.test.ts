/**
 * An expelled editor keeps the publication key she held (review C3, black-box test 6): whatever she signs
 * with it once the cell has renewed its chain (an edition on the old chain dated far ahead, or a fork where
 * the old key certifies a key of her own), no relay of the cell stores it, each keeps serving the cell's
 * real edition, what a contact form seals to stays the current officers' key, and a member device tells
 * her fork from the links its log made.
 */
import { describe, expect, it } from "vitest";
import type { CellPublication } from "../../core/cell/publication.js";
import { type Cell, type Kit, publishEditions, relaySink, verifyEdition } from "../../core/index.js";
import { buildEdition, signEdition } from "../../core/internals.js";
import { rotatedKeys } from "../../core/site/test-support.js";
import { newestEdition } from "../../elements/shared/edition-controller.js";
import { admittedCell, relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";

const network = relayFixture();

const content = (name: string) => ({
  profile: { name, place: "Lyon 7e", description: "", contact: "", relays: [] },
  posts: [],
  pages: { about: "", contact: "", whyJoin: "" },
  events: [],
});

describe("an expelled editor's publication key", () => {
  it("signs nothing a relay stores or a contact form seals to", async () => {
    const [f, e] = [await network.device(), await network.device()] as [Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [{ kit: e, name: "Élise", role: "editor" }]);
    const [elise] = cells as [Cell];
    const relays = network.relays().map((r) => r.url);
    const stolen = await elise.publicationKeys(); // what her phone holds while she is an editor
    expect(stolen.chain).toHaveLength(1);

    await cell.remove(cell.members().find((m) => m.name === "Élise")!.id);
    await until(() => cell.state.publication.length === 2, "the renewed chain");
    const publisher = await publishEditions(cell, { sink: relaySink(relays), debounceMs: 50 });
    await publisher.close();
    const real = (await cell.publicationKeys()).chain;

    const defaced = (keys: typeof stolen, at: number) =>
      signEdition(buildEdition(cell.genesis, keys.chain, content("DEFACED"), at), keys.signing.privateKey);
    const fork = await rotatedKeys(cell.id, stolen);
    const attempts = [
      await defaced(stolen, Date.now() + 60_000), // the old chain, dated later
      await defaced(fork, Date.now() + 60_000), // her own key, certified by the old one
      await defaced(await rotatedKeys(cell.id, fork), Date.now() + 60_000), // a longer fork
    ];
    for (const url of relays)
      for (const bytes of attempts) {
        const res = await fetch(`${url}/c/${cell.id}/edition`, { method: "PUT", body: Buffer.from(bytes) });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }

    for (const url of relays) {
      const served = await fetch(`${url}/c/${cell.id}/edition.json`);
      const edition = await verifyEdition(new Uint8Array(await served.arrayBuffer()), cell.id);
      expect(edition.profile.name).not.toBe("DEFACED");
      expect(edition.admissionKey).toBe(real[1]!.admission);
    }
    // What <cell-contact> seals to.
    const newest = await newestEdition({ cellId: cell.id, relays: relays.map((u) => `${u}/`) });
    expect(newest.admissionKey).toBe(cell.state.publication[1]!.cert.admission);
    // A member device tells her fork from the cell's own links.
    const { publication } = cell as unknown as { publication: CellPublication };
    expect(publication.foreignLink(fork.chain)).toBe(1);
    expect(publication.foreignLink(real)).toBeUndefined();
  }, 60_000);
});
