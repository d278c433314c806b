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

/** Runs one README code block as a module (imports mapped to the sources); returns what it logged. */
async function run(code: string): Promise<unknown[]> {
  const runnable = code
    .replace(/from "cellule"/g, `from "${root}core/index.ts"`)
    .replace(/from "cellule\/adapters\/([a-z-]+)"/g, (_, name) => `from "${root}adapters/${name}/index.ts"`)
    .replace('"http://127.0.0.1:7420"', JSON.stringify(relays[0]!.url))
    .replace('"http://127.0.0.1:7421"', JSON.stringify(relays[1]!.url));
  const file = join(root, `demo/.readme-example-${process.pid}-${Date.now()}.ts`);
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
  return logs;
}

describe("README", () => {
  it("runs the developer examples", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("## For developers"),
      readme.indexOf("## For node operators"),
    );
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);

    const cell = await run(blocks[0]!);
    expect(cell).toEqual([
      [["Tracts pour samedi"]],
      ["ForbiddenError"],
      [["Fatima: member", "Ali: removed"]],
    ]);
    const kit = await run(blocks[1]!);
    expect(kit).toContainEqual([["Imprimer les tracts"]]);
    const stored = relays.map((r) => r.stats().envelopes);
    expect(stored.every((n) => n >= 1)).toBe(true);
  }, 60_000);
});
