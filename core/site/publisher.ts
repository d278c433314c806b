/**
 * Regenerates a cell's edition after public changes (debounced) and hands the signed bytes to a sink,
 * e.g. `relaySink` which PUTs them to each of the cell's relays.
 */
import { canonicalJson } from "../base/canonical-json.js";
import { ClosedError, InvalidArgumentError } from "../base/errors.js";
import type { SignedOp } from "../governance/types.js";
import type { EditionBody } from "../protocol/edition-format.js";
import type { PublicationKeys } from "../protocol/publication-cert.js";
import { sendToRelays } from "../public/relay-http.js";
import { buildEdition, type PublicContent, signEdition } from "./edition.js";

/**
 * Where signed editions go. A sink may resolve with `heldAt`, the `at` of a newer edition it found already
 * held on the same chain (a relay's 409) instead of storing this one: the publisher then signs its edition
 * again, dated just after it, once.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a sink that only stores resolves with nothing (an async function)
export type EditionSink = (cell: string, edition: Uint8Array) => Promise<void | { heldAt?: number }>;

/** Options of a `Publisher`. */
export interface PublisherOptions {
  genesis: SignedOp;
  /** The keys, or where to get the current ones before each edition (they are renewed over time). */
  keys: PublicationKeys | (() => Promise<PublicationKeys>);
  /** Reads the current content (from the Kit's documents). */
  content: () => PublicContent | Promise<PublicContent>;
  sink: EditionSink;
  /** @default 500 */
  debounceMs?: number;
  /** Posts per edition. @default 50 */
  limit?: number;
  /** @default Date.now */
  now?: () => number;
  /** Called when a publication fails (the next change retries). */
  onError?: (error: unknown) => void;
  /**
   * Where public changes are announced: called once with `changed`, returns how to stop listening (on
   * `close`). Without it, call `changed()` yourself.
   */
  watch?: (changed: () => void) => () => void;
}

/** See the module comment. */
export class Publisher {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();
  private last = 0;
  private closed = false;
  private readonly unwatch: (() => void) | undefined;

  constructor(private readonly options: PublisherOptions) {
    if (typeof options.keys !== "function" && options.keys.chain.length === 0)
      throw new InvalidArgumentError("a publisher needs a publication chain");
    this.unwatch = options.watch?.(() => this.changed());
  }

  /** Signals a public change: an edition follows after the debounce delay. */
  changed(): void {
    if (this.closed) throw new ClosedError("publisher");
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.publish().catch((e) => this.options.onError?.(e));
    }, this.options.debounceMs ?? 500);
  }

  /**
   * Builds, signs and sinks an edition now; resolves with its bytes. Editions are strictly ordered by `at`:
   * `max(now, last + 1)`, where `last` is the latest `at` a sink took or said it held, never one it refused,
   * so that a clock that was once far ahead (relays refuse what it dated) does not date every later edition
   * after it, and a clock behind the relays' newest edition still gets this one out.
   */
  publish(): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new ClosedError("publisher"));
    const run = this.running.then(async () => {
      const o = this.options;
      const keys = typeof o.keys === "function" ? await o.keys() : o.keys;
      const content = await o.content();
      const sign = async (at: number) => {
        const body = buildEdition(o.genesis, keys.chain, content, at, o.limit);
        return { body, bytes: await signEdition(body, keys.signing.privateKey) };
      };
      let { body, bytes } = await sign(Math.max((o.now ?? Date.now)(), this.last + 1));
      const held = (await o.sink(body.cell, bytes))?.heldAt;
      if (held !== undefined && held >= body.at) {
        ({ body, bytes } = await sign(held + 1));
        await o.sink(body.cell, bytes);
      }
      this.last = Math.max(this.last, body.at);
      return bytes;
    });
    this.running = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  /**
   * Whether `served` (an edition a relay serves) already says what an edition made now would: the same
   * chain and content, whatever its date. Then a device that starts need not publish again.
   */
  async matches(served: EditionBody): Promise<boolean> {
    const o = this.options;
    const keys = typeof o.keys === "function" ? await o.keys() : o.keys;
    const now = buildEdition(o.genesis, keys.chain, await o.content(), (o.now ?? Date.now)(), o.limit);
    const undated = (body: EditionBody) => canonicalJson({ ...body, at: 0 });
    return undated(now) === undated(served);
  }

  /** Cancels a pending publication and waits for a running one. */
  async close(): Promise<void> {
    this.closed = true;
    this.unwatch?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/**
 * A sink that PUTs editions to every one of `relays` (base URLs), each with a time limit; fails with a
 * `RelayFetchError` if no relay accepted it. A 409 (the relay holds a newer edition on the same chain)
 * counts as accepted; when no relay stored it, the sink says the newest `at` they hold (`heldAt`). A relay
 * refuses an edition dated beyond its clock (422) and one on a chain older than its own (403).
 */
export function relaySink(relays: readonly string[], fetcher: typeof fetch = fetch): EditionSink {
  return async (cell, edition) => {
    let heldAt: number | undefined;
    let stored = false;
    const peek: typeof fetch = async (url, init) => {
      const res = await fetcher(url, init);
      if (res.ok) stored = true;
      if (res.status === 409) {
        const at = (
          (await res
            .clone()
            .json()
            .catch(() => undefined)) as { at?: unknown } | undefined
        )?.at;
        if (typeof at === "number" && !(at <= (heldAt ?? -1))) heldAt = at;
      }
      return res;
    };
    await sendToRelays(relays, `c/${cell}/edition`, edition, {
      method: "PUT",
      contentType: "application/json",
      alsoAccepted: [409],
      fetcher: peek,
    });
    return stored || heldAt === undefined ? undefined : { heldAt };
  };
}
