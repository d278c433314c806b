/**
 * `app-open`: the member space's cold start in headless Chromium (Debian's, through playwright-core) on a
 * device that already holds a big cell — 1,000 members, 20,000 public posts over 5 years, and 5 years of
 * monthly dues stamps for all 1,000 members — served by a local relay at `/app/` (the member space exactly
 * as `buildApp()` builds it): time to the journal on screen, `p50_ms` over RUNS runs after WARMUP (goal
 * < 1,000), and the page's JS heap once loaded, `heap_mb` (goal < 150).
 *
 * Setup (not timed; `setup_s`): one relay in this process with a temporary data directory; a founder device
 * in Node (memory storage, relay client) founds the cell and grows it (see app-open-cell.ts); the browser
 * member joins through the app with an invitation link, the founder admits them and makes them treasurer
 * (so the stamps are theirs to hold too); they note their recovery phrase; the stamps are written; the
 * bench waits until the browser's device has received everything and is quiet.
 *
 * Each run: a new page in the same browser context (IndexedDB holds the cell; the HTTP cache and the
 * member space's service worker are warm, as on a phone that opened the app before), navigation to
 * `<relay>/app/`.
 * - "Journal on screen": the first post in the DOM (`ol.posts li` in `<cell-app>`'s shadow root), seen by
 *   MutationObservers installed before any page script (one per shadow root, through `attachShadow`), in
 *   ms since the navigation started (`performance.now()`).
 * - Heap: CDP `Runtime.getHeapUsage` (`usedSize`: V8's JS heap, without ArrayBuffer backing stores such as
 *   Automerge's WASM memory) when the posts show (`heap_at_posts_mb`) and again once the page is quiet
 *   (no envelope received or sent for QUIET_MS, `heap_settled_mb`); `heap_mb` is the larger of the two
 *   medians. `heap_after_gc_mb` is the settled heap after a forced collection (what the page retains);
 *   `array_buffers_mb` the ArrayBuffer backing stores once quiet (CDP `backingStorageSize`), which
 *   `usedSize` leaves out: noisy, it counts buffers not collected yet.
 * - `envelopes_received_per_start` / `envelopes_sent_per_start`: what the device exchanged with the relay
 *   during one start (nothing new was written meanwhile, so this is what a start costs by itself).
 *
 * `APP_OPEN_PROFILE=<file>`: the last run's page is CPU-profiled from navigation to posts on screen, and the
 * profile written to `<file>` (a `.cpuprofile` DevTools opens).
 */
import { writeFile } from "node:fs/promises";
import type { BrowserContext, Page } from "playwright-core";
import WebSocket from "ws";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { silentLogger, startRelay } from "../../adapters/relay/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import { Cell, createKit, invitationToText, type Kit, Rsvps } from "../../core/index.js";
import { buildApp } from "../../rollup.config.mjs";
import { launchChromium } from "../../test/support/browser.js";
import { addMembers, founderLog, openTreasury, writePosts, writeStamps } from "./app-open-cell.js";
import {
  type BenchResult,
  detectPostsScript,
  median,
  progress,
  Resources,
  round,
  sleep,
  tempDir,
  until,
  within,
} from "./support.js";

const NAME = "app-open";
const MEMBERS = 1000;
const POSTS = 20_000;
const YEARS = 5;
const MONTHS = YEARS * 12;
const WARMUP = 1;
const RUNS = 5;
/** How long without envelopes counts as quiet (the browser member's device after sync, and after a start). */
const QUIET_MS = 2000;
const MEMBER_NAME = "Camille Martin";
const MB = 1024 * 1024;

/** Runs before any page script: notes `__postsAt` when a journal post first enters `<cell-app>`. */
const DETECT_POSTS = detectPostsScript(
  `document.querySelector("cell-app")?.shadowRoot?.querySelector("ol.posts li")`,
);

/**
 * What the page's device did with envelopes so far (from `<cell-app>`'s session; undefined before its
 * Kit). A function, not a string: the member space's CSP forbids eval.
 */
function kitActivity(): Activity | undefined {
  type AppKit = {
    stats: { accepted: number; duplicates: number; held: number; published: number; rejected: object };
    transportStatus(): { pending: number }[];
  };
  const app = document.querySelector("cell-app") as unknown as { session?: { kit?: AppKit } } | null;
  const kit = app?.session?.kit;
  if (!kit) return undefined;
  const s = kit.stats;
  return {
    accepted: s.accepted,
    duplicates: s.duplicates,
    held: s.held,
    published: s.published,
    rejected: Object.values(s.rejected as Record<string, number>).reduce((a, b) => a + b, 0),
    pending: kit.transportStatus().reduce((n, t) => n + t.pending, 0),
  };
}

interface Activity {
  accepted: number;
  duplicates: number;
  held: number;
  published: number;
  rejected: number;
  pending: number;
}

/** Waits until the page's device has received and sent nothing for `quietMs` (and sends nothing more). */
async function quiet(page: Page, quietMs: number, timeoutMs: number): Promise<Activity> {
  const end = performance.now() + timeoutMs;
  let last = "";
  let since = performance.now();
  for (;;) {
    const activity = await page.evaluate(kitActivity);
    const now = JSON.stringify(activity ?? null);
    if (now !== last) {
      last = now;
      since = performance.now();
    } else if (activity && activity.pending === 0 && performance.now() - since >= quietMs) return activity;
    if (performance.now() > end) throw new Error(`the member's device was still busy after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The founder's device: memory storage, the relay, connected. */
async function founderKit(resources: Resources, relay: string): Promise<Kit> {
  const storage = memoryStorage();
  const kit = await createKit({
    storage,
    keystore: memoryKeystore(),
    transports: [
      relayClient({
        relays: [relay],
        WebSocket: WebSocket as never,
        storage,
        minBackoffMs: 50,
        maxBackoffMs: 500,
      }),
    ],
  });
  resources.add("founder's kit", kit, (k) => k.close(1000));
  await until(
    () => kit.transportStatus().every((t) => t.endpoints.every((e) => e.connected)),
    "the founder's Kit to reach the relay",
    15_000,
  );
  return kit;
}

/**
 * The browser member joins with an invitation link in the app, the founder admits them and makes them
 * treasurer, they note their phrase, and the journal shows; returns their member ID. `problems` collects
 * page errors.
 */
async function joinFromBrowser(context: BrowserContext, relay: string, cell: Cell, problems: string[]) {
  const invitation = invitationToText(await cell.invite({ single: true }));
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${relay}/app/#join=${cell.id}&invite=${encodeURIComponent(invitation)}`);
  await page.getByLabel("Votre nom").fill(MEMBER_NAME, { timeout: 60_000 });
  await page.getByRole("button", { name: "Rejoindre la cellule" }).click();
  const pending = () => cell.members().find((m) => m.name === MEMBER_NAME && m.status === "pending");
  await until(() => !!pending(), "the browser member's request to reach the founder", 60_000, 50);
  const member = pending()!.id;
  await cell.admit(member);
  await cell.grant(member, "treasurer");
  await page.getByRole("button", { name: "Je les ai notés" }).click({ timeout: 180_000 });
  await page.locator("cell-app ol.posts li").first().waitFor({ timeout: 180_000 });
  return { page, member };
}

interface Run {
  ms: number;
  heapAtPosts: number;
  heapSettled: number;
  heapAfterGc: number;
  /** ArrayBuffer backing stores once quiet, when Chromium reports them (NaN otherwise). */
  backing: number;
  /** Envelopes the device received (accepted or duplicate) and sent during this start. */
  received: number;
  sent: number;
}

/** One cold start: a new page of the context at `<relay>/app/`, until the journal shows and the page is quiet. */
async function coldStart(
  context: BrowserContext,
  relay: string,
  newest: string,
  problems: string[],
  profile?: string,
): Promise<Run> {
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(e.message));
  try {
    const cdp = await context.newCDPSession(page);
    await page.addInitScript(DETECT_POSTS);
    if (profile) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp.send("Profiler.start");
    }
    await page.goto(`${relay}/app/`);
    await page.waitForFunction(() => (window as { __postsAt?: number }).__postsAt !== undefined, undefined, {
      timeout: 120_000,
    });
    if (profile) {
      const { profile: cpu } = await cdp.send("Profiler.stop");
      await writeFile(profile, JSON.stringify(cpu));
      progress(NAME, `CPU profile of this start written to ${profile} (open it in Chromium's DevTools)`);
    }
    const heapAtPosts = (await cdp.send("Runtime.getHeapUsage")).usedSize;
    const ms = await page.evaluate(() => (window as { __postsAt?: number }).__postsAt!);
    const activity = await quiet(page, QUIET_MS, 120_000);
    const settled = (await cdp.send("Runtime.getHeapUsage")) as {
      usedSize: number;
      backingStorageSize?: number;
    };
    const heapSettled = settled.usedSize;
    await cdp.send("HeapProfiler.collectGarbage");
    const heapAfterGc = (await cdp.send("Runtime.getHeapUsage")).usedSize;
    const text = (await page.locator("cell-app ol.posts li").first().textContent()) ?? "";
    if (!text.includes(newest))
      throw new Error(`the first post on screen is not the newest (${newest}): ${text.slice(0, 80)}`);
    return {
      ms,
      heapAtPosts,
      heapSettled,
      heapAfterGc,
      backing: settled.backingStorageSize ?? Number.NaN,
      received: activity.accepted + activity.duplicates,
      sent: activity.published,
    };
  } finally {
    await page.close();
  }
}

/** Runs the bench. */
export async function appOpen(): Promise<BenchResult> {
  const resources = new Resources();
  const problems: string[] = [];
  const setupStart = performance.now();
  const step = (message: string) =>
    progress(NAME, `${message} (${Math.round((performance.now() - setupStart) / 1000)} s)`);
  try {
    const files = await buildApp();
    const relay = await startRelay({
      dataDir: await tempDir(resources, NAME),
      port: 0,
      log: silentLogger,
      app: { files, connect: [] },
    });
    resources.add(`relay ${relay.url}`, relay, (r) => r.close());
    const kit = await founderKit(resources, relay.url);
    const cell = await Cell.create(kit, { name: "Fédération du Rhône", founderName: "Fatima Benali" });
    const founder = cell.me()!.id;
    step(`cell ${cell.id.slice(0, 12)}… founded on ${relay.url}`);

    // 1,000 members: the founder, MEMBERS - 2 made here, and the browser member.
    let shown = 0;
    const others = await addMembers(kit, cell, MEMBERS - 2, (done) => {
      if (done - shown >= 200 || done === MEMBERS - 2) {
        shown = done;
        step(`${done + 1} members`);
      }
    });

    const now = Date.now();
    const from = Date.UTC(new Date(now).getUTCFullYear() - YEARS, new Date(now).getUTCMonth() + 1, 1);
    shown = 0;
    const posts = await writePosts(kit, cell, { count: POSTS, from, to: now - 3_600_000 }, (done) => {
      if (done - shown >= 5000 || done === POSTS) {
        shown = done;
        step(`${done} posts`);
      }
    });
    // The answers to events: created by an officer's device the first time (as the founder's member space
    // would); a member's app waits for it.
    await Rsvps.open(cell);
    const treasury = await openTreasury(kit, cell, from);

    const browser = await launchChromium();
    resources.add("chromium", browser, (b) => b.close());
    const context = await browser.newContext();
    resources.add("browser context", context, (c) => c.close());
    const joined = await joinFromBrowser(context, relay.url, cell, problems);
    step("the browser member joined, treasurer, journal on screen");

    const people = [founder, ...others, joined.member];
    shown = 0;
    const stampEnvelopes = await writeStamps(
      kit,
      cell,
      treasury,
      { people, from, months: MONTHS },
      (done) => {
        if (done - shown >= 12_000 || done === people.length * MONTHS) {
          shown = done;
          step(`${done} stamps`);
        }
      },
    );
    await kit.flush();
    const ledger = await treasury.ledger();
    if (ledger.refused.length > 0 || ledger.waiting > 0 || ledger.missing > 0)
      throw new Error(
        `the treasury refused ${ledger.refused.length} records (${ledger.refused[0]?.error.message}), ` +
          `${ledger.waiting} waiting, ${ledger.missing} buckets missing`,
      );
    const members = cell.members().filter((m) => m.status === "member").length;
    const logSize = (await founderLog(kit, cell)).all().length;
    step(
      `${members} members (${logSize} governance ops), ${POSTS} posts in ${posts.envelopes} envelopes, ` +
        `${ledger.stamps.length} stamps in ${stampEnvelopes} envelopes (ledger checked); syncing the browser`,
    );

    const synced = await quiet(joined.page, 5000, 300_000);
    await joined.page.close();
    const relayStats = relay.stats();
    const setupS = (performance.now() - setupStart) / 1000;
    step(
      `browser synced (${synced.accepted} envelopes accepted, ${synced.rejected} rejected); relay holds ` +
        `${relayStats.envelopes} envelopes, ${round(relayStats.bytes / MB)} MB; ${WARMUP} warm-up + ${RUNS} cold starts`,
    );

    const runs: Run[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const run = await within(
        coldStart(
          context,
          relay.url,
          posts.newest,
          problems,
          i === WARMUP + RUNS - 1 ? process.env.APP_OPEN_PROFILE : undefined,
        ),
        180_000,
        "a cold start",
      );
      progress(
        NAME,
        `${i < WARMUP ? "warm-up" : `run ${i - WARMUP + 1}/${RUNS}`}: journal in ${Math.round(run.ms)} ms, ` +
          `heap ${round(run.heapAtPosts / MB)} MB at posts, ${round(run.heapSettled / MB)} MB settled, ` +
          `${round(run.heapAfterGc / MB)} MB after GC, ${round(run.backing / MB)} MB of ArrayBuffers; ${run.received} envelopes received, ${run.sent} sent`,
      );
      if (i >= WARMUP) runs.push(run);
    }
    if (problems.length > 0) throw new Error(`page errors: ${problems.slice(0, 3).join(" | ")}`);

    const p50 = median(runs.map((r) => r.ms));
    const heapAtPosts = median(runs.map((r) => r.heapAtPosts)) / MB;
    const heapSettled = median(runs.map((r) => r.heapSettled)) / MB;
    const heap = Math.max(heapAtPosts, heapSettled);
    return {
      bench: NAME,
      p50_ms: round(p50),
      heap_mb: round(heap),
      members,
      posts: POSTS,
      stamps: ledger.stamps.length,
      runs: RUNS,
      runs_ms: runs.map((r) => Math.round(r.ms)),
      heap_at_posts_mb: round(heapAtPosts),
      heap_settled_mb: round(heapSettled),
      heap_after_gc_mb: round(median(runs.map((r) => r.heapAfterGc)) / MB),
      array_buffers_mb: round(median(runs.map((r) => r.backing)) / MB),
      envelopes_received_per_start: median(runs.map((r) => r.received)),
      envelopes_sent_per_start: median(runs.map((r) => r.sent)),
      governance_ops: logSize,
      member_roles: ["member", "treasurer"],
      relay_mb: round(relayStats.bytes / MB),
      setup_s: round(setupS),
      goal: "p50_ms < 1000 and heap_mb < 150",
      ok: p50 < 1000 && heap < 150,
    };
  } finally {
    await resources.close();
  }
}
