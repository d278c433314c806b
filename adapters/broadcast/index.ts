/**
 * Envelopes between tabs (or workers) of one browser over a `BroadcastChannel`. Nothing is stored: a tab
 * that opens later gets the rest from the relays and the shared local storage.
 *
 * @example
 * const kit = await createKit({ storage, keystore, transports: [relays, broadcastChannel()] });
 */
import type { Topic, Transport, TransportContext, TransportStatus } from "../../core/index.js";
import { readHeader } from "../../core/internals.js";

/** Options of {@link broadcastChannel}. */
export interface BroadcastOptions {
  /** Channel name; tabs with the same name exchange envelopes. @default "cellule" */
  channel?: string;
}

class BroadcastTransport implements Transport {
  readonly name = "broadcast";
  private channel: BroadcastChannel | undefined;
  private readonly topics = new Set<Topic>();

  constructor(private readonly channelName: string) {}

  async start(context: TransportContext): Promise<void> {
    this.channel = new BroadcastChannel(this.channelName);
    this.channel.onmessage = (event: MessageEvent) => {
      const data = event.data;
      if (!(data instanceof Uint8Array)) return;
      try {
        if (!this.topics.has(readHeader(data).topic)) return;
      } catch {
        return; // Not an envelope: other code may share the channel name.
      }
      void context.deliver(data, `broadcast:${this.channelName}`);
    };
  }

  publish(envelope: Uint8Array): void {
    this.channel?.postMessage(envelope);
  }

  subscribe(topics: Topic[]): void {
    for (const t of topics) this.topics.add(t);
  }

  unsubscribe(topics: Topic[]): void {
    for (const t of topics) this.topics.delete(t);
  }

  status(): TransportStatus {
    return {
      name: this.name,
      pending: 0,
      endpoints: [{ id: this.channelName, connected: !!this.channel, pending: 0 }],
    };
  }

  async close(): Promise<void> {
    this.channel?.close();
    this.channel = undefined;
  }
}

/** A transport between tabs of one browser (or threads of one Node process). */
export function broadcastChannel(options: BroadcastOptions = {}): Transport {
  return new BroadcastTransport(options.channel ?? "cellule");
}
