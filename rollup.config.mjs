// Library build: ESM for core, elements, each adapter, and the `cellule` command; `.d.ts` come from
// `tsc` (see the `build` script). Dependencies stay external: consumers install them.
// Member space build: `dist/app/`, the static files of `<cell-app>` (page, script with Automerge, its WASM
// file, manifest, icon) that relays serve at `/app/` and any static host can serve; the page pins its script
// and stylesheet (`integrity`), and `npm run app:sign` signs a release of them (demo/app-sign.ts).
// Widget build: the kit a blog loads with one script tag (elements/define-all.ts), everything bundled (Lit
// included) and minified, as a module (`dist/widgets/cellule.js`) and as a classic script with the WebCrypto
// shim for old engines (`dist/widgets/cellule.iife.js`). Relays serve both (adapters/relay/widget-routes.ts).
// Every build writes package.json's version into `ELEMENTS_VERSION` (elements/define.ts).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import { rollup } from "rollup";
import esbuild from "rollup-plugin-esbuild";

const adapters = readdirSync("adapters", { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`adapters/${d.name}/index.ts`))
  .map((d) => d.name);

const input = {
  "core/index": "core/index.ts",
  "core/internals": "core/internals.ts",
  "core/testing/index": "core/testing/index.ts",
  "elements/index": "elements/index.ts",
  "elements/define-all": "elements/define-all.ts",
  ...Object.fromEntries(adapters.map((name) => [`adapters/${name}/index`, `adapters/${name}/index.ts`])),
};

const external = (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0");
const { version } = JSON.parse(readFileSync("package.json", "utf8"));
/** esbuild's options for every build: the project's tsconfig, and the version elements/define.ts records. */
const compile = (options) =>
  esbuild({
    tsconfig: "tsconfig.json",
    define: { __CELLULE_VERSION__: JSON.stringify(version) },
    ...options,
  });
const plugins = [compile({ target: "es2022" })];
// Dependencies' own import cycles (Automerge's, Lit's) are theirs; a cycle among the project's files is a
// failure here as in `npm run lint` (.ci/layers.mjs).
const quiet = (warning, warn) => {
  if (warning.code === "CIRCULAR_DEPENDENCY") {
    if (warning.ids?.some((id) => id.includes("/node_modules/"))) return;
    throw new Error(`import cycle: ${warning.ids?.join(" → ") ?? warning.message}`);
  }
  warn(warning);
};

/**
 * Squeezes the indentation out of Lit's `html` and `css` templates (what the minifier cannot touch): in
 * `css`, whitespace runs become one space and go entirely next to `{ } ; : ,` where CSS ignores them (never
 * before `:`, which would turn `li :hover` into `li:hover`), as do a block's last `;` and a number's leading
 * 0 (the widgets' styles hold no CSS strings these rules could alter); in `html`, a run with a line break
 * becomes one space (removing it could join two inline elements' text).
 */
function minifyTemplates() {
  const squeeze = {
    css: (raw) =>
      raw
        .replace(/\s+/g, " ")
        .replace(/ ?([{};,]) ?/g, "$1")
        .replace(/: /g, ":")
        .replace(/;}/g, "}")
        .replace(/([ ,:(])0\./g, "$1."),
    html: (raw) => raw.replace(/\s*\n\s*/g, " "),
  };
  return {
    name: "cellule-minify-templates",
    transform(code, id) {
      if (!/\.[cm]?[jt]s$/.test(id) || !/\b(html|css)`/.test(code)) return null;
      const edits = [];
      const walk = (node) => {
        if (!node || typeof node.type !== "string") return;
        const tag =
          node.type === "TaggedTemplateExpression" && node.tag.type === "Identifier" && node.tag.name;
        if (tag && Object.hasOwn(squeeze, tag))
          for (const q of node.quasi.quasis) edits.push([q.start, q.end, squeeze[tag](q.value.raw)]);
        for (const value of Object.values(node))
          for (const child of Array.isArray(value) ? value : [value]) if (child?.type) walk(child);
      };
      walk(this.parse(code));
      if (!edits.length) return null;
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0]))
        out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}

/**
 * Leaves node:crypto's route (core/crypto/node-backend.ts) out of bundles that only browsers run: there it
 * finds nothing anyway, and the widgets' size budget has no room for it (with this, the crypto suite's
 * lazy choice of route costs the widgets no byte).
 */
function browserOnly() {
  const nodeBackend = path.resolve("core/crypto/node-backend.ts");
  return {
    name: "cellule-browser-only",
    load: (id) =>
      id === nodeBackend
        ? "export const nodeCryptoBackend = () => undefined, platformCryptoBackend = nodeCryptoBackend;"
        : null,
  };
}

/**
 * Rollup options of one widget bundle: `es` (modern, a module) or `iife` (legacy, a classic script).
 * `input` replaces the kit's entry (the widget-size benchmark bundles a subset of the elements).
 */
export function widgetBundle(format, input) {
  const legacy = format === "iife";
  return {
    input: input ?? (legacy ? "elements/legacy.ts" : "elements/define-all.ts"),
    plugins: [
      browserOnly(),
      nodeResolve({ browser: true, exportConditions: ["production"] }),
      compile({ target: legacy ? "es2019" : "es2022" }),
      minifyTemplates(),
      terser({
        ecma: legacy ? 2019 : 2020,
        module: !legacy,
        compress: { passes: 3 },
        format: { comments: false },
      }),
    ],
    onwarn: (warning, warn) => {
      // webcrypto-shim is a UMD script: its top-level `this` is expected to be undefined in a bundle.
      if (warning.code === "THIS_IS_UNDEFINED") return;
      quiet(warning, warn);
    },
    output: {
      file: `dist/widgets/cellule${legacy ? ".iife" : ""}.js`,
      format,
      name: legacy ? "Cellule" : undefined,
    },
  };
}

const APP_FILES = ["index.html", "app.css", "manifest.webmanifest", "icon.svg"];
const readAppFile = (name) => readFileSync(`elements/cell-app/${name}`);
const AUTOMERGE_WASM = createRequire(import.meta.url).resolve("@automerge/automerge/automerge.wasm");

/**
 * `html` (the member space's page) with `integrity="sha384-…"` on each script and stylesheet it loads,
 * computed from the built `files` (name → contents): a host or CDN that changes one of them without
 * changing the page gets it refused by the browser. They are the page's own origin's, so no `crossorigin`
 * is needed (a module script is fetched in CORS mode anyway). Inline scripts stay as they are (the page's
 * policy allows none); a file the page loads that the build does not make fails the build.
 * @param {string} html
 * @param {Map<string, string | Uint8Array>} files
 */
export function withIntegrity(html, files) {
  return html.replace(/<(script|link)\b([^>]*?)\s*(\/?)>/g, (tag, element, attributes, slash) => {
    if (element === "link" && !/\brel="stylesheet"/.test(attributes)) return tag;
    const src = /\b(?:src|href)="([^"]+)"/.exec(attributes)?.[1];
    if (!src || /\bintegrity=/.test(attributes)) return tag;
    const body = files.get(src);
    if (body === undefined)
      throw new Error(`index.html loads ${src}, which the member space's build does not make`);
    const integrity = `sha384-${createHash("sha384").update(body).digest("base64")}`;
    return `<${element}${attributes} integrity="${integrity}"${slash ? " /" : ""}>`;
  });
}

/**
 * Rollup options of the member space: its script, and its other files as assets. A test may replace the
 * script's entry (`input`) and `readFile`, which reads one of `elements/cell-app/`'s files by name.
 * @param {{ input?: string, readFile?: (name: string) => Uint8Array }} [settings]
 */
export function appBundle({ input = "elements/cell-app/main.ts", readFile = readAppFile } = {}) {
  return {
    input,
    // Only Node loads Automerge's full build (core/kit/automerge.ts); the page passes its WASM file instead.
    external: (id) => id === "@automerge/automerge",
    plugins: [
      browserOnly(),
      nodeResolve({ browser: true, exportConditions: ["production"] }),
      commonjs(),
      compile({ target: "es2022", minify: true, legalComments: "none" }),
      {
        name: "cellule-app-files",
        generateBundle(_options, bundle) {
          const files = new Map(
            Object.values(bundle).map((o) => [o.fileName, o.type === "chunk" ? o.code : o.source]),
          );
          for (const name of APP_FILES) files.set(name, readFile(name));
          files.set("automerge.wasm", readFileSync(AUTOMERGE_WASM));
          files.set(
            "index.html",
            withIntegrity(Buffer.from(files.get("index.html")).toString("utf8"), files),
          );
          for (const name of APP_FILES.concat("automerge.wasm"))
            this.emitFile({ type: "asset", fileName: name, source: files.get(name) });
          // The service worker's cache is named after every file it keeps and itself (each file's hash, by
          // name): an installed app picks up a change to any of them, its stylesheet and icon included.
          const template = Buffer.from(readFile("sw.js")).toString("utf8");
          files.set("sw.js", template);
          const all = createHash("sha256");
          for (const [name, source] of [...files].sort(([a], [b]) => (a < b ? -1 : 1)))
            all.update(`${name}\0${createHash("sha256").update(source).digest("hex")}\n`);
          const version = `cellule-app-${all.digest("hex").slice(0, 16)}`;
          const sw = template.replace("__VERSION__", version);
          this.emitFile({ type: "asset", fileName: "sw.js", source: sw });
        },
      },
    ],
    onwarn: (warning, warn) => {
      if (warning.code === "THIS_IS_UNDEFINED" || warning.code === "EVAL") return;
      quiet(warning, warn);
    },
    output: { dir: "dist/app", format: "es", entryFileNames: "cellule-app.js", inlineDynamicImports: true },
  };
}

/**
 * Builds the member space in memory: file name → contents.
 * @param {Parameters<typeof appBundle>[0]} [settings] see `appBundle`
 * @returns {Promise<Record<string, string | Uint8Array>>}
 */
export async function buildApp(settings) {
  const options = appBundle(settings);
  const bundle = await rollup(options);
  try {
    const { output } = await bundle.generate(options.output);
    return Object.fromEntries(output.map((o) => [o.fileName, o.type === "chunk" ? o.code : o.source]));
  } finally {
    await bundle.close();
  }
}

/** Builds one widget bundle in memory (see `widgetBundle`) and returns its code. */
export async function buildWidget(format, input) {
  const options = widgetBundle(format, input);
  const bundle = await rollup(options);
  try {
    const { output } = await bundle.generate(options.output);
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

/** Builds both widget bundles in memory: `{ esm, iife }` (the code of each). */
export async function buildWidgets() {
  return { esm: await buildWidget("es"), iife: await buildWidget("iife") };
}

export default [
  {
    input,
    external,
    plugins,
    onwarn: quiet,
    output: {
      dir: "dist",
      format: "es",
      entryFileNames: "[name].js",
      chunkFileNames: "chunks/[name]-[hash].js",
    },
  },
  {
    input: { "bin/cellule": "adapters/relay/cli.ts" },
    external,
    plugins,
    onwarn: quiet,
    output: { dir: "dist", format: "es", banner: "#!/usr/bin/env node", entryFileNames: "[name].js" },
  },
  widgetBundle("es"),
  widgetBundle("iife"),
  appBundle(),
];
