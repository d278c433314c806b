/**
 * The import check of `npm run lint` (.ci/layers.mjs) passes on the project and fails on each kind of
 * planted violation; and `core/` type-checks without the DOM library, which a planted DOM call breaks.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { check, projectFiles } from "../.ci/layers.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const checkWith = (planted: Record<string, string>): string[] =>
  check(new Map([...projectFiles(ROOT), ...Object.entries(planted)]));

describe("the import check", () => {
  it("passes on the project as it is", () => {
    expect(check(projectFiles(ROOT))).toEqual([]);
  });

  it("refuses an import against core's layers", () => {
    const problems = checkWith({ "core/base/planted.ts": 'import { Kit } from "../kit/kit.js";\n' });
    expect(problems).toEqual([
      "core/base/planted.ts → core/kit/kit.ts: core/base/ may not import core/kit/ (it may import: nothing)",
    ]);
  });

  it("refuses governance importing the Kit (governance stays pure)", () => {
    const problems = checkWith({
      "core/governance/planted.ts": 'import type { Kit } from "../kit/kit.js";\n',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/core\/governance\/ may not import core\/kit\//);
  });

  it("refuses a keyless widget importing core beyond public, protocol, crypto and base", () => {
    const problems = checkWith({ "elements/cell-card/planted.ts": 'import "../../core/kit/kit.js";\n' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/keyless widgets import only core\/\{public,protocol,crypto,base\}/);
  });

  it("refuses core importing an adapter, and adapters importing elements", () => {
    const problems = checkWith({
      "core/kit/planted.ts": 'export { memoryStorage } from "../../adapters/memory/index.js";\n',
      "adapters/fs/planted.ts": 'import "../../elements/index.js";\n',
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/core imports no adapters\//);
    expect(problems[1]).toMatch(/adapters never import elements/);
  });

  it("refuses a package core or a widget may not use", () => {
    const problems = checkWith({
      "core/base/planted.ts": 'import { LitElement } from "lit";\n',
      "elements/cell-card/planted.ts": 'import Dexie from "dexie";\n',
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/core may import only/);
    expect(problems[1]).toMatch(/keyless widgets may import only lit/);
  });

  it("refuses an import cycle, even one closed by a type-only import", () => {
    const problems = checkWith({
      "core/kit/planted-a.ts": 'import { b } from "./planted-b.js";\nexport const a = b;\n',
      "core/kit/planted-b.ts": 'import type { A } from "./planted-c.js";\nexport const b = 1 as A;\n',
      "core/kit/planted-c.ts": 'import { a } from "./planted-a.js";\nexport type A = typeof a;\n',
    });
    expect(problems).toEqual([
      "import cycle: core/kit/planted-a.ts ↔ core/kit/planted-b.ts ↔ core/kit/planted-c.ts",
    ]);
  });

  it("lets core's tests borrow the memory adapter, never library code", () => {
    expect(checkWith({ "core/kit/planted.test.ts": 'import "../../adapters/memory/index.js";\n' })).toEqual(
      [],
    );
  });

  it("fails the command (exit 1, the problem named) on a planted wrong-way import", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellule-layers-"));
    try {
      fs.mkdirSync(path.join(dir, "core/base"), { recursive: true });
      fs.mkdirSync(path.join(dir, "core/cell"), { recursive: true });
      fs.writeFileSync(path.join(dir, "core/cell/cell.ts"), "export class Cell {}\n");
      fs.writeFileSync(path.join(dir, "core/base/ids.ts"), 'import "../cell/cell.js";\n');
      const run = spawnSync(process.execPath, [path.join(ROOT, ".ci/layers.mjs"), dir], { encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        "core/base/ids.ts → core/cell/cell.ts: core/base/ may not import core/cell/",
      );
      fs.writeFileSync(path.join(dir, "core/base/ids.ts"), "export type Id = string;\n");
      expect(spawnSync(process.execPath, [path.join(ROOT, ".ci/layers.mjs"), dir]).status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("core without the DOM", () => {
  it("type-checks a planted WebCrypto use and refuses a planted DOM call", () => {
    const dir = fs.mkdtempSync(path.join(ROOT, ".ci", "planted-"));
    try {
      const config = (file: string) =>
        JSON.stringify({ extends: "../tsconfig.core.json", include: [file, "../webcrypto-globals.d.ts"] });
      fs.writeFileSync(path.join(dir, "tsconfig.json"), config("ok.ts"));
      fs.writeFileSync(
        path.join(dir, "ok.ts"),
        "export const k = (key: CryptoKey) => crypto.subtle.exportKey('raw', key);\n",
      );
      const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
      execFileSync(process.execPath, [tsc, "--noEmit", "-p", dir]);
      fs.writeFileSync(path.join(dir, "tsconfig.json"), config("dom.ts"));
      fs.writeFileSync(path.join(dir, "dom.ts"), "export const title = () => document.title;\n");
      const run = spawnSync(process.execPath, [tsc, "--noEmit", "-p", dir], { encoding: "utf8" });
      expect(run.status).not.toBe(0);
      expect(run.stdout).toContain("Cannot find name 'document'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
