/**
 * Old publication keys against real relays (review C3, M4, H5): a past holder of a publication key (an
 * expelled editor, a stolen officer phone) keeps that key, and the keys it certified; whatever it signs
 * with them, a relay that holds the cell's newer chain stores none of it and keeps serving the real edition.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Publisher, relaySink } from "../../../core/index.js";
import { buildEdition, type PublicContent, signEdition } from "../../../core/internals.js";
import type { PublicationKeys } from "../../../core/protocol/publication-cert.js";
import { RelayFetchError } from "../../../core/public/relay-http.js";
import { publishingCell as newCell, rotatedKeys, sampleContent } from "../../../core/site/test-support.js";
import { type RelayServer, silentLogger, startRelay } from "../index.js";
import { EditionStore } from "./edition-store.js";

type Cell = Awaited<ReturnType<typeof newCell>>;
const dirs: string[] = [];
let relay: RelayServer;

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cellule-edition-chain-"));
  dirs.push(dir);
  return dir;
}

const named = (name: string): PublicContent => {
  const c = sampleContent();
  return { ...c, profile: { ...c.profile, name } };
};
const sign = (c: Cell, keys: PublicationKeys, name: string, at: number) =>
  signEdition(buildEdition(c.genesis, keys.chain, named(name), at), keys.signing.privateKey);
const put = (base: string, c: Cell, bytes: Uint8Array) =>
  fetch(`${base}/c/${c.genesis.hash}/edition`, { method: "PUT", body: Buffer.from(bytes) });
const served = async (base: string, c: Cell) => {
  const res = await fetch(`${base}/c/${c.genesis.hash}/edition.json`);
  return res.status === 200 ? ((await res.json()).edition.profile.name as string) : res.status;
};

/** A cell whose chain moved on from link 0 to link 1, the relay holding an edition signed with link 1. */
async function rotatedCell(base: string) {
  const cell = await newCell();
  const old = cell.keys;
  const current = await rotatedKeys(cell.genesis.hash, old);
  expect((await put(base, cell, await sign(cell, current, "Cellule du 11e", Date.now()))).status).toBe(201);
  return { cell, old, current };
}

beforeAll(async () => {
  relay = await startRelay({ dataDir: await dataDir(), log: silentLogger });
});

afterAll(async () => {
  await relay.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("a relay holding the cell's chain", () => {
  it("refuses an edition signed by a rotated-out key (a strict prefix of its chain), even dated later", async () => {
    const { cell, old } = await rotatedCell(relay.url);
    const res = await put(relay.url, cell, await sign(cell, old, "DEFACED", Date.now() + 60_000));
    expect(res.status).toBe(403);
    expect((await res.json()).outcome).toBe("prefix");
    expect(await served(relay.url, cell)).toBe("Cellule du 11e");
  });

  it("refuses a fork: the old key certifying a key of its own, however long the forged chain", async () => {
    const { cell, old } = await rotatedCell(relay.url);
    const fork = await rotatedKeys(cell.genesis.hash, old);
    const longer = await rotatedKeys(cell.genesis.hash, await rotatedKeys(cell.genesis.hash, fork));
    for (const keys of [fork, longer]) {
      const res = await put(relay.url, cell, await sign(cell, keys, "DEFACED", Date.now() + 60_000));
      expect(res.status).toBe(403);
      expect((await res.json()).outcome).toBe("fork");
    }
    expect(await served(relay.url, cell)).toBe("Cellule du 11e");
  });

  it("refuses an edition dated far beyond its clock (8.64e15), and one a few hours ahead", async () => {
    // (On the code before, both were stored, and the real publisher's next editions refused as older.)
    const { cell, old, current } = await rotatedCell(relay.url);
    for (const [keys, at] of [
      [old, 8.64e15],
      [current, 8.64e15],
      [current, Date.now() + 3 * 3_600_000],
    ] as const) {
      const res = await put(relay.url, cell, await sign(cell, keys, "DEFACED", at));
      // Beyond the certificate's end too, for 8.64e15: then the edition does not even verify (400).
      expect(res.status).toBe(at === 8.64e15 ? 400 : 422);
    }
    expect(await served(relay.url, cell)).toBe("Cellule du 11e");
    // The real publisher goes on: a newer edition on the chain, then a rotation, even one dated earlier.
    expect((await put(relay.url, cell, await sign(cell, current, "Nouveau nom", Date.now()))).status).toBe(
      201,
    );
    const next = await rotatedKeys(cell.genesis.hash, current);
    expect((await put(relay.url, cell, await sign(cell, next, "Après rotation", 1))).status).toBe(201);
    expect(await served(relay.url, cell)).toBe("Après rotation");
  });

  it("answers an older edition on its chain with 409 and the held `at` (a late clock catches up)", async () => {
    const { cell, current } = await rotatedCell(relay.url);
    const res = await put(relay.url, cell, await sign(cell, current, "Ancien", 1000));
    expect(res.status).toBe(409);
    const answer = await res.json();
    expect(answer.outcome).toBe("older");
    expect(answer.at).toBeGreaterThan(1000);
  });

  it("after a restart, does not serve an edition dated beyond its clock left on disk, and takes the next", async () => {
    const dir = await dataDir();
    const cell = await newCell();
    const future = await sign(cell, cell.keys, "DEFACED", 8.64e15);
    await mkdir(join(dir, "editions"), { recursive: true });
    await writeFile(join(dir, "editions", `${cell.genesis.hash}.json`), future);
    const r = await startRelay({ dataDir: dir, log: silentLogger });
    try {
      expect(await served(r.url, cell)).toBe(404);
      expect((await put(r.url, cell, await sign(cell, cell.keys, "Réel", Date.now()))).status).toBe(201);
      expect(await served(r.url, cell)).toBe("Réel");
    } finally {
      await r.close();
    }
  });
});

describe("which editions a relay takes, and keeps in memory (H5)", () => {
  it("with a public URL, takes only cells whose relay list names it, or that the operator allows", async () => {
    const allowed = await newCell();
    const r = await startRelay({
      dataDir: await dataDir(),
      log: silentLogger,
      editions: { listedAs: ["https://relay.example.org/"], allow: [allowed.genesis.hash] },
    });
    try {
      const listed = await newCell(); // sampleContent lists https://relay.example.org
      expect((await put(r.url, listed, await sign(listed, listed.keys, "A", Date.now()))).status).toBe(201);
      const other = await newCell();
      const body = buildEdition(other.genesis, other.keys.chain, sampleContent(), Date.now());
      body.profile.relays = ["https://elsewhere.example"];
      const res = await put(r.url, other, await signEdition(body, other.keys.signing.privateKey));
      expect(res.status).toBe(403);
      expect((await res.json()).outcome).toBe("unlisted");
      expect(await served(r.url, other)).toBe(404);
      const b2 = buildEdition(allowed.genesis, allowed.keys.chain, sampleContent(), Date.now());
      b2.profile.relays = [];
      expect((await put(r.url, allowed, await signEdition(b2, allowed.keys.signing.privateKey))).status).toBe(
        201,
      );
    } finally {
      await r.close();
    }
  });

  it("keeps at most `maxInMemory` editions in memory and serves the others from disk", async () => {
    const store = await EditionStore.open(await dataDir(), silentLogger, { maxInMemory: 2 });
    const cells = [await newCell(), await newCell(), await newCell(), await newCell()];
    for (const [i, c] of cells.entries())
      expect(await store.put(c.genesis.hash, Buffer.from(await sign(c, c.keys, `C${i}`, Date.now())))).toBe(
        "stored",
      );
    expect(store.inMemory).toBe(2);
    for (const [i, c] of cells.entries())
      expect((await store.get(c.genesis.hash))?.edition.profile.name).toBe(`C${i}`);
    expect(store.inMemory).toBe(2);
    expect(store.size).toBe(4);
  });
});

describe("a signed edition with odd content (L4)", () => {
  it("never makes the Atom, iCalendar or HTML answer 500", async () => {
    const c = await newCell();
    const body = buildEdition(c.genesis, c.keys.chain, sampleContent(), Date.now());
    const odd = body as unknown as Record<string, unknown[]>;
    const e1 = body.events[0]!;
    odd.posts = [
      null,
      1,
      "x",
      [],
      { ...body.posts[0], id: "\ud800", title: "\udc00", link: "https://\ud800" },
    ];
    odd.events = [
      null,
      { ...e1, id: "\ud800", title: "\udfff", place: 3, description: null },
      { ...e1, id: { x: 1 }, start: 1e300, end: "x" },
      { ...e1, id: "ok", end: -1 },
    ];
    (body.profile as unknown as Record<string, unknown>).name = "\ud83d";
    expect((await put(relay.url, c, await signEdition(body, c.keys.signing.privateKey))).status).toBe(201);
    for (const path of [
      "/feed.atom",
      "/events.ics",
      "/events/ok.ics",
      "/events/%ED%A0%80.ics",
      "",
      "?lang=en",
    ]) {
      const res = await fetch(`${relay.url}/c/${c.genesis.hash}${path}`);
      expect(res.status, path).toBeLessThan(500);
      await res.arrayBuffer();
    }
  });
});

describe("publishers' clocks (M4)", () => {
  const YEARS = 5 * 365 * 86_400_000;
  const publisher = (c: Cell, name: () => string, now: () => number, relays = [relay.url]) =>
    new Publisher({
      genesis: c.genesis,
      keys: c.keys,
      content: () => named(name()),
      sink: relaySink(relays),
      now,
    });

  it("one device with a clock years ahead does not freeze the public face, nor itself once fixed", async () => {
    const c = await newCell();
    let skew = YEARS;
    const ahead = publisher(
      c,
      () => "Du futur",
      () => Date.now() + skew,
    );
    const honest = publisher(c, () => "Nouveau nom", Date.now);
    try {
      await expect(ahead.publish()).rejects.toBeInstanceOf(RelayFetchError);
      expect(await served(relay.url, c)).toBe(404);
      await honest.publish();
      expect(await served(relay.url, c)).toBe("Nouveau nom");
      // Its clock set right, the device publishes again (it did not keep the date it could not publish).
      skew = 0;
      await ahead.publish();
      expect(await served(relay.url, c)).toBe("Du futur");
    } finally {
      await ahead.close();
      await honest.close();
    }
  });

  it("a device with a clock behind the relay's newest edition still gets its edition out", async () => {
    const c = await newCell();
    expect((await put(relay.url, c, await sign(c, c.keys, "Avant", Date.now() + 60_000))).status).toBe(201);
    const behind = publisher(
      c,
      () => "Après",
      () => Date.now() - 3_600_000,
    );
    try {
      await behind.publish();
      expect(await served(relay.url, c)).toBe("Après");
    } finally {
      await behind.close();
    }
  });
});

describe("certificates that end", () => {
  it("a relay refuses an edition whose last certificate has ended by its clock, and keeps the real one", async () => {
    const { cell, current } = await rotatedCell(relay.url);
    const ended = await rotatedKeys(cell.genesis.hash, current, { expires: Date.now() - 60_000, heads: [] });
    const res = await put(relay.url, cell, await sign(cell, ended, "DEFACED", Date.now() - 120_000));
    expect(res.status).toBe(403);
    expect((await res.json()).outcome).toBe("expired");
    expect(await served(relay.url, cell)).toBe("Cellule du 11e");
  });
});
