/** The published package: `npm run build` produces the library and a `cellule` command that starts a relay. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

describe("npm run build", () => {
  it("builds ESM + .d.ts for every entry point, the widget kit, and a `cellule relay` command serving both", async () => {
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

    // custom-elements.json, generated from the elements' JSDoc: every widget with its attributes and parts.
    const manifest = JSON.parse(readFileSync(join(root, "dist/custom-elements.json"), "utf8"));
    const elements = new Map<string, { attributes?: { name: string }[]; cssParts?: unknown[] }>(
      manifest.modules.flatMap((m: { declarations?: { tagName?: string }[] }) =>
        (m.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName, d]),
      ),
    );
    for (const tag of ["cell-card", "cell-journal", "cell-events", "cell-contact", "cell-join"]) {
      const element = elements.get(tag);
      expect(element, tag).toBeDefined();
      expect(element!.attributes!.map((a) => a.name)).toEqual(expect.arrayContaining(["cell", "lang"]));
      expect(element!.cssParts!.length, tag).toBeGreaterThan(1);
    }

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
      // The widget kit a blog loads with one script tag, from the relay, with caching headers.
      for (const name of ["cellule.js", "cellule.iife.js"]) {
        const res = await fetch(`${url}/widgets/${name}`);
        expect(res.status, name).toBe(200);
        expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
        expect(res.headers.get("access-control-allow-origin")).toBe("*");
        expect(
          Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(root, "dist/widgets", name))),
        ).toBe(true);
        const again = await fetch(`${url}/widgets/${name}`, {
          headers: { "If-None-Match": res.headers.get("etag")! },
        });
        expect(again.status).toBe(304);
      }
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
