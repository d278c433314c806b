/** The relay's stream logger: its lines, its levels, and what it does when its stream breaks. */
import { once } from "node:events";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { streamLogger, writeUnlessBroken } from "./log.js";

/** A stream keeping what it is given; `fail` makes each write fail as a pipe without reader does. */
function sink(options: { fail?: boolean; throws?: boolean } = {}) {
  const lines: string[] = [];
  let attempts = 0;
  const stream = new Writable({
    // Like process.stderr, which Node never destroys: a failed write leaves it open.
    autoDestroy: false,
    write(chunk: Buffer, _encoding, callback) {
      attempts++;
      if (options.fail) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
        return;
      }
      lines.push(chunk.toString());
      callback();
    },
  });
  if (options.throws) {
    stream.write = () => {
      attempts++;
      throw new Error("write after end");
    };
  }
  return { stream, lines, attempts: () => attempts };
}

describe("streamLogger", () => {
  it("writes one `cellule relay <level>: message` line per call, details after a colon", () => {
    const s = sink();
    const log = streamLogger(s.stream);
    log.info("listening");
    log.warn("peer refused", 409);
    log.error("could not start", new TypeError("bad port"));
    log.error("close failed", undefined);
    log.info("state", { a: 1, b: [2] });
    expect(s.lines).toEqual([
      "cellule relay info: listening\n",
      "cellule relay warn: peer refused: 409\n",
      "cellule relay error: could not start: TypeError: bad port\n",
      "cellule relay error: close failed\n",
      "cellule relay info: state: { a: 1, b: [ 2 ] }\n",
    ]);
  });

  it("drops lines below its level", () => {
    const s = sink();
    const log = streamLogger(s.stream, { level: "warn" });
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(s.lines).toEqual(["cellule relay warn: w\n", "cellule relay error: e\n"]);
    const all = sink();
    streamLogger(all.stream, { level: "debug", prefix: "x" }).debug("d");
    expect(all.lines).toEqual(["x debug: d\n"]);
  });

  it("hears a failed write (EPIPE) instead of letting it become an uncaught exception, and stops writing", async () => {
    const s = sink({ fail: true });
    const log = streamLogger(s.stream);
    // The logger's own listener: without it the "error" event below would be thrown.
    expect(s.stream.listenerCount("error")).toBe(1);
    const failed = once(s.stream, "error");
    log.info("first");
    await failed;
    log.info("second");
    log.error("third", new Error("x"));
    writeUnlessBroken(s.stream, "fourth\n");
    expect(s.attempts()).toBe(1);
  });

  it("stops on a stream whose write throws, without throwing itself", () => {
    const s = sink({ throws: true });
    const log = streamLogger(s.stream);
    expect(() => log.warn("first")).not.toThrow();
    expect(() => log.warn("second")).not.toThrow();
    expect(s.attempts()).toBe(1);
  });

  it("shares one listener and one broken state per stream, however many loggers write to it", async () => {
    const s = sink({ fail: true });
    const a = streamLogger(s.stream);
    const b = streamLogger(s.stream, { level: "debug" });
    writeUnlessBroken(s.stream, "direct\n");
    expect(s.stream.listenerCount("error")).toBe(1);
    await once(s.stream, "error");
    a.error("a");
    b.debug("b");
    expect(s.attempts()).toBe(1);
  });
});
