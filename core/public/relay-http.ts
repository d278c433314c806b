/**
 * The one HTTP client of a cell's relays, for everything that talks to them over HTTP: keyless widgets
 * (fetching editions, posting contact requests), the member space, and publishers (putting editions).
 * - `fetchFromRelays` GETs from each relay in turn, with a time limit each, and moves on when a relay is
 *   down, slow, answers an error, or serves something the caller's check refuses (a tampered edition); the
 *   error then says which: nothing reachable, or nothing valid.
 * - `sendToRelays` sends one body to every relay at once, each with a time limit, and succeeds when at
 *   least one accepted it (relays copy each other; a member device re-seeds any that missed it).
 * A relay URL is a base: `https://relay.example.org/cellule` and `…/cellule/` name the same relay.
 */
import { CelluleError } from "../base/errors.js";

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
      `no relay ${code === "unreachable" ? "answered" : "served a valid answer"}: ${attempts
        .map((a) => `${a.relay} ${a.error}`)
        .join(", ")}`,
    );
  }
}

/**
 * The URL of `path` (relative: `c/<cell>/edition.json`) on a relay; the relay URL is a base, with or
 * without its trailing slash.
 */
export const relayUrl = (relay: string, path: string): URL => new URL(path, relay.replace(/\/?$/, "/"));

/** Starts a request to a relay that gives up after `timeoutMs` (reading the body included). */
function request(relay: string, path: string, init: RequestInit, timeoutMs: number, fetcher = fetch) {
  // Not AbortSignal.timeout (Safari 16+); aborting after the answer was read does nothing.
  const controller = new AbortController();
  setTimeout(() => controller.abort(), timeoutMs);
  return fetcher(relayUrl(relay, path), {
    ...init,
    signal: controller.signal,
    credentials: "omit",
    referrerPolicy: "no-referrer",
  });
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

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
    let error: string;
    try {
      const response = await request(relay, path, {}, timeoutMs);
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.ok) {
        answered = true;
        return { value: await check(body, relay), relay };
      }
      error = `HTTP ${response.status}`;
    } catch (e) {
      error = reason(e);
    }
    attempts.push({ relay, error });
  }
  throw new RelayFetchError(answered ? "invalid" : "unreachable", attempts);
}

/** Options of {@link sendToRelays}. */
export interface RelaySendOptions {
  /** @default "POST" */
  method?: "POST" | "PUT";
  /** @default "application/octet-stream" */
  contentType?: string;
  /** How long one relay may take, in ms. @default 10000 */
  timeoutMs?: number;
  /** Statuses that count as accepted besides 2xx (e.g. 409 for an edition a relay already has newer). */
  alsoAccepted?: readonly number[];
  /** @default globalThis.fetch */
  fetcher?: typeof fetch;
}

/**
 * Sends `body` to `path` on every relay at once; resolves with the relays that accepted it once all have
 * answered or timed out. `RelayFetchError` when none accepted (`unreachable` when none answered at all).
 */
export async function sendToRelays(
  relays: readonly string[],
  path: string,
  body: Uint8Array,
  {
    method = "POST",
    contentType = "application/octet-stream",
    timeoutMs = 10_000,
    alsoAccepted = [],
    fetcher = fetch,
  }: RelaySendOptions = {},
): Promise<string[]> {
  const init: RequestInit = {
    method,
    body: body as Uint8Array<ArrayBuffer>,
    headers: { "Content-Type": contentType },
  };
  const attempts = await Promise.all(
    relays.map(async (relay) => {
      try {
        const { ok, status } = await request(relay, path, init, timeoutMs, fetcher);
        return { relay, ok: ok || alsoAccepted.includes(status), answered: true, error: `HTTP ${status}` };
      } catch (error) {
        return { relay, ok: false, answered: false, error: reason(error) };
      }
    }),
  );
  const accepted = attempts.filter((a) => a.ok).map((a) => a.relay);
  if (accepted.length > 0) return accepted;
  const answered = attempts.some((a) => a.answered);
  throw new RelayFetchError(
    answered ? "invalid" : "unreachable",
    attempts.map(({ relay, error }) => ({ relay, error })),
  );
}
