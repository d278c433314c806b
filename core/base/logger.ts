/**
 * A pluggable logger with DEBUG-style namespaces: `DEBUG=cellule:*` in Node, `localStorage.debug =
 * "cellule:*"` in a browser. Warnings and errors always print.
 */
export interface Logger {
  debug(message: string, ...data: unknown[]): void;
  warn(message: string, ...data: unknown[]): void;
  error(message: string, ...data: unknown[]): void;
}

function debugPattern(): string {
  try {
    if (typeof process !== "undefined" && process.env?.DEBUG) return process.env.DEBUG;
    const storage = (globalThis as { localStorage?: { getItem(key: string): string | null } }).localStorage;
    return storage?.getItem("debug") ?? "";
  } catch {
    return "";
  }
}

function enabled(namespace: string, pattern: string): boolean {
  return pattern
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((p) =>
      new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(namespace),
    );
}

/** A console logger for `namespace` (e.g. `cellule:kit`). */
export function createLogger(namespace: string): Logger {
  const on = enabled(namespace, debugPattern());
  return {
    debug: (message, ...data) => {
      if (on) console.debug(`${namespace} ${message}`, ...data);
    },
    warn: (message, ...data) => console.warn(`${namespace} ${message}`, ...data),
    error: (message, ...data) => console.error(`${namespace} ${message}`, ...data),
  };
}
