/**
 * The README's developer example, run as written (package imports mapped to the sources, relay URLs to
 * relays started here): docs that drift from the code fail this test.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayServer, silentLogger, startRelay } from "../adapters/relay/index.js";

const root = new URL("..", import.meta.url).pathname;
let relays: RelayServer[] = [];
let dirs: string[] = [];

beforeAll(async () => {
  dirs = [await mkdtemp(join(tmpdir(), "cellule-readme-")), await mkdtemp(join(tmpdir(), "cellule-readme-"))];
  relays = await Promise.all(dirs.map((dataDir) => startRelay({ dataDir, log: silentLogger })));
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("README", () => {
  it("runs the developer example", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## For developers"));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    const runnable = code!
      .replace(/from "cellule"/g, `from "${root}core/index.ts"`)
      .replace(/from "cellule\/adapters\/([a-z-]+)"/g, (_, name) => `from "${root}adapters/${name}/index.ts"`)
      .replace('"http://127.0.0.1:7420"', JSON.stringify(relays[0]!.url))
      .replace('"http://127.0.0.1:7421"', JSON.stringify(relays[1]!.url));
    const file = join(root, `demo/.readme-example-${process.pid}.ts`);
    await writeFile(file, `${runnable}\nexport const done = true;\n`);
    const logs: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => logs.push(args);
    try {
      expect((await import(file)).done).toBe(true);
    } finally {
      console.log = log;
      await rm(file, { force: true });
    }
    expect(logs).toContainEqual([["Imprimer les tracts"]]);
    const stored = relays.map((r) => r.stats().envelopes);
    expect(stored.every((n) => n >= 1)).toBe(true);
  });
});
