/**
 * The process handlers of `cellule relay` without a process: signals, uncaught exceptions and their
 * interplay. cli-process.test.ts checks the same through the real command line.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ProcessHandlerOptions, processHandlers } from "./cli.js";
import type { Logger } from "./log.js";

/** A logger keeping `level: message` lines, and a close the test settles when it wants. */
function setup(overrides: Partial<ProcessHandlerOptions> = {}) {
  const lines: string[] = [];
  const log: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m, ...d) => lines.push(`error: ${m}${d.map((x) => ` ${x instanceof Error ? x.message : x}`)}`),
  };
  const exits: number[] = [];
  let exited!: (code: number) => void;
  const firstExit = new Promise<number>((resolve) => {
    exited = resolve;
  });
  let closes = 0;
  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const closed = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const handlers = processHandlers({
    log,
    close: () => {
      closes++;
      return closed;
    },
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
    ...overrides,
  });
  return { handlers, lines, exits, closes: () => closes, settle, exited: firstExit };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("processHandlers", () => {
  it("SIGTERM closes, then exits 0; a second signal while closing exits 1 at once", async () => {
    const first = setup();
    first.handlers.signal("SIGTERM");
    expect(first.lines).toEqual(["info: SIGTERM: closing"]);
    first.settle.resolve();
    expect(await first.exited).toBe(0);
    expect(first.closes()).toBe(1);

    const twice = setup();
    twice.handlers.signal("SIGTERM");
    twice.handlers.signal("SIGINT");
    expect(await twice.exited).toBe(1);
    expect(twice.lines).toEqual(["info: SIGTERM: closing", "warn: SIGINT while closing: exiting now"]);
  });

  it("an uncaught exception is logged once, closes the relay and exits 1", async () => {
    const t = setup();
    t.handlers.uncaughtException(new Error("boom"));
    // Thrown by the closing, or by anything else meanwhile: the exit is under way, nothing more is logged.
    t.handlers.uncaughtException(new Error("again"));
    t.settle.resolve();
    expect(await t.exited).toBe(1);
    expect(t.lines).toEqual(["error: uncaught exception, exiting boom"]);
    expect(t.closes()).toBe(1);
  });

  it("an uncaught exception during a SIGTERM close makes the exit code 1", async () => {
    const t = setup();
    t.handlers.signal("SIGTERM");
    t.handlers.uncaughtException(new Error("boom"));
    t.settle.resolve();
    expect(await t.exited).toBe(1);
    expect(t.closes()).toBe(1);
  });

  it("a close that fails is logged and exits 1", async () => {
    const t = setup();
    t.handlers.signal("SIGINT");
    t.settle.reject(new Error("disk gone"));
    expect(await t.exited).toBe(1);
    expect(t.lines).toEqual(["info: SIGINT: closing", "error: close failed disk gone"]);
  });

  it("after an uncaught exception, a close that never ends is cut short at fatalCloseMs", async () => {
    vi.useFakeTimers();
    const t = setup({ fatalCloseMs: 1000 });
    t.handlers.uncaughtException(new Error("boom"));
    await vi.advanceTimersByTimeAsync(999);
    expect(t.exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.exits).toEqual([1]);
  });

  it("still exits when the logger itself throws", async () => {
    const throwing: Logger = {
      debug() {},
      info() {},
      warn() {},
      error() {
        throw new Error("logger broken");
      },
    };
    const t = setup({ log: throwing });
    expect(() => t.handlers.uncaughtException(new Error("boom"))).not.toThrow();
    t.settle.resolve();
    expect(await t.exited).toBe(1);
  });

  it("an unhandled rejection is logged and the relay carries on", () => {
    const t = setup();
    t.handlers.unhandledRejection(new Error("forgotten"));
    expect(t.lines).toEqual(["error: unhandled rejection forgotten"]);
    expect(t.closes()).toBe(0);
    expect(t.exits).toEqual([]);
  });
});
