/**
 * Starts a real relay as a child process (`node --import tsx adapters/relay/cli.ts relay …`) for
 * end-to-end tests, and waits until it prints the line with its URL.
 *
 * ```ts
 * const relay = await startRelayProcess();            // fresh temporary data directory, free port
 * // … connect to relay.wsUrl or fetch(relay.url + "/health") …
 * await relay.stop();                                  // SIGTERM, wait for the exit
 * ```
 * `kill("SIGKILL")` simulates a crash; start a new process on the same `dataDir` to see what survived.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url)))); // test/support/ → the project
const READY = /^cellule relay listening on (http:\/\/\S+)$/;

/** How to start the relay process. */
export interface RelayProcessOptions {
  /** Data directory; a new temporary one when omitted (removed by `stop()`). */
  dataDir?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** `--peer` URLs. */
  peers?: string[];
  /** More command-line arguments (`--rate 10`, `--max-frame 4096`…). */
  args?: string[];
  /** Copy the relay's stderr to this process's stderr (also when `CELLULE_RELAY_LOG=1`). @default false */
  showLog?: boolean;
  /** @default 20000 */
  startTimeoutMs?: number;
}

/** A running relay process. */
export interface RelayProcess {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `ws://127.0.0.1:<port>/ws`. */
  wsUrl: string;
  port: number;
  pid: number;
  dataDir: string;
  /** The last 64 KiB the relay wrote to stderr. */
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal (`SIGKILL` to simulate a crash) without waiting. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s); removes a temporary data directory. */
  stop(): Promise<void>;
}

/** Spawns a relay and resolves once it listens. */
export async function startRelayProcess(options: RelayProcessOptions = {}): Promise<RelayProcess> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "cellule-relay-")));
  const args = ["--import", "tsx", join(ROOT, "adapters/relay/cli.ts"), "relay"];
  args.push("--port", String(options.port ?? 0), "--data", dataDir);
  for (const p of options.peers ?? []) args.push("--peer", p);
  args.push(...(options.args ?? []));
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const showLog = options.showLog ?? process.env.CELLULE_RELAY_LOG === "1";
  let err = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    err = (err + chunk).slice(-65536);
    if (showLog) process.stderr.write(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`relay did not start within ${options.startTimeoutMs ?? 20_000} ms:\n${err}`));
    }, options.startTimeoutMs ?? 20_000);
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n").find((l) => READY.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(READY.exec(line)![1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (code ${code}, signal ${signal}) before listening:\n${err}`));
    });
  });
  const port = Number(new URL(url).port);
  let stopping: Promise<void> | undefined;
  return {
    url,
    wsUrl: `${url.replace(/^http/, "ws")}/ws`,
    port,
    pid: child.pid!,
    dataDir,
    stderr: () => err,
    exited,
    kill: (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(timer);
        }
        if (ownDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
