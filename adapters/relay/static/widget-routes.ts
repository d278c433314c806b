/**
 * The widget kit, served by every relay so that a blog needs one script tag and talks to no host but the
 * cell's relays: `GET /widgets/cellule.js` (a module) and `/widgets/cellule.iife.js` (a classic script for
 * sites that cannot load modules). The files come from `npm run build` (`dist/widgets/`); see
 * rollup.config.mjs.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { sendCacheable } from "../http/cacheable.js";
import type { Route } from "../http/router.js";

/** The two widget bundles (their code). */
export interface WidgetFiles {
  esm: string | Uint8Array;
  iife: string | Uint8Array;
}

/** Seconds a browser or CDN may keep the widget files before revalidating. */
export const WIDGETS_MAX_AGE_S = 3600;

/** Reads `cellule.js` and `cellule.iife.js` from a directory; `undefined` when they are not there. */
export async function loadWidgetFiles(dir: string): Promise<WidgetFiles | undefined> {
  try {
    const [esm, iife] = await Promise.all([
      readFile(join(dir, "cellule.js")),
      readFile(join(dir, "cellule.iife.js")),
    ]);
    return { esm, iife };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The routes serving `files`. */
export function widgetRoutes(files: WidgetFiles): Route[] {
  return (
    [
      ["cellule.js", files.esm],
      ["cellule.iife.js", files.iife],
    ] as const
  ).map(([name, code]) => {
    const body = typeof code === "string" ? Buffer.from(code) : code;
    const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
    return {
      method: "GET" as const,
      path: new RegExp(`^/widgets/${name.replace(/\./g, "\\.")}$`),
      handle: (ctx) =>
        sendCacheable(ctx, {
          body,
          type: "text/javascript; charset=utf-8",
          etag,
          maxAge: WIDGETS_MAX_AGE_S,
          compressBest: true,
        }),
    };
  });
}
