import { describe, expect, it } from "vitest";
import { writersOf } from "../../test/support/devices.js";
import { InvalidArgumentError } from "../base/errors.js";
import { parseScopeId } from "../base/ids.js";
import { newScopeSecret } from "../protocol/scope-keys.js";
import { verifyEdition } from "../public/verify.js";
import { Agenda, Journal, PublicSite, readPublicContent } from "./documents.js";
import { buildEdition, signEdition } from "./edition.js";
import { NOW, publishingCell, sampleContent } from "./test-support.js";

const MEMBERS = parseScopeId("members");

const PUBLIC = parseScopeId("public:test-cell");

async function kitWithScopes() {
  const { kits, authority } = await writersOf(PUBLIC, 1);
  const kit = kits[0]!;
  authority.allowScope(MEMBERS, [kit.device.id]);
  await kit.addScope(PUBLIC);
  await kit.addScope(MEMBERS, newScopeSecret());
  return kit;
}

describe("public documents", () => {
  it("store posts, events, profile and pages; an edition holds only the public ones", async () => {
    const kit = await kitWithScopes();
    const sample = sampleContent();
    const site = await PublicSite.create(kit, PUBLIC, sample.profile, sample.pages);
    const journal = await Journal.create(kit, PUBLIC);
    const members = await Journal.create(kit, MEMBERS);
    const agenda = await Agenda.create(kit, PUBLIC);
    const privateAgenda = await Agenda.create(kit, MEMBERS);
    expect([journal.visibility, members.visibility]).toEqual(["public", "members"]);
    for (const { visibility: _, ...p } of sample.posts) await (p.id === "secret" ? members : journal).put(p);
    for (const { visibility: _, ...e } of sample.events)
      await (e.id === "e2" ? privateAgenda : agenda).put(e);
    expect((await members.newest(5)).map((p) => [p.id, p.visibility])).toEqual([["secret", "members"]]);

    const content = await readPublicContent(site, journal, agenda, NOW);
    const cell = await publishingCell();
    const bytes = await signEdition(
      buildEdition(cell.genesis, cell.keys.chain, content, NOW),
      cell.keys.signing.privateKey,
    );
    const edition = await verifyEdition(bytes, cell.genesis.hash);
    expect(edition.posts.map((p) => p.id)).toEqual(["p3", "p2", "p1"]);
    expect(edition.events.map((e) => e.id)).toEqual(["e1"]);
    expect(edition.profile).toEqual(sample.profile);
    await expect(readPublicContent(site, members, agenda, NOW)).rejects.toBeInstanceOf(InvalidArgumentError);

    // Reopened by ID, the same content.
    expect((await Journal.open(kit, journal.id)).visibility).toBe("public");
    expect((await PublicSite.open(kit, site.id)).profile.name).toBe(sample.profile.name);
    await kit.close();
  });

  it("bad input gets InvalidArgumentError and changes nothing", async () => {
    const kit = await kitWithScopes();
    const sample = sampleContent();
    const site = await PublicSite.create(kit, PUBLIC, sample.profile, sample.pages);
    const journal = await Journal.create(kit, PUBLIC);
    const agenda = await Agenda.create(kit, PUBLIC);
    await journal.put({ id: "ok", title: "t", text: "", author: "a", date: NOW });
    const badPosts = [
      { id: "x", title: "", text: "", author: "a", date: NOW },
      { id: "x", title: "t", text: "", author: "a", date: NOW, link: "javascript:alert(1)" },
      { id: "", title: "t", text: "", author: "a", date: NOW },
      { id: "x", title: "t", text: 3, author: "a", date: NOW },
    ];
    for (const p of badPosts)
      await expect(journal.put(p as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect((await journal.newest(10)).map((p) => p.id)).toEqual(["ok"]);
    await expect(
      agenda.put({ id: "e", title: "t", description: "", place: "", start: NOW, end: NOW - 1 }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await agenda.upcoming(0)).toEqual([]);
    expect(() => site.setProfile({ ...sample.profile, relays: ["javascript:x"] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => site.setPages({ ...sample.pages, about: 1 as never })).toThrow(InvalidArgumentError);
    expect(site.profile).toEqual(sample.profile);
    await expect(PublicSite.create(kit, MEMBERS, sample.profile, sample.pages)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(journal.newest(-1)).rejects.toBeInstanceOf(InvalidArgumentError);
    site.setProfile({ ...sample.profile, name: "Autre nom" });
    expect(site.profile.name).toBe("Autre nom");
    await kit.close();
  });
});
