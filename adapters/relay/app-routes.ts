/**
 * The member space, served by a relay at `/app/` (the files `npm run build` writes to `dist/app/`), under a
 * strict Content-Security-Policy: scripts from the relay only (WASM allowed, no eval), connections to this
 * relay and the other relays the operator names, nothing framed, no form posts.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { sendCacheable } from "./cacheable.js";
import { HttpError, type Route, sendJson } from "./server.js";

/** The member space's files, by name (`index.html`, `cellule-app.js`, `automerge.wasm`…). */
export type AppFiles = Record<string, string | Uint8Array>;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
};

/** Reads the member space's files from a directory; `undefined` when it has no `index.html`. */
export async function loadAppFiles(dir: string): Promise<AppFiles | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (!names.includes("index.html")) return undefined;
  const files: AppFiles = {};
  for (const name of names.filter((n) => extname(n) in TYPES)) files[name] = await readFile(join(dir, name));
  return files;
}

/** The page's policy; `host` is the relay as the browser reached it, `connect` the other relays. */
export function appCsp(host: string, connect: readonly string[]): string {
  const self = [`http://${host}`, `https://${host}`, `ws://${host}`, `wss://${host}`];
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src 'self' ${[...self, ...connect].join(" ")}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** The routes serving `files` at `/app/`; `connect` lists the other relays the page may reach. */
export function appRoutes(files: AppFiles, connect: readonly string[] = []): Route[] {
  const entries = new Map(
    Object.entries(files).map(([name, content]) => {
      const body = typeof content === "string" ? Buffer.from(content) : content;
      const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
      return [name, { body, etag, type: TYPES[extname(name)] ?? "application/octet-stream" }];
    }),
  );
  return [
    {
      method: "GET",
      path: /^\/app$/,
      handle: ({ res }) => void res.writeHead(301, { Location: "/app/" }).end(),
    },
    {
      // The relays the page talks to: this one and the others it may connect to (http(s) only).
      method: "GET",
      path: /^\/app\/relays\.json$/,
      handle: ({ req, res }) => {
        const self = `http://${req.headers.host ?? ""}`;
        const others = connect.filter((u) => /^https?:/.test(u) && u !== self);
        sendJson(res, 200, { relays: [self, ...new Set(others)] });
      },
    },
    {
      method: "GET",
      path: /^\/app\/([^/]*)$/,
      handle(ctx) {
        const name = ctx.params[0] || "index.html";
        const file = entries.get(name);
        if (!file) throw new HttpError(404, 0, `no ${name} in the member space`);
        const page = name === "index.html";
        sendCacheable(ctx, {
          ...file,
          maxAge: page ? 0 : 3600,
          headers: page
            ? {
                "Content-Security-Policy": appCsp(ctx.req.headers.host ?? "", connect),
                "Referrer-Policy": "no-referrer",
              }
            : {},
        });
      },
    },
  ];
}
