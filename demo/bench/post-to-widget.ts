/**
 * `post-to-widget`: how long after an editor writes a public post a visitor of the cell's blog sees it,
 * `p50_ms` and `p95_ms` over RUNS posts after WARMUP; goal: p95 at most 3× the same run's baseline
 * (`p95_ratio`), and under 3,000 ms (the figure).
 *
 * The editor's device is what the member space runs (a Kit on a local relay, the cell's site, and
 * `publishEditions` with the member space's defaults: an edition after each public change, debounced
 * 500 ms); the visitor is headless Chromium on a blog of another origin with `<cell-journal>` (the widget
 * kit as relays serve it). Each run: the clock starts as the post is written (`journal.put`), then a new
 * visitor (a new browser context: empty cache) loads the blog every POLL_MS until the newest post the widget
 * shows is this one; the clock stops when it is.
 *
 * Baseline in the same run, runs interleaved: the same post reaches the relay the plainest way, an edition
 * built and signed at once and PUT to the relay (no document, no debounce), and the same visitors look
 * (`baseline_p50_ms`, `baseline_p95_ms`). What is between the two is the editor's side: the write, the
 * debounce, the edition's build and signature. `post-latency`, which runs in the same `npm run bench`, is
 * the device-to-device figure beside it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import WebSocket from "ws";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { silentLogger, startRelay } from "../../adapters/relay/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import {
  Cell,
  createKit,
  openSite,
  publishEditions,
  readPublicContent,
  relaySink,
} from "../../core/index.js";
import { buildEdition, signEdition } from "../../core/internals.js";
import { buildWidgets } from "../../rollup.config.mjs";
import { launchChromium } from "../../test/support/browser.js";
import { type BenchResult, percentile, progress, Resources, round, tempDir } from "./support.js";

const NAME = "post-to-widget";
const WARMUP = 2;
const RUNS = 15;
const POLL_MS = 100;

/** The blog: one page with the journal widget, and the widget kit; no caching. */
async function blogServer(resources: Resources, address: string, bundle: string): Promise<string> {
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le blog du 11e</title>
<script type="module" src="/widgets.js"></script></head><body><main><h1>Le blog du 11e</h1>
<cell-journal cell="${address}" limit="1"></cell-journal></main></body></html>`;
  const server = createServer((req, res) => {
    const js = req.url === "/widgets.js";
    res.writeHead(200, {
      "content-type": `${js ? "text/javascript" : "text/html"}; charset=utf-8`,
      "cache-control": "no-store",
    });
    res.end(js ? bundle : html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  resources.add("blog server", server, (s: Server) => new Promise((r) => s.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** The title of the newest post a new visitor of `blog` sees (`""` before the widget shows one). */
async function newestSeen(browser: Browser, blog: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.goto(blog);
    const post = tab.locator("cell-journal [part=post]").first();
    await post.waitFor({ timeout: 10_000 });
    return (await post.locator("h3, [part=title]").first().textContent()) ?? "";
  } catch {
    return "";
  } finally {
    await context.close();
  }
}

/** Ms from `start` until a visitor of `blog` sees `title` as the newest post. */
async function seenAfter(browser: Browser, blog: string, title: string, start: number): Promise<number> {
  for (;;) {
    if ((await newestSeen(browser, blog)).includes(title)) return performance.now() - start;
    if (performance.now() - start > 30_000) throw new Error(`"${title}" never reached the blog`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Runs the bench. */
export async function postToWidget(): Promise<BenchResult> {
  const resources = new Resources();
  try {
    const relay = await startRelay({ dataDir: await tempDir(resources, NAME), port: 0, log: silentLogger });
    resources.add(`relay ${relay.url}`, relay, (r) => r.close());
    const storage = memoryStorage();
    const kit = await createKit({
      storage,
      keystore: memoryKeystore(),
      transports: [relayClient({ relays: [relay.url], WebSocket: WebSocket as never, storage })],
    });
    resources.add("editor's device", kit, (k) => k.close(1000));
    const cell = await Cell.create(kit, { name: "Cellule du 11e", founderName: "Fatima" });
    const site = await openSite(cell, { profile: { relays: [relay.url] } });
    const publisher = await publishEditions(cell, { sink: relaySink([relay.url]), servedBy: [relay.url] });
    resources.add("publisher", publisher, (p) => p.close());
    const browser = await launchChromium();
    resources.add("chromium", browser, (b) => b.close());
    const blog = await blogServer(resources, `${relay.url}/c/${cell.id}`, (await buildWidgets()).esm);
    progress(NAME, `${WARMUP} warm-up runs, then ${RUNS} posts each way`);

    const post = (i: number, way: string) => ({
      id: `${way}-${i}`,
      title: `${way === "app" ? "Article" : "Texte"} n° ${i}`,
      text: "Réunion mardi au local, 19 h.",
      author: "Fatima",
      date: Date.now(),
    });
    const app: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const written = post(i, "app");
      let start = performance.now();
      await site.journal.put(written);
      const a = await seenAfter(browser, blog, written.title, start);

      // The plainest way: the edition with this post, signed and PUT at once.
      const direct = post(i, "plain");
      const content = await readPublicContent(site.site, site.journal, site.agenda, Date.now());
      const keys = await cell.publicationKeys();
      start = performance.now();
      const body = buildEdition(
        cell.genesis,
        keys.chain,
        { ...content, posts: [{ ...direct, visibility: "public" }] },
        Date.now() + 1,
      );
      const res = await fetch(`${relay.url}/c/${cell.id}/edition`, {
        method: "PUT",
        body: Buffer.from(await signEdition(body, keys.signing.privateKey)),
      });
      if (!res.ok) throw new Error(`the relay refused the plain edition: ${res.status}`);
      const p = await seenAfter(browser, blog, direct.title, start);
      if (i < WARMUP) continue;
      app.push(a);
      plain.push(p);
    }
    const p95 = percentile(app, 95);
    const ratio = p95 / percentile(plain, 95);
    progress(
      NAME,
      `p50 ${round(percentile(app, 50))} ms, p95 ${round(p95)} ms; baseline p50 ${round(percentile(plain, 50))} ms`,
    );
    return {
      bench: NAME,
      p50_ms: round(percentile(app, 50)),
      p95_ms: round(p95),
      baseline_p50_ms: round(percentile(plain, 50)),
      baseline_p95_ms: round(percentile(plain, 95)),
      runs: RUNS,
      p95_ratio: round(ratio, 2),
      goal: "p95_ratio <= 3 (the editor's side: write, 500 ms debounce, signature) and p95_ms < 3000",
      ok: ratio <= 3 && p95 < 3000,
    };
  } finally {
    await resources.close();
  }
}
