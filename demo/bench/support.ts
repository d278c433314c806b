/**
 * Shared helpers of the benches: result lines, statistics, child processes (Cellule relays and the
 * automerge-repo baseline sync server) with their CPU time, Cellule devices and baseline client repos.
 *
 * Every bench runs its Cellule side and its baseline in the same run, on the same machine, with the
 * servers in their own processes on 127.0.0.1 and the clients in this one.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Repo, type StorageAdapterInterface } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import WebSocket from "ws";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import { createKit, type Kit, type KitOptions, type ScopeId, type WriterSets } from "../../core/index.js";
import {
  type RelayProcess,
  type RelayProcessOptions,
  startRelayProcess,
} from "../../test/support/relay-process.js";

/** The project root. */
export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** One JSON line of `npm run bench`: the bench's name, its measurements, its goal and whether it was met. */
export interface BenchResult {
  bench: string;
  goal: string;
  ok: boolean;
  [field: string]: unknown;
}

/** A bench: runs once, returns its line. */
export type Bench = () => Promise<BenchResult>;

/** Progress goes to stderr; stdout carries only the JSON lines. */
export function progress(bench: string, message: string): void {
  process.stderr.write(`[${bench}] ${message}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The `p`-th percentile (0–100) of values, by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Polls `check` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 5,
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Rejects after `ms` unless `promise` settled first. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Things to close at the end of a bench, closed in reverse order; failures are reported, not thrown. */
export class Resources {
  private readonly closers: { what: string; close: () => Promise<unknown> | unknown }[] = [];

  add<T>(what: string, value: T, close: (value: T) => Promise<unknown> | unknown): T {
    this.closers.push({ what, close: () => close(value) });
    return value;
  }

  async close(): Promise<void> {
    for (const { what, close } of this.closers.splice(0).reverse()) {
      try {
        await within(Promise.resolve(close()), 15_000, `closing ${what}`);
      } catch (error) {
        process.stderr.write(`could not close ${what}: ${String(error)}\n`);
      }
    }
  }
}

/** A temporary directory, removed with the resources. */
export async function tempDir(resources: Resources, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `cellule-bench-${prefix}-`));
  return resources.add(`directory ${dir}`, dir, (d) => rm(d, { recursive: true, force: true }));
}

// Children started by the benches, killed if this process ends before a bench could stop them.
const children = new Set<ChildProcess | RelayProcess>();
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where there is no /proc. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of this process (all threads, WebCrypto's thread pool included). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** A Cellule relay in its own process (`cellule relay`), stopped with the resources. */
export async function relayProcess(resources: Resources, options: RelayProcessOptions = {}) {
  const relay = await startRelayProcess({
    ...options,
    args: ["--log-level", "warn", ...(options.args ?? [])],
  });
  children.add(relay);
  return resources.add(`relay ${relay.url}`, relay, async (r) => {
    await r.stop();
    children.delete(r);
  });
}

/** The baseline: automerge-repo's own sync server (see sync-server.ts) in its own process. */
export interface SyncServerProcess {
  /** `ws://127.0.0.1:<port>`. */
  url: string;
  pid: number;
  /** Documents the server holds with content. */
  stats(): Promise<{ handles: number; withContent: number }>;
  stop(): Promise<void>;
}

/** Starts bench/sync-server.ts as a child process and waits until it listens. */
export async function syncServerProcess(resources: Resources): Promise<SyncServerProcess> {
  const dataDir = await tempDir(resources, "sync-server");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "demo/bench/sync-server.ts"), dataDir],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  let err = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    err = (err + chunk).slice(-16384);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await within(
    new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        out += chunk;
        const match = /sync server listening on (ws:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      void exited.then(() => reject(new Error(`sync server exited before listening:\n${err}`)));
    }),
    20_000,
    "the sync server to start",
  );
  const httpUrl = url.replace(/^ws/, "http");
  const server: SyncServerProcess = {
    url,
    pid: child.pid!,
    stats: async () =>
      (await fetch(`${httpUrl}/stats`)).json() as Promise<{ handles: number; withContent: number }>,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
    },
  };
  return resources.add(`sync server ${url}`, server, (s) => s.stop());
}

/** A baseline client: an automerge-repo Repo connected to the sync server, once the server is its peer. */
export async function baselineClient(
  resources: Resources,
  url: string,
  storage: StorageAdapterInterface | undefined = memoryStorage(),
): Promise<Repo> {
  const repo = new Repo({ network: [new WebSocketClientAdapter(url)], ...(storage ? { storage } : {}) });
  resources.add("baseline repo", repo, (r) => r.shutdown());
  await until(() => repo.peers.length > 0, "a baseline repo to reach the sync server", 15_000);
  return repo;
}

/** A Cellule device: a Kit over memory storage with a relay client, allowed to write `scope`, scope open. */
export async function cellDevice(
  resources: Resources,
  options: {
    relays: string[];
    authority: WriterSets;
    scope: ScopeId;
    secret: Uint8Array;
    kit?: Partial<KitOptions>;
  },
): Promise<Kit> {
  const storage = options.kit?.storage ?? memoryStorage();
  const kit = await createKit({
    storage,
    keystore: memoryKeystore(),
    authority: options.authority,
    transports: [
      relayClient({
        relays: options.relays,
        WebSocket: WebSocket as never,
        storage,
        minBackoffMs: 50,
        maxBackoffMs: 500,
      }),
    ],
    ...options.kit,
  });
  resources.add("kit", kit, (k) => k.close(1000));
  options.authority.allowScope(options.scope, [kit.device.id]);
  await kit.addScope(options.scope, options.secret);
  await until(
    () => kit.transportStatus().every((t) => t.endpoints.every((e) => e.connected)),
    "a Kit to connect to its relays",
    15_000,
  );
  return kit;
}

/**
 * An init script (runs before any page script) that notes `window.__postsAt` the first time `found` (a JS
 * expression) holds, watching the document and every shadow root as it is attached.
 */
export function detectPostsScript(found: string): string {
  return `(() => {
  const seen = () => {
    if (window.__postsAt === undefined && (${found})) window.__postsAt = performance.now();
  };
  const watch = (root) => new MutationObserver(seen).observe(root, { childList: true, subtree: true });
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    watch(root);
    return root;
  };
  watch(document);
})();`;
}
