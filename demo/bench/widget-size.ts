/**
 * `widget-size`: the keyless widget bundle a blog loads — `<cell-card>`, `<cell-journal>` and
 * `<cell-events>` with Lit and the edition verifier — built as the kit is shipped (rollup.config.mjs's
 * widget bundle: one ES module, minified), gzipped at level 9: `bytes`, goal < 10 KB; and the whole kit a
 * blog loads with the contact form (`<cell-contact>` and `<cell-join>` too: `elements/define-all.ts`, the
 * very file relays serve): `bytes_with_contact`, goal < 14 KB. Baseline in the same run: Lit alone, built the
 * same way (`lit_bytes`). Also `kit_br_bytes`: the whole kit as relays send it to browsers (Brotli, level
 * 11).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { buildWidget } from "../../rollup.config.mjs";
import { type BenchResult, ROOT } from "./support.js";

const THREE = `
import { CellCard } from "../../../elements/cell-card/cell-card.ts";
import { CellEvents } from "../../../elements/cell-events/cell-events.ts";
import { CellJournal } from "../../../elements/cell-journal/cell-journal.ts";
import { defineElement } from "../../../elements/define.ts";
defineElement("cell-card", CellCard);
defineElement("cell-events", CellEvents);
defineElement("cell-journal", CellJournal);
`;

/** The widget bundle built from an entry module's code (the kit's own entry when undefined). */
async function bundled(entry?: string): Promise<string> {
  // Entries live under node_modules/.cache/ so that they import the project's files and packages.
  mkdirSync(join(ROOT, "node_modules/.cache"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "node_modules/.cache/widget-size-"));
  try {
    const input = entry === undefined ? undefined : join(dir, "entry.ts");
    if (input) writeFileSync(input, entry!);
    return await buildWidget("es", input);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const gzipped = (code: string) => gzipSync(code, { level: 9 }).length;

export async function widgetSize(): Promise<BenchResult> {
  const bytes = gzipped(await bundled(THREE));
  const kit = await bundled();
  const withContact = gzipped(kit);
  const litBytes = gzipped(await bundled('export * from "lit";'));
  const quality = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY };
  return {
    bench: "widget-size",
    bytes,
    bytes_with_contact: withContact,
    lit_bytes: litBytes,
    kit_br_bytes: brotliCompressSync(kit, { params: quality }).length,
    goal: "bytes < 10240 and bytes_with_contact < 14336",
    ok: bytes < 10_240 && withContact < 14_336,
  };
}
