/**
 * `widget-first-render`: a blog page with `<cell-journal>` in headless Chromium (Debian's, through
 * playwright-core), against a local relay holding a signed edition of POSTS public posts: time from script
 * start to posts on screen, `p50_ms` (and `p95_ms`) over RUNS runs after WARMUP runs; goal p50 < 100 ms.
 *
 * The page comes from a small node:http server on another origin than the relay, with `cache-control:
 * no-store`; its `/widgets.js` is the widget kit exactly as relays serve it (`cellule.js`, built by
 * rollup.config.mjs). Each run loads the page in a new browser context (empty HTTP cache, new connections).
 * - "Script start": the `startTime` of the script's resource timing entry, i.e. when its fetch starts, so
 *   download, parse, Lit, the edition fetch from the relay, its WebCrypto verification and rendering count.
 * - "Posts on screen": the first moment a post is in the DOM (`[part=post]` in the widget's shadow root),
 *   seen by MutationObservers installed before any page script (one per shadow root, through
 *   `attachShadow`), so to the microtask; the browser paints it at its next frame.
 *
 * Baseline in the same run, runs interleaved: the same page where `/plain.js` fetches the edition JSON from
 * the relay and puts the first post titles in a list with `textContent` (no verification, no Lit), same
 * definitions (`baseline_p50_ms`).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { silentLogger, startRelay } from "../../adapters/relay/index.js";
import { buildEdition, signEdition } from "../../core/internals.js";
import { DAY, publishingCell, sampleContent } from "../../core/site/test-support.js";
import { buildWidgets } from "../../rollup.config.mjs";
import { launchChromium } from "../../test/support/browser.js";
import {
  type BenchResult,
  detectPostsScript,
  percentile,
  progress,
  Resources,
  round,
  tempDir,
} from "./support.js";

const NAME = "widget-first-render";
const POSTS = 20;
const WARMUP = 3;
const RUNS = 25;
const SHOWN = 5; // posts <cell-journal> shows at first (its `limit`)

const TITLES = [
  "Assemblée générale de rentrée",
  "Compte rendu de la réunion de mardi",
  "Soutien aux grévistes du dépôt de bus",
  "Distribution de tracts au marché d'Aligre",
  "Permanence logement : nouveaux horaires",
  "Cantine solidaire du dimanche",
  "Retour sur la manifestation du 12",
  "Appel à bénévoles pour la fête de quartier",
  "Lettre ouverte à la mairie d'arrondissement",
  "Atelier d'écriture de banderoles",
  "Collecte pour la caisse de grève",
  "Projection-débat au local",
  "Ce que nous avons obtenu pour l'école Parmentier",
  "Formation : tenir une réunion publique",
  "Nouvelle affiche, à coller partout",
  "Rencontre avec l'amicale des locataires",
  "Pétition contre la fermeture du bureau de poste",
  "Covoiturage pour le rassemblement régional",
  "Bilan financier du trimestre",
  "Bienvenue aux nouveaux membres",
];
const TEXT =
  "Nous étions une trentaine au local mardi soir. Après un tour de table, nous avons décidé de nous " +
  "retrouver chaque semaine jusqu'à la fin du mois, de préparer un tract commun avec l'amicale des " +
  "locataires et de tenir une table au marché samedi matin. Toutes les bonnes volontés sont les bienvenues.";

/** A cell with an edition of POSTS public posts (dates relative to now) stored on a new in-process relay. */
async function relayWithEdition(resources: Resources): Promise<{ relay: string; cell: string }> {
  const server = await startRelay({ dataDir: await tempDir(resources, NAME), port: 0, log: silentLogger });
  resources.add(`relay ${server.url}`, server, (r) => r.close());
  const c = await publishingCell();
  const now = Date.now();
  const content = sampleContent();
  content.profile.relays = [server.url];
  content.posts = TITLES.slice(0, POSTS).map((title, i) => ({
    id: `p${i}`,
    title,
    text: `${TEXT}\n\n${TEXT}`,
    author: i % 3 === 0 ? "Louis" : "Fatima",
    date: now - i * DAY - 3_600_000,
    visibility: "public",
    ...(i % 4 === 1 ? { link: `https://exemple.org/doc-${i}.pdf`, linkTitle: "Le document" } : {}),
  }));
  content.events = content.events.map((e, i) => ({
    ...e,
    start: now + (i + 1) * DAY,
    end: now + (i + 1) * DAY + 7_200_000,
  }));
  const bytes = await signEdition(
    buildEdition(c.genesis, c.keys.chain, content, now),
    c.keys.signing.privateKey,
  );
  const put = await fetch(`${server.url}/c/${c.genesis.hash}/edition`, {
    method: "PUT",
    body: Buffer.from(bytes),
  });
  if (put.status !== 201) throw new Error(`the relay refused the edition: ${put.status} ${await put.text()}`);
  progress(NAME, `edition of ${bytes.length} bytes on ${server.url}`);
  return { relay: server.url, cell: c.genesis.hash };
}

/** The baseline script: fetch the edition, list the first titles, nothing verified. */
const PLAIN_JS = `const list = document.getElementById("plain");
const response = await fetch(list.dataset.cell + "/edition.json", { credentials: "omit" });
const { edition } = await response.json();
for (const post of edition.posts.slice(0, ${SHOWN})) {
  const li = document.createElement("li");
  li.textContent = post.title;
  list.append(li);
}
`;

/** A blog article around `widget` (the journal's markup), loading `script`. */
const page = (widget: string, script: string) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Le blog du 11e</title>
<script type="module" src="${script}"></script></head>
<body><header><h1>Le blog du 11e</h1><nav><a href="/">Accueil</a> · <a href="/">Contact</a></nav></header>
<main><article><h2>Qui sommes-nous ?</h2>
<p>Une cellule de quartier du 11e arrondissement : nous nous réunissons le mardi soir au local, rue Oberkampf.</p>
<p>Vous trouverez ci-dessous nos dernières nouvelles, publiées et signées par la cellule.</p></article>
<section><h2>Journal</h2>${widget}</section></main><footer>Cellule du 11e</footer></body></html>`;

/** The blog's own server on 127.0.0.1: `/widget.html`, `/plain.html`, `/widgets.js`, `/plain.js`; no caching. */
async function blogServer(resources: Resources, address: string, bundle: string): Promise<string> {
  const files: Record<string, [string, string]> = {
    "/widget.html": ["text/html", page(`<cell-journal cell="${address}"></cell-journal>`, "/widgets.js")],
    "/plain.html": ["text/html", page(`<ol id="plain" data-cell="${address}"></ol>`, "/plain.js")],
    "/widgets.js": ["text/javascript", bundle],
    "/plain.js": ["text/javascript", PLAIN_JS],
  };
  const server = createServer((req, res) => {
    const file = files[req.url ?? ""];
    res.writeHead(file ? 200 : 404, {
      "content-type": `${file?.[0] ?? "text/plain"}; charset=utf-8`,
      "cache-control": "no-store",
    });
    res.end(file?.[1] ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  resources.add("blog server", server, (s: Server) => new Promise((r) => s.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Runs before any page script: notes `__postsAt` when a post first enters the DOM or a shadow root. */
const DETECT_POSTS = detectPostsScript(
  `document.querySelector("#plain li") || document.querySelector("cell-journal")?.shadowRoot?.querySelector("[part=post]")`,
);

/** Loads `url` in a new context; ms from the start of `script`'s fetch to the first post in the DOM. */
async function firstRender(browser: Browser, url: string, script: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.addInitScript(DETECT_POSTS);
    await tab.goto(url);
    await tab.waitForFunction("window.__postsAt !== undefined", undefined, { timeout: 10_000 });
    const ms = await tab.evaluate(`window.__postsAt -
      performance.getEntriesByName(new URL(${JSON.stringify(script)}, location.href).href)[0].startTime`);
    if (typeof ms !== "number" || !Number.isFinite(ms)) throw new Error(`no timing for ${url}: ${ms}`);
    return ms;
  } finally {
    await context.close();
  }
}

/** Runs the bench. */
export async function widgetFirstRender(): Promise<BenchResult> {
  const resources = new Resources();
  try {
    const bundle = (await buildWidgets()).esm;
    const { relay, cell } = await relayWithEdition(resources);
    const blog = await blogServer(resources, `${relay}/c/${cell}`, bundle);
    const browser = await launchChromium();
    resources.add("chromium", browser, (b) => b.close());
    progress(NAME, `bundle of ${bundle.length} bytes; ${WARMUP} warm-up runs, then ${RUNS} of each page`);
    const widget: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const w = await firstRender(browser, `${blog}/widget.html`, "/widgets.js");
      const p = await firstRender(browser, `${blog}/plain.html`, "/plain.js");
      if (i < WARMUP) continue;
      widget.push(w);
      plain.push(p);
    }
    const p50 = percentile(widget, 50);
    progress(NAME, `widget p50 ${round(p50)} ms, baseline p50 ${round(percentile(plain, 50))} ms`);
    return {
      bench: NAME,
      p50_ms: round(p50),
      p95_ms: round(percentile(widget, 95)),
      baseline_p50_ms: round(percentile(plain, 50)),
      runs: RUNS,
      goal: "p50_ms < 100",
      ok: p50 < 100,
    };
  } finally {
    await resources.close();
  }
}
