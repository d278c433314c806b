/**
 * Network partitions for end-to-end tests: a device that reaches each relay through a loopback TCP link of
 * its own, which a test cuts and restores. While a device is cut off, nothing it writes leaves it and nothing
 * reaches it; its relay client keeps what it publishes and sends it once the links are restored, as after a
 * real loss of network. A test uses it to make an order certain ("these two ops are concurrent", "this
 * device has not seen that one") rather than hoping the timing produces it.
 *
 * ```ts
 * const network = relayFixture();
 * const partition = partitionFixture(network);
 * const [f, a] = [await partition.device(), await partition.device()];
 * await partition.cut(f, a);        // both offline: neither can see what the other does next
 * // … act on f and on a …
 * await partition.restore(f, a);    // both back on every relay
 * ```
 */
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { afterAll } from "vitest";
import type { RelayServer } from "../../adapters/relay/index.js";
import type { Kit, KitOptions } from "../../core/index.js";
import { relayDevice } from "./cells.js";
import { until } from "./devices.js";

/** A loopback TCP forwarder in front of one relay, which a test can cut and restore. */
export interface Link {
  /** `http://127.0.0.1:<port>`, as a relay client is configured. */
  readonly url: string;
  /** Whether connections pass (false between `cut` and `restore`). */
  readonly open: boolean;
  /** Drops every connection through this link and refuses new ones. */
  cut(): void;
  /** Lets connections through again. */
  restore(): void;
  close(): Promise<void>;
}

/** Opens a link to the relay at `target` (`http://host:port`). */
export async function openLink(target: string): Promise<Link> {
  const { hostname, port } = new URL(target);
  const host = hostname.replace(/^\[|\]$/g, "");
  const pairs = new Set<[Socket, Socket]>();
  let open = true;
  const server: Server = createServer((client) => {
    // While cut, a reconnection attempt fails at once (the client then backs off and tries again).
    if (!open) return void client.destroy();
    const upstream = connect({ host, port: Number(port) });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.on("error", drop);
      s.on("close", drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const dropAll = () => {
    // Destroyed, not ended: bytes still queued in either direction are discarded, as on a lost network.
    for (const [a, b] of [...pairs]) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get open() {
      return open;
    },
    cut() {
      open = false;
      dropAll();
    },
    restore() {
      open = true;
    },
    async close() {
      open = false;
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The relay endpoints of a device (one per link), with whether each is connected. */
const relayEndpoints = (kit: Kit) =>
  kit
    .transportStatus()
    .filter((t) => t.name === "relay")
    .flatMap((t) => t.endpoints);

/**
 * Devices on the relays of `network` (a `relayFixture`) through links of their own, and the means to cut them
 * off. Call it at a test file's top level, after `relayFixture`; it closes its devices and links after the
 * file's tests.
 */
export function partitionFixture(network: { relays(): RelayServer[] }) {
  const links = new Map<Kit, Link[]>();
  afterAll(async () => {
    await Promise.all([...links.keys()].map((k) => k.close(0)));
    await Promise.all([...links.values()].flat().map((l) => l.close()));
  });
  const linksOf = (kit: Kit) => {
    const found = links.get(kit);
    if (!found) throw new Error("this device was not made by partitionFixture().device()");
    return found;
  };
  return {
    /** A new device connected to every relay of the network, each through a link that `cut` can sever. */
    async device(options: Partial<KitOptions> = {}): Promise<Kit> {
      const own = await Promise.all(network.relays().map((r) => openLink(r.url)));
      const kit = await relayDevice(
        own.map((l) => l.url),
        options,
      );
      links.set(kit, own);
      return kit;
    },
    /**
     * Cuts these devices off every relay, and resolves once each of them sees itself disconnected: from
     * then on, what they write stays on them until `restore`.
     */
    async cut(...kits: Kit[]): Promise<void> {
      for (const kit of kits) for (const l of linksOf(kit)) l.cut();
      await until(
        () => kits.every((k) => relayEndpoints(k).every((e) => !e.connected)),
        "the devices to see themselves cut off",
      );
    },
    /** Restores these devices' links, and resolves once each is connected to every relay again. */
    async restore(...kits: Kit[]): Promise<void> {
      for (const kit of kits) for (const l of linksOf(kit)) l.restore();
      await until(
        () => kits.every((k) => relayEndpoints(k).every((e) => e.connected)),
        "the devices to reconnect to every relay",
      );
    },
  };
}
