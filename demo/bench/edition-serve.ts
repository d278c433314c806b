/**
 * `edition-serve`: editions served per second by one relay process (`GET /c/<cell>/edition.json` over
 * HTTP/1.1 keep-alive, CONNECTIONS clients in this process each with one request in flight). The relay
 * runs as a child process with its default settings (its per-connection limit, 2,000 requests/s, is
 * above what one client connection asks here); the edition is a real signed one (sample content plus POSTS posts, verified by the relay when PUT).
 *
 * Baseline (same run, same client): a plain node:http server in its own process answering every request
 * with the same bytes (demo/bench/edition-static-server.ts).
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { buildEdition, signEdition } from "../../core/internals.js";
import { NOW, publishingCell, sampleContent } from "../../core/site/test-support.js";
import {
  type BenchResult,
  processCpuSeconds,
  progress,
  Resources,
  ROOT,
  relayProcess,
  round,
  tempDir,
} from "./support.js";

const NAME = "edition-serve";
const CONNECTIONS = 32;
const WARMUP_MS = 1_000;
const MEASURE_MS = 4_000;
const POSTS = 20;

/** A signed edition of a sample cell with POSTS posts. */
async function edition(): Promise<{ cell: string; bytes: Uint8Array }> {
  const c = await publishingCell();
  const content = sampleContent();
  for (let i = 0; i < POSTS; i++) {
    content.posts.push({
      id: `b${i}`,
      title: `Compte rendu n° ${i}`,
      text: "Nous étions nombreux. ".repeat(10),
      author: "Fatima",
      date: NOW - i * 3_600_000,
      visibility: "public",
    });
  }
  const bytes = await signEdition(
    buildEdition(c.genesis, c.keys.chain, content, NOW),
    c.keys.signing.privateKey,
  );
  return { cell: c.genesis.hash, bytes };
}

/** GETs `url` from CONNECTIONS keep-alive connections for MEASURE_MS after WARMUP_MS; responses per second. */
async function load(url: string, size: number, pid: number): Promise<{ perS: number; cpuS: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let counting = false;
  let done = 0;
  let stop = false;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        let got = 0;
        res.on("data", (c: Buffer) => {
          got += c.length;
        });
        res.on("end", () => {
          if (res.statusCode !== 200 || got !== size)
            reject(new Error(`${url}: ${res.statusCode}, ${got} bytes`));
          else {
            if (counting) done++;
            resolve();
          }
        });
      });
      req.on("error", reject);
      req.end();
    });
  const loops = Array.from({ length: CONNECTIONS }, async () => {
    while (!stop) await one();
  });
  const failed = Promise.all(loops);
  await Promise.race([new Promise((r) => setTimeout(r, WARMUP_MS)), failed]);
  const cpu0 = processCpuSeconds(pid);
  counting = true;
  const t0 = performance.now();
  await Promise.race([new Promise((r) => setTimeout(r, MEASURE_MS)), failed]);
  counting = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpuS = processCpuSeconds(pid) - cpu0;
  stop = true;
  await failed;
  agent.destroy();
  return { perS: done / seconds, cpuS };
}

async function staticServer(resources: Resources, file: string): Promise<{ url: string; pid: number }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "demo/bench/edition-static-server.ts"), file],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  resources.add("static server", child, (c) => {
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    return exited;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`static server exited (${code})`)));
  });
  return { url, pid: child.pid! };
}

/** Runs the bench. */
export async function editionServe(): Promise<BenchResult> {
  const resources = new Resources();
  try {
    const { cell, bytes } = await edition();
    const relay = await relayProcess(resources);
    const put = await fetch(`${relay.url}/c/${cell}/edition`, { method: "PUT", body: Buffer.from(bytes) });
    if (put.status !== 201)
      throw new Error(`the relay refused the edition: ${put.status} ${await put.text()}`);
    progress(NAME, `edition of ${bytes.length} bytes stored; ${CONNECTIONS} keep-alive clients`);
    const own = await load(`${relay.url}/c/${cell}/edition.json`, bytes.length, relay.pid);
    progress(NAME, `relay: ${Math.round(own.perS)}/s`);
    const file = join(await tempDir(resources, "edition"), "edition.json");
    await writeFile(file, bytes);
    const plain = await staticServer(resources, file);
    const base = await load(plain.url, bytes.length, plain.pid);
    progress(NAME, `baseline: ${Math.round(base.perS)}/s`);
    return {
      bench: NAME,
      per_s: Math.round(own.perS),
      baseline_per_s: Math.round(base.perS),
      ratio: round(own.perS / base.perS, 2),
      edition_bytes: bytes.length,
      connections: CONNECTIONS,
      seconds: MEASURE_MS / 1000,
      relay_cpu_s: round(own.cpuS, 2),
      // The client in this process bounds both rates; this is what one relay core would serve.
      per_relay_cpu_s: Math.round((own.perS * MEASURE_MS) / 1000 / own.cpuS),
      baseline_per_server_cpu_s: Math.round((base.perS * MEASURE_MS) / 1000 / base.cpuS),
      baseline_cpu_s: round(base.cpuS, 2),
      goal: "per_s >= 5000",
      ok: own.perS >= 5000,
    };
  } finally {
    await resources.close();
  }
}
