/**
 * The one logger shape of Cellule: the Kit, the relay client and the relay all take a `Logger`, so an
 * embedder plugs one implementation into all of them.
 *
 * `createLogger` is the console implementation, with DEBUG-style namespaces: `DEBUG=cellule:*` in Node,
 * `localStorage.debug = "cellule:*"` in a browser; `-ns` excludes (`DEBUG=cellule:*,-cellule:kit`).
 * The relay has its own stream implementation of the same interface (adapters/relay/log.ts).
 */

/** Severity of a log line, least to most severe. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** The levels, least to most severe. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/** Where a part of Cellule says what happens to it. `data` is extra detail, typically an error. */
export interface Logger {
  /** Detail for whoever is chasing a problem. */
  debug(message: string, ...data: unknown[]): void;
  /** Something normal but worth knowing (a peer connected, a connection closed). */
  info(message: string, ...data: unknown[]): void;
  /** Something went wrong and was worked around. */
  warn(message: string, ...data: unknown[]): void;
  /** Something failed. */
  error(message: string, ...data: unknown[]): void;
}

/** A logger that drops everything (tests that provoke errors on purpose). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** The DEBUG pattern to use. @default `process.env.DEBUG`, else `localStorage.debug`, else none */
  pattern?: string;
}

function debugPattern(): string {
  try {
    if (typeof process !== "undefined" && process.env?.DEBUG) return process.env.DEBUG;
    const storage = (globalThis as { localStorage?: { getItem(key: string): string | null } }).localStorage;
    return storage?.getItem("debug") ?? "";
  } catch {
    // localStorage throws on some origins (sandboxed iframes, blocked storage): no debug output then.
    return "";
  }
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
}

/**
 * Whether a DEBUG `pattern` turns `namespace` on, as the `debug` package reads it: names separated by
 * commas or spaces, `*` matches anything, a name starting with `-` excludes what it matches. An exclusion
 * wins over any inclusion, whatever their order.
 */
export function namespaceEnabled(namespace: string, pattern: string): boolean {
  const parts = pattern.split(/[\s,]+/).filter(Boolean);
  const excluded = parts
    .filter((p) => p.startsWith("-") && p.length > 1)
    .map((p) => globToRegExp(p.slice(1)));
  const included = parts.filter((p) => !p.startsWith("-")).map(globToRegExp);
  return !excluded.some((r) => r.test(namespace)) && included.some((r) => r.test(namespace));
}

/**
 * A console logger for `namespace` (e.g. `cellule:kit`). Debug and info lines print only when the DEBUG
 * pattern turns the namespace on (a widget on a blog stays quiet); warnings and errors always print. The
 * pattern is read once, when the logger is made.
 */
export function createLogger(namespace: string, options: LoggerOptions = {}): Logger {
  const on = namespaceEnabled(namespace, options.pattern ?? debugPattern());
  return {
    debug: (message, ...data) => {
      if (on) console.debug(`${namespace} ${message}`, ...data);
    },
    info: (message, ...data) => {
      if (on) console.info(`${namespace} ${message}`, ...data);
    },
    warn: (message, ...data) => console.warn(`${namespace} ${message}`, ...data),
    error: (message, ...data) => console.error(`${namespace} ${message}`, ...data),
  };
}
