/**
 * The relay wire protocol, shared by the relay server (`adapters/relay`) and its client transport
 * (`adapters/relay-client`). Relays store opaque envelopes by content hash under the topic in their header,
 * number them per topic, and push them to subscribers. They never read past the header.
 *
 * WebSocket (path `/ws`), binary frames, first byte = frame type, integers big-endian:
 * ```
 * relay → client  HELLO      0x01  storeId[16] ‖ maxFrame u32
 * client → relay  PUT        0x02  reqId u32 ‖ envelope
 * relay → client  ACK        0x03  reqId u32 ‖ status u8 ‖ seq u64 ‖ hash[32]      status: 0 stored, 1 duplicate
 * client → relay  SUB        0x04  reqId u32 ‖ count u16 ‖ count × (topic[32] ‖ since u64)
 * relay → client  DELIVER    0x05  seq u64 ‖ envelope                              (topic is in the header)
 * relay → client  CAUGHT_UP  0x06  reqId u32 ‖ topic[32] ‖ seq u64                  after a SUB's backlog
 * client → relay  UNSUB      0x07  count u16 ‖ count × topic[32]
 * relay → client  ERROR      0x08  reqId u32 ‖ code u16 ‖ UTF-8 message             (reqId 0: connection-level)
 * client → relay  SUB_ALL    0x09  reqId u32 ‖ since u64                           every topic, by global seq
 * relay → client  DELIVER_ALL 0x0a global seq u64 ‖ envelope                      answer to SUB_ALL
 * ```
 * SUB_ALL is answered only on a connection whose upgrade request showed the relays' shared secret
 * (`Authorization: Bearer <secret>`): a peer relay; anyone else gets ERROR `forbidden`. A full topic or
 * store answers a PUT with ERROR `quota` (HTTP 507) and keeps the connection.
 * `since` is the last seq the client holds (0 for everything). Seqs are assigned by one relay and mean
 * nothing on another. A relay whose `storeId` changed has lost or replaced its data: clients then start
 * from 0 and re-post what they hold.
 *
 * HTTP: `GET /health` (JSON), `GET /t/<topic>?since=<seq>` (records `seq u64 ‖ length u32 ‖ envelope`,
 * `application/octet-stream`, header `X-Cellule-Store`), `POST /t/<topic>` with an envelope body (JSON
 * `{ hash, seq, duplicate }`). CORS is open: any page may read public editions and post sealed envelopes.
 */
export const FrameType = {
  hello: 0x01,
  put: 0x02,
  ack: 0x03,
  sub: 0x04,
  deliver: 0x05,
  caughtUp: 0x06,
  unsub: 0x07,
  error: 0x08,
  subAll: 0x09,
  deliverAll: 0x0a,
} as const;

/** Error codes carried by ERROR frames and HTTP error bodies. */
export const RelayErrorCode = {
  malformed: 1,
  tooLarge: 2,
  rateLimited: 3,
  badEnvelope: 4,
  storage: 5,
  tooManyTopics: 6,
  /** The topic or the whole store is at its quota (HTTP 507): retry later or elsewhere. */
  quota: 7,
  /** Not allowed to this client (SUB_ALL without the peers' shared secret). */
  forbidden: 8,
} as const;

/** Defaults a relay starts with; each can be changed on its command line. */
export const RELAY_DEFAULTS = {
  /** Largest frame accepted, in bytes. */
  maxFrameBytes: 1024 * 1024,
  /** Sustained frames per second per connection. */
  ratePerSecond: 2000,
  /** Burst of frames allowed above the sustained rate. */
  rateBurst: 4000,
  /** Topics one connection may subscribe to. */
  maxTopicsPerConnection: 10_000,
  /**
   * Smallest envelope accepted: a header (50 bytes) and a signature (64). Smaller ones cannot be real, and
   * would make the index (about 100 bytes of memory per envelope) cost more than the disk they take.
   */
  minEnvelopeBytes: 114,
  /** Open connections (HTTP and WebSocket), in total. Keep it below the process's descriptor limit. */
  maxConnections: 768,
  /** Open connections from one address (an IPv6 /64 counts as one). */
  maxConnectionsPerIp: 128,
  /** Sustained HTTP requests plus WebSocket frames per second from one address, all its connections together. */
  ipRatePerSecond: 8000,
  /** Burst above that rate. */
  ipRateBurst: 16000,
  /** Bytes of the envelope log, in total. */
  maxStoreBytes: 16 * 1024 ** 3,
  /** Envelopes stored, in total (each costs about 100 bytes of memory, at runtime and after a restart). */
  maxStoreEnvelopes: 4_000_000,
  /** Bytes stored under one topic. */
  maxTopicBytes: 1024 ** 3,
  /** Envelopes stored under one topic. */
  maxTopicEnvelopes: 250_000,
  /** Topic subscriptions of all the connections from one address together (about 100 bytes each). */
  maxSubscriptionsPerIp: 100_000,
  /** A WebSocket that subscribes to nothing and sends nothing for this long is closed, in ms. */
  idleTimeoutMs: 120_000,
  /** Time a client has to send a request's headers (slow clients hold a connection slot), in ms. */
  headersTimeoutMs: 20_000,
} as const;
