/** The published package: `npm run build` produces the library and a `cellule` command that starts a relay. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

describe("npm run build", () => {
  it("builds ESM + .d.ts for every entry point, and a `cellule relay` command that serves /health", async () => {
    const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    for (const entry of [
      "core/index",
      "elements/index",
      "adapters/relay/index",
      "adapters/relay-client/index",
    ]) {
      expect(existsSync(join(root, "dist", `${entry}.js`)), entry).toBe(true);
      expect(existsSync(join(root, "dist", `${entry}.d.ts`)), entry).toBe(true);
    }
    const core = await import(join(root, "dist/core/index.js"));
    expect(typeof core.createKit).toBe("function");

    const data = await mkdtemp(join(tmpdir(), "cellule-bin-"));
    const child = spawn(process.execPath, [
      join(root, "dist/bin/cellule.js"),
      "relay",
      "--port",
      "0",
      "--data",
      data,
    ]);
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /listening on (http:\S+)/.exec(out);
          if (match) ok(match[1]!);
        });
        child.once("exit", (code) => fail(new Error(`relay exited with ${code}`)));
      });
      const health = await (await fetch(`${url}/health`)).json();
      expect(health.ok).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(data, { recursive: true, force: true });
    }
  }, 120_000);
});
