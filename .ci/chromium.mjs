// Where the Chromium used by the browser tests lives. Shared by web-test-runner.config.mjs and .ci/test.mjs.
import { accessSync, constants, statSync } from "node:fs";

/** Looked at in this order when CHROME_PATH is not set. */
export const CHROMIUM_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** Flags Chromium needs on these machines (no sandbox as root, no background network calls). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `{ path }` of the Chromium to use, or `{ error }`: one line telling a person what to do.
 * An explicit CHROME_PATH is never second-guessed: if it does not point at an executable, that is the error.
 */
export function findChromium(env = process.env) {
  const explicit = env.CHROME_PATH;
  if (explicit) {
    if (isExecutableFile(explicit)) return { path: explicit };
    return {
      error: `Chromium not found at CHROME_PATH=${explicit}: point CHROME_PATH at a Chromium/Chrome binary, or unset it and run 'apt-get install -y chromium' (Debian).`,
    };
  }
  const found = CHROMIUM_CANDIDATES.find(isExecutableFile);
  if (found) return { path: found };
  return {
    error:
      "Chromium not found: run 'apt-get install -y chromium' (Debian) or set CHROME_PATH to a Chromium/Chrome binary.",
  };
}
