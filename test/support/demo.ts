/**
 * What the demo's end-to-end tests share: the demo (relays, sample blog, the founder's device) started in
 * a temporary data directory with Chromium before a file's tests and stopped after, and an accessibility
 * check of a page by axe-core.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type Demo, startDemo } from "../../demo/server.js";
import { launchChromium } from "./browser.js";

/** The demo and the browser of a test file (filled in before its tests run). */
export interface DemoFixture {
  demo: Demo;
  browser: Browser;
  /** Where the demo keeps its data (the relays' under `relay-a`, `relay-b`). */
  dataDir: string;
}

/** Starts the demo and Chromium before the file's tests, and stops them after. */
export function demoFixture(name: string): DemoFixture {
  const fixture = {} as DemoFixture;
  beforeAll(async () => {
    fixture.dataDir = await mkdtemp(join(tmpdir(), `cellule-${name}-`));
    fixture.demo = await startDemo({ dataDir: fixture.dataDir, port: 0, relayPorts: [0, 0] });
    fixture.browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.demo?.close();
    if (fixture.dataDir) await rm(fixture.dataDir, { recursive: true, force: true });
  });
  return fixture;
}

/** Accessibility problems of the page as axe-core sees them (labels, roles, contrast, keyboard…). */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page: page as never }).analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
