// Library build: ESM for core, elements, each adapter, and the `cellule` command; `.d.ts` come from
// `tsc` (see the `build` script). Dependencies stay external: consumers install them.
import { existsSync, readdirSync } from "node:fs";
import esbuild from "rollup-plugin-esbuild";

const adapters = readdirSync("adapters", { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`adapters/${d.name}/index.ts`))
  .map((d) => d.name);

const input = {
  "core/index": "core/index.ts",
  "elements/index": "elements/index.ts",
  ...Object.fromEntries(adapters.map((name) => [`adapters/${name}/index`, `adapters/${name}/index.ts`])),
};

const external = (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0");
const plugins = [esbuild({ target: "es2022", tsconfig: "tsconfig.json" })];
const quiet = (warning, warn) => {
  if (warning.code === "CIRCULAR_DEPENDENCY") return;
  warn(warning);
};

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
];
