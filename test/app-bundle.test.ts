/**
 * The member space's build (rollup.config.mjs's `appBundle`): the service worker's cache version covers
 * every file it keeps, so that a change to the stylesheet alone (or the manifest, the icon) still reaches
 * installed apps; and the build writes package.json's version into the script (elements/define.ts). Built
 * in memory with a small entry (define.ts) in place of the member space's script, which takes a minute here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildApp } from "../rollup.config.mjs";

const root = new URL("..", import.meta.url).pathname;
const original = (name: string) => readFileSync(`${root}elements/cell-app/${name}`);

/** The member space's files, built in memory with `readFile`. */
const build = (readFile: (name: string) => Uint8Array) => buildApp({ input: "elements/define.ts", readFile });

const versionOf = (files: Record<string, string | Uint8Array>) =>
  /const VERSION = "(cellule-app-[0-9a-f]{16})"/.exec(String(files["sw.js"]))?.[1];

describe("the member space's build", () => {
  it("names the service worker's cache after every file it keeps, not only the script", async () => {
    const first = await build(original);
    const version = versionOf(first);
    expect(version).toBeDefined();
    // The same files again: the same version (installed apps download nothing).
    expect(versionOf(await build(original))).toBe(version);
    // One more byte in a file that is not the script: a new version.
    for (const changed of ["app.css", "manifest.webmanifest", "icon.svg"]) {
      const again = await build((name) =>
        name === changed ? Buffer.concat([original(name), Buffer.from("\n")]) : original(name),
      );
      expect(versionOf(again), changed).not.toBe(version);
    }

    const { version: packageVersion } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
    const script = String(first["cellule-app.js"]);
    expect(script).not.toContain("__CELLULE_VERSION__");
    expect(script).toContain(JSON.stringify(packageVersion));
  });
});
