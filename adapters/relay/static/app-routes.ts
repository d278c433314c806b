/**
 * The member space, served by a relay at `/app/` (the files `npm run build` writes to `dist/app/`), under a
 * strict Content-Security-Policy: scripts from the relay only (WASM allowed, no eval), connections to this
 * relay and the other relays the operator names, nothing framed, no form posts.
 *
 * Behind a reverse proxy that terminates TLS and that the operator trusts (`--trust-proxy`), the relay
 * learns the scheme the browser used from the proxy (`requestScheme`), so that `relays.json` names this
 * relay as the browser reaches it (`https://…`). When the operator names the relay's public addresses
 * (`--public-url`), `relays.json` names the one the browser reached as the operator wrote it (`publicUrlFor`):
 * right even behind a proxy that drops the port or the scheme.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { extname, join } from "node:path";
import type { TLSSocket } from "node:tls";
import { sendCacheable } from "../http/cacheable.js";
import { HttpError, type Route, sendJson } from "../http/router.js";

/** The member space's files, by name (`index.html`, `cellule-app.js`, `automerge.wasm`…). */
export type AppFiles = Record<string, string | Uint8Array>;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** The one JSON file of a build served as is: its signed release (`npm run app:sign`; `relays.json` is made per request). */
const RELEASE = "release.json";

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
  const served = (n: string) => (extname(n) === ".json" ? n === RELEASE : extname(n) in TYPES);
  for (const name of names.filter(served)) files[name] = await readFile(join(dir, name));
  return files;
}

/**
 * The scheme the browser used to reach this relay: `https` when the request came over TLS; else, only when
 * `trustProxy` is set (the relay sits behind a reverse proxy that terminates TLS and sets these headers
 * itself), what that proxy says (`Forwarded: proto=…`, RFC 7239, else `X-Forwarded-Proto`; the first hop's,
 * the one nearest the browser); else `http`. Any other value is ignored.
 *
 * Without `trustProxy` the headers are not read at all: a client could send them itself. They shape only
 * `relays.json`, an answer made for one client and never stored (`no-store`, and `Vary` on them for any
 * cache that would store it anyway); nothing kept or shared depends on them or on `Host`: the page's policy
 * names this relay as `'self'` (`appCsp`), and edition renderings name no origin (edition-routes.ts).
 */
export function requestScheme(req: IncomingMessage, trustProxy = false): "http" | "https" {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return "https";
  if (!trustProxy) return "http";
  const forwarded = req.headers.forwarded?.split(",")[0]?.split(";") ?? [];
  const proto = forwarded.find((pair) => /^\s*proto\s*=/i.test(pair))?.split("=")[1];
  for (const value of [proto, req.headers["x-forwarded-proto"]?.toString().split(",")[0]]) {
    const scheme = value
      ?.trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (scheme === "http" || scheme === "https") return scheme;
  }
  return "http";
}

/** The request headers `requestScheme` reads, for `Vary`. */
export const PROXY_VARY = "Forwarded, X-Forwarded-Proto";

/** The `Host` the browser asked for if it is a host name or address, with an optional port; else `undefined`. */
export function requestHost(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  return host && /^([\w.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host) ? host : undefined;
}

/**
 * The member space's policy, `connect` the other relays it may reach. This relay is `'self'`, which covers
 * `ws:`/`wss:` to the page's own host (CSP 3; checked in Chromium): the policy depends on nothing a client
 * sends, `Host` included (it was reflected: a cache keyed without `Host` could serve one client's policy to
 * others), and is right behind a proxy that terminates TLS and without one.
 */
export function appCsp(connect: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src ${["'self'", ...connect].join(" ")}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** Options of `appRoutes`. */
export interface AppRouteOptions {
  /** Believe `Forwarded` / `X-Forwarded-Proto` (see `requestScheme`). @default false */
  trustProxy?: boolean;
  /**
   * The addresses this relay is known by (`--public-url`): `relays.json` names the one the browser reached
   * (see `publicUrlFor`) as it is written, scheme and port included, whatever the proxy forwards.
   */
  publicUrls?: readonly string[];
}

/** A URL as `relays.json` names it: parsed, without a trailing slash; `undefined` if it is not http(s). */
function relayUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The public address (of `publicUrls`) a request with this `Host` reached, as `relays.json` names it: the
 * first one with the same host name and, when `Host` names a port, the same port (its scheme's default when
 * the URL names none). A proxy may drop the port the browser used (nginx's `$host` does) and cannot always
 * say the scheme: the operator's own words are the truth then. `undefined` when none matches (the relay
 * reached by another name or directly on its port): `relays.json` then reflects the request as before.
 */
export function publicUrlFor(host: string, publicUrls: readonly string[]): string | undefined {
  const asked = relayUrl(`http://${host}`);
  if (!asked) return undefined;
  const askedPort = /:\d+$/.test(host) ? (host.split(":").pop() ?? "") : undefined;
  for (const candidate of publicUrls) {
    const url = relayUrl(candidate);
    if (!url || url.hostname !== asked.hostname) continue;
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    if (askedPort === undefined || Number(askedPort) === Number(port)) return url.href.replace(/\/$/, "");
  }
  return undefined;
}

/**
 * The routes serving `files` at `/app/`; `connect` lists the other relays the page may reach (read at each
 * answer: the caller may fill it in once the relays' addresses are known).
 */
export function appRoutes(
  files: AppFiles,
  connect: readonly string[] = [],
  options: AppRouteOptions = {},
): Route[] {
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
        const host = requestHost(req);
        const reached = host && publicUrlFor(host, options.publicUrls ?? []);
        const self = reached
          ? [reached]
          : host
            ? [`${requestScheme(req, options.trustProxy)}://${host}`]
            : [];
        const others = connect.filter((u) => /^https?:/.test(u) && !self.includes(u));
        sendJson(res, 200, { relays: [...self, ...new Set(others)] }, { Vary: PROXY_VARY });
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
        // Every file gets the page's policy: the service worker (sw.js) lives under the policy it is served with.
        sendCacheable(ctx, {
          ...file,
          maxAge: page ? 0 : 3600,
          compressBest: true,
          headers: {
            // Made per answer: `connect` may be filled in after the routes (the demo learns its relays' ports then).
            "Content-Security-Policy": appCsp(connect),
            ...(page ? { "Referrer-Policy": "no-referrer" } : {}),
          },
        });
      },
    },
  ];
}
