/**
 * `npm start`: two local relays with file storage, and the demo page. Data lives under `./.cellule-data`
 * (or `CELLULE_DATA`). Ports: `PORT` (page, default 8080), `RELAY_PORTS` (default "7420,7421"); a port in
 * use falls back to a free one.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type RelayServer, startRelay } from "../adapters/relay/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(process.env.CELLULE_DATA ?? ".cellule-data");
const relayPorts = (process.env.RELAY_PORTS ?? "7420,7421").split(",").map(Number);

async function relayOn(port: number, name: string): Promise<RelayServer> {
  const dir = join(dataDir, name);
  try {
    return await startRelay({ dataDir: dir, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return startRelay({ dataDir: dir, port: 0 });
  }
}

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, "app.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    minify: true,
    sourcemap: "inline",
    logLevel: "warning",
  });
  return result.outputFiles[0]!.text;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((ok, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" && port !== 0) ok(listen(server, 0));
      else fail(error);
    });
    server.listen(port, "127.0.0.1", () => ok((server.address() as AddressInfo).port));
  });
}

let relays: RelayServer[];
try {
  relays = [await relayOn(relayPorts[0] ?? 7420, "relay-a"), await relayOn(relayPorts[1] ?? 7421, "relay-b")];
} catch (error) {
  console.error(`cannot start the demo relays: ${(error as Error).message}`);
  process.exit(1);
}
const app = await bundle();
const wasm = await readFile(join(here, "../node_modules/@automerge/automerge/dist/automerge.wasm"));
const files: Record<string, () => Promise<[string, string | Buffer]>> = {
  "/": async () => ["text/html; charset=utf-8", await readFile(join(here, "index.html"))],
  "/favicon.ico": async () => ["image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"/>'],
  "/demo.css": async () => ["text/css; charset=utf-8", await readFile(join(here, "demo.css"))],
  "/app.js": async () => ["text/javascript; charset=utf-8", app],
  "/automerge.wasm": async () => ["application/wasm", wasm],
  "/config.json": async () => ["application/json", JSON.stringify({ relays: relays.map((r) => r.url) })],
};
const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${relays
  .map((r) => `${r.url} ${r.wsUrl}`)
  .join(" ")}`;
const server = createServer(async (req, res) => {
  const file = files[new URL(req.url ?? "/", "http://x").pathname];
  if (!file) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  const [type, body] = await file();
  res
    .writeHead(200, { "content-type": type, "content-security-policy": csp, "cache-control": "no-store" })
    .end(body);
});
const port = await listen(server, Number(process.env.PORT ?? 8080));
console.log(`relays: ${relays.map((r) => r.url).join(" ")} (data in ${dataDir})`);
console.log(`demo: http://127.0.0.1:${port}/`);

const stop = async () => {
  server.close();
  await Promise.all(relays.map((r) => r.close()));
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
