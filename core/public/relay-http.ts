/**
 * Fetching a cell's public files from its relays, as a keyless widget does: each relay in turn, each with a
 * time limit, the next one when a relay is down, slow, answers an error, or serves something the caller's
 * check refuses (a tampered edition). The widget can then say which: nothing reachable, or nothing valid.
 */
import { CelluleError } from "../../core/base/errors.js";

/** Why no relay gave a usable answer. */
export type RelayFailure = "unreachable" | "invalid";

/** No relay gave a usable answer: `code` says whether none answered or none answered validly. */
export class RelayFetchError extends CelluleError {
  declare readonly code: RelayFailure;
  constructor(
    code: RelayFailure,
    /** What went wrong at each relay, in the order tried. */
    readonly attempts: { relay: string; error: string }[],
  ) {
    super(
      code,
      `${code === "unreachable" ? "no relay answered" : "no relay served a valid answer"} (${attempts
        .map((a) => `${a.relay}: ${a.error}`)
        .join("; ")})`,
    );
  }
}

/** Options of {@link fetchFromRelays}. */
export interface RelayFetchOptions<T> {
  /** How long one relay may take, in ms. @default 4000 */
  timeoutMs?: number;
  /** Turns a response's bytes into the value, or throws when they are not acceptable (e.g. a bad signature). */
  check: (body: Uint8Array, relay: string) => Promise<T> | T;
}

/**
 * GETs `path` from each relay in turn until one answers with something `check` accepts; resolves
 * with that value and the relay that served it. `RelayFetchError` when none does.
 */
export async function fetchFromRelays<T>(
  relays: readonly string[],
  path: string,
  { check, timeoutMs = 4000 }: RelayFetchOptions<T>,
): Promise<{ value: T; relay: string }> {
  const attempts: { relay: string; error: string }[] = [];
  let answered = false;
  for (const relay of relays) {
    // Not AbortSignal.timeout (Safari 16+); aborting after the answer was read does nothing.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(new URL(path, relay), {
        signal: controller.signal,
        credentials: "omit",
        referrerPolicy: "no-referrer",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = new Uint8Array(await response.arrayBuffer());
      answered = true;
      return { value: await check(body, relay), relay };
    } catch (error) {
      attempts.push({ relay, error: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new RelayFetchError(answered ? "invalid" : "unreachable", attempts);
}
