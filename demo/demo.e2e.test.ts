/**
 * The demo as a newcomer sees it: the page in real Chromium, two devices syncing through the two local
 * relays; one relay stops and the devices keep syncing through the other.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../test-support/browser.js";
import { type Demo, startDemo } from "./server.js";

let demo: Demo;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cellule-demo-"));
  demo = await startDemo({ dataDir, port: 0, relayPorts: [0, 0] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("demo page", () => {
  it("shows two devices converging through the relays, also after one relay stops", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(demo.url);
    const device = (n: number) => page.locator("section").nth(n - 1);
    await expect
      .poll(() => device(2).locator("li").allInnerTexts(), { timeout: 20_000 })
      .toEqual([" Imprimer les tracts"]);
    await expect.poll(() => device(1).locator(".status").textContent(), { timeout: 10_000 }).toContain("2/2");

    await device(1).getByRole("textbox").fill("Coller les affiches <img src=x onerror=alert(1)>");
    await device(1).getByRole("button").click();
    await expect
      .poll(() => device(2).locator("li").allInnerTexts(), { timeout: 10_000 })
      .toEqual([" Imprimer les tracts", " Coller les affiches <img src=x onerror=alert(1)>"]);
    expect(await page.locator("img").count()).toBe(0);

    await demo.relays[0]!.close();
    await device(2).getByRole("textbox").fill("Réserver la salle");
    await device(2).getByRole("button").click();
    await expect.poll(() => device(1).locator("li").count(), { timeout: 10_000 }).toBe(3);
    await device(1).getByRole("checkbox").first().check();
    await expect
      .poll(() => device(2).getByRole("checkbox").first().isChecked(), { timeout: 10_000 })
      .toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);
});
