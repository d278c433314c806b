/**
 * The cell's site end to end, through two in-process relays: the founder's device creates it and keeps
 * the edition up to date; an editor on another device writes a post, and the founder's device publishes
 * a new edition that any relay serves; members-only posts never reach it; a plain member can read the
 * site but not publish.
 */
import { describe, expect, it } from "vitest";
import {
  type Cell,
  type CellSite,
  ForbiddenError,
  openSite,
  publishEditions,
  relaySink,
  SITE_NAMES,
  UnknownDocumentError,
} from "../../core/index.js";
import { cellWithEditor, relayFixture } from "../support/cells.js";
import { until, whenOpen } from "../support/devices.js";
import { servedEdition } from "../support/raw.js";

const network = relayFixture();
const device = () => network.device();

/** The cell's site on a device, once its documents have arrived there. */
const opened = (cell: Cell): Promise<CellSite> =>
  whenOpen(() => openSite(cell), "the site's documents to arrive");

describe("the cell's site", () => {
  it("is named in the log, written by editors, and published by an officer's device after every change", async () => {
    const { cell, elise, marc } = await cellWithEditor(device);
    const relays = network.relays().map((r) => r.url);

    // Marc may not create the site before an officer has.
    await expect(openSite(marc)).rejects.toBeInstanceOf(UnknownDocumentError);
    const site = await openSite(cell, { profile: { place: "Lyon 7e", relays } });
    expect(site.site.profile).toMatchObject({ name: cell.state.name, place: "Lyon 7e" });
    await site.journal.put({
      id: "p1",
      title: "Assemblée générale",
      text: "Mardi, 19 h",
      author: "Fatima",
      date: Date.now(),
    });
    await site.membersJournal.put({
      id: "m1",
      title: "Code de la porte",
      text: "4521",
      author: "Fatima",
      date: Date.now(),
    });

    const publisher = await publishEditions(cell, { sink: relaySink(relays), debounceMs: 50 });
    try {
      for (const relay of relays) {
        const edition = await servedEdition(relay, cell.id);
        expect(edition?.posts.map((p) => p.title)).toEqual(["Assemblée générale"]);
      }

      // Élise, an editor, finds the same documents through the log and writes; Fatima's device publishes.
      await until(
        () => elise.named(SITE_NAMES.journal) === cell.named(SITE_NAMES.journal),
        "Élise to see the names",
      );
      const hers = await opened(elise);
      await hers.journal.put({
        id: "p2",
        title: "Tractage samedi",
        text: "Marché de la Guillotière",
        author: "Élise",
        date: Date.now() + 1,
      });
      // Every relay, not one: the sink PUTs to the relays side by side, so one can serve the new edition
      // while the other is still receiving it.
      await until(
        async () =>
          (await Promise.all(relays.map((r) => servedEdition(r, cell.id)))).every(
            (e) => e?.posts.length === 2,
          ),
        "an edition with Élise's post on every relay",
      );
      expect((await servedEdition(relays[0]!, cell.id))?.posts.map((p) => p.title)).toEqual([
        "Tractage samedi",
        "Assemblée générale",
      ]);

      // Marc reads the site (members-only posts too) but holds no publication key and may not write public
      // posts: his device refuses the write before anything is sent.
      const his = await opened(marc);
      await until(
        async () => (await his.membersJournal.newest(5)).length === 1,
        "Marc to read the members' post",
      );
      // Élise's post reaches his device on its own way, not with the edition: wait for it too.
      await until(async () => (await his.journal.newest(5)).length === 2, "Marc to get Élise's post");
      await expect(marc.publicationKeys()).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        his.journal.put({ id: "p3", title: "Post de Marc", text: "…", author: "Marc", date: Date.now() }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect((await site.journal.newest(5)).map((p) => p.id)).toEqual(["p2", "p1"]);
      expect((await his.journal.newest(5)).map((p) => p.id)).toEqual(["p2", "p1"]);
    } finally {
      await publisher.close();
    }
  }, 60_000);
});
