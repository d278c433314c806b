/**
 * The `cellule relay` process when what surrounds it goes wrong: the reader of its stderr goes away (a
 * supervisor that died, `cellule relay 2>&1 | tee` with tee killed), or an exception nothing caught. These
 * spawn the real command line, as `test/support/relay-process.ts` does, but keep the child process to
 * break its pipes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url)))); // adapters/relay/ → the project
const READY = /^cellule relay listening on (http:\/\/\S+)$/m;
/** Upper bound of every wait: generous, it only turns a hang into a failure. */
const BOUND_MS = 20_000;
/**
 * Code Node loads before the relay (`--import`): it throws, from an event listener, when a line arrives on
 * stdin. A genuine uncaught exception inside the real process, with nothing added to the relay's code.
 */
const THROW_ON_STDIN = `data:text/javascript,process.stdin.on("data", () => { throw new Error("planted failure"); });`;

interface Cli {
  child: ChildProcess;
  url: string;
  dataDir: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the relay wrote to stderr while someone read it. */
  stderr(): string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Rejects with `what` if `promise` has not settled within BOUND_MS. */
function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${BOUND_MS} ms`)), BOUND_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function spawnCli(options: { args?: string[]; preload?: string } = {}): Promise<Cli> {
  const dataDir = await mkdtemp(join(tmpdir(), "cellule-cli-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const args = ["--import", "tsx", ...(options.preload ? ["--import", options.preload] : [])];
  args.push(join(ROOT, "adapters/relay/cli.ts"), "relay", "--port", "0", "--data", dataDir);
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  let err = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    err += chunk;
  });
  let out = "";
  child.stdout!.setEncoding("utf8");
  const url = await bounded(
    new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (chunk: string) => {
        out += chunk;
        const m = READY.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then(({ code }) => reject(new Error(`relay exited (${code}) before listening:\n${err}`)));
    }),
    "the relay did not listen",
  );
  return { child, url, dataDir, exited, stderr: () => err };
}

/** Sends bytes that are not HTTP: the relay logs "bad HTTP request" (at debug level), then hangs up. */
async function sendJunk(url: string): Promise<void> {
  const socket = connect(Number(new URL(url).port), "127.0.0.1");
  socket.on("error", () => {});
  socket.write("not http\r\n\r\n");
  await bounded(
    new Promise<void>((resolve) => socket.once("close", () => resolve())),
    "the relay did not hang up on junk",
  );
}

describe("cellule relay, when nobody reads its stderr any more", () => {
  it("keeps serving, and SIGTERM still closes it cleanly", async () => {
    const cli = await spawnCli({ args: ["--log-level", "debug"] });
    // The reader goes away: the relay's next write to stderr fails with EPIPE.
    cli.child.stderr!.destroy();
    await sendJunk(cli.url);
    const health = await bounded(
      fetch(`${cli.url}/health`, { signal: AbortSignal.timeout(BOUND_MS) }),
      "the relay stopped answering (spinning on its broken stderr?)",
    );
    expect(health.status).toBe(200);
    cli.child.kill("SIGTERM");
    expect(await bounded(cli.exited, "SIGTERM did not stop the relay")).toEqual({ code: 0, signal: null });
    expect(existsSync(join(cli.dataDir, "lock")), "the store was closed").toBe(false);
  });
});

describe("cellule relay, on an uncaught exception", () => {
  it("logs it once and exits non-zero after closing its store", async () => {
    const cli = await spawnCli({ preload: THROW_ON_STDIN });
    cli.child.stdin!.write("go\n");
    expect(await bounded(cli.exited, "the relay kept running after an uncaught exception")).toEqual({
      code: 1,
      signal: null,
    });
    const lines = cli.stderr().split("\n");
    const reported = lines.filter((l) => l.includes("planted failure"));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/^cellule relay error: uncaught exception.*Error: planted failure/);
    expect(existsSync(join(cli.dataDir, "lock")), "the store was closed").toBe(false);
  });

  it("exits non-zero even when its stderr is broken (the handler does not loop on its own log)", async () => {
    const cli = await spawnCli({ preload: THROW_ON_STDIN });
    cli.child.stderr!.destroy();
    cli.child.stdin!.write("go\n");
    expect(await bounded(cli.exited, "the relay kept running after an uncaught exception")).toEqual({
      code: 1,
      signal: null,
    });
    expect(existsSync(join(cli.dataDir, "lock")), "the store was closed").toBe(false);
  });
});
