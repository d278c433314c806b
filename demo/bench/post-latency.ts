/**
 * `post-latency`: one new post (one document change) from device A to device B through a relay, timed
 * from A's `doc.change` to B's subscriber seeing it. Baseline: the same post between two automerge-repo
 * client repos through the plain sync server. Servers run in their own processes; both devices in this
 * one, so one clock times both ends.
 *
 * Posts are spaced by GAP_MS, more than automerge-repo's 100 ms sync throttle, so neither side batches:
 * this is the latency of one post, not a throughput.
 */
import type { DocHandle } from "@automerge/automerge-repo";
import { newScopeSecret, parseScopeId, WriterSets } from "../../core/index.js";
import {
  type BenchResult,
  baselineClient,
  cellDevice,
  percentile,
  progress,
  Resources,
  relayProcess,
  round,
  sleep,
  syncServerProcess,
  until,
  within,
} from "./support.js";

const MEMBERS = parseScopeId("members");

const WARMUP = 10;
const SAMPLES = 60;
const GAP_MS = 150;
const NAME = "post-latency";

interface Post {
  author: string;
  text: string;
  at: number;
}
interface Journal {
  posts: Record<string, Post>;
}

const post = (i: number): Post => ({
  author: "Camille",
  text: `Compte rendu de la réunion de cellule n° ${i} : ordre du jour, présents, décisions, suite.`,
  at: Date.now(),
});

/** Times `count` posts: `send` makes the change, `subscribe` calls back on every change seen by B. */
async function measure(
  label: string,
  send: (id: string, i: number) => void,
  subscribe: (listener: (doc: Journal) => void) => () => void,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const id = `p${i}`;
    let unsubscribe = () => {};
    const seen = new Promise<number>((resolve) => {
      unsubscribe = subscribe((doc) => {
        if (doc.posts?.[id]) resolve(performance.now());
      });
    });
    const start = performance.now();
    send(id, i);
    const end = await within(seen, 10_000, `${label}: post ${i} to reach B`);
    unsubscribe();
    if (i >= WARMUP) times.push(end - start);
    await sleep(GAP_MS);
  }
  return times;
}

async function cellule(): Promise<number[]> {
  const resources = new Resources();
  try {
    const relay = await relayProcess(resources);
    const authority = new WriterSets();
    const secret = newScopeSecret();
    const device = () => cellDevice(resources, { relays: [relay.url], authority, scope: MEMBERS, secret });
    const a = await device();
    const b = await device();
    const docA = await a.create<Journal>(MEMBERS, { posts: {} });
    await until(() => b.documents(MEMBERS).includes(docA.id), "B to learn of the journal", 10_000);
    const docB = await b.open<Journal>(docA.id);
    await until(() => docB.value().posts !== undefined, "B to hold the journal", 10_000);
    progress(NAME, "cellule: measuring");
    const times = await measure(
      "cellule",
      (id, i) =>
        docA.change((d) => {
          d.posts[id] = post(i);
        }),
      (listener) => docB.subscribe(listener),
    );
    if (Object.keys(b.stats.rejected).length > 0)
      throw new Error(`B rejected envelopes: ${JSON.stringify(b.stats.rejected)}`);
    return times;
  } finally {
    await resources.close();
  }
}

async function baseline(): Promise<number[]> {
  const resources = new Resources();
  try {
    const server = await syncServerProcess(resources);
    const repoA = await baselineClient(resources, server.url);
    const repoB = await baselineClient(resources, server.url);
    const handleA = repoA.create<Journal>({ posts: {} });
    await until(
      async () => (await server.stats()).withContent >= 1,
      "the sync server to hold the journal",
      10_000,
      20,
    );
    const handleB: DocHandle<Journal> = await repoB.find<Journal>(handleA.url);
    progress(NAME, "baseline: measuring");
    return await measure(
      "baseline",
      (id, i) =>
        handleA.change((d) => {
          d.posts[id] = post(i);
        }),
      (listener) => {
        const onChange = ({ doc }: { doc: Journal }) => listener(doc);
        handleB.on("change", onChange);
        return () => handleB.off("change", onChange);
      },
    );
  } finally {
    await resources.close();
  }
}

/** Runs the bench. */
export async function postLatency(): Promise<BenchResult> {
  const own = await cellule();
  const base = await baseline();
  const p50 = percentile(own, 50);
  const p95 = percentile(own, 95);
  const b50 = percentile(base, 50);
  const b95 = percentile(base, 95);
  return {
    bench: NAME,
    p50_ms: round(p50),
    p95_ms: round(p95),
    max_ms: round(Math.max(...own)),
    baseline_p50_ms: round(b50),
    baseline_p95_ms: round(b95),
    baseline_max_ms: round(Math.max(...base)),
    samples: own.length,
    gap_ms: GAP_MS,
    goal: "p50 <= baseline p50, p95 < 250 ms",
    ok: p50 <= b50 && p95 < 250,
  };
}
