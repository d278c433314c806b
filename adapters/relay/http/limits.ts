/**
 * Limits per client address, shared by the HTTP and WebSocket sides (issue 11, H5): open connections per
 * address and in total (checked when the TCP connection opens, before anything is read), and one token
 * bucket per address that every HTTP request and every WebSocket frame from it draws on, whatever the
 * number of connections it spreads them over. An IPv6 address counts by its /64 (one subscriber's network).
 */
import type { Socket } from "node:net";

/** Token bucket: `burst` tokens at once, refilled at `rate` per second. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  /** Takes a token; false when none is left. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  /** True when the bucket is full again (nothing to remember about its client). */
  full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }
  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
  }
}

/** The limits of `ClientLimits`. */
export interface ClientLimitOptions {
  maxConnections: number;
  maxConnectionsPerIp: number;
  ipRatePerSecond: number;
  ipRateBurst: number;
  /**
   * Behind a trusted reverse proxy every connection comes from the proxy: connections are then capped in
   * total only (the proxy limits them per client), and buckets are keyed by the client address the proxy
   * names (`clientAddress`).
   */
  trustProxy?: boolean;
}

/**
 * The address a request's bucket is keyed by: the socket's, or behind a trusted proxy the last hop of
 * `X-Forwarded-For` (the one the proxy itself appended; earlier ones are the client's word).
 */
export function clientAddress(
  req: {
    socket: { remoteAddress?: string | undefined };
    headers: Record<string, string | string[] | undefined>;
  },
  trustProxy: boolean,
): string | undefined {
  if (trustProxy) {
    const header = req.headers["x-forwarded-for"];
    const last = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").pop()?.trim();
    if (last && /^[0-9a-f:.]{2,45}$/i.test(last)) return last;
  }
  return req.socket.remoteAddress;
}

/** Why a connection was refused. */
export type Refusal = "total" | "ip";

/** The key an address is counted under: IPv4 as it is, IPv6 by its first 64 bits. */
export function addressKey(address: string | undefined): string {
  if (!address) return "?";
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** Connection counts and request buckets by address. */
export class ClientLimits {
  private readonly open = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();
  private total = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: ClientLimitOptions) {
    // Buckets of quiet addresses are forgotten: the map holds only addresses active in the last minute.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /**
   * Counts a new TCP connection (until it closes), or says why it is refused: too many in total, or from
   * its address.
   */
  admit(socket: Socket): Refusal | undefined {
    const key = addressKey(socket.remoteAddress);
    const mine = this.open.get(key) ?? 0;
    if (this.total >= this.options.maxConnections) return "total";
    if (!this.options.trustProxy && mine >= this.options.maxConnectionsPerIp) return "ip";
    this.total++;
    this.open.set(key, mine + 1);
    socket.once("close", () => {
      this.total--;
      const n = (this.open.get(key) ?? 1) - 1;
      if (n <= 0) this.open.delete(key);
      else this.open.set(key, n);
    });
    return undefined;
  }

  /** Takes one token from the bucket of `address`: false when it is spent. */
  take(address: string | undefined): boolean {
    const key = addressKey(address);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.options.ipRatePerSecond, this.options.ipRateBurst);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }

  /** Open connections, in total. */
  get connections(): number {
    return this.total;
  }

  /** Stops the sweeper. */
  stop(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    for (const [key, bucket] of this.buckets) if (bucket.full()) this.buckets.delete(key);
  }
}
