/**
 * `widget-size`: the keyless widget bundle a blog loads — `<cell-card>`, `<cell-journal>` and
 * `<cell-events>` with Lit and the edition verifier — bundled as one ES module, minified and gzipped:
 * `bytes`, goal < 10 KB. Baseline in the same run: Lit alone, bundled the same way (`lit_bytes`).
 * (`bytes_with_contact` comes with `<cell-contact>`.)
 */
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { type BenchResult, ROOT } from "./support.js";

async function gzipped(contents: string, resolveDir: string): Promise<number> {
  const out = await esbuild.build({
    stdin: { contents, resolveDir, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    write: false,
    legalComments: "none",
  });
  return gzipSync(out.outputFiles[0]!.contents, { level: 9 }).length;
}

export async function widgetSize(): Promise<BenchResult> {
  const bytes = await gzipped('import "./elements/index.ts";', ROOT);
  const litBytes = await gzipped('export * from "lit";', ROOT);
  return { bench: "widget-size", bytes, lit_bytes: litBytes, goal: "bytes < 10240", ok: bytes < 10_240 };
}
