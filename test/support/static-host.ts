/**
 * A static host for the member space in tests: serves `files` (changeable between requests) at `/app/`,
 * with the policy a relay sends for the member space (appCsp) and no HTTP caching, like a CDN would.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";
import { appCsp } from "../../adapters/relay/static/app-routes.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
};

export interface StaticHost {
  /** `http://127.0.0.1:<port>/app/` */
  url: string;
  /** What the host serves, by file name; replace it to change the host's files. */
  files: Record<string, string | Uint8Array>;
  close(): Promise<void>;
}

export async function startStaticHost(files: Record<string, string | Uint8Array>): Promise<StaticHost> {
  const host = { files } as StaticHost;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const name = path === "/app/" ? "index.html" : path.replace(/^\/app\//, "");
    const body = path.startsWith("/app/") ? host.files[name] : undefined;
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, {
      "Content-Type": TYPES[extname(name)] ?? "application/octet-stream",
      "Content-Security-Policy": appCsp([]),
      "Cache-Control": "no-cache",
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/`;
  host.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return host;
}
