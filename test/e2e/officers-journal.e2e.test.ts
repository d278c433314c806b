/**
 * The officers' journal (issue 12, item 2): named in the log beside the public and members' ones, in the
 * `officers` scope; opened by those who read that scope (an editor who may not set policies finds it once
 * an officer who may has made it), `undefined` for a plain member; its posts never reach an edition.
 */
import { describe, expect, it } from "vitest";
import { openSite, publishEditions, relaySink, SITE_NAMES, UnknownDocumentError } from "../../core/index.js";
import { cellWithEditor, relayFixture } from "../support/cells.js";
import { until, whenOpen } from "../support/devices.js";
import { servedEdition } from "../support/raw.js";

const network = relayFixture(1);

describe("the officers' journal", () => {
  it("is for those who read the officers' scope, and stays out of editions", async () => {
    const { cell, elise, marc } = await cellWithEditor(() => network.device());
    const relays = network.relays().map((r) => r.url);
    const site = await openSite(cell, { profile: { relays } });

    // Élise reads the scope but may not create the document: not before Fatima has.
    await until(() => elise.named(SITE_NAMES.site) === cell.named(SITE_NAMES.site), "the site's names");
    const hers = await whenOpen(() => openSite(elise), "the site on Élise's device");
    await expect(hers.officersJournal()).rejects.toBeInstanceOf(UnknownDocumentError);

    const journal = (await site.officersJournal())!;
    expect(journal.visibility).toBe("officers");
    expect(await site.officersJournal()).toBe(journal);
    await journal.put({
      id: "o1",
      title: "Bureau jeudi",
      text: "Ordre du jour",
      author: "Fatima",
      date: Date.now(),
    });
    await site.journal.put({ id: "p1", title: "Assemblée", text: "", author: "Fatima", date: Date.now() });

    // Élise finds it once named, and reads its post; Marc is given none.
    const found = await whenOpen(async () => {
      const j = await hers.officersJournal();
      if (!j || (await j.newest(1)).length === 0) throw new UnknownDocumentError("not yet");
      return j;
    }, "the officers' post on Élise's device");
    expect((await found.newest(5)).map((p) => [p.title, p.visibility])).toEqual([
      ["Bureau jeudi", "officers"],
    ]);
    const his = await whenOpen(() => openSite(marc), "the site on Marc's device");
    expect(await his.officersJournal()).toBeUndefined();

    const publisher = await publishEditions(cell, { sink: relaySink(relays), debounceMs: 50 });
    await publisher.close();
    const edition = await servedEdition(relays[0]!, cell.id);
    expect(edition?.posts.map((p) => p.title)).toEqual(["Assemblée"]);
  });
});
