/**
 * The relay's implementation of Cellule's one `Logger` (core/base/logger.ts): lines on a stream, by
 * default stderr. A relay prints exactly one line on stdout (its URL, for scripts and supervisors to read),
 * so everything else goes to stderr, one line per event, dropping lines below the `--log-level`.
 *
 * The stream may break under a running relay: its reader goes away (a supervisor that died,
 * `cellule relay 2>&1 | tee` with tee killed) and every write fails with EPIPE. The logger then stops
 * writing to it and the relay carries on, silent, rather than failing on each line it would log.
 */
import { inspect } from "node:util";
import { LOG_LEVELS, type Logger, type LogLevel, silentLogger } from "../../core/base/logger.js";

export type { Logger, LogLevel };
export { silentLogger };

/** The name the relay's modules use for the one `Logger`: the same type. */
export type RelayLogger = Logger;

/** Options of `streamLogger`. */
export interface StreamLoggerOptions {
  /** Lines below this level are dropped. @default "info" */
  level?: LogLevel;
  /** Start of every line, before the level. @default "cellule relay" */
  prefix?: string;
}

/** Streams a write failed on: no logger writes to them again. */
const broken = new WeakSet<NodeJS.WritableStream>();
/** Streams whose write errors a logger listens for (one listener per stream, however many loggers). */
const watched = new WeakSet<NodeJS.WritableStream>();

function watch(stream: NodeJS.WritableStream): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  // A failed write is reported as an "error" event. Unheard, it becomes an uncaught exception, whose
  // handler logs to this same stream, fails again, and so on for ever at full CPU: hear it, stop writing.
  stream.on("error", () => broken.add(stream));
}

function unusable(stream: NodeJS.WritableStream): boolean {
  const s = stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
  return broken.has(stream) || s.destroyed === true || s.writableEnded === true;
}

/**
 * Writes `text` to `stream` unless a write to it already failed; never throws, and a failure (now or
 * later, EPIPE arrives as an event) only marks the stream broken.
 */
export function writeUnlessBroken(stream: NodeJS.WritableStream, text: string): void {
  watch(stream);
  if (unusable(stream)) return;
  try {
    stream.write(text);
  } catch {
    broken.add(stream);
  }
}

/** A logger writing `<prefix> <level>: <message>[: <data>…]` lines to `stream`. */
export function streamLogger(stream: NodeJS.WritableStream, options: StreamLoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? "info");
  const prefix = options.prefix ?? "cellule relay";
  watch(stream);
  const write = (level: LogLevel, message: string, data: unknown[]): void => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    // `log.error("…", e)` with an `e` that may be undefined prints the message alone.
    const shown = data.filter((d) => d !== undefined);
    const detail = shown.length === 0 ? "" : `: ${shown.map(describeDatum).join(" ")}`;
    writeUnlessBroken(stream, `${prefix} ${level}: ${message}${detail}\n`);
  };
  return {
    debug: (m, ...data) => write("debug", m, data),
    info: (m, ...data) => write("info", m, data),
    warn: (m, ...data) => write("warn", m, data),
    error: (m, ...data) => write("error", m, data),
  };
}

/** A logger writing `cellule relay <level>: <message>` lines to stderr, dropping lines below `level`. */
export function stderrLogger(level: LogLevel = "info"): Logger {
  return streamLogger(process.stderr, { level });
}

/** One-line description of anything thrown. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function describeDatum(d: unknown): string {
  if (d instanceof Error) return describeError(d);
  if (typeof d === "string") return d;
  return inspect(d, { breakLength: Number.POSITIVE_INFINITY, depth: 4 });
}
