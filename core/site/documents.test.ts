import { describe, expect, it } from "vitest";
import { writersOf } from "../../test/support/devices.js";
import { InvalidArgumentError } from "../base/errors.js";
import { parseScopeId } from "../base/ids.js";
import { newScopeSecret } from "../protocol/scope-keys.js";
import { DAY_MS, InvalidFieldError } from "../public/content.js";
import { verifyEdition } from "../public/verify.js";
import { Agenda, Journal, PublicSite, readPublicContent } from "./documents.js";
import { buildEdition, signEdition } from "./edition.js";
import { NOW, publishingCell, sampleContent } from "./test-support.js";

const MEMBERS = parseScopeId("members");
const OFFICERS = parseScopeId("test-cell/officers");

const PUBLIC = parseScopeId("public:test-cell");

async function kitWithScopes() {
  const { kits, authority } = await writersOf(PUBLIC, 1);
  const kit = kits[0]!;
  authority.allowScope(MEMBERS, [kit.device.id]);
  authority.allowScope(OFFICERS, [kit.device.id]);
  await kit.addScope(PUBLIC);
  await kit.addScope(MEMBERS, newScopeSecret());
  await kit.addScope(OFFICERS, newScopeSecret());
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
    expect(edition.profile.timeZone).toBeUndefined(); // an older profile: readers take Europe/Paris
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

  it("edits, pins, unpublishes and deletes posts; an edition shows only published public ones", async () => {
    const kit = await kitWithScopes();
    const sample = sampleContent();
    const site = await PublicSite.create(kit, PUBLIC, sample.profile, sample.pages);
    const journal = await Journal.create(kit, PUBLIC);
    const officers = await Journal.create(kit, OFFICERS);
    expect(officers.visibility).toBe("officers");
    await officers.put({ id: "o", title: "Bureau", text: "Ordre du jour", author: "Fatima", date: NOW });
    expect((await officers.newest(1))[0]!.visibility).toBe("officers");
    const base = { text: "", author: "Louis" };
    await journal.put({
      ...base,
      id: "a",
      title: "A",
      date: NOW - 3 * DAY_MS,
      link: "https://example.org/a",
    });
    await journal.put({ ...base, id: "b", title: "B", date: NOW - 2 * DAY_MS });
    await journal.put({ ...base, id: "c", title: "C", date: NOW - DAY_MS });

    const edited = await journal.edit("a", NOW - 3 * DAY_MS, { title: "A bis", link: undefined }, NOW);
    expect(edited).toMatchObject({ title: "A bis", edited: NOW, date: NOW - 3 * DAY_MS });
    expect("link" in edited).toBe(false);
    await journal.pin("a", NOW - 3 * DAY_MS);
    await journal.unpublish("b", NOW - 2 * DAY_MS);
    expect(await journal.remove("c", NOW - DAY_MS)).toBe(true);
    expect(await journal.remove("c", NOW - DAY_MS)).toBe(false);
    const kept = await journal.newest(10);
    expect(kept.map((p) => [p.id, !!p.pinned, !!p.unpublished])).toEqual([
      ["b", false, true],
      ["a", true, false],
    ]);

    const cell = await publishingCell();
    const edition = buildEdition(
      cell.genesis,
      cell.keys.chain,
      await readPublicContent(site, journal, await Agenda.create(kit, PUBLIC), NOW),
      NOW,
    );
    expect(edition.posts.map((p) => [p.id, p.title, !!p.pinned])).toEqual([["a", "A bis", true]]);

    // Published again, unpinned.
    await journal.unpublish("b", NOW - 2 * DAY_MS, false);
    await journal.pin("a", NOW - 3 * DAY_MS, false);
    expect((await journal.newest(10)).map((p) => [p.id, !!p.pinned, !!p.unpublished])).toEqual([
      ["b", false, false],
      ["a", false, false],
    ]);
    await kit.close();
  });

  it("refuses bad edits naming the field, and edits of posts that do not exist; nothing changes", async () => {
    const kit = await kitWithScopes();
    const journal = await Journal.create(kit, PUBLIC);
    const post = { id: "a", title: "A", text: "", author: "Louis", date: NOW };
    await journal.put(post);
    const bad: [Record<string, unknown>, string][] = [
      [{ title: "" }, "title"],
      [{ link: "javascript:alert(1)" }, "link"],
      [{ link: "data:text/html,x" }, "link"],
      [{ text: "x".repeat(100_001) }, "text"],
      [{ pinned: "oui" }, "pinned"],
    ];
    for (const [changes, field] of bad) {
      const error = await journal.edit("a", NOW, changes as never).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidFieldError);
      expect(error.field).toBe(field);
    }
    await expect(journal.edit("nope", NOW, { title: "x" })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(journal.pin("a", NOW + 40 * DAY_MS)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await journal.newest(5)).toEqual([{ ...post, visibility: "public" }]);
    await kit.close();
  });

  it("edits and cancels events, without an end or all day; a cancelled one stays, an edition shows it", async () => {
    const kit = await kitWithScopes();
    const sample = sampleContent();
    const site = await PublicSite.create(kit, PUBLIC, sample.profile, sample.pages);
    const agenda = await Agenda.create(kit, PUBLIC);
    const day = NOW - (NOW % DAY_MS) + DAY_MS;
    await agenda.put({
      id: "open",
      title: "Permanence",
      description: "",
      place: "Local",
      start: NOW + 3_600_000,
    });
    await agenda.put({
      id: "fest",
      title: "Fête",
      description: "",
      place: "",
      start: day,
      end: day + DAY_MS,
      allDay: true,
    });
    await agenda.put({
      id: "today",
      title: "Journée",
      description: "",
      place: "",
      start: day - DAY_MS,
      allDay: true,
    });
    await agenda.put({
      id: "gone",
      title: "Passé",
      description: "",
      place: "",
      start: NOW - DAY_MS,
      end: NOW - 1,
    });
    expect((await agenda.upcoming(NOW)).map((e) => e.id)).toEqual(["today", "open", "fest"]);

    // A new start moves the event (another month's bucket here); the end may be taken away.
    const later = NOW + 40 * DAY_MS;
    await agenda.edit("open", NOW + 3_600_000, { start: later, end: later + 3_600_000 });
    await agenda.edit("open", later, { end: undefined, title: "Permanence déplacée" });
    await agenda.cancel("fest", day);
    const all = await agenda.all();
    expect(all.map((e) => [e.id, !!e.cancelled])).toEqual([
      ["gone", false],
      ["today", false],
      ["fest", true],
      ["open", false],
    ]);
    expect(all.find((e) => e.id === "open")).toEqual({
      id: "open",
      title: "Permanence déplacée",
      description: "",
      place: "Local",
      start: later,
      visibility: "public",
    });

    const cell = await publishingCell();
    const edition = buildEdition(
      cell.genesis,
      cell.keys.chain,
      await readPublicContent(site, await Journal.create(kit, PUBLIC), agenda, NOW),
      NOW,
    );
    expect(edition.events.map((e) => [e.id, !!e.cancelled])).toEqual([
      ["today", false],
      ["fest", true],
      ["open", false],
    ]);
    await agenda.cancel("fest", day, false);
    expect((await agenda.all()).find((e) => e.id === "fest")!.cancelled).toBeUndefined();
    expect(await agenda.remove("gone", NOW - DAY_MS)).toBe(true);
    await kit.close();
  });

  it("refuses an event edited to end before it starts, naming end; nothing changes", async () => {
    const kit = await kitWithScopes();
    const agenda = await Agenda.create(kit, PUBLIC);
    const event = { id: "e", title: "Manif", description: "", place: "", start: NOW, end: NOW + 3_600_000 };
    await agenda.put(event);
    for (const [changes, field] of [
      [{ end: NOW - 1 }, "end"],
      [{ start: NOW + 7_200_000 }, "end"],
      [{ allDay: true }, "start"],
      [{ title: " " }, "title"],
    ] as const) {
      const error = await agenda.edit("e", NOW, changes).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidFieldError);
      expect(error.field).toBe(field);
    }
    await expect(agenda.cancel("other", NOW)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await agenda.all()).toEqual([{ ...event, visibility: "public" }]);
    await kit.close();
  });
});
