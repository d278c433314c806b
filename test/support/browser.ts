/** Debian's Chromium driven by playwright-core, for end-to-end tests run from Node. */
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../../.ci/chromium.mjs";

/** Launches headless Chromium with this machine's flags; throws the one-line install hint when missing. */
export function launchChromium(): Promise<Browser> {
  const found = findChromium();
  if (!found.path) throw new Error(found.error);
  return chromium.launch({ executablePath: found.path, headless: true, args: CHROMIUM_ARGS });
}
