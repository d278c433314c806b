/**
 * The HTTP side of the relay: a small route table (health, topic fetch and post; later editions, feeds,
 * `/app/`), open CORS so any page can read public editions and post sealed envelopes, per-connection
 * rate limits, and JSON errors. Every handler runs inside one try/catch: a bad request gets an error
 * answer and nothing else happens.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import {
  CelluleError,
  IntegrityError,
  QuotaError,
  StorageError,
  WrongCellError,
} from "../../../core/base/errors.js";
import { readHeader } from "../../../core/protocol/envelope.js";
import { RelayErrorCode } from "../../../core/protocol/relay.js";
import { describeError, type RelayLogger } from "../log.js";
import { type RelayStore, StoreFullError } from "../store/store.js";
import { type ClientLimits, clientAddress, TokenBucket } from "./limits.js";

/** What a route handler gets. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The capture groups of the route's pattern. */
  params: string[];
  store: RelayStore;
  log: RelayLogger;
}

/** One entry of the relay's HTTP route table. */
export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  /** Matched against the URL path (without the query). */
  path: RegExp;
  handle(ctx: RouteContext): Promise<void> | void;
}

/** What the HTTP handler needs from the relay. */
export interface HttpOptions {
  store: RelayStore;
  log: RelayLogger;
  maxFrameBytes: number;
  ratePerSecond: number;
  rateBurst: number;
  /** Routes added to the built-in ones (editions, feeds, `/app/`…). */
  routes?: Route[];
  /** Limits per address, shared with the WebSocket side. */
  clients?: ClientLimits;
  /** Key the limits by the address a trusted proxy names (`clientAddress`). */
  trustProxy?: boolean;
  /** True for a socket refused at connection (it is being answered and closed): its requests are ignored. */
  refused?(socket: Socket): boolean;
  /** The body of `GET /health`. */
  health(): Record<string, unknown>;
}

/** An error answered with a given HTTP status. */
export class HttpError extends CelluleError {
  constructor(
    readonly status: number,
    readonly relayCode: number,
    message: string,
  ) {
    super("http", message);
  }
}

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "X-Cellule-Store, X-Cellule-Head",
  "X-Content-Type-Options": "nosniff",
} as const;

/**
 * Headers every answer of the relay carries, set before any route runs (a route may give a page its own
 * policy: the member space does). As HTTP headers, not `<meta>`: a `<meta>` cannot set `frame-ancestors`,
 * so a cell's page could be framed by anyone. Nothing the relay serves runs scripts or loads anything but
 * the member space, whose routes set its policy.
 */
export const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
} as const;

/** Writes a JSON answer with the CORS headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...CORS,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(text);
}

/** `/t/<topic>`: 64 hex digits, any case. */
function topicParam(ctx: RouteContext): string {
  const topic = ctx.params[0]!.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(topic))
    throw new HttpError(400, RelayErrorCode.malformed, "a topic is 64 hex digits");
  return topic;
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** `GET /t/<topic>?since=N`: records `seq u64 ‖ length u32 ‖ envelope`, streamed with back-pressure. */
async function getTopic(ctx: RouteContext): Promise<void> {
  const topic = topicParam(ctx);
  const sinceText = ctx.url.searchParams.get("since") ?? "0";
  if (!/^\d{1,16}$/.test(sinceText))
    throw new HttpError(400, RelayErrorCode.malformed, "since is a seq (0 or more)");
  const since = Number(sinceText);
  const { res, store } = ctx;
  const head = store.head(topic);
  res.writeHead(200, {
    ...CORS,
    "Content-Type": "application/octet-stream",
    "Cache-Control": "no-store",
    "X-Cellule-Store": store.storeIdHex,
    "X-Cellule-Head": String(head),
  });
  for (let next = since + 1; next <= head && !res.destroyed; ) {
    const batch = await store.readTopic(topic, next, Math.min(head, next + 255));
    const parts: Buffer[] = [];
    for (const r of batch) {
      const prefix = Buffer.allocUnsafe(12);
      prefix.writeUInt32BE(Math.floor(r.seq / 2 ** 32), 0);
      prefix.writeUInt32BE(r.seq >>> 0, 4);
      prefix.writeUInt32BE(r.envelope.length, 8);
      parts.push(prefix, r.envelope);
    }
    next += batch.length;
    if (!res.write(Buffer.concat(parts))) await drainOrClose(res);
  }
  res.end();
}

/** Reads a request body of at most `max` bytes; `HttpError` 413 beyond. */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > max) throw new HttpError(413, RelayErrorCode.tooLarge, `body over ${max} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new HttpError(413, RelayErrorCode.tooLarge, `body over ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `POST /t/<topic>`: stores an envelope whose header names the same topic. */
async function postTopic(ctx: RouteContext, maxFrameBytes: number): Promise<void> {
  const topic = topicParam(ctx);
  const body = await readBody(ctx.req, maxFrameBytes);
  let header: ReturnType<typeof readHeader>;
  try {
    header = readHeader(body);
  } catch (e) {
    throw new HttpError(400, RelayErrorCode.badEnvelope, describeError(e));
  }
  if (header.topic !== topic) {
    throw new HttpError(400, RelayErrorCode.badEnvelope, "the envelope's topic is not the one in the URL");
  }
  const r = await ctx.store.put(body);
  sendJson(ctx.res, r.stored ? 201 : 200, { hash: r.hash.toString("hex"), seq: r.seq, duplicate: !r.stored });
}

const BASE = "http://relay.invalid";

/**
 * The URL of a request target as this relay reads it: a path (`/…`, a `//x/…` one too: it names a path
 * here, never another host) or an absolute `http(s)://…` URL; `undefined` for anything else (`*`, junk).
 * Never throws: `new URL("//", base)` does, and a throw in the upgrade listener ended the process.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  const t = target ?? "/";
  try {
    if (t.startsWith("/")) return new URL(`${BASE}${t}`);
    if (/^https?:\/\//i.test(t)) return new URL(t);
  } catch {
    // not a URL
  }
  return undefined;
}

/** The path of a request target (without the query), `""` when it is not one. */
export function requestPath(target: string | undefined): string {
  return requestUrl(target)?.pathname ?? "";
}

/** Answers a raw socket (an upgrade refused) with a bodyless status, then destroys it once written. */
export function refuseSocket(socket: Duplex, status: number, reason: string, error?: string): void {
  if (socket.destroyed) return;
  const body = error
    ? JSON.stringify({ ok: false, error, code: status === 429 ? RelayErrorCode.rateLimited : 0 })
    : "";
  const type = error ? "Content-Type: application/json; charset=utf-8\r\n" : "";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${type}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
  // A peer that reads nothing would keep the write pending: it gets a few seconds.
  setTimeout(() => socket.destroy(), 5000).unref();
}

/** Builds the request listener of the relay's HTTP server. */
export function createHttpHandler(options: HttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { store, log } = options;
  const routes: Route[] = [
    { method: "GET", path: /^\/health$/, handle: (ctx) => sendJson(ctx.res, 200, options.health()) },
    { method: "GET", path: /^\/t\/([^/]+)$/, handle: getTopic },
    { method: "POST", path: /^\/t\/([^/]+)$/, handle: (ctx) => postTopic(ctx, options.maxFrameBytes) },
    ...(options.routes ?? []),
  ];
  const buckets = new WeakMap<Socket, TokenBucket>();

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const url = requestUrl(req.url);
    if (!url) throw new HttpError(400, RelayErrorCode.malformed, "the request target is not a path");
    // Preflights too: they are requests like any other.
    let bucket = buckets.get(req.socket);
    if (!bucket) {
      bucket = new TokenBucket(options.ratePerSecond, options.rateBurst);
      buckets.set(req.socket, bucket);
    }
    if (
      !bucket.take() ||
      (options.clients && !options.clients.take(clientAddress(req, options.trustProxy ?? false)))
    ) {
      throw new HttpError(429, RelayErrorCode.rateLimited, "rate limit exceeded");
    }
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        ...CORS,
        "Access-Control-Allow-Methods": "GET, POST, PUT, OPTIONS",
        "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "Content-Type",
        "Access-Control-Max-Age": "86400",
      });
      res.end();
      return;
    }
    let pathMatched = false;
    for (const r of routes) {
      const m = r.path.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== req.method && !(r.method === "GET" && req.method === "HEAD")) continue;
      await r.handle({ req, res, url, params: m.slice(1), store, log });
      return;
    }
    if (pathMatched) throw new HttpError(405, RelayErrorCode.malformed, `${req.method} is not allowed here`);
    throw new HttpError(404, 0, `nothing at ${url.pathname}`);
  };

  return (req, res) => {
    if (options.refused?.(req.socket)) return;
    route(req, res).catch((e: unknown) => {
      try {
        answerError(req, res, e);
      } catch (again) {
        log.error("answering an error failed", again);
        res.destroy();
      }
    });
  };

  function answerError(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    const [status, code] =
      e instanceof HttpError
        ? [e.status, e.relayCode]
        : e instanceof IntegrityError
          ? [400, RelayErrorCode.badEnvelope]
          : e instanceof WrongCellError
            ? [400, RelayErrorCode.badEnvelope]
            : e instanceof StoreFullError
              ? [507, RelayErrorCode.quota]
              : e instanceof QuotaError
                ? [413, RelayErrorCode.tooLarge]
                : e instanceof StorageError
                  ? [503, RelayErrorCode.storage]
                  : [500, 0];
    if (status >= 500) log.error(`${req.method} ${req.url} failed`, e);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = status === 500 ? "internal error" : e instanceof Error ? e.message : String(e);
    // After a refused upload the rest of the body is not read: close the connection rather than drain it.
    const close = status === 413 || status === 429 ? { Connection: "close" } : undefined;
    sendJson(res, status, { ok: false, error: message, code }, close);
  }
}
