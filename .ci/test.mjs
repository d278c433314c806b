#!/usr/bin/env node
/**
 * `npm test`: the Node tests (vitest), then the browser tests (@web/test-runner in Chromium), output streamed,
 * then one last line `N passed, N failed[, N skipped]` totalled over both. Exits non-zero when a runner failed
 * or ran no test.
 *
 *   npm test                                   everything
 *   npm test -- --node-only [vitest args]      only vitest (e.g. a file filter)
 *   npm test -- --browser-only [wtr args]      only the browser tests (e.g. --files core/x.browser.test.ts)
 *
 * A runner that fails without a failing test (no test found, a file that does not load, a crash) counts as one
 * failure, explained on the line above the totals.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium } from "./chromium.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "usage: npm test [-- --node-only [vitest args] | -- --browser-only [web-test-runner args]]";

function fail(line, code = 1) {
  console.error(line);
  process.exit(code);
}

function parseArgs(argv) {
  const nodeOnly = argv.includes("--node-only");
  const browserOnly = argv.includes("--browser-only");
  const rest = argv.filter((a) => a !== "--node-only" && a !== "--browser-only");
  if (nodeOnly && browserOnly) fail(`--node-only and --browser-only exclude each other. ${USAGE}`, 2);
  if (!nodeOnly && !browserOnly && rest.length > 0) {
    fail(`Unknown argument ${rest[0]}: runner arguments need --node-only or --browser-only. ${USAGE}`, 2);
  }
  return { node: !browserOnly, browser: !nodeOnly, rest };
}

/** The JS file of an installed package's bin, run with this Node (no npx lookup, no registry). */
function binOf(pkg, name) {
  try {
    const dir = path.join(ROOT, "node_modules", pkg);
    const { bin } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    return path.join(dir, typeof bin === "string" ? bin : bin[name]);
  } catch {
    return fail(`${pkg} is not installed: run 'npm install' in ${ROOT}.`);
  }
}

let interrupted = false;
let child;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    interrupted = true;
    child?.kill(signal);
  });
}

function run(file, args, env) {
  return new Promise((resolve) => {
    const started = Date.now();
    child = spawn(process.execPath, [file, ...args], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    child.on("error", (error) => resolve({ code: 1, error, seconds: (Date.now() - started) / 1000 }));
    child.on("exit", (code, signal) => {
      child = undefined;
      resolve({ code: code ?? (signal ? 128 : 1), seconds: (Date.now() - started) / 1000 });
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** Counts from vitest's JSON report; a test file that failed outside its tests counts as one failure. */
function vitestCounts(report) {
  if (!report || typeof report !== "object") return undefined;
  const n = (v) => (Number.isFinite(v) ? v : 0);
  const counts = {
    passed: n(report.numPassedTests),
    failed: n(report.numFailedTests),
    skipped: n(report.numPendingTests) + n(report.numTodoTests),
  };
  for (const file of Array.isArray(report.testResults) ? report.testResults : []) {
    const failedInside = (file.assertionResults ?? []).some((t) => t.status === "failed");
    if (file.status === "failed" && !failedInside) counts.failed++;
  }
  return counts;
}

function wtrCounts(report) {
  if (!report || typeof report !== "object") return undefined;
  const n = (v) => (Number.isFinite(v) ? v : 0);
  return { passed: n(report.passed), failed: n(report.failed), skipped: n(report.skipped) };
}

/**
 * Turns one runner's exit code and report into counts, adding one failure (with a note) when the runner failed
 * without a failing test or ran no test at all.
 */
function settle(name, result, counts, notes) {
  const c = counts ?? { passed: 0, failed: 0, skipped: 0 };
  if (result.error) notes.push(`${name} could not start: ${result.error.message}`);
  if (!counts) {
    notes.push(
      `${name} exited with code ${result.code} and wrote no report (see its output): counted as 1 failure.`,
    );
    c.failed = 1;
  } else if (c.passed + c.failed === 0) {
    notes.push(`${name} ran no test (exit code ${result.code}): counted as 1 failure.`);
    c.failed = 1;
  } else if (result.code !== 0 && c.failed === 0) {
    notes.push(
      `${name} exited with code ${result.code} without a failing test (see its output): counted as 1 failure.`,
    );
    c.failed = 1;
  } else if (result.code === 0 && c.failed > 0) {
    notes.push(`${name} exited with code 0 but reported ${c.failed} failure(s).`);
  }
  return c;
}

async function main() {
  const which = parseArgs(process.argv.slice(2));
  let chromiumPath;
  if (which.browser) {
    const chromium = findChromium();
    if (chromium.error) fail(chromium.error);
    chromiumPath = chromium.path;
  }
  if (which.node) {
    // The feed tests read the relay's Atom and iCalendar with Python's own parsers (test/e2e/feeds-parsers).
    const python = spawnSync("/usr/bin/python3", ["-c", "import feedparser, icalendar"], { stdio: "ignore" });
    if (python.status !== 0)
      fail(
        "Python's feedparser and icalendar are missing (the feed tests use them): as root, apt-get install -y python3-feedparser python3-icalendar",
      );
    // The relay-behind-nginx test runs Debian's nginx as the README's TLS reverse proxy (test/e2e/relay-behind-nginx).
    const nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].some((p) => {
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (!nginx || spawnSync("openssl", ["version"], { stdio: "ignore" }).status !== 0)
      fail(
        "nginx or openssl is missing (the relay-behind-nginx test uses them): as root, apt-get install -y nginx-light openssl",
      );
  }
  const vitestBin = which.node ? binOf("vitest", "vitest") : undefined;
  const wtrBin = which.browser ? binOf("@web/test-runner", "web-test-runner") : undefined;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cellule-test-"));
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const notes = [];
  const times = [];
  const add = (c) => {
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
  };
  try {
    // The full run also checks format, lint and types: CI allows no warning.
    if (which.node && which.browser) {
      for (const [name, bin, args] of [
        ["biome (format and lint)", binOf("@biomejs/biome", "biome"), ["ci", "--error-on-warnings", "."]],
        ["tsc (types)", binOf("typescript", "tsc"), ["--noEmit", "-p", "tsconfig.json"]],
        [
          "tsc-core (core without the DOM)",
          binOf("typescript", "tsc"),
          ["--noEmit", "-p", ".ci/tsconfig.core.json"],
        ],
        ["layers (imports)", path.join(ROOT, ".ci", "layers.mjs"), []],
      ]) {
        const result = await run(bin, args, {});
        times.push(`${name.split(" ")[0]} ${result.seconds.toFixed(1)} s`);
        if (interrupted) break;
        const ok = result.code === 0;
        if (!ok) notes.push(`${name} failed: see its output above.`);
        add({ passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
      }
    }
    if (which.node && !interrupted) {
      const report = path.join(tmp, "vitest.json");
      const args = ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
      const result = await run(vitestBin, [...args, ...(which.browser ? [] : which.rest)], {});
      times.push(`vitest ${result.seconds.toFixed(1)} s`);
      if (!interrupted) add(settle("vitest (Node tests)", result, vitestCounts(readJson(report)), notes));
    }
    if (which.browser && !interrupted) {
      const report = path.join(tmp, "wtr.json");
      const result = await run(wtrBin, which.node ? [] : which.rest, {
        CHROME_PATH: chromiumPath,
        CELLULE_WTR_RESULTS: report,
      });
      times.push(`web-test-runner ${result.seconds.toFixed(1)} s`);
      if (!interrupted)
        add(settle("web-test-runner (browser tests)", result, wtrCounts(readJson(report)), notes));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (interrupted) fail("Interrupted.", 130);

  console.log("");
  for (const note of notes) console.log(note);
  console.log(`Time: ${times.join(", ")}.`);
  console.log(
    `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`,
  );
  process.exitCode = totals.failed > 0 ? 1 : 0;
}

main().catch((error) => fail(`npm test: ${error?.message ?? error}`));
