/**
 * Issue 11, C1 (acceptance test 3), through two in-process relays: an editor whose device is cut off while
 * she is removed keeps writing the public journal there, citing the log from before her removal. Back
 * online, her post reaches the others, who hold it instead of applying it, so the next edition, published
 * by the founder's device, does not carry it. Before, a write citing pre-removal heads was applied by
 * every device, and the next edition published it on every blog.
 */
import { describe, expect, it } from "vitest";
import {
  type Cell,
  type CellSite,
  openSite,
  publishEditions,
  relaySink,
  SITE_NAMES,
} from "../../core/index.js";
import { cellWithEditor, relayFixture } from "../support/cells.js";
import { until, whenOpen } from "../support/devices.js";
import { partitionFixture } from "../support/partition.js";
import { servedEdition } from "../support/raw.js";

const network = relayFixture();
const partition = partitionFixture(network);

const opened = (cell: Cell): Promise<CellSite> =>
  whenOpen(() => openSite(cell), "the site's documents to arrive");

describe("a removed editor", () => {
  it("cannot get a post into the public journal, nor into the next edition, by citing pre-removal heads", async () => {
    const { f, e, m, cell, elise, marc } = await cellWithEditor(() => partition.device());
    const relays = network.relays().map((r) => r.url);
    const site = await openSite(cell, { profile: { place: "Lyon 7e", relays } });
    await until(
      () => elise.named(SITE_NAMES.journal) === cell.named(SITE_NAMES.journal),
      "Élise to see the site",
    );
    const hers = await opened(elise);
    const publisher = await publishEditions(cell, { sink: relaySink(relays), debounceMs: 50 });
    try {
      // Élise's phone goes offline; meanwhile she is removed; offline, her app still thinks she is an editor.
      await partition.cut(e);
      await cell.remove(elise.me()!.id);
      await hers.journal.put({
        id: "late",
        title: "Post d'une exclue",
        text: "…",
        author: "Élise",
        date: Date.now(),
      });

      const held = [f.stats.held, m.stats.held];
      await partition.restore(e);
      await until(() => f.stats.held > held[0]! && m.stats.held > held[1]!, "F and M to hold her post");

      // A later post by the founder: the edition that carries it does not carry hers.
      await site.journal.put({
        id: "after",
        title: "Réunion jeudi",
        text: "19 h",
        author: "Fatima",
        date: Date.now(),
      });
      await until(
        async () =>
          (await Promise.all(relays.map((r) => servedEdition(r, cell.id)))).every((ed) =>
            ed?.posts.some((p) => p.title === "Réunion jeudi"),
          ),
        "the next edition on every relay",
      );
      for (const relay of relays) {
        expect((await servedEdition(relay, cell.id))?.posts.map((p) => p.title)).not.toContain(
          "Post d'une exclue",
        );
      }
      expect((await site.journal.newest(5)).map((p) => p.id)).toEqual(["after"]);
      expect((await (await opened(marc)).journal.newest(5)).map((p) => p.id)).not.toContain("late");
    } finally {
      await publisher.close();
    }
  }, 90_000);
});
