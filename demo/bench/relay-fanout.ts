/**
 * `relay-fanout`: envelopes delivered per second by one relay process to 100 subscribers of one topic.
 * The relay runs as a child process (its CPU time is read from /proc); the 100 subscribers are raw
 * WebSocket connections in this process speaking the relay protocol, counting DELIVER frames; one
 * publisher PUTs N real sealed envelopes (one Automerge change each) with at most WINDOW unacknowledged
 * (the relay's per-connection rate limit is lifted for it, see RELAY_ARGS).
 *
 * Baseline: automerge-repo's sync server (child process) with 100 client repos in this process holding
 * the same document; a publisher repo makes M changes, one per macrotask as fast as it can, and we time
 * until every client holds all M (change deliveries = 100 × M); median of BASELINE_TRIALS. automerge-repo's
 * 100 ms sync throttle batches changes here, which favours the baseline; how much it batches varies from
 * trial to trial, hence the trials. The 100 client repos share this process's core: they, more than the
 * server, bound the baseline (see `baseline_clients_cpu_s`).
 */
import * as A from "@automerge/automerge";
import type { DocHandle } from "@automerge/automerge-repo";
import WebSocket from "ws";
import { type DocId, newScopeSecret } from "../../core/index.js";
import { EnvelopeKind, FrameType, type ScopeEpoch, sealEnvelope, sealedEpoch } from "../../core/internals.js";
import { decodeAck, encodePut, encodeSub } from "../../core/protocol/relay-frames.js";
import { looseIdentity } from "../../test/support/devices.js";
import {
  type BenchResult,
  baselineClient,
  median,
  ownCpuSeconds,
  processCpuSeconds,
  progress,
  Resources,
  relayProcess,
  round,
  syncServerProcess,
  until,
} from "./support.js";

const NAME = "relay-fanout";
const SUBSCRIBERS = 100;
const WARMUP = 100;
const ENVELOPES = 8000;
const WINDOW = 256;
/**
 * The relay's per-connection rate limit (2,000 frames/s by default) would cap one publisher at 200,000
 * deliveries/s to 100 subscribers: lift it, so that what is measured is the relay's fan-out.
 */
const RELAY_ARGS = ["--rate", "1000000", "--burst", "1000000"];
const BASELINE_WARMUP = 60;
const BASELINE_CHANGES = 200;
const BASELINE_TRIALS = 3;
/** Posts go round robin into this many keys, so that documents stay small (see `baseline`). */
const SLOTS = 100;
const TIMEOUT_MS = 60_000;

interface Measure {
  deliveries: number;
  seconds: number;
  serverCpuSeconds: number;
  clientCpuSeconds: number;
  complete: boolean;
}

/** Real envelopes: each carries one small Automerge change, sealed and signed under a members scope. */
async function envelopes(count: number): Promise<{ scope: ScopeEpoch; list: Uint8Array[] }> {
  const author = await looseIdentity();
  const scope = await sealedEpoch("members" as never, 1, newScopeSecret());
  const session = crypto.getRandomValues(new Uint8Array(16));
  const docId = "bench-fanout-journal" as DocId;
  let doc = A.init<{ posts: Record<string, unknown> }>();
  doc = A.change(doc, (d) => {
    d.posts = {};
  });
  const list: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    doc = A.change(doc, (d) => {
      d.posts[`p${i % SLOTS}`] = { n: i, text: `Compte rendu de la réunion n° ${i}`, at: Date.now() };
    });
    const change = A.getLastLocalChange(doc)!;
    list.push(
      await sealEnvelope(author, scope, { kind: EnvelopeKind.changes, docId, session, items: [change] }),
    );
  }
  return { scope, list };
}

function connect(url: string, onFrame: (frame: Buffer) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { maxPayload: 4 * 1024 * 1024 });
    ws.on("message", (data: Buffer) => {
      if (data[0] === FrameType.hello) resolve(ws);
      else onFrame(data);
    });
    ws.once("error", reject);
  });
}

/** PUTs envelopes with at most WINDOW waiting for their ACK. */
async function publish(ws: WebSocket, list: Uint8Array[], acked: () => number, nextReq: { id: number }) {
  const first = acked();
  for (let i = 0; i < list.length; i++) {
    while (nextReq.id - 1 - acked() >= WINDOW) await new Promise((r) => setImmediate(r));
    ws.send(encodePut(nextReq.id++, list[i]!));
  }
  await until(() => acked() - first >= list.length, "the relay to acknowledge every put", TIMEOUT_MS, 2);
}

async function cellule(): Promise<Measure> {
  const resources = new Resources();
  try {
    const { scope, list } = await envelopes(WARMUP + ENVELOPES);
    const relay = await relayProcess(resources, { args: RELAY_ARGS });
    let delivered = 0;
    let caughtUp = 0;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const ws = await connect(relay.wsUrl, (frame) => {
        if (frame[0] === FrameType.deliver) delivered++;
        else if (frame[0] === FrameType.caughtUp) caughtUp++;
      });
      resources.add("subscriber", ws, (w) => w.terminate());
      ws.send(encodeSub(1, [{ topic: scope.topic, since: 0 }]));
    }
    await until(() => caughtUp === SUBSCRIBERS, "every subscriber to be live", 10_000);
    let acks = 0;
    let refused = 0;
    const publisher = await connect(relay.wsUrl, (frame) => {
      if (frame[0] === FrameType.ack && decodeAck(frame).status <= 1) acks++;
      else if (frame[0] === FrameType.error) refused++;
    });
    resources.add("publisher", publisher, (w) => w.terminate());
    const nextReq = { id: 1 };

    progress(NAME, `cellule: warm-up (${WARMUP} envelopes)`);
    await publish(publisher, list.slice(0, WARMUP), () => acks, nextReq);
    await until(() => delivered >= WARMUP * SUBSCRIBERS, "warm-up deliveries", TIMEOUT_MS, 2);

    progress(NAME, `cellule: ${ENVELOPES} envelopes to ${SUBSCRIBERS} subscribers`);
    const before = delivered;
    const cpu0 = processCpuSeconds(relay.pid);
    const own0 = ownCpuSeconds();
    const t0 = performance.now();
    const target = before + ENVELOPES * SUBSCRIBERS;
    let complete = true;
    try {
      await publish(publisher, list.slice(WARMUP), () => acks, nextReq);
      await until(() => delivered >= target, "every delivery", TIMEOUT_MS, 1);
    } catch (error) {
      complete = false;
      progress(NAME, `cellule: incomplete: ${String(error)}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    if (refused > 0) throw new Error(`the relay refused ${refused} frames`);
    return {
      deliveries: delivered - before,
      seconds,
      serverCpuSeconds: processCpuSeconds(relay.pid) - cpu0,
      clientCpuSeconds: ownCpuSeconds() - own0,
      complete,
    };
  } finally {
    await resources.close();
  }
}

type Journal = { posts: Record<string, { n: number; text: string; at: number }> };

async function baseline(): Promise<Measure[]> {
  const resources = new Resources();
  try {
    const server = await syncServerProcess(resources);
    const publisher = await baselineClient(resources, server.url, undefined);
    const source = publisher.create<Journal>({ posts: {} });
    await until(
      async () => (await server.stats()).withContent >= 1,
      "the sync server to hold the journal",
      10_000,
      20,
    );
    progress(NAME, `baseline: ${SUBSCRIBERS} client repos`);
    const repos = await Promise.all(
      Array.from({ length: SUBSCRIBERS }, () => baselineClient(resources, server.url, undefined)),
    );
    const copies: DocHandle<Journal>[] = await Promise.all(repos.map((r) => r.find<Journal>(source.url)));

    /**
     * Makes `count` changes, one per macrotask; resolves with how many copies hold the last one once all
     * do, or at the time limit. Posts go round robin into SLOTS keys, so that the documents do not grow
     * (Automerge copies a map's JS object on every change to it: that would burden the 100 clients).
     */
    const run = async (from: number, count: number): Promise<number> => {
      const last = from + count - 1;
      let done = 0;
      for (const copy of copies) {
        const onChange = ({ doc }: { doc: Journal }) => {
          if (doc.posts?.[`m${last % SLOTS}`]?.n === last) {
            done++;
            copy.off("change", onChange);
          }
        };
        copy.on("change", onChange);
      }
      for (let i = from; i <= last; i++) {
        source.change((d) => {
          d.posts[`m${i % SLOTS}`] = { n: i, text: `Compte rendu de la réunion n° ${i}`, at: Date.now() };
        });
        await new Promise((r) => setImmediate(r));
      }
      try {
        await until(() => done === copies.length, "every client repo to hold every change", TIMEOUT_MS, 1);
      } catch (error) {
        progress(NAME, `baseline: incomplete: ${String(error)}`);
      }
      return done;
    };

    progress(NAME, `baseline: warm-up (${BASELINE_WARMUP} changes)`);
    await run(0, BASELINE_WARMUP);
    const trials: Measure[] = [];
    for (let t = 0; t < BASELINE_TRIALS; t++) {
      const cpu0 = processCpuSeconds(server.pid);
      const own0 = ownCpuSeconds();
      const t0 = performance.now();
      const done = await run(BASELINE_WARMUP + t * BASELINE_CHANGES, BASELINE_CHANGES);
      const seconds = (performance.now() - t0) / 1000;
      trials.push({
        // Copies that did not get the last change are not counted at all: a lower bound then.
        deliveries: done * BASELINE_CHANGES,
        seconds,
        serverCpuSeconds: processCpuSeconds(server.pid) - cpu0,
        clientCpuSeconds: ownCpuSeconds() - own0,
        complete: done === copies.length,
      });
      progress(
        NAME,
        `baseline: trial ${t + 1}: ${BASELINE_CHANGES} changes to ${SUBSCRIBERS} client repos in ${seconds.toFixed(2)} s`,
      );
    }
    return trials;
  } finally {
    await resources.close();
  }
}

/** Runs the bench. */
export async function relayFanout(): Promise<BenchResult> {
  const own = await cellule();
  const trials = await baseline();
  const rate = own.deliveries / own.seconds;
  const rates = trials.map((t) => t.deliveries / t.seconds);
  const baseRate = median(rates);
  const base = trials[rates.indexOf(baseRate)]!;
  const complete = own.complete && trials.every((t) => t.complete);
  return {
    bench: NAME,
    deliveries_per_s: Math.round(rate),
    baseline_deliveries_per_s: Math.round(baseRate),
    ratio: round(rate / baseRate, 1),
    subscribers: SUBSCRIBERS,
    relay_args: RELAY_ARGS.join(" "),
    envelopes: ENVELOPES,
    seconds: round(own.seconds, 2),
    relay_cpu_s: round(own.serverCpuSeconds, 2),
    deliveries_per_relay_cpu_s: Math.round(own.deliveries / own.serverCpuSeconds),
    subscribers_cpu_s: round(own.clientCpuSeconds, 2),
    baseline_changes: BASELINE_CHANGES,
    baseline_trials_deliveries_per_s: rates.map(Math.round),
    baseline_seconds: round(base.seconds, 2),
    baseline_server_cpu_s: round(base.serverCpuSeconds, 2),
    baseline_deliveries_per_server_cpu_s: Math.round(base.deliveries / base.serverCpuSeconds),
    baseline_clients_cpu_s: round(base.clientCpuSeconds, 2),
    complete,
    goal: "deliveries_per_s >= 10 x baseline",
    ok: complete && rate >= 10 * baseRate,
  };
}
