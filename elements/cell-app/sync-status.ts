/**
 * What is waiting (issue 12, item 11): how many of this device's changes no relay has acknowledged yet,
 * and whether a relay is connected, for the member space's header. `syncStateOf` reads the Kit's
 * `transportStatus()` (a pure function, tested in Node); `SyncStatus` asks for it every 2 s while the page
 * is visible, and at once after a change is sent, and redraws the element only when what it shows changed.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Kit, TransportStatus } from "../../core/index.js";
import type { MemberSession } from "./session.js";

/** What the header shows of the device's sending. */
export interface SyncState {
  /** `connecting` until a relay answers for the first time (or a few seconds went by). */
  kind: "sent" | "waiting" | "offline" | "connecting";
  /**
   * Changes no relay has acknowledged: each relay's count of those it has not, the smallest of them (exact
   * with one relay; with several, an upper bound, which is 0 as soon as one relay has everything).
   */
  waiting: number;
  /** Relays connected, out of `relays`. */
  connected: number;
  relays: number;
}

/** The transports that talk to relays (the relay client's name); the others (tabs of one device) do not. */
const RELAY_TRANSPORT = "relay";

/**
 * The state the header shows, from the Kit's transports. `connectedBefore`: a relay was connected since
 * the Kit started, or the first seconds are over (so no relay is "offline", no longer "connecting").
 */
export function syncStateOf(statuses: readonly TransportStatus[], connectedBefore: boolean): SyncState {
  const endpoints = statuses.filter((s) => s.name === RELAY_TRANSPORT).flatMap((s) => s.endpoints);
  const connected = endpoints.filter((e) => e.connected).length;
  const waiting = endpoints.length === 0 ? 0 : Math.min(...endpoints.map((e) => e.pending));
  const kind =
    connected === 0 ? (connectedBefore ? "offline" : "connecting") : waiting > 0 ? "waiting" : "sent";
  return { kind, waiting, connected, relays: endpoints.length };
}

const same = (a: SyncState | undefined, b: SyncState): boolean =>
  !!a && a.kind === b.kind && a.waiting === b.waiting && a.connected === b.connected && a.relays === b.relays;

/** How often the header asks while the page is visible. */
const EVERY_MS = 2000;
/** How long "connecting" may last before no relay counts as "offline". */
const CONNECTING_MS = 8000;

/** See the module comment. `state` is `undefined` while the session has no Kit. */
export class SyncStatus implements ReactiveController {
  state: SyncState | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private unbind: (() => void) | undefined;
  /** The Kit the state is of, and since when it is watched. */
  private kit: Kit | undefined;
  private since = 0;
  private connectedBefore = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly session: MemberSession,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener("visibilitychange", this.onVisibility);
    // A change sent: the count goes up at once (and down when a relay acknowledges it, at the next tick).
    this.unbind = this.session.whileOpen(({ kit }) => kit.on("written", () => this.checkSoon()));
    this.onVisibility();
  }

  hostDisconnected(): void {
    document.removeEventListener("visibilitychange", this.onVisibility);
    this.unbind?.();
    this.unbind = undefined;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.timer = undefined;
    this.kit = undefined;
    this.state = undefined;
  }

  /** Asks at once and every 2 s while the page is visible; not while it is hidden. */
  private readonly onVisibility = (): void => {
    clearInterval(this.timer);
    this.timer = undefined;
    if (document.visibilityState === "hidden") return;
    this.check();
    this.timer = setInterval(() => this.check(), EVERY_MS);
  };

  /** Several changes sent together: one look. */
  private checkSoon(): void {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => this.check(), 0);
  }

  private check(): void {
    const kit = this.session.kit;
    if (kit !== this.kit) {
      this.kit = kit;
      this.since = Date.now();
      this.connectedBefore = false;
    }
    if (!kit) {
      if (this.state) this.host.requestUpdate();
      this.state = undefined;
      return;
    }
    const statuses = kit.transportStatus();
    const next = syncStateOf(statuses, this.connectedBefore || Date.now() - this.since > CONNECTING_MS);
    if (next.connected > 0) this.connectedBefore = true;
    if (same(this.state, next)) return;
    this.state = next;
    this.host.requestUpdate();
  }
}
