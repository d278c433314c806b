/**
 * A real relay for the browser tests: `cellule relay` from source, as a child process on loopback with a
 * temporary data directory, started and stopped with the dev server. Its URL is served at `RELAY_INFO_URL`,
 * so end-to-end browser tests sync through it: `(await (await fetch(RELAY_INFO_URL)).json()).url`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where browser tests find the URL of the test relay. */
export const RELAY_INFO_URL = "/__cellule__/relay.json";

/** Dev-server plugin running the relay of the project at `root` (adapters/relay/cli.ts, through tsx). */
export function testRelay(root) {
  let child;
  let dataDir;
  let url;
  return {
    name: "cellule-test-relay",
    async serverStart() {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cellule-wtr-relay-"));
      const cli = path.join(root, "adapters/relay/cli.ts");
      child = spawn(process.execPath, ["--import", "tsx", cli, "relay", "--port", "0", "--data", dataDir], {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"],
      });
      url = await new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /listening on (http:\S+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`test relay exited with code ${code}`)));
      });
    },
    async serverStop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
    serve(context) {
      if (context.path === RELAY_INFO_URL) return { body: JSON.stringify({ url }), type: "application/json" };
    },
  };
}
