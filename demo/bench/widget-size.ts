/**
 * `widget-size`: the keyless widget bundle a blog loads — `<cell-card>`, `<cell-journal>` and
 * `<cell-events>` with Lit and the edition verifier — bundled as one ES module, minified and gzipped:
 * `bytes`, goal < 10 KB; and the whole kit a blog loads with the contact form (`<cell-contact>` and
 * `<cell-join>` too, i.e. `elements/index.ts`): `bytes_with_contact`, goal < 14 KB. Baseline in the same
 * run: Lit alone, bundled the same way (`lit_bytes`).
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

const THREE = `
import { defineElement } from "./elements/define.ts";
import { CellCard } from "./elements/cell-card/cell-card.ts";
import { CellEvents } from "./elements/cell-events/cell-events.ts";
import { CellJournal } from "./elements/cell-journal/cell-journal.ts";
defineElement("cell-card", CellCard);
defineElement("cell-events", CellEvents);
defineElement("cell-journal", CellJournal);
`;

export async function widgetSize(): Promise<BenchResult> {
  const bytes = await gzipped(THREE, ROOT);
  const withContact = await gzipped('import "./elements/index.ts";', ROOT);
  const litBytes = await gzipped('export * from "lit";', ROOT);
  return {
    bench: "widget-size",
    bytes,
    bytes_with_contact: withContact,
    lit_bytes: litBytes,
    goal: "bytes < 10240 and bytes_with_contact < 14336",
    ok: bytes < 10_240 && withContact < 14_336,
  };
}
