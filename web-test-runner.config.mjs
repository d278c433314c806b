/**
 * Browser tests: `{core,adapters,elements,demo}/**\/*.browser.test.ts` in headless Chromium (Debian's, through
 * playwright-core), mocha-style (`describe`/`it` globals; do not import vitest here).
 *
 * How modules reach the browser:
 * - The project's own `.ts` files are transformed one by one by `@web/dev-server-esbuild` (target left at
 *   `auto`, so plain `.js` is not re-transformed; decorators follow tsconfig.json).
 * - npm dependencies are pre-bundled ONCE when the dev server starts (as Vite's optimizeDeps does): the bare
 *   specifiers imported by the browser test files and everything they import (found by an esbuild scan), plus
 *   `ALWAYS_PREBUNDLE`, are bundled together by esbuild (browser condition, ESM, code splitting, so modules shared
 *   between entries such as Automerge or Lit's core exist once) into
 *   `node_modules/.cache/cellule-wtr/<hash>/`. The hash covers the entries, the installed dependency tree and
 *   this file, so an unchanged setup reuses the bundle. Every bare import served to the browser is rewritten to
 *   its pre-bundled file; a bare import that was not pre-bundled is an error naming the specifier.
 * - Automerge must be imported through `@automerge/automerge/slim` / `@automerge/automerge-repo/slim` and its
 *   WASM initialised by the test: the raw module is served as `application/wasm` at `AUTOMERGE_WASM_URL`
 *   (`/__cellule__/automerge.wasm`), e.g. `await initializeWasm("/__cellule__/automerge.wasm")`
 *   (wasm-bindgen fetches it and compiles it with `WebAssembly.instantiateStreaming`).
 *
 * Results: with `CELLULE_WTR_RESULTS=<file>` set, a JSON summary `{ passed, failed, skipped, files }` is
 * written there at the end (read by `.ci/test.mjs`).
 */

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { defaultReporter } from "@web/test-runner";
import { playwrightLauncher } from "@web/test-runner-playwright";
import * as esbuild from "esbuild";
import { CHROMIUM_ARGS, findChromium } from "./.ci/chromium.mjs";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const TEST_DIRS = ["core", "adapters", "elements", "demo", "test"];
const TEST_SUFFIX = ".browser.test.ts";
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "cellule-wtr");

/** Served as `application/wasm`: the raw Automerge WASM module, for `initializeWasm(url)`. */
export const AUTOMERGE_WASM_URL = "/__cellule__/automerge.wasm";

/** Pre-bundled even when no test imports them yet (the project's browser dependencies). */
const ALWAYS_PREBUNDLE = [
  "@automerge/automerge/slim",
  "@automerge/automerge-repo/slim",
  "dexie",
  "lit",
  "lit/decorators.js",
];

/** Bare specifiers that must not be used in browser code, with what to do instead. */
const REFUSED = {
  "@automerge/automerge":
    "import '@automerge/automerge/slim' in browser code and initialise the WASM first, e.g. " +
    `await initializeWasm("${AUTOMERGE_WASM_URL}")`,
  "@automerge/automerge-repo":
    "import '@automerge/automerge-repo/slim' in browser code and initialise the WASM first, e.g. " +
    `await initializeWasm("${AUTOMERGE_WASM_URL}")`,
};

const LOG_PREFIX = "[cellule-wtr]";

const chromium = findChromium();
if (chromium.error) {
  console.error(chromium.error);
  process.exit(1);
}

/** A specifier resolved through node_modules: not relative, not absolute, not a URL (but `node:` counts). */
function isBare(specifier) {
  if (/^[./]/.test(specifier)) return false;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(specifier);
  return !scheme || scheme[1] === "node";
}

/** The browser test files on disk (what `files` below matches). */
function findTestFiles() {
  const out = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(TEST_SUFFIX)) out.push(full);
    }
  };
  for (const dir of TEST_DIRS) walk(path.join(ROOT, dir));
  return out.sort();
}

/**
 * The bare specifiers reachable from the test files through the project's own modules. Files that do not parse
 * are skipped here: the dev server reports their syntax errors against the test file.
 */
async function scanBareImports(testFiles) {
  const found = new Set();
  if (testFiles.length === 0) return found;
  const empty = Object.fromEntries(
    [".css", ".svg", ".png", ".jpg", ".gif", ".webp", ".woff", ".woff2", ".wasm", ".txt"].map((ext) => [
      ext,
      "empty",
    ]),
  );
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: testFiles,
      bundle: true,
      write: false,
      outdir: path.join(CACHE_DIR, "scan"),
      format: "esm",
      platform: "browser",
      tsconfig: path.join(ROOT, "tsconfig.json"),
      loader: empty,
      logLevel: "silent",
      plugins: [
        {
          name: "collect-bare-imports",
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, (args) => {
              if (args.kind === "entry-point") return undefined;
              if (isBare(args.path)) found.add(args.path);
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
  } catch {
    // Syntax or resolution errors in the project's files: reported per file by the dev server.
  }
  return found;
}

/** Packages may be absent (e.g. a dependency not installed yet): only pre-bundle what resolves. */
function resolvable(specifier) {
  try {
    require.resolve(specifier, { paths: [ROOT] });
    return true;
  } catch {
    // ESM-only packages without a `require` condition: fall back to checking the package folder.
    const name = specifier.startsWith("@")
      ? specifier.split("/").slice(0, 2).join("/")
      : specifier.split("/")[0];
    return fs.existsSync(path.join(ROOT, "node_modules", name, "package.json"));
  }
}

/** A readable, unique output name per specifier (`lit/decorators.js` → `lit_decorators`). */
function outputNames(specifiers) {
  const used = new Set();
  const names = new Map();
  for (const specifier of specifiers) {
    const base =
      specifier
        .replace(/\.[cm]?js$/, "")
        .replace(/^@/, "")
        .replace(/[^a-zA-Z0-9._-]+/g, "_") || "dep";
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    names.set(specifier, name);
  }
  return names;
}

const refuseAutomergeFullEntry = {
  name: "refuse-automerge-full-entry",
  setup(build) {
    build.onResolve({ filter: /^@automerge\/automerge(-repo)?$/ }, (args) => ({
      errors: [{ text: `'${args.path}' cannot load its WASM in this browser setup: ${REFUSED[args.path]}` }],
    }));
  },
};

function bundleOptions(entryPoints, outdir) {
  return {
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser", // `browser` export condition and `browser` field: debug → its browser build
    target: "esnext", // only Chromium runs these
    sourcemap: true,
    define: { "process.env.NODE_ENV": '"development"' },
    // test-runner internals such as /__web-dev-server__web-socket.js stay where the dev server serves them
    external: ["/__web-*"],
    plugins: [refuseAutomergeFullEntry],
    logLevel: "silent",
    metafile: true,
  };
}

function errorText(error) {
  if (Array.isArray(error?.errors) && error.errors.length > 0) {
    return error.errors
      .map((e) => e.text + (e.location ? ` (${e.location.file}:${e.location.line})` : ""))
      .join("; ");
  }
  return String(error?.message ?? error);
}

/**
 * Bundles `specifiers` into `outdir`. A specifier that cannot be bundled is left out (and reported when a test
 * imports it) rather than failing every browser test.
 */
async function bundleDependencies(specifiers, outdir) {
  const failures = {};
  let good = specifiers;
  const names = outputNames(specifiers);
  const entries = (list) => Object.fromEntries(list.map((s) => [names.get(s), s]));
  try {
    await esbuild.build(bundleOptions(entries(good), outdir));
  } catch {
    // Find the culprits one by one, then bundle the rest together.
    good = [];
    for (const specifier of specifiers) {
      try {
        await esbuild.build({ ...bundleOptions(entries([specifier]), outdir), write: false });
        good.push(specifier);
      } catch (error) {
        failures[specifier] = errorText(error);
      }
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    if (good.length > 0) await esbuild.build(bundleOptions(entries(good), outdir));
  }
  const files = Object.fromEntries(good.map((s) => [s, `${names.get(s)}.js`]));
  return { files, failures };
}

function installedTreeFingerprint() {
  for (const file of [
    path.join(ROOT, "node_modules", ".package-lock.json"),
    path.join(ROOT, "package-lock.json"),
  ]) {
    try {
      return fs.readFileSync(file);
    } catch {}
  }
  return "";
}

/** Removes bundles of earlier setups that nobody has used for an hour. */
function pruneCache(keep) {
  let entries = [];
  try {
    entries = fs.readdirSync(CACHE_DIR);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === keep) continue;
    const full = path.join(CACHE_DIR, name);
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > 3_600_000)
        fs.rmSync(full, { recursive: true, force: true });
    } catch {}
  }
}

/** Dev-server plugin: pre-bundles the npm dependencies at start and points bare imports at the bundles. */
function prebundledDependencies() {
  /** specifier → URL path of its bundle */
  const urls = new Map();
  /** specifier → why it could not be bundled */
  let failures = {};
  return {
    name: "cellule-prebundled-dependencies",
    async serverStart({ config, logger }) {
      const started = Date.now();
      const scanned = await scanBareImports(findTestFiles());
      const wanted = [...new Set([...ALWAYS_PREBUNDLE.filter(resolvable), ...scanned])]
        .filter((s) => !(s in REFUSED))
        .sort();
      const key = createHash("sha256")
        .update(
          JSON.stringify({
            wanted,
            esbuild: esbuild.version,
            config: fs.readFileSync(fileURLToPath(import.meta.url), "utf8"),
          }),
        )
        .update(installedTreeFingerprint())
        .digest("hex")
        .slice(0, 16);
      const dir = path.join(CACHE_DIR, key);
      const manifestFile = path.join(dir, "manifest.json");
      let manifest;
      let reused = false;
      try {
        manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
        reused = true;
        const now = new Date();
        fs.utimesSync(dir, now, now);
      } catch {
        const tmp = `${dir}.tmp-${process.pid}`;
        fs.rmSync(tmp, { recursive: true, force: true });
        manifest = await bundleDependencies(wanted, tmp);
        fs.writeFileSync(path.join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2));
        try {
          fs.renameSync(tmp, dir);
        } catch {
          // Another run finished the same bundle first: use theirs.
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      }
      pruneCache(key);
      const base = `/${path.relative(config.rootDir, dir).split(path.sep).join("/")}`;
      for (const [specifier, file] of Object.entries(manifest.files)) urls.set(specifier, `${base}/${file}`);
      failures = manifest.failures;
      const failed = Object.keys(failures);
      logger.log(
        `${LOG_PREFIX} ${reused ? "reused" : "pre-bundled"} ${urls.size} npm dependencies in ${Date.now() - started} ms` +
          (failed.length ? `; could not bundle: ${failed.join(", ")}` : ""),
      );
      for (const [specifier, why] of Object.entries(failures))
        logger.error(`${LOG_PREFIX} ${specifier}: ${why}`);
    },
    resolveImport({ source, context }) {
      if (!isBare(source)) return undefined;
      const url = urls.get(source);
      if (url) return url;
      const where = `imported by ${context.path}`;
      if (source in REFUSED) throw new Error(`${LOG_PREFIX} '${source}' ${where}: ${REFUSED[source]}`);
      if (source in failures) {
        throw new Error(
          `${LOG_PREFIX} '${source}' ${where} could not be bundled for the browser: ${failures[source]}`,
        );
      }
      throw new Error(
        `${LOG_PREFIX} '${source}' ${where} was not pre-bundled: it is not reachable by static import from a ` +
          `*${TEST_SUFFIX} file. Import it statically, or add it to ALWAYS_PREBUNDLE in web-test-runner.config.mjs.`,
      );
    },
  };
}

/** Serves the raw Automerge WASM module at AUTOMERGE_WASM_URL. */
/** Where browser tests find the URL of the test relay. */
const RELAY_INFO_URL = "/__cellule__/relay.json";

function serveAutomergeWasm() {
  let file;
  return async (ctx, next) => {
    if (ctx.path !== AUTOMERGE_WASM_URL) return next();
    file ??= require.resolve("@automerge/automerge/automerge.wasm", { paths: [ROOT] });
    ctx.type = "application/wasm";
    ctx.set("cache-control", "no-cache");
    ctx.body = fs.createReadStream(file);
  };
}

/**
 * A real relay for the browser tests, as a child process on loopback with a temporary data directory;
 * its URL is served at RELAY_INFO_URL so end-to-end browser tests sync through it.
 */
function testRelay() {
  let child;
  let dataDir;
  let url;
  return {
    name: "cellule-test-relay",
    async serverStart() {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cellule-wtr-relay-"));
      const cli = path.join(ROOT, "adapters/relay/cli.ts");
      child = spawn(process.execPath, ["--import", "tsx", cli, "relay", "--port", "0", "--data", dataDir], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      });
      url = await new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /listening on (http:\S+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`test relay exited with code ${code}`)));
      });
    },
    async serverStop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
    serve(context) {
      if (context.path === RELAY_INFO_URL) return { body: JSON.stringify({ url }), type: "application/json" };
    },
  };
}

/** Writes pass/fail/skip totals to CELLULE_WTR_RESULTS (a failed-to-load file counts as one failure). */
function resultsFileReporter(file) {
  const write = (sessions) => {
    const totals = { passed: 0, failed: 0, skipped: 0, files: 0, fileErrors: 0 };
    const count = (suite) => {
      let failed = 0;
      for (const test of suite?.tests ?? []) {
        if (test.skipped) totals.skipped++;
        else if (test.passed) totals.passed++;
        else failed++;
      }
      for (const child of suite?.suites ?? []) failed += count(child);
      return failed;
    };
    for (const session of sessions) {
      totals.files++;
      const failedTests = count(session.testResults);
      totals.failed += failedTests;
      // An error outside any test (module failed to load, uncaught error, timeout): one failure for the file.
      if (session.passed === false && failedTests === 0) {
        totals.failed++;
        totals.fileErrors++;
      }
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(totals));
  };
  return {
    onTestRunFinished({ sessions }) {
      write(sessions);
    },
    stop({ sessions }) {
      write(sessions);
    },
  };
}

const resultsFile = process.env.CELLULE_WTR_RESULTS;

export default {
  rootDir: ROOT,
  files: [`{${TEST_DIRS.join(",")}}/**/*${TEST_SUFFIX}`],
  nodeResolve: false, // bare imports go to the pre-bundled dependencies (see above)
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
      launchOptions: {
        executablePath: chromium.path,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  middleware: [serveAutomergeWasm()],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: path.join(ROOT, "tsconfig.json") }),
    prebundledDependencies(),
    testRelay(),
  ],
  reporters: [defaultReporter(), ...(resultsFile ? [resultsFileReporter(resultsFile)] : [])],
};
