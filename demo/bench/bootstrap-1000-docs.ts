/**
 * `bootstrap-1000-docs`: a new device fetching 1,000 small documents. Device A creates them in one scope
 * and publishes them through a relay (child process); then a brand-new Kit with empty memory storage
 * opens the scope, and we time from its creation until it holds all 1,000: each envelope verified,
 * checked and its content in the device's storage (the Kit opens a document's Automerge handle when it is
 * first read: see core/kit/unopened.ts). After the clock, every document is opened and its content checked.
 *
 * Baseline: a client repo creates the 1,000 documents on the plain sync server (child process); once the
 * server holds them, a brand-new client repo (empty memory storage) `find()`s all 1,000 by URL, timed
 * from its creation until every handle is ready with its content.
 *
 * Each new device runs in a new process (this file with `--device`), as a new device would. In one
 * process, a Kit started after another that had opened its 1,000 documents bootstrapped 1.7–3× slower,
 * spending about 30% of its time in GC. Modules and Automerge's WASM are loaded before the clock starts,
 * on both sides.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import WebSocket from "ws";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import { createKit, type DeviceId, newScopeSecret, parseScopeId, WriterSets } from "../../core/index.js";
import { ensureAutomerge, fromHex, toHex } from "../../core/internals.js";
import {
  type BenchResult,
  baselineClient,
  cellDevice,
  median,
  progress,
  Resources,
  ROOT,
  relayProcess,
  round,
  syncServerProcess,
  tempDir,
  until,
} from "./support.js";

const MEMBERS = parseScopeId("members");

const NAME = "bootstrap-1000-docs";
const DOCS = 1000;
const RUNS = 3;
const TIMEOUT_MS = 60_000;

interface Note {
  title: string;
  body: string;
  at: number;
}

const note = (i: number): Note => ({
  title: `Note ${i}`,
  body: `Tract pour la manifestation du ${1 + (i % 28)} : rendez-vous place de la République à 14 h.`,
  at: Date.now(),
});

const holds = (value: unknown, i?: number) =>
  typeof (value as Note | undefined)?.title === "string" &&
  (i === undefined || (value as Note).title === `Note ${i}`);

/** Runs this file as a new device (`--device cellule|baseline …`); resolves with its time in ms. */
async function newDevice(args: string[]): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--device", ...args],
    { cwd: ROOT, timeout: TIMEOUT_MS + 30_000 },
  );
  return (JSON.parse(stdout.trim().split("\n").at(-1)!) as { ms: number }).ms;
}

/** In the device process: a new Kit that subscribes to the scope and receives every document. */
async function celluleDevice(relay: string, secretHex: string, author: string): Promise<number> {
  await ensureAutomerge();
  const start = performance.now();
  const storage = memoryStorage();
  const authority = new WriterSets().allowScope(MEMBERS, [author as DeviceId]);
  const kit = await createKit({
    storage,
    keystore: memoryKeystore(),
    authority,
    transports: [relayClient({ relays: [relay], WebSocket: WebSocket as never, storage })],
  });
  await kit.addScope(MEMBERS, fromHex(secretHex));
  await until(() => kit.stats.accepted >= DOCS, "the new device to accept every document", TIMEOUT_MS, 2);
  const ms = performance.now() - start;
  // Every document is verified and in the device's storage: it holds them. Check their content after the
  // clock, by opening each (what reading them in the app does, one at a time).
  const ids = kit.documents(MEMBERS);
  const docs = await Promise.all(ids.map((id) => kit.open<Note>(id)));
  if (ids.length !== DOCS || !docs.every((d) => holds(d.value())))
    throw new Error(`the new device holds ${ids.length} documents, not all with content`);
  if (Object.keys(kit.stats.rejected).length > 0)
    throw new Error(`the new device rejected envelopes: ${JSON.stringify(kit.stats.rejected)}`);
  return ms;
}

/** In the device process: a new client repo that finds every document on the sync server. */
async function baselineDevice(url: string, urlsFile: string): Promise<number> {
  const urls = JSON.parse(await readFile(urlsFile, "utf8")) as string[];
  const start = performance.now();
  const repo = new Repo({ network: [new WebSocketClientAdapter(url)], storage: memoryStorage() });
  await until(() => repo.peers.length > 0, "the new repo to reach the sync server", TIMEOUT_MS, 2);
  const handles = await Promise.all(urls.map((u) => repo.find<Note>(u as never)));
  const ms = performance.now() - start;
  if (!handles.every((h, i) => holds(h.doc(), i))) throw new Error("a baseline document has no content");
  return ms;
}

async function cellule(): Promise<number[]> {
  const resources = new Resources();
  try {
    const relay = await relayProcess(resources);
    const authority = new WriterSets();
    const secret = newScopeSecret();
    const a = await cellDevice(resources, { relays: [relay.url], authority, scope: MEMBERS, secret });
    progress(NAME, `cellule: A creates ${DOCS} documents`);
    for (let i = 0; i < DOCS; i++) await a.create<Note>(MEMBERS, note(i));
    await a.flush();
    await until(
      () => a.transportStatus()[0]!.pending === 0,
      "the relay to hold every document",
      TIMEOUT_MS,
      20,
    );
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      times.push(await newDevice(["cellule", relay.url, toHex(secret), a.device.id]));
      progress(NAME, `cellule: new device ${run + 1}: ${Math.round(times.at(-1)!)} ms`);
    }
    return times;
  } finally {
    await resources.close();
  }
}

async function baseline(): Promise<number[]> {
  const resources = new Resources();
  try {
    const server = await syncServerProcess(resources);
    const author = await baselineClient(resources, server.url);
    progress(NAME, `baseline: a client repo creates ${DOCS} documents`);
    const urls = Array.from({ length: DOCS }, (_, i) => author.create<Note>(note(i)).url);
    await until(
      async () => (await server.stats()).withContent >= DOCS,
      "the sync server to hold every document",
      TIMEOUT_MS,
      50,
    );
    const urlsFile = join(await tempDir(resources, "urls"), "urls.json");
    await writeFile(urlsFile, JSON.stringify(urls));
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      times.push(await newDevice(["baseline", server.url, urlsFile]));
      progress(NAME, `baseline: new device ${run + 1}: ${Math.round(times.at(-1)!)} ms`);
    }
    return times;
  } finally {
    await resources.close();
  }
}

/** Runs the bench. */
export async function bootstrap1000Docs(): Promise<BenchResult> {
  const own = await cellule();
  const base = await baseline();
  const ms = median(own);
  const baseMs = median(base);
  return {
    bench: NAME,
    ms: Math.round(ms),
    baseline_ms: Math.round(baseMs),
    ratio: round(ms / baseMs, 2),
    runs_ms: own.map(Math.round),
    baseline_runs_ms: base.map(Math.round),
    docs: DOCS,
    goal: "ms <= 0.3 x baseline_ms",
    ok: ms <= 0.3 * baseMs,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "--device") {
  const [kind, ...args] = process.argv.slice(3);
  const ms =
    kind === "cellule"
      ? await celluleDevice(args[0]!, args[1]!, args[2]!)
      : await baselineDevice(args[0]!, args[1]!);
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
  process.exit(0);
}
