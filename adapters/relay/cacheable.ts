/**
 * Answers for public files any page, static host or CDN may fetch and cache: open CORS, an ETag with 304
 * answers to `If-None-Match`, `Cache-Control`, and `HEAD` without a body.
 */
import type { ServerResponse } from "node:http";
import type { RouteContext } from "./server.js";

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
}

/** Sends `file`, or 304 when the client already holds this version. */
export function sendCacheable({ req, res }: Pick<RouteContext, "req" | "res">, file: Cacheable): void {
  const headers: Record<string, string> = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Content-Disposition",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": `public, max-age=${file.maxAge}, stale-while-revalidate=86400`,
    ETag: file.etag,
    ...(file.lastModified !== undefined
      ? { "Last-Modified": new Date(file.lastModified).toUTCString() }
      : {}),
    ...file.headers,
  };
  const match = req.headers["if-none-match"];
  if (match?.split(",").some((m) => m.trim().replace(/^W\//, "") === file.etag)) {
    end(res, 304, headers);
    return;
  }
  res.writeHead(200, { ...headers, "Content-Type": file.type, "Content-Length": file.body.length });
  res.end(req.method === "HEAD" ? undefined : file.body);
}

function end(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, headers);
  res.end();
}
