/**
 * The Cellule relay: a content-addressed store of opaque envelopes with pub/sub, speaking the protocol of
 * `core/protocol/relay.ts` over WebSocket (`/ws`) and HTTP. Run it with `npx cellule relay`, or embed it:
 *
 * ```ts
 * const relay = await startRelay({ dataDir: "./relay-data", port: 8787 });
 * console.log(relay.url, relay.stats());
 * await relay.close();
 * ```
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";
import { InvalidArgumentError } from "../../core/base/errors.js";
import { RELAY_DEFAULTS } from "../../core/protocol/relay.js";
import { editionForwarder } from "./editions/edition-peers.js";
import { editionRoutes } from "./editions/edition-routes.js";
import { type EditionPolicy, EditionStore } from "./editions/edition-store.js";
import { ClientLimits, clientAddress } from "./http/limits.js";
import { createHttpHandler, type Route, refuseSocket, requestPath } from "./http/router.js";
import { describeError, type Logger, stderrLogger } from "./log.js";
import { PEER_AUTH_HEADER, PeerCursors, PeerLink, type PeerStatus, peerWsUrl } from "./peering/peer.js";
import { type AppFiles, appRoutes } from "./static/app-routes.js";
import { type WidgetFiles, widgetRoutes } from "./static/widget-routes.js";
import { RelayStore } from "./store/store.js";
import { FRAME_SLACK } from "./ws/frames.js";
import { RelayHub } from "./ws/hub.js";

export type { EditionPolicy } from "./editions/edition-store.js";
export type { Route, RouteContext } from "./http/router.js";
export { sendJson } from "./http/router.js";
export type { RelayLogger } from "./log.js";
export { silentLogger, stderrLogger } from "./log.js";
export type { PeerStatus } from "./peering/peer.js";
export { type AppFiles, appCsp, appRoutes, loadAppFiles } from "./static/app-routes.js";
export {
  loadWidgetFiles,
  WIDGETS_MAX_AGE_S,
  type WidgetFiles,
  widgetRoutes,
} from "./static/widget-routes.js";
export { RelayStore } from "./store/store.js";

/** How to start a relay. */
export interface RelayOptions {
  /** Directory of the store; created if missing. One relay per directory. */
  dataDir: string;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Relays to replicate with (`ws://…/ws` or `http://…`). */
  peers?: string[];
  /** Largest envelope accepted. @default RELAY_DEFAULTS.maxFrameBytes */
  maxFrameBytes?: number;
  /** Sustained frames (or HTTP requests) per second per connection. @default RELAY_DEFAULTS.ratePerSecond */
  ratePerSecond?: number;
  /** Burst above the sustained rate. @default RELAY_DEFAULTS.rateBurst */
  rateBurst?: number;
  /** Topics one connection may subscribe to. @default RELAY_DEFAULTS.maxTopicsPerConnection */
  maxTopicsPerConnection?: number;
  /** Bytes of recent envelopes kept in memory. @default 64 MiB */
  cacheBytes?: number;
  /** Smallest envelope accepted. @default RELAY_DEFAULTS.minEnvelopeBytes (114) */
  minEnvelopeBytes?: number;
  /** Open connections in total, and from one address (an IPv6 /64). @default 768 and 64 */
  maxConnections?: number;
  maxConnectionsPerIp?: number;
  /** HTTP requests plus WebSocket frames per second from one address, all connections together. @default 4000, burst 8000 */
  ipRatePerSecond?: number;
  ipRateBurst?: number;
  /** Topic subscriptions of all the connections from one address together. @default 100,000 */
  maxSubscriptionsPerIp?: number;
  /** A WebSocket with no subscription that sends nothing this long is closed. @default 120,000 ms */
  idleTimeoutMs?: number;
  /** Time a client has to send a request's headers; the whole request gets 3 times that. @default 20,000 ms */
  headersTimeoutMs?: number;
  /** Quota of the whole store: bytes of its log, envelopes. @default 16 GiB, 4,000,000 */
  maxStoreBytes?: number;
  maxStoreEnvelopes?: number;
  /** Quota of one topic: bytes, envelopes. @default 1 GiB, 250,000 */
  maxTopicBytes?: number;
  maxTopicEnvelopes?: number;
  /**
   * The secret the relays that replicate together share (at least 16 characters): a connection that shows
   * it (`Authorization: Bearer …`) may SUB_ALL (every topic's envelopes), and this relay's `peers` links
   * show it. Without it no client may SUB_ALL, and peers only push to each other.
   */
  peerSecret?: string;
  /** Extra HTTP routes (editions, feeds, `/app/`…), tried after the built-in ones. */
  routes?: Route[];
  /** The widget kit to serve at `/widgets/` (see widget-routes.ts); not served when absent. */
  widgets?: WidgetFiles;
  /** The member space to serve at `/app/`, and the other relays its page may connect to (app-routes.ts). */
  app?: { files: AppFiles; connect?: string[] };
  /** Cellule's one `Logger` shape (core/base/logger.ts). @default stderr, warnings and errors only */
  log?: Logger;
  /**
   * Believe the `Forwarded` / `X-Forwarded-Proto` / `X-Forwarded-For` headers (set it behind a reverse
   * proxy that terminates TLS and sets them): `relays.json` then names this relay `https://…` when the
   * browser came over TLS, and the limits per address key on the client the proxy names (connections are
   * then capped in total only: the proxy limits them per client).
   * @default false
   */
  trustProxy?: boolean;
  /**
   * Which cells' editions this relay takes, how many it keeps in memory, the clock skew it allows. Its
   * `listedAs`, the addresses this relay is known by (`--public-url`), also name this relay in
   * `/app/relays.json` to a browser that reached it by one of them (`publicUrlFor` in static/app-routes.ts).
   */
  editions?: EditionPolicy;
}

/** What `stats()` and `/health` report. */
export interface RelayStats {
  storeId: string;
  envelopes: number;
  topics: number;
  /** Size of the envelope log. */
  bytes: number;
  /** fdatasync calls since start. */
  syncs: number;
  connections: number;
  subscriptions: number;
  /** DELIVER and DELIVER_ALL frames sent since start. */
  deliveries: number;
  uptimeS: number;
  peers: PeerStatus[];
}

/** A running relay. */
export interface RelayServer {
  /** `http://<host>:<port>`. */
  readonly url: string;
  /** `ws://<host>:<port>/ws`. */
  readonly wsUrl: string;
  readonly port: number;
  /** Hex store ID (sent in HELLO and `X-Cellule-Store`). */
  readonly storeId: string;
  stats(): RelayStats;
  /** Stops accepting, lets pending puts finish, closes connections, peers and the store. */
  close(): Promise<void>;
}

let cachedVersion: string | undefined;
/** The version in the package's own package.json (found from this file, in the sources or in `dist/`). */
export function relayVersion(): string {
  cachedVersion ??= findVersion();
  return cachedVersion;
}

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "cellule" && pkg.version) return pkg.version;
    } catch {
      // not here: look one level up
    }
  }
  return "0.0.0";
}

/** Compares two secrets in constant time (their hashes: the lengths may differ). */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/** Opens the store in `options.dataDir`, listens, starts the peer links, and resolves once ready. */
export async function startRelay(options: RelayOptions): Promise<RelayServer> {
  const log = options.log ?? stderrLogger("warn");
  const limits = {
    maxFrameBytes: options.maxFrameBytes ?? RELAY_DEFAULTS.maxFrameBytes,
    ratePerSecond: options.ratePerSecond ?? RELAY_DEFAULTS.ratePerSecond,
    rateBurst: options.rateBurst ?? RELAY_DEFAULTS.rateBurst,
    maxTopicsPerConnection: options.maxTopicsPerConnection ?? RELAY_DEFAULTS.maxTopicsPerConnection,
    idleTimeoutMs: options.idleTimeoutMs ?? RELAY_DEFAULTS.idleTimeoutMs,
    maxSubscriptionsPerIp: options.maxSubscriptionsPerIp ?? RELAY_DEFAULTS.maxSubscriptionsPerIp,
  };
  const peerUrls = (options.peers ?? []).map(peerWsUrl);
  if (options.peerSecret !== undefined && options.peerSecret.length < 16)
    throw new InvalidArgumentError("the peers' secret has at least 16 characters");
  const store = await RelayStore.open(options.dataDir, {
    cacheBytes: options.cacheBytes,
    log,
    maxEnvelopeBytes: limits.maxFrameBytes,
    minEnvelopeBytes: options.minEnvelopeBytes ?? RELAY_DEFAULTS.minEnvelopeBytes,
    maxStoreBytes: options.maxStoreBytes ?? RELAY_DEFAULTS.maxStoreBytes,
    maxStoreEnvelopes: options.maxStoreEnvelopes ?? RELAY_DEFAULTS.maxStoreEnvelopes,
    maxTopicBytes: options.maxTopicBytes ?? RELAY_DEFAULTS.maxTopicBytes,
    maxTopicEnvelopes: options.maxTopicEnvelopes ?? RELAY_DEFAULTS.maxTopicEnvelopes,
  });
  const clients = new ClientLimits({
    maxConnections: options.maxConnections ?? RELAY_DEFAULTS.maxConnections,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? RELAY_DEFAULTS.maxConnectionsPerIp,
    ipRatePerSecond: options.ipRatePerSecond ?? RELAY_DEFAULTS.ipRatePerSecond,
    ipRateBurst: options.ipRateBurst ?? RELAY_DEFAULTS.ipRateBurst,
    trustProxy: options.trustProxy ?? false,
  });
  const editions = await EditionStore.open(store.dir, log, options.editions);
  const started = Date.now();
  const hub = new RelayHub(store, limits, log, clients);
  const cursors = await PeerCursors.load(store.dir, log);
  const peers = peerUrls.map(
    (url) =>
      new PeerLink(url, store, cursors, log, {
        maxFrameBytes: limits.maxFrameBytes,
        ...(options.peerSecret ? { secret: options.peerSecret } : {}),
      }),
  );
  const isPeer = (header: string | undefined): boolean =>
    options.peerSecret !== undefined &&
    header !== undefined &&
    sameSecret(header, `Bearer ${options.peerSecret}`);

  const stats = (): RelayStats => ({
    storeId: store.storeIdHex,
    ...store.stats(),
    ...hub.stats(),
    uptimeS: Math.round((Date.now() - started) / 1000),
    peers: peers.map((p) => p.status()),
  });
  const headersTimeout = options.headersTimeoutMs ?? RELAY_DEFAULTS.headersTimeoutMs;
  const http = createServer(
    {
      headersTimeout,
      requestTimeout: 3 * headersTimeout,
      // How often Node checks those timeouts (30 s by default: longer than a short timeout).
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, headersTimeout / 4)),
    },
    createHttpHandler({
      store,
      log,
      ...limits,
      clients,
      trustProxy: options.trustProxy ?? false,
      refused: (socket) => refused.has(socket),
      routes: [
        ...editionRoutes(editions, editionForwarder(peerUrls, log)),
        ...(options.widgets ? widgetRoutes(options.widgets) : []),
        ...(options.app
          ? appRoutes(options.app.files, options.app.connect, {
              trustProxy: options.trustProxy ?? false,
              publicUrls: options.editions?.listedAs ?? [],
            })
          : []),
        ...(options.routes ?? []),
      ],
      health: () => {
        const s = stats();
        return {
          ok: true,
          version: relayVersion(),
          storeId: s.storeId,
          topics: s.topics,
          envelopes: s.envelopes,
          connections: s.connections,
          uptimeS: s.uptimeS,
        };
      },
    }),
  );
  // Frames are bounded by ws itself (close 1009) before they reach the hub.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes + FRAME_SLACK });
  // Connections over the limits are answered and closed before anything is read from them.
  const refused = new WeakSet<Socket>();
  http.on("connection", (socket: Socket) => {
    try {
      const refusal = clients.admit(socket);
      if (!refusal) return;
      refused.add(socket);
      log.info(
        `refused a connection from ${socket.remoteAddress}: too many ${refusal === "ip" ? "from it" : "in all"}`,
      );
      socket.on("error", () => {});
      if (refusal === "ip")
        refuseSocket(socket, 429, "Too Many Requests", "too many connections from this address");
      else refuseSocket(socket, 503, "Service Unavailable", "too many connections");
    } catch (e) {
      log.warn(`connection: ${describeError(e)}`);
      socket.destroy();
    }
  });
  // Nothing a client sends may throw out of these listeners: an embedded relay shares its process with
  // the embedder, and an exception here would end it. A socket refused or failed is destroyed, not left open.
  http.on("upgrade", (req, socket, head) => {
    socket.on("error", (e) => log.debug(`upgrade socket: ${describeError(e)}`));
    try {
      if (refused.has(req.socket)) return;
      if (requestPath(req.url) !== "/ws") {
        refuseSocket(socket, 404, "Not Found");
        return;
      }
      const peer = isPeer(req.headers[PEER_AUTH_HEADER]);
      // An upgrade is a request too: opening and dropping WebSockets in a loop draws on the same bucket.
      if (!peer && !clients.take(clientAddress(req, options.trustProxy ?? false))) {
        refuseSocket(socket, 429, "Too Many Requests", "rate limit exceeded");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        try {
          hub.handle(ws, `${req.socket.remoteAddress}:${req.socket.remotePort}`, {
            address: clientAddress(req, options.trustProxy ?? false),
            peer,
          });
        } catch (e) {
          log.error("could not take over a WebSocket", e);
          ws.terminate();
        }
      });
    } catch (e) {
      log.warn(`upgrade failed: ${describeError(e)}`);
      socket.destroy();
    }
  });
  wss.on("error", (e) => log.warn(`WebSocket server: ${describeError(e)}`));
  http.on("clientError", (e, socket) => {
    log.debug(`bad HTTP request: ${describeError(e)}`);
    socket.destroy();
  });

  const host = options.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(options.port ?? 0, host, () => {
        http.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  http.on("error", (e) => log.error("HTTP server error", e));
  const port = (http.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  for (const p of peers) p.start();

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    hub.stop();
    clients.stop();
    await Promise.all(peers.map((p) => p.close()));
    await cursors.flush();
    const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
    // Pending puts finish (and their ACKs are queued) before the connections close.
    await store.close();
    await hub.closeAll();
    wss.close();
    http.closeAllConnections();
    await httpClosed;
  };
  return {
    url: `http://${shownHost}:${port}`,
    wsUrl: `ws://${shownHost}:${port}/ws`,
    port,
    storeId: store.storeIdHex,
    stats,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
