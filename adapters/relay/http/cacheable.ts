/**
 * Answers for public files any page, static host or CDN may fetch and cache: open CORS, an ETag with 304
 * answers to `If-None-Match`, `Cache-Control`, `HEAD` without a body, and Brotli or gzip for clients that
 * accept them (the widget kit a blog loads is a third of its size in Brotli).
 */
import type { ServerResponse } from "node:http";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { RouteContext } from "./router.js";

/** A cacheable public answer. */
export interface Cacheable {
  body: Uint8Array;
  type: string;
  /** A quoted entity tag, e.g. `"3f2a…"`. */
  etag: string;
  /** Seconds caches may keep it before revalidating. */
  maxAge: number;
  lastModified?: number;
  /** Extra headers (e.g. `Content-Disposition`). */
  headers?: Record<string, string>;
  /**
   * Compress with the best (slowest) settings: only for the operator's own files, made once (the widget
   * kit, the member space). Anything uploaded (editions, their renderings) gets cheap settings, so that a
   * stream of uploads cannot keep the thread pool the store's fsyncs share busy with Brotli 11. @default false
   */
  compressBest?: boolean;
}

/** Brotli quality and gzip level for uploaded bodies (H5: at most 5). */
export const UPLOADED_BROTLI_QUALITY = 5;
const UPLOADED_GZIP_LEVEL = 6;

/** Content codings offered, best first. */
const CODINGS = ["br", "gzip"] as const;
type Coding = (typeof CODINGS)[number];

/** Types worth compressing; smaller bodies are sent as they are. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|wasm|atom\+xml|manifest\+json)|image\/svg)/;
const MIN_COMPRESSED_BYTES = 1024;

/**
 * Compressed copies of bodies, by body: made once, in the background (zlib's thread pool), on the first
 * request that could use them; until they are ready that body is sent as it is. Bodies are kept by their
 * owners (a stored edition, the widget files), so a copy lives as long as its body.
 */
const compressed = new WeakMap<Uint8Array, Partial<Record<Coding, Uint8Array>>>();

function compress(body: Uint8Array, best: boolean): void {
  const copies: Partial<Record<Coding, Uint8Array>> = {};
  compressed.set(body, copies);
  const quality = best && body.length <= 1 << 20 ? constants.BROTLI_MAX_QUALITY : UPLOADED_BROTLI_QUALITY;
  brotliCompress(
    body,
    {
      params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    },
    (error, out) => {
      if (!error && out.length < body.length) copies.br = out;
    },
  );
  gzip(body, { level: best ? 9 : UPLOADED_GZIP_LEVEL }, (error, out) => {
    if (!error && out.length < body.length) copies.gzip = out;
  });
}

/** Whether an `Accept-Encoding` header accepts `coding` (present, and not with `q=0`). */
export function accepts(header: string | undefined, coding: string): boolean {
  return (header ?? "").split(",").some((part) => {
    const [name, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    return name === coding && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

/** The coding and body to send for `file` to a client that accepts `header`. */
function encoded(file: Cacheable, header: string | undefined): { coding?: Coding; body: Uint8Array } {
  const wanted = CODINGS.filter((c) => accepts(header, c));
  if (!wanted.length || file.body.length < MIN_COMPRESSED_BYTES || !COMPRESSIBLE.test(file.type))
    return { body: file.body };
  const copies = compressed.get(file.body);
  if (!copies) compress(file.body, file.compressBest ?? false);
  for (const coding of wanted) {
    const body = copies?.[coding];
    if (body) return { coding, body };
  }
  return { body: file.body };
}

/** The entity tag of `file` in `coding`: each representation has its own. */
const tagOf = (etag: string, coding?: Coding) => (coding ? `${etag.slice(0, -1)}-${coding}"` : etag);

/** Sends `file`, or 304 when the client already holds this version (in any coding). */
export function sendCacheable({ req, res }: Pick<RouteContext, "req" | "res">, file: Cacheable): void {
  const { coding, body } = encoded(file, req.headers["accept-encoding"]);
  const headers: Record<string, string> = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Content-Disposition",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": `public, max-age=${file.maxAge}, stale-while-revalidate=86400`,
    ETag: tagOf(file.etag, coding),
    ...(COMPRESSIBLE.test(file.type) ? { Vary: "Accept-Encoding" } : {}),
    ...(file.lastModified !== undefined
      ? { "Last-Modified": new Date(file.lastModified).toUTCString() }
      : {}),
    ...file.headers,
  };
  const held = [file.etag, ...CODINGS.map((c) => tagOf(file.etag, c))];
  const match = req.headers["if-none-match"];
  if (match?.split(",").some((m) => held.includes(m.trim().replace(/^W\//, "")))) {
    end(res, 304, headers);
    return;
  }
  res.writeHead(200, {
    ...headers,
    "Content-Type": file.type,
    "Content-Length": body.length,
    ...(coding ? { "Content-Encoding": coding } : {}),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function end(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, headers);
  res.end();
}
