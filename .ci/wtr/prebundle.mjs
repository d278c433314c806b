/**
 * The browser tests' npm dependencies, pre-bundled ONCE when the dev server starts (as Vite's optimizeDeps
 * does). automerge-repo pulls CommonJS packages (bs58check, debug, eventemitter3…) that @web/dev-server's
 * node-resolve cannot serve as ESM, and serving hundreds of modules per test file is slow.
 *
 * The bare specifiers imported by the browser test files and everything they import (found by an esbuild
 * scan), plus `always`, are bundled together by esbuild (browser condition, ESM, code splitting, so modules
 * shared between entries such as Automerge or Lit's core exist once) into
 * `node_modules/.cache/cellule-wtr/<hash>/`. The hash covers the entries, the installed dependency tree and
 * this file, so an unchanged setup reuses the bundle; bundles unused for an hour are removed. Every bare
 * import served to the browser is rewritten to its pre-bundled file; a bare import that was not pre-bundled
 * is an error naming the specifier. A specifier that cannot be bundled is left out (found by bundling the
 * specifiers one by one) and reported when a test imports it, rather than failing every browser test.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const LOG_PREFIX = "[cellule-wtr]";
const require = createRequire(import.meta.url);

/** A specifier resolved through node_modules: not relative, not absolute, not a URL (but `node:` counts). */
function isBare(specifier) {
  if (/^[./]/.test(specifier)) return false;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(specifier);
  return !scheme || scheme[1] === "node";
}

/** The files named `*<suffix>` under `dirs` of `root` (what the config's `files` matches). */
export function findTestFiles(root, dirs, suffix) {
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
      else if (entry.name.endsWith(suffix)) out.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  return out.sort();
}

/**
 * The bare specifiers reachable from the test files through the project's own modules. Files that do not parse
 * are skipped here: the dev server reports their syntax errors against the test file.
 */
async function scanBareImports(root, testFiles, cacheDir) {
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
      absWorkingDir: root,
      entryPoints: testFiles,
      bundle: true,
      write: false,
      outdir: path.join(cacheDir, "scan"),
      format: "esm",
      platform: "browser",
      tsconfig: path.join(root, "tsconfig.json"),
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
function resolvable(root, specifier) {
  try {
    require.resolve(specifier, { paths: [root] });
    return true;
  } catch {
    // ESM-only packages without a `require` condition: fall back to checking the package folder.
    const name = specifier.startsWith("@")
      ? specifier.split("/").slice(0, 2).join("/")
      : specifier.split("/")[0];
    return fs.existsSync(path.join(root, "node_modules", name, "package.json"));
  }
}

/** A readable, unique output name per specifier (`lit/directives/when.js` → `lit_directives_when`). */
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

/** esbuild plugin: the refused specifiers fail with their advice instead of being bundled. */
function refuse(refused) {
  const names = Object.keys(refused).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return {
    name: "refuse-specifiers",
    setup(build) {
      if (names.length === 0) return;
      build.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({
        errors: [{ text: `'${args.path}' cannot be used in this browser setup: ${refused[args.path]}` }],
      }));
    },
  };
}

function bundleOptions(root, refused, entryPoints, outdir) {
  return {
    absWorkingDir: root,
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
    plugins: [refuse(refused)],
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

/** Bundles `specifiers` into `outdir`: `{ files: specifier → file name, failures: specifier → why }`. */
async function bundleDependencies(root, refused, specifiers, outdir) {
  const failures = {};
  let good = specifiers;
  const names = outputNames(specifiers);
  const entries = (list) => Object.fromEntries(list.map((s) => [names.get(s), s]));
  const options = (list) => bundleOptions(root, refused, entries(list), outdir);
  try {
    await esbuild.build(options(good));
  } catch {
    // Find the culprits one by one, then bundle the rest together.
    good = [];
    for (const specifier of specifiers) {
      try {
        await esbuild.build({ ...options([specifier]), write: false });
        good.push(specifier);
      } catch (error) {
        failures[specifier] = errorText(error);
      }
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    if (good.length > 0) await esbuild.build(options(good));
  }
  const files = Object.fromEntries(good.map((s) => [s, `${names.get(s)}.js`]));
  return { files, failures };
}

function installedTreeFingerprint(root) {
  for (const file of [
    path.join(root, "node_modules", ".package-lock.json"),
    path.join(root, "package-lock.json"),
  ]) {
    try {
      return fs.readFileSync(file);
    } catch {}
  }
  return "";
}

/** Removes bundles of earlier setups that nobody has used for an hour. */
function pruneCache(cacheDir, keep) {
  let entries = [];
  try {
    entries = fs.readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === keep) continue;
    const full = path.join(cacheDir, name);
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > 3_600_000)
        fs.rmSync(full, { recursive: true, force: true });
    } catch {}
  }
}

/** The bundle of `wanted` in `cacheDir`, made or reused (same setup): `{ manifest, dir, reused }`. */
async function cachedBundle({ root, cacheDir, refused, wanted }) {
  const key = createHash("sha256")
    .update(
      JSON.stringify({
        wanted,
        refused,
        esbuild: esbuild.version,
        prebundler: fs.readFileSync(fileURLToPath(import.meta.url), "utf8"),
      }),
    )
    .update(installedTreeFingerprint(root))
    .digest("hex")
    .slice(0, 16);
  const dir = path.join(cacheDir, key);
  let manifest;
  let reused = false;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    reused = true;
    const now = new Date();
    fs.utimesSync(dir, now, now);
  } catch {
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    manifest = await bundleDependencies(root, refused, wanted, tmp);
    fs.writeFileSync(path.join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2));
    try {
      fs.renameSync(tmp, dir);
    } catch {
      // Another run finished the same bundle first: use theirs.
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  pruneCache(cacheDir, key);
  return { manifest, dir, reused };
}

/**
 * Dev-server plugin: pre-bundles the npm dependencies at start and points bare imports at the bundles.
 * - `root`: the project; `testFiles()`: the test files whose imports are scanned;
 * - `always`: specifiers bundled even when no test imports them yet;
 * - `refused`: specifiers browser code must not use, each with what to do instead.
 */
export function prebundledDependencies({ root, testFiles, always = [], refused = {} }) {
  const cacheDir = path.join(root, "node_modules", ".cache", "cellule-wtr");
  /** specifier → URL path of its bundle */
  const urls = new Map();
  /** specifier → why it could not be bundled */
  let failures = {};
  return {
    name: "cellule-prebundled-dependencies",
    async serverStart({ config, logger }) {
      const started = Date.now();
      const scanned = await scanBareImports(root, testFiles(), cacheDir);
      const wanted = [...new Set([...always.filter((s) => resolvable(root, s)), ...scanned])]
        .filter((s) => !Object.hasOwn(refused, s))
        .sort();
      const { manifest, dir, reused } = await cachedBundle({ root, cacheDir, refused, wanted });
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
      if (Object.hasOwn(refused, source))
        throw new Error(`${LOG_PREFIX} '${source}' ${where}: ${refused[source]}`);
      if (source in failures) {
        throw new Error(
          `${LOG_PREFIX} '${source}' ${where} could not be bundled for the browser: ${failures[source]}`,
        );
      }
      throw new Error(
        `${LOG_PREFIX} '${source}' ${where} was not pre-bundled: it is not reachable by static import from a ` +
          "browser test file. Import it statically, or add it to ALWAYS_PREBUNDLE in web-test-runner.config.mjs.",
      );
    },
  };
}
