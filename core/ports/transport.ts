/**
 * How envelopes leave and reach a device. A transport moves opaque bytes; it never opens them.
 * Implementations live in `adapters/` (relay client over WebSocket/HTTP, BroadcastChannel between tabs) and
 * all pass `runTransportTests`.
 */
import type { Topic } from "../base/ids.js";

/** What the Kit hands a transport when it starts. */
export interface TransportContext {
  /**
   * Called with each envelope received; the Kit deduplicates, opens, verifies and stores it. Resolves once
   * the envelope is processed, so a transport can advance its cursor only past what is safely kept.
   */
  deliver(envelope: Uint8Array, source: string): Promise<unknown>;
  /**
   * Every envelope this device holds for these topics, to re-seed a relay that lost its data.
   * Order is not significant.
   */
  backlog(topics: Topic[]): Promise<Uint8Array[]>;
}

/** Delivery state of one transport, for status displays and tests. */
export interface TransportStatus {
  name: string;
  /** One entry per remote endpoint (relay URL, channel name). */
  endpoints: { id: string; connected: boolean; pending: number; error?: string }[];
  /** Envelopes still waiting for at least one endpoint. */
  pending: number;
}

/** A way to exchange envelopes with other devices. */
export interface Transport {
  /** Short name for logs (`relay`, `broadcast`). */
  readonly name: string;
  /** Starts the transport; called once by the Kit. */
  start(context: TransportContext): Promise<void>;
  /**
   * Queues an envelope for every endpoint. The transport keeps it (across reconnections, and across
   * restarts where it has storage) until each endpoint has acknowledged it; `status().pending` shows
   * what is left. Never blocks on the network: a device works offline.
   */
  publish(envelope: Uint8Array): void;
  /** Adds topics to receive, including everything already stored under them. */
  subscribe(topics: Topic[]): void;
  /**
   * Asks every endpoint again for everything it holds under these (subscribed) topics, from the start: this
   * device's copy of them was damaged (see `Kit.reportCorrupt`). Optional: a transport without history
   * (tabs of one device) has nothing to send again.
   */
  refetch?(topics: Topic[]): void;
  /**
   * Replaces the endpoints (relay base URLs) this transport talks to: a new one is connected and given
   * everything this device keeps of the subscribed topics, a dropped one is closed, and an envelope that
   * waited only for dropped ones is done. Optional: a transport without endpoints of that kind (tabs of one
   * device) has none to change. `InvalidArgumentError` for an empty list or a bad URL.
   */
  setEndpoints?(endpoints: readonly string[]): void;
  /** Stops receiving these topics. */
  unsubscribe(topics: Topic[]): void;
  /** Current state per endpoint. */
  status(): TransportStatus;
  /** Stops; pending work is dropped, nothing stored is lost. */
  close(): Promise<void>;
}
