/**
 * Browser tests: `{core,adapters,elements,demo,test}/**\/*.browser.test.ts` in headless Chromium (Debian's,
 * through playwright-core), mocha-style (`describe`/`it` globals; do not import vitest here).
 *
 * - The project's own `.ts` files are transformed one by one by `@web/dev-server-esbuild` (target left at
 *   `auto`, so plain `.js` is not re-transformed), with package.json's version written in as the build does.
 * - npm dependencies are pre-bundled once at start (.ci/wtr/prebundle.mjs); bare imports point at them.
 * - Automerge: import `@automerge/automerge/slim` / `@automerge/automerge-repo/slim` and initialise the WASM,
 *   served at `/__cellule__/automerge.wasm` (.ci/wtr/automerge-wasm.mjs).
 * - A real relay runs beside the tests; its URL is at `/__cellule__/relay.json` (.ci/wtr/test-relay.mjs).
 * - With `CELLULE_WTR_RESULTS=<file>`, JSON totals are written there for `.ci/test.mjs`
 *   (.ci/wtr/results-reporter.mjs).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { defaultReporter } from "@web/test-runner";
import { playwrightLauncher } from "@web/test-runner-playwright";
import { CHROMIUM_ARGS, findChromium } from "./.ci/chromium.mjs";
import { AUTOMERGE_FULL_ENTRIES, serveAutomergeWasm } from "./.ci/wtr/automerge-wasm.mjs";
import { findTestFiles, prebundledDependencies } from "./.ci/wtr/prebundle.mjs";
import { resultsFileReporter } from "./.ci/wtr/results-reporter.mjs";
import { testRelay } from "./.ci/wtr/test-relay.mjs";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const TEST_DIRS = ["core", "adapters", "elements", "demo", "test"];
const TEST_SUFFIX = ".browser.test.ts";

/** Pre-bundled even when no test imports them yet (the project's browser dependencies). */
const ALWAYS_PREBUNDLE = ["@automerge/automerge/slim", "@automerge/automerge-repo/slim", "dexie", "lit"];

const chromium = findChromium();
if (chromium.error) {
  console.error(chromium.error);
  process.exit(1);
}
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const resultsFile = process.env.CELLULE_WTR_RESULTS;

export default {
  rootDir: ROOT,
  files: [`{${TEST_DIRS.join(",")}}/**/*${TEST_SUFFIX}`],
  nodeResolve: false, // bare imports go to the pre-bundled dependencies
  concurrentBrowsers: 1,
  concurrency: 2,
  // generous: a cold CI machine starts Chromium and loads Automerge slowly
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 30_000 } },
  browsers: [
    playwrightLauncher({
      product: "chromium",
      launchOptions: { executablePath: chromium.path, headless: true, args: CHROMIUM_ARGS },
    }),
  ],
  middleware: [serveAutomergeWasm(ROOT)],
  plugins: [
    esbuildPlugin({
      ts: true,
      tsconfig: path.join(ROOT, "tsconfig.json"),
      define: { __CELLULE_VERSION__: JSON.stringify(version) },
    }),
    prebundledDependencies({
      root: ROOT,
      testFiles: () => findTestFiles(ROOT, TEST_DIRS, TEST_SUFFIX),
      always: ALWAYS_PREBUNDLE,
      refused: AUTOMERGE_FULL_ENTRIES,
    }),
    testRelay(ROOT),
  ],
  reporters: [defaultReporter(), ...(resultsFile ? [resultsFileReporter(resultsFile)] : [])],
};
