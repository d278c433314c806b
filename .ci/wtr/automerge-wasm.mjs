/**
 * Automerge in the browser tests: its WASM module served as `application/wasm` at `AUTOMERGE_WASM_URL`, for
 * `initializeWasm(url)` (wasm-bindgen fetches it and compiles it with `WebAssembly.instantiateStreaming`);
 * and its full entries refused, since they import a raw `.wasm` only bundlers handle.
 */
import fs from "node:fs";
import { createRequire } from "node:module";

/** Where browser tests find the raw Automerge WASM module. */
export const AUTOMERGE_WASM_URL = "/__cellule__/automerge.wasm";

/** Bare specifiers browser code must not use, with what to do instead (see prebundle.mjs's `refused`). */
export const AUTOMERGE_FULL_ENTRIES = Object.fromEntries(
  ["@automerge/automerge", "@automerge/automerge-repo"].map((entry) => [
    entry,
    `import '${entry}/slim' in browser code and initialise the WASM first, e.g. ` +
      `await initializeWasm("${AUTOMERGE_WASM_URL}")`,
  ]),
);

/** Dev-server middleware serving the WASM module installed under `root` at AUTOMERGE_WASM_URL. */
export function serveAutomergeWasm(root) {
  let file;
  return async (ctx, next) => {
    if (ctx.path !== AUTOMERGE_WASM_URL) return next();
    file ??= createRequire(import.meta.url).resolve("@automerge/automerge/automerge.wasm", { paths: [root] });
    ctx.type = "application/wasm";
    ctx.set("cache-control", "no-cache");
    ctx.body = fs.createReadStream(file);
  };
}
