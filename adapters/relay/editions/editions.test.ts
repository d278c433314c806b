import { mkdtemp, readdir, rm } from "node:fs/promises";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../core/base/errors.js";
import { Publisher, relaySink } from "../../../core/index.js";
import { buildEdition, type PublicContent, signEdition } from "../../../core/internals.js";
import { foldIcsLine } from "../../../core/public/ical.js";
import { DAY, NOW, publishingCell, sampleContent } from "../../../core/site/test-support.js";
import { until } from "../../../test/support/devices.js";
import { type RelayServer, silentLogger, startRelay } from "../index.js";

type Cell = Awaited<ReturnType<typeof publishingCell>>;
let relay: RelayServer;
let dataDir: string;
let cell: Cell;

const put = (c: Cell, bytes: Uint8Array, id: string = c.genesis.hash) =>
  fetch(`${relay.url}/c/${id}/edition`, { method: "PUT", body: Buffer.from(bytes) });
const signed = (c: Cell, content: PublicContent, at: number) =>
  signEdition(buildEdition(c.genesis, c.keys.chain, content, at), c.keys.signing.privateKey);
/** Signs an edition whose body `spoil` changed after the writers' checks: a hostile or broken cell. */
const spoiled = (c: Cell, spoil: (body: ReturnType<typeof buildEdition>) => void) => {
  const body = buildEdition(c.genesis, c.keys.chain, sampleContent(), NOW);
  spoil(body);
  return signEdition(body, c.keys.signing.privateKey);
};
/** A GET with exactly these headers (Host included: `fetch` would not send a forged one). */
const raw = (path: string, headers: Record<string, string>) =>
  new Promise<{ etag: string; body: string }>((resolve, reject) => {
    get(`${relay.url}${path}`, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ etag: String(res.headers.etag), body }));
    }).on("error", reject);
  });

const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "\u202Egnp.exe",
  '"><svg onload=alert(1)>',
  "a & b ; c , d\nnouvelle ligne \\ fin",
];

function hostileContent() {
  const c = sampleContent();
  c.profile.name = HOSTILE.join(" ");
  c.profile.description = "d".repeat(99_000);
  c.posts.push({
    id: "h1",
    title: HOSTILE.join(" "),
    text: `${HOSTILE.join("\n")}\n${"x".repeat(99_000)}`,
    author: "\u202Eeve",
    date: NOW,
    visibility: "public",
  });
  c.events.push({
    id: "h2",
    title: "Réunion; ordre du jour, vote\nsuite",
    description: `${"é".repeat(200)} <b>&`,
    place: "Salle \\ 3",
    start: NOW + DAY,
    end: NOW + DAY,
    visibility: "public",
  });
  return c;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cellule-editions-"));
  relay = await startRelay({ dataDir, log: silentLogger });
  cell = await publishingCell();
});

afterAll(async () => {
  await relay.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("relay editions", () => {
  it("stores a verified edition, serves it with ETag, 304, cache and CORS headers", async () => {
    const bytes = await signed(cell, sampleContent(), NOW);
    expect((await put(cell, bytes)).status).toBe(201);
    expect((await put(cell, bytes)).status).toBe(200);
    const res = await fetch(`${relay.url}/c/${cell.genesis.hash}/edition.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const etag = res.headers.get("etag")!;
    const again = await fetch(`${relay.url}/c/${cell.genesis.hash}/edition.json`, {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    // The tag of what a 200 would send now: fetch accepts Brotli, which may be ready by now (cacheable.ts).
    expect(again.headers.get("etag")).toMatch(
      new RegExp(`^${etag.replace(/(-br|-gzip)?"$/, "")}(-br|-gzip)?"$`),
    );
    const pre = await fetch(`${relay.url}/c/${cell.genesis.hash}/edition`, {
      method: "OPTIONS",
      headers: { Origin: "https://blog.example", "Access-Control-Request-Method": "PUT" },
    });
    expect(pre.headers.get("access-control-allow-methods")).toContain("PUT");
  });

  it("keeps only the newest edition (ties broken by hash) and keeps it across a restart", async () => {
    const c = await publishingCell();
    const newer = await signed(c, sampleContent(), NOW + 10);
    const older = await signed(c, sampleContent(), NOW + 5);
    expect((await put(c, newer)).status).toBe(201);
    expect((await put(c, older)).status).toBe(409);
    const tieA = await signed(c, sampleContent(), NOW + 20);
    const tieB = await signed(c, sampleContent(), NOW + 20); // same body, another signature
    await put(c, tieA);
    await put(c, tieB);
    const first = Buffer.from(
      await (await fetch(`${relay.url}/c/${c.genesis.hash}/edition.json`)).arrayBuffer(),
    );
    await put(c, tieA); // order does not matter: the larger hash wins either way
    const second = Buffer.from(
      await (await fetch(`${relay.url}/c/${c.genesis.hash}/edition.json`)).arrayBuffer(),
    );
    expect(second.equals(first)).toBe(true);
    expect([Buffer.from(tieA), Buffer.from(tieB)].some((b) => b.equals(first))).toBe(true);

    await relay.close();
    relay = await startRelay({ dataDir, log: silentLogger });
    const after = Buffer.from(
      await (await fetch(`${relay.url}/c/${c.genesis.hash}/edition.json`)).arrayBuffer(),
    );
    expect(after.equals(first)).toBe(true);
    expect((await readdir(join(dataDir, "editions"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses tampered, foreign and oversized editions and bad cell IDs, storing nothing", async () => {
    const c = await publishingCell();
    const other = await publishingCell();
    const bytes = await signed(c, sampleContent(), NOW);
    const flipped = bytes.slice();
    flipped[bytes.length >> 1]! ^= 1;
    expect((await put(c, flipped)).status).toBe(400);
    const foreign = await put(other, bytes);
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).error).toMatch(/edition of cell/);
    expect((await put(c, new Uint8Array(3 * 1024 * 1024))).status).toBe(413);
    expect((await put(c, bytes, "not-a-cell")).status).toBe(400);
    expect((await fetch(`${relay.url}/c/NOT-A-CELL/edition.json`)).status).toBe(400);
    expect((await fetch(`${relay.url}/c/${c.genesis.hash}/edition.json`)).status).toBe(404);
    expect((await fetch(`${relay.url}/c/${other.genesis.hash}/feed.atom`)).status).toBe(404);
  });

  it("serves the public journal as Atom, escaped, members-only posts absent", async () => {
    const c = await publishingCell();
    await put(c, await signed(c, hostileContent(), NOW));
    const res = await fetch(`${relay.url}/c/${c.genesis.hash}/feed.atom`);
    expect(res.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const xml = await res.text();
    expect(xml).not.toContain("<img");
    expect(xml).not.toContain("<script");
    expect(xml).not.toContain("Code de la porte");
    const entries = [...xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => m[1]!);
    expect(entries).toHaveLength(4);
    const unescapeXml = (s: string) =>
      s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, "&");
    const hostile = entries.find((e) => e.includes(":post:h1"))!;
    expect(unescapeXml(/<title>([^<]*)<\/title>/.exec(hostile)![1]!)).toBe(HOSTILE.join(" "));
    expect(/<link href="https:\/\/example.org\/tract.pdf" title="Le tract"\/>/.test(xml)).toBe(true);
    // Only the five XML escapes and no raw markup inside text nodes.
    for (const e of entries)
      for (const m of e.matchAll(/>([^<]*)</g)) expect(m[1]).not.toMatch(/&(?!#\d+;|amp;)/);
  });

  it("gives every client the same feed, whatever Host or proxy headers the first one sent", async () => {
    const c = await publishingCell();
    await put(c, await signed(c, sampleContent(), NOW));
    const path = `/c/${c.genesis.hash}/feed.atom`;
    // The first request after a new edition makes the rendering every later client (and cache) gets.
    const forged = await raw(path, {
      Host: "evil.example",
      "X-Forwarded-Proto": "http",
      Forwarded: "proto=http",
    });
    const honest = await raw(path, { Host: "relais.example", "X-Forwarded-Proto": "https" });
    expect(forged.body).not.toContain("evil");
    expect(honest.body).toBe(forged.body);
    expect(honest.etag).toBe(forged.etag);
    // The self link is the feed's path: a reader resolves it against the address it used.
    expect(honest.body).toContain(`<link rel="self" href="${path}"/>`);
  });

  it("leaves events without a valid start out of the page and the calendars (never dated 1970)", async () => {
    const c = await publishingCell();
    await put(
      c,
      await spoiled(c, (body) => {
        const e1 = body.events[0]!;
        body.events.push(
          { ...e1, id: "nostart", title: "Sans date", start: undefined as unknown as number },
          { ...e1, id: "textstart", title: "Date en texte", start: "demain" as unknown as number },
        );
      }),
    );
    const page = await (await fetch(`${relay.url}/c/${c.genesis.hash}`)).text();
    expect(page).not.toMatch(/1970|Sans date|Date en texte/);
    const ics = await (await fetch(`${relay.url}/c/${c.genesis.hash}/events.ics`)).text();
    expect(ics).not.toMatch(/1970|nostart|textstart/);
    expect(ics).toContain("UID:e1@");
    for (const id of ["nostart", "textstart"])
      expect((await fetch(`${relay.url}/c/${c.genesis.hash}/events/${id}.ics`)).status).toBe(404);
  });

  it("serves public events as iCalendar with RFC 5545 escaping and folding", async () => {
    const c = await publishingCell();
    await put(c, await signed(c, hostileContent(), NOW));
    const res = await fetch(`${relay.url}/c/${c.genesis.hash}/events.ics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
    const ics = await res.text();
    expect(ics.endsWith("\r\n")).toBe(true);
    const physical = ics.slice(0, -2).split("\r\n");
    for (const l of physical) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(ics.replace(/\r\n/g, "")).not.toContain("\n");
    const lines = ics.slice(0, -2).replace(/\r\n /g, "").split("\r\n");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(2); // e1 and h2; past and members-only absent
    expect(lines).toContain("SUMMARY:Réunion\\; ordre du jour\\, vote\\nsuite");
    expect(lines).toContain("LOCATION:Salle \\\\ 3");
    expect(lines).toContain(`DESCRIPTION:${"é".repeat(200)} <b>&`);
    expect(lines).toContain("DTSTART:20261125T120000Z");
    expect(ics).not.toContain("Local");
    // One event as a file a calendar opens; members-only, past or unknown events are not served.
    const one = await fetch(`${relay.url}/c/${c.genesis.hash}/events/e1.ics`);
    expect(one.headers.get("content-disposition")).toMatch(/^attachment/);
    const single = await one.text();
    expect(single.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(single).toContain("DTSTART:20261125T120000Z");
    for (const id of ["e2", "nope", "%E0%A4%A"])
      expect(
        (await fetch(`${relay.url}/c/${c.genesis.hash}/events/${id}.ics`)).status,
      ).toBeGreaterThanOrEqual(400);
    // Folding never splits a multi-byte character.
    expect(
      foldIcsLine(`X:${"é".repeat(100)}`)
        .split("\r\n ")
        .every((p) => !p.includes("\ufffd")),
    ).toBe(true);
  });

  it("renders HTML with everything escaped, only http/https/mailto links, fr by default and en on demand", async () => {
    const c = await publishingCell();
    const content = hostileContent();
    const links = [
      "javascript:alert(1)",
      " JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "DATA:text/html,<b>",
      "vbscript:x",
    ];
    content.posts.push(
      ...links.map((link, i) => ({
        id: `l${i}`,
        title: `lien ${i}`,
        text: "",
        link,
        author: "x",
        date: NOW,
        visibility: "public" as const,
      })),
    );
    // The relay re-checks links even in a validly signed edition whose author skipped the checks.
    const body = buildEdition(c.genesis, c.keys.chain, sampleContent(), NOW);
    body.posts = content.posts.filter((p) => p.visibility === "public");
    body.profile = content.profile;
    await put(c, await signEdition(body, c.keys.signing.privateKey));
    const fr = await (await fetch(`${relay.url}/c/${c.genesis.hash}`)).text();
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain("Événements");
    expect(fr).not.toMatch(/<img|<script|<svg/i);
    expect(fr).toContain("&#60;img src=x onerror=alert(1)&#62;");
    expect(fr).not.toMatch(/href="\s*(javascript|data|vbscript)/i);
    expect(fr).not.toContain("\u202E");
    expect(fr).toContain("<bdi>eve</bdi>");
    expect(fr).toContain('href="https://example.org/tract.pdf"');
    expect(
      [...fr.matchAll(/href="([^"]*)"/g)]
        .map((m) => m[1])
        .every((h) => /^(https?:|mailto:|\/c\/[0-9a-f]{64}\/)/.test(h!)),
    ).toBe(true);
    const en = await (await fetch(`${relay.url}/c/${c.genesis.hash}?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain("Events");
    expect(en.length).toBeGreaterThan(99_000);
  });
});

describe("the relay's page shows text and links as the widgets do", () => {
  it("drops bidi overrides and control characters, keeps right-to-left text, tabs and line breaks", async () => {
    const c = await publishingCell();
    const hidden =
      "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u0000\u0007\u001b\u007f\u0085\u009f";
    await put(
      c,
      await spoiled(c, (body) => {
        body.profile.name = `Cellule${hidden} du 11e`;
        body.posts[0]!.title = `\u202Egnp.exe${hidden}`;
        body.posts[0]!.author = "\u2067שלום\u200f\u2069";
        body.posts[0]!.text = "ligne 1\r\nligne 2\tfin\r\n\r\nparagraphe 2";
        body.events[0]!.place = `Salle${hidden} 3`;
      }),
    );
    const page = await (await fetch(`${relay.url}/c/${c.genesis.hash}`)).text();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    expect(page).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(page).toContain("<title>Cellule du 11e</title>");
    expect(page).toContain('<h3 dir="auto">gnp.exe</h3>');
    expect(page).toContain("<bdi>שלום\u200f</bdi>");
    expect(page).toContain('<p dir="auto">ligne 1<br>ligne 2\tfin</p>\n<p dir="auto">paragraphe 2</p>');
    expect(page).toContain("<bdi>Salle 3</bdi>");
  });

  it("links only what the one allow-list keeps, to the link as a browser parses it", async () => {
    const c = await publishingCell();
    const links = [
      " https://exemple.org/a b",
      "https://\u202eexemple.org",
      "https://[",
      "HTTPS://Exemple.ORG/x",
    ];
    await put(
      c,
      await spoiled(c, (body) => {
        body.posts = links.map((link, i) => ({ ...body.posts[0]!, id: `l${i}`, link, linkTitle: "" }));
      }),
    );
    const page = await (await fetch(`${relay.url}/c/${c.genesis.hash}`)).text();
    const hrefs = [...page.matchAll(/<a href="([^"]*)" rel="nofollow noopener">([^<]*)<\/a>/g)];
    expect(hrefs.map((m) => m[1])).toEqual(["https://exemple.org/a%20b", "https://exemple.org/x"]);
    expect(hrefs.map((m) => m[2])).toEqual(["https://exemple.org/a%20b", "https://exemple.org/x"]);
    const feed = await (await fetch(`${relay.url}/c/${c.genesis.hash}/feed.atom`)).text();
    expect([...feed.matchAll(/<link href="([^"]*)"/g)].map((m) => m[1])).toEqual([
      "https://exemple.org/a%20b",
      "https://exemple.org/x",
    ]);
  });
});

describe("peered relays", () => {
  it("copy a newer edition to each other, once", async () => {
    const dirs = await Promise.all([1, 2].map(() => mkdtemp(join(tmpdir(), "cellule-editions-peer-"))));
    const b = await startRelay({ dataDir: dirs[1]!, log: silentLogger });
    const a = await startRelay({ dataDir: dirs[0]!, log: silentLogger, peers: [b.url] });
    try {
      const c = await publishingCell();
      const bytes = await signed(c, sampleContent(), NOW);
      const res = await fetch(`${a.url}/c/${c.genesis.hash}/edition`, {
        method: "PUT",
        body: Buffer.from(bytes),
      });
      expect(res.status).toBe(201);
      // A copies it in the background: wait until B serves it, within `until`'s bound rather than a
      // count of short sleeps that a loaded machine can use up first.
      let got: Response | undefined;
      await until(async () => {
        got = await fetch(`${b.url}/c/${c.genesis.hash}/edition.json`);
        return got.status === 200;
      }, "B to serve the edition A copied to it");
      expect(Buffer.from(await got!.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    } finally {
      await a.close();
      await b.close();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    }
  });
});

describe("Publisher", () => {
  it("publishes to the relay after changes, debounced, newest last", async () => {
    const c = await publishingCell();
    let content = sampleContent();
    let sent = 0;
    let stored = 0;
    const sink = relaySink([relay.url, "http://127.0.0.1:1"]);
    const publisher = new Publisher({
      genesis: c.genesis,
      keys: c.keys,
      content: () => content,
      sink: async (id, bytes) => {
        sent++;
        await sink(id, bytes);
        stored++;
      },
      debounceMs: 20,
    });
    publisher.changed();
    content = { ...content, profile: { ...content.profile, name: "Nouveau nom" } };
    publisher.changed();
    // Until the edition is on the relay, not for a fixed time: under load the debounce, the signature
    // and the PUT can take longer than any delay chosen here.
    await until(() => stored > 0, "the edition to reach the relay");
    expect(sent).toBe(1);
    const got = await (await fetch(`${relay.url}/c/${c.genesis.hash}/edition.json`)).json();
    expect(got.edition.profile.name).toBe("Nouveau nom");
    await publisher.close();
    expect(() => publisher.changed()).toThrow(/closed/);
    await expect(relaySink(["http://127.0.0.1:1"])(c.genesis.hash, new Uint8Array(1))).rejects.toThrow(
      /no relay/,
    );
  });

  it("refuses a missing chain, and reports bad content without sending anything", async () => {
    const c = await publishingCell();
    const base = { genesis: c.genesis, content: sampleContent, sink: async () => {} };
    expect(() => new Publisher({ ...base, keys: { ...c.keys, chain: [] } })).toThrow(InvalidArgumentError);
    let sent = 0;
    const errors: unknown[] = [];
    const bad = new Publisher({
      ...base,
      keys: c.keys,
      content: () => ({ ...sampleContent(), profile: { ...sampleContent().profile, name: "" } }),
      sink: async () => {
        sent++;
      },
      debounceMs: 5,
      onError: (e) => errors.push(e),
    });
    await expect(bad.publish()).rejects.toBeInstanceOf(InvalidArgumentError);
    bad.changed();
    // Until the debounced publication has failed, not for a fixed time that stands for it.
    await until(() => errors.length > 0, "the failed publication to be reported");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InvalidArgumentError);
    expect(sent).toBe(0);
    await bad.close();
  });
});
