/**
 * `npm run bench [-- name…]`: runs every bench, or those named, one after the other. Each prints one JSON
 * line on stdout (`bench`, its measurements, its baseline from the same run, `goal`, `ok`); progress goes
 * to stderr. A bench that fails or overruns its time prints a line with `error` and `ok: false`.
 *
 * Exit code: 0 when every bench ran (goals met or not: `ok` says which), 1 when one could not run, 2 for
 * a wrong command line.
 */
import { appOpen } from "./app-open.js";
import { bookletSearch } from "./booklet-search.js";
import { bootstrap1000Docs } from "./bootstrap-1000-docs.js";
import { cryptoOverhead } from "./crypto-overhead.js";
import { editionServe } from "./edition-serve.js";
import { governance1000 } from "./governance-1000.js";
import { governanceAdversary } from "./governance-adversary.js";
import { load20kPosts } from "./load-20k-posts.js";
import { postLatency } from "./post-latency.js";
import { postToWidget } from "./post-to-widget.js";
import { relayFanout } from "./relay-fanout.js";
import { rotation1000 } from "./rotation-1000.js";
import { type Bench, type BenchResult, within } from "./support.js";
import { widgetFirstRender } from "./widget-first-render.js";
import { widgetSize } from "./widget-size.js";

/** Every bench, with the longest it may run (dataset preparation included). */
const BENCHES: Record<string, { run: Bench; limitMs: number }> = {
  "post-latency": { run: postLatency, limitMs: 90_000 },
  "post-to-widget": { run: postToWidget, limitMs: 180_000 },
  "relay-fanout": { run: relayFanout, limitMs: 120_000 },
  "bootstrap-1000-docs": { run: bootstrap1000Docs, limitMs: 120_000 },
  "crypto-overhead": { run: cryptoOverhead, limitMs: 90_000 },
  "load-20k-posts": { run: load20kPosts, limitMs: 600_000 },
  "governance-1000": { run: governance1000 as Bench, limitMs: 300_000 },
  "governance-adversary": { run: governanceAdversary, limitMs: 600_000 },
  "rotation-1000": { run: rotation1000, limitMs: 120_000 },
  "edition-serve": { run: editionServe, limitMs: 60_000 },
  "widget-size": { run: widgetSize, limitMs: 60_000 },
  "booklet-search": { run: bookletSearch, limitMs: 60_000 },
  "widget-first-render": { run: widgetFirstRender, limitMs: 120_000 },
  "app-open": { run: appOpen, limitMs: 600_000 },
};

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}\n`);
    return 2;
  }
  let broken = 0;
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
    const { run, limitMs } = BENCHES[name]!;
    const started = performance.now();
    process.stderr.write(`[${name}] starting\n`);
    let result: BenchResult;
    try {
      result = await within(run(), limitMs, name);
    } catch (error) {
      result = {
        bench: name,
        error: error instanceof Error ? error.message : String(error),
        goal: "",
        ok: false,
      };
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stderr.write(`[${name}] done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    if ("error" in result) broken++;
  }
  return broken > 0 ? 1 : 0;
}

// Exit explicitly: a bench that overran may still hold sockets or timers; its children are killed on exit.
main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
