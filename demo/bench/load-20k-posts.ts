/**
 * `load-20k-posts`: a cell holding 20,000 posts — a `Collection` over 24 months, written one post per
 * change as a cell would over two years — on filesystem storage (adapters/fs). A fresh Kit opens the same
 * storage and keystore, then `Collection.open`; we time from the Kit's creation to `newest(50)`
 * (`first_50_ms`) and to `all()` (`all_ms`, continuing in the same session). Median of RUNS fresh Kits in
 * this process, where Automerge's WASM and the code are warm; `cold_*` fields time the same in new
 * processes (modules imported first, untimed; Automerge's WASM initialised by `createKit`, timed), which is
 * what a device opening the cell after a restart sees.
 *
 * The data set takes a while to build: it is built once and kept under .bench/ (gitignored), keyed by
 * VERSION; change VERSION whenever what is built changes.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { fileKeystore, fileStorage } from "../../adapters/fs/index.js";
import {
  Collection,
  type CollectionRecord,
  createKit,
  newScopeSecret,
  parseDocId,
  parseScopeId,
  WriterSets,
} from "../../core/index.js";
import { type BenchResult, median, progress, ROOT } from "./support.js";

const MEMBERS = parseScopeId("members");

const NAME = "load-20k-posts";
const VERSION = "v1";
const DIR = join(ROOT, ".bench", `${NAME}-${VERSION}`);
const POSTS = 20_000;
const MONTHS = 24;
const START = Date.UTC(2024, 10, 1);
const RUNS = 3;
const COLD_RUNS = 3;

interface Post extends CollectionRecord {
  author: string;
  title: string;
  body: string;
}

interface Meta {
  version: string;
  indexId: string;
  posts: number;
  buildSeconds: number;
}

const SPAN = Date.UTC(2024 + Math.floor((10 + MONTHS) / 12), (10 + MONTHS) % 12, 1) - START;

function postNumber(i: number): Post {
  return {
    id: `post-${i.toString().padStart(5, "0")}`,
    at: START + Math.floor((i * SPAN) / POSTS),
    author: ["Camille", "Dominique", "Sacha", "Claude"][i % 4]!,
    title: `Compte rendu n° ${i}`,
    body:
      `Réunion de la cellule du quartier : ${i % 30} présents. Ordre du jour : diffusion du journal, ` +
      "préparation de la manifestation, cotisations. Décisions prises à la majorité.",
  };
}

const storageDir = join(DIR, "storage");
const keysDir = join(DIR, "keys");
const metaFile = join(DIR, "meta.json");

async function build(): Promise<Meta> {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
  const started = performance.now();
  const authority = new WriterSets();
  // fsync off while building: the data set is a fixture, rebuilt if anything is missing.
  const kit = await createKit({
    storage: fileStorage(storageDir, { fsync: false }),
    keystore: fileKeystore(keysDir, { fsync: false }),
    authority,
  });
  authority.allowScope(MEMBERS, [kit.device.id]);
  await kit.addScope(MEMBERS, newScopeSecret());
  const journal = await Collection.create<Post>(kit, MEMBERS, "journal");
  for (let i = 0; i < POSTS; i++) {
    await journal.put(postNumber(i));
    if (i % 500 === 499) {
      await kit.flush();
      progress(
        NAME,
        `building the data set: ${i + 1} posts, ${Math.round((performance.now() - started) / 1000)} s`,
      );
    }
  }
  await kit.close();
  const meta: Meta = {
    version: VERSION,
    indexId: journal.id,
    posts: POSTS,
    buildSeconds: Math.round((performance.now() - started) / 1000),
  };
  // Written last: its presence means the data set is complete.
  await writeFile(metaFile, JSON.stringify(meta));
  return meta;
}

async function dataset(): Promise<Meta> {
  if (existsSync(metaFile)) {
    const meta = JSON.parse(await readFile(metaFile, "utf8")) as Meta;
    if (meta.version === VERSION && meta.posts === POSTS) return meta;
  }
  progress(NAME, `building the data set in ${DIR} (once)`);
  return build();
}

/** Opens the cell with a fresh Kit; returns the times to the newest 50 posts and to all of them. */
async function load(meta: Meta): Promise<{ first50: number; all: number }> {
  const start = performance.now();
  const kit = await createKit({
    storage: fileStorage(storageDir),
    keystore: fileKeystore(keysDir),
    createIdentity: false,
  });
  try {
    const journal = await Collection.open<Post>(kit, parseDocId(meta.indexId));
    const newest = await journal.newest(50);
    const first50 = performance.now() - start;
    const all = await journal.all();
    const allMs = performance.now() - start;
    const last = postNumber(POSTS - 1);
    if (newest.length !== 50 || newest[0]!.id !== last.id || newest[0]!.body !== last.body)
      throw new Error(`newest(50) returned ${newest.length} posts, the first ${newest[0]?.id}`);
    if (all.length !== POSTS || all[POSTS - 1]!.id !== postNumber(0).id)
      throw new Error(`all() returned ${all.length} posts`);
    return { first50, all: allMs };
  } finally {
    await kit.close(0);
  }
}

/** One `load` in a new process (this file run with `--cold`). */
async function coldLoad(): Promise<{ first50: number; all: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--cold"],
    { cwd: ROOT, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { first50: number; all: number };
}

/** Runs the bench. */
export async function load20kPosts(): Promise<BenchResult> {
  const meta = await dataset();
  const runs: { first50: number; all: number }[] = [];
  for (let r = 0; r < RUNS; r++) {
    runs.push(await load(meta));
    progress(
      NAME,
      `run ${r + 1}: first 50 in ${Math.round(runs.at(-1)!.first50)} ms, all in ${Math.round(runs.at(-1)!.all)} ms`,
    );
  }
  const cold: { first50: number; all: number }[] = [];
  for (let r = 0; r < COLD_RUNS; r++) {
    cold.push(await coldLoad());
    progress(
      NAME,
      `new process ${r + 1}: first 50 in ${Math.round(cold.at(-1)!.first50)} ms, all in ${Math.round(cold.at(-1)!.all)} ms`,
    );
  }
  const first50 = median(runs.map((r) => r.first50));
  const all = median(runs.map((r) => r.all));
  const coldFirst50 = median(cold.map((r) => r.first50));
  const coldAll = median(cold.map((r) => r.all));
  return {
    bench: NAME,
    first_50_ms: Math.round(first50),
    all_ms: Math.round(all),
    runs_first_50_ms: runs.map((r) => Math.round(r.first50)),
    runs_all_ms: runs.map((r) => Math.round(r.all)),
    cold_first_50_ms: Math.round(coldFirst50),
    cold_all_ms: Math.round(coldAll),
    cold_ok: coldFirst50 < 150 && coldAll < 1000,
    posts: POSTS,
    months: MONTHS,
    dataset: `.bench/${NAME}-${VERSION} (built in ${meta.buildSeconds} s)`,
    goal: "first_50_ms < 150, all_ms < 1000",
    ok: first50 < 150 && all < 1000,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "--cold") {
  const meta = JSON.parse(await readFile(metaFile, "utf8")) as Meta;
  process.stdout.write(`${JSON.stringify(await load(meta))}\n`);
  process.exit(0);
}
