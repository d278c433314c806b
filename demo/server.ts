/**
 * The demo: two local relays with file storage and the page that shows two devices syncing through them.
 * `npm start` runs it (see start.ts); the end-to-end tests start it the same way.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type RelayServer, startRelay } from "../adapters/relay/index.js";

const here = dirname(fileURLToPath(import.meta.url));

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Where the relays keep their data. */
  dataDir: string;
  /** Port of the page; in use → a free one. @default 8080 */
  port?: number;
  /** Ports of the two relays; in use → free ones. @default [7420, 7421] */
  relayPorts?: [number, number];
}

/** A running demo. */
export interface Demo {
  url: string;
  relays: RelayServer[];
  close(): Promise<void>;
}

async function relayOn(port: number, dataDir: string): Promise<RelayServer> {
  try {
    return await startRelay({ dataDir, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return startRelay({ dataDir, port: 0 });
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

/** Starts the relays and the page server. */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const [portA, portB] = options.relayPorts ?? [7420, 7421];
  const relays = [
    await relayOn(portA, join(options.dataDir, "relay-a")),
    await relayOn(portB, join(options.dataDir, "relay-b")),
  ];
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
  // The page may talk to its own origin and the two relays only; WASM needs 'wasm-unsafe-eval'.
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
  const port = await listen(server, options.port ?? 8080);
  return {
    url: `http://127.0.0.1:${port}/`,
    relays,
    async close() {
      await new Promise((ok) => server.close(ok));
      await Promise.all(relays.map((r) => r.close()));
    },
  };
}
