#!/usr/bin/env node
/**
 * The import check `npm run lint` runs: the layers of `core/`, the trust tiers of `elements/`, the one-way
 * arrows between the top folders (`elements → core ← adapters`), the packages each part may use, and no
 * import cycle anywhere in the project (type-only imports count: a cycle of types is still a tangle).
 *
 *   node .ci/layers.mjs            checks the working tree; prints one line per problem, exits 1 if any
 *
 * The rules are data (`CORE_LAYERS`, `T0_MAY_IMPORT`, ...) so a newcomer reads the architecture here; the
 * test (`test/layers.test.ts`) plants violations and checks each is caught.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_DIRS = ["core", "elements", "adapters", "demo", "test"];
const SOURCE = /\.(ts|mts|mjs|js)$/;

/**
 * `core/`'s layers, bottom up, each with the layers it may import. A layer never imports one above it;
 * `governance` is pure (no Kit); the features (`site`, `booklet`, `treasury`) sit on a `Cell` and do not
 * import one another.
 */
export const CORE_LAYERS = {
  base: [],
  crypto: ["base"],
  protocol: ["base", "crypto"],
  public: ["base", "crypto", "protocol"],
  ports: ["base", "crypto", "protocol"],
  kit: ["base", "crypto", "protocol", "ports"],
  governance: ["base", "crypto", "protocol", "ports"],
  cell: ["base", "crypto", "protocol", "public", "ports", "kit", "governance"],
  site: ["base", "crypto", "protocol", "public", "ports", "kit", "governance", "cell"],
  booklet: ["base", "crypto", "protocol", "public", "ports", "kit", "governance", "cell"],
  treasury: ["base", "crypto", "protocol", "public", "ports", "kit", "governance", "cell"],
  testing: ["base", "crypto", "protocol", "public", "ports", "kit", "governance", "cell"],
};
/** Files at `core/`'s top level: the entry points, which may gather any layer. */
const CORE_ENTRY = "(entry)";

/** What keyless widgets (tier T0: every element but the member space) may import from `core/`. */
export const T0_MAY_IMPORT = ["public", "protocol", "crypto", "base"];

/** Packages library code may import, per part (anything else is a new dependency to discuss first). */
export const PACKAGES = {
  core: [
    "@automerge/automerge",
    "@automerge/automerge-repo",
    "@noble/curves",
    "@noble/hashes",
    "@scure/bip39",
  ],
  t0: ["lit"],
};

/**
 * Packages one file may import beyond its part's list, and why. `node:crypto` is read for its types only (the
 * module itself is reached through `process.getBuiltinModule`, which bundlers leave alone).
 */
const PACKAGE_EXCEPTIONS = {
  "core/crypto/node-backend.ts": ["node:crypto"],
  "elements/legacy.ts": ["webcrypto-shim"], // the legacy widget build only: old engines' WebCrypto
};

/** Folders tests of `core/` may borrow fixtures from (never library code). */
const CORE_TEST_FIXTURES = ["adapters/memory/", "test/support/"];

/** The parts that ship as the library: they never import tests, fixtures, the demo or its benchmarks. */
const LIBRARY = ["core", "elements", "adapters"];
const isTest = (file) => /(\.test\.|test-support\.|\/testing\/|^test\/)/.test(file);
const partOf = (file) => file.split("/")[0];
const coreLayerOf = (file) => {
  const parts = file.split("/");
  return parts.length === 2 ? CORE_ENTRY : parts[1];
};
const isT0 = (file) => file.startsWith("elements/") && !file.startsWith("elements/cell-app/");
const packageName = (spec) =>
  spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];

/** The specifiers a file imports or re-exports (static, dynamic and type-only alike). */
export function importsOf(source) {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** The project file a relative specifier names, or undefined (a file outside the set, a data file). */
function resolve(from, spec, files) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const c of [
    base,
    base.replace(/\.js$/, ".ts"),
    base.replace(/\.mjs$/, ".mts"),
    `${base}.ts`,
    `${base}/index.ts`,
  ])
    if (files.has(c)) return c;
  return undefined;
}

/** The rule `from → to` breaks, or undefined. */
function ruleBroken(from, to) {
  const fromPart = partOf(from);
  const toPart = partOf(to);
  const library = LIBRARY.includes(fromPart) && !isTest(from);
  if (library && (toPart === "demo" || toPart === "test")) return `library code never imports ${toPart}/`;
  if (library && isTest(to)) return "library code never imports tests or their fixtures";
  if (fromPart === "core") {
    if (toPart !== "core") {
      if (isTest(from) && CORE_TEST_FIXTURES.some((p) => to.startsWith(p))) return undefined;
      return `core imports no ${toPart}/ (elements → core ← adapters)`;
    }
    if (isTest(from)) return undefined;
    const a = coreLayerOf(from);
    const b = coreLayerOf(to);
    if (a === b || a === CORE_ENTRY) return undefined;
    if (b === CORE_ENTRY) return "core's entry points are for users of the package, not for core itself";
    if (!CORE_LAYERS[a]) return `core/${a}/ is not a known layer (add it to CORE_LAYERS in .ci/layers.mjs)`;
    if (!CORE_LAYERS[a].includes(b))
      return `core/${a}/ may not import core/${b}/ (it may import: ${CORE_LAYERS[a].join(", ") || "nothing"})`;
    return undefined;
  }
  if (fromPart === "adapters" && toPart === "elements" && !isTest(from))
    return "adapters never import elements (elements → core ← adapters)";
  if (isT0(from) && !isTest(from)) {
    if (toPart === "core" && !T0_MAY_IMPORT.includes(coreLayerOf(to)))
      return `keyless widgets import only core/{${T0_MAY_IMPORT.join(",")}} (not core/${coreLayerOf(to)}/)`;
    if (toPart === "adapters") return "keyless widgets import no adapter";
    if (to.startsWith("elements/cell-app/")) return "keyless widgets never import the member space";
  }
  return undefined;
}

function packageRuleBroken(from, spec) {
  if (isTest(from) || (spec.startsWith("node:") && partOf(from) !== "core")) return undefined;
  const name = packageName(spec);
  if (PACKAGE_EXCEPTIONS[from]?.includes(name)) return undefined;
  if (partOf(from) === "core" && !PACKAGES.core.includes(name))
    return `core may import only ${PACKAGES.core.join(", ")} (it runs in browsers and Node alike)`;
  if (isT0(from) && !PACKAGES.t0.includes(name))
    return `keyless widgets may import only ${PACKAGES.t0.join(", ")}`;
  return undefined;
}

/** Strongly connected groups of more than one file (or a file importing itself): the import cycles. */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const found = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || graph.get(v)?.has(v)) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/**
 * Checks a set of files (path relative to the project → source). Returns one line per problem: a wrong-way
 * import (`from → to: rule`), a package a part may not use, or an import cycle.
 */
export function check(files) {
  const problems = [];
  const graph = new Map();
  for (const [file, source] of files) {
    const edges = new Set();
    for (const spec of importsOf(source)) {
      if (spec.startsWith(".")) {
        const to = resolve(file, spec, files);
        if (!to) continue;
        edges.add(to);
        const rule = ruleBroken(file, to);
        if (rule) problems.push(`${file} → ${to}: ${rule}`);
      } else if (!spec.startsWith("/") && !/^[a-z]+:\/\//.test(spec)) {
        const rule = packageRuleBroken(file, spec);
        if (rule) problems.push(`${file} → ${spec}: ${rule}`);
      }
    }
    graph.set(file, edges);
  }
  for (const group of cycles(graph)) problems.push(`import cycle: ${group.join(" ↔ ")}`);
  return problems;
}

/** The project's source files under `root`. */
export function projectFiles(root = ROOT) {
  const files = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "test-vectors") walk(rel);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts"))
        files.set(rel, fs.readFileSync(path.join(root, rel), "utf8"));
    }
  };
  for (const dir of SOURCE_DIRS) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : ROOT;
  const problems = check(projectFiles(root));
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(`${problems.length} import problem(s): see the rules at the top of .ci/layers.mjs`);
    process.exit(1);
  }
  console.log("imports: layers, tiers and arrows hold, no cycle");
}
