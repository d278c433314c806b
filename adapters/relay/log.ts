/**
 * The relay's logger. A relay prints exactly one line on stdout (its URL, for scripts and supervisors to
 * read), so everything else goes to stderr, one line per event.
 */

/** Severity of a log line, least to most severe. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Where the relay writes what happens to it. Swap it for tests or to feed another logging system. */
export interface RelayLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing `cellule relay <level>: <message>` lines to stderr, dropping lines below `level`. */
export function stderrLogger(level: LogLevel = "info"): RelayLogger {
  const min = RANK[level];
  const write = (l: LogLevel, message: string): void => {
    if (RANK[l] >= min) process.stderr.write(`cellule relay ${l}: ${message}\n`);
  };
  return {
    debug: (m) => write("debug", m),
    info: (m) => write("info", m),
    warn: (m) => write("warn", m),
    error: (m, e) => write("error", e === undefined ? m : `${m}: ${describeError(e)}`),
  };
}

/** A logger that drops everything (tests that provoke errors on purpose). */
export const silentLogger: RelayLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** One-line description of anything thrown. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
