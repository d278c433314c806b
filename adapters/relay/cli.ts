/**
 * `cellule relay`: the command line of the relay. Prints exactly one line on stdout once it listens
 * (`cellule relay listening on http://127.0.0.1:<port>`), so scripts and tests can wait for it; everything
 * else goes to stderr. SIGTERM and SIGINT close it cleanly (pending puts finish, the store is closed).
 * An exception nothing caught is logged and ends the process with exit code 1, after closing what closes
 * quickly: better a relay that stops (its supervisor restarts it) than one running on in an unknown state.
 *
 * Runs itself when executed directly: `tsx adapters/relay/cli.ts relay --port 8787 --data ./relay-data`.
 */
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { InvalidArgumentError } from "../../core/base/errors.js";
import { RELAY_DEFAULTS } from "../../core/protocol/relay.js";
import { type EditionPolicy, loadAppFiles, loadWidgetFiles, type RelayServer, startRelay } from "./index.js";
import { describeError, type Logger, type LogLevel, stderrLogger, writeUnlessBroken } from "./log.js";
import { peerWsUrl } from "./peering/peer.js";

const USAGE = `Usage: cellule relay [options]

Runs a Cellule relay: it stores opaque envelopes and forwards them to subscribers.

Options:
  --port <n>          TCP port, 0 for any free one (default 8787)
  --host <addr>       interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --data <dir>        data directory, created if missing (default ./.cellule-data/relay)
  --peer <url>        another relay to replicate with, ws://host:port/ws or http://host:port (repeatable)
  --max-frame <bytes> largest envelope accepted (default ${RELAY_DEFAULTS.maxFrameBytes})
  --rate <n>          frames per second per connection (default ${RELAY_DEFAULTS.ratePerSecond})
  --burst <n>         burst of frames above the rate (default ${RELAY_DEFAULTS.rateBurst})
  --max-topics <n>    topics one connection may subscribe to (default ${RELAY_DEFAULTS.maxTopicsPerConnection})
  --min-envelope <bytes>       smallest envelope accepted (default ${RELAY_DEFAULTS.minEnvelopeBytes})
  --max-connections <n>        open connections in total (default ${RELAY_DEFAULTS.maxConnections}; keep it under ulimit -n)
  --max-connections-per-ip <n> open connections from one address, an IPv6 /64 (default ${RELAY_DEFAULTS.maxConnectionsPerIp})
  --ip-rate <n>       HTTP requests + WebSocket frames per second from one address (default ${RELAY_DEFAULTS.ipRatePerSecond})
  --ip-burst <n>      burst above --ip-rate (default ${RELAY_DEFAULTS.ipRateBurst})
  --max-store-bytes <n>        quota of the whole store, bytes (default ${RELAY_DEFAULTS.maxStoreBytes}); full: 507
  --max-store-envelopes <n>    quota of the whole store, envelopes (default ${RELAY_DEFAULTS.maxStoreEnvelopes})
  --max-topic-bytes <n>        quota of one topic, bytes (default ${RELAY_DEFAULTS.maxTopicBytes})
  --max-topic-envelopes <n>    quota of one topic, envelopes (default ${RELAY_DEFAULTS.maxTopicEnvelopes})
  --max-subscriptions-per-ip <n>  topic subscriptions from one address, all connections (default ${RELAY_DEFAULTS.maxSubscriptionsPerIp})
  --idle-timeout <s>  a WebSocket that subscribes to nothing and sends nothing is closed after it (default ${RELAY_DEFAULTS.idleTimeoutMs / 1000})
  --headers-timeout <s>        time a client has to send a request's headers (default ${RELAY_DEFAULTS.headersTimeoutMs / 1000})
  --peer-secret-file <path>    file holding the secret the relays that replicate together share (16+
                      characters; or the CELLULE_PEER_SECRET variable): SUB_ALL only for who shows it
  --public-url <url>  this relay's public address, as browsers reach it (https://… behind a TLS proxy;
                      repeatable): /app/relays.json names it to a browser that came by its host name, and
                      the relay takes only editions of cells whose relay list names it, or that
                      --edition-cell allows (default: every cell's)
  --edition-cell <id> a cell whose editions this relay takes whatever its relay list (repeatable)
  --editions-in-memory <n>  editions kept in memory with their feeds, the others read from disk (default 256)
  --widgets <dir>     where cellule.js and cellule.iife.js are, served at /widgets/ (default: the
                      package's dist/widgets)
  --app <dir>         where the member space is, served at /app/ (default: the package's dist/app)
  --trust-proxy       believe Forwarded / X-Forwarded-Proto / X-Forwarded-For (behind a reverse proxy
                      that sets them): relays.json names this relay https:// when the browser used TLS,
                      and the limits per address key on the client the proxy names
  --log-level <l>     debug, info, warn or error (default info)
  -h, --help          show this help
`;

/** Where the CLI writes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Options of `runCli` for embedding it. */
export interface CliOptions {
  io?: CliIo;
  /**
   * Install the process handlers (`processHandlers`): close on SIGTERM/SIGINT, exit 1 on an uncaught
   * exception. Leave it off when embedding, the process is the embedder's. @default true
   */
  handleSignals?: boolean;
}

/** The outcome of `runCli`: an exit code, and the running relay when one was started. */
export interface CliResult {
  exitCode: number;
  relay?: RelayServer;
}

/** Where the built package keeps the widget files, next to this command (`dist/bin/` → `dist/widgets/`). */
const DEFAULT_WIDGETS = fileURLToPath(new URL("../widgets/", import.meta.url));
/** And the member space (`dist/app/`). */
const DEFAULT_APP = fileURLToPath(new URL("../app/", import.meta.url));

// A reader that went away (EPIPE) must not turn the relay's few direct writes into uncaught exceptions.
const processIo: CliIo = {
  stdout: (t) => writeUnlessBroken(process.stdout, t),
  stderr: (t) => writeUnlessBroken(process.stderr, t),
};

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new InvalidArgumentError(`--${name} takes an integer from ${min} to ${max}, not "${text}"`);
  }
  return Number(text);
}

/**
 * Runs the command line `argv` (without `node` and the script): `relay [options]` or `--help`.
 * Resolves once the relay listens (with `relay` set), or with an exit code for help and usage errors.
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<CliResult> {
  const io = options.io ?? processIo;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.stderr(`cellule: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  if (parsed.help) {
    io.stdout(USAGE);
    return { exitCode: 0 };
  }
  const log = stderrLogger(parsed.logLevel);
  let relay: RelayServer;
  try {
    const widgets = await loadWidgetFiles(parsed.widgets ?? DEFAULT_WIDGETS);
    if (!widgets && parsed.widgets) throw new InvalidArgumentError(`no cellule.js in ${parsed.widgets}`);
    if (!widgets) log.info("widget files not found (npm run build makes them): /widgets/ is not served");
    const app = await loadAppFiles(parsed.app ?? DEFAULT_APP);
    if (!app && parsed.app) throw new InvalidArgumentError(`no index.html in ${parsed.app}`);
    if (!app) log.info("member space not found (npm run build makes it): /app/ is not served");
    // The member space may reach this relay's peers too: the cell's other relays.
    const connect = parsed.relay.peers.flatMap((p) => [p, p.replace(/^ws/, "http").replace(/\/ws$/, "")]);
    relay = await startRelay({
      ...parsed.relay,
      log,
      ...(widgets ? { widgets } : {}),
      ...(app ? { app: { files: app, connect } } : {}),
    });
  } catch (e) {
    log.error("could not start", e);
    return { exitCode: 1 };
  }
  log.info(`data in ${parsed.relay.dataDir}, store ${relay.storeId}`);
  io.stdout(`cellule relay listening on ${relay.url}\n`);
  if (options.handleSignals ?? true) {
    const handlers = processHandlers({ log, close: () => relay.close(), exit: (code) => process.exit(code) });
    process.on("SIGTERM", () => handlers.signal("SIGTERM"));
    process.on("SIGINT", () => handlers.signal("SIGINT"));
    process.on("unhandledRejection", handlers.unhandledRejection);
    process.on("uncaughtException", handlers.uncaughtException);
  }
  return { exitCode: 0, relay };
}

/** What `processHandlers` acts on. */
export interface ProcessHandlerOptions {
  log: Logger;
  /** Closes the relay: pending puts finish, connections, peers and the store are closed. */
  close(): Promise<void>;
  /** Ends the process (`process.exit`). */
  exit(code: number): void;
  /** How long closing may take after an uncaught exception before exiting anyway. @default 5000 */
  fatalCloseMs?: number;
}

/** The CLI's process-level handlers, as `runCli` installs them. */
export interface ProcessHandlers {
  /** SIGTERM or SIGINT: closes, then exits 0; a signal while closing exits 1 at once. */
  signal(name: string): void;
  /**
   * An exception nothing caught: the relay's state is unknown. Logs it once, closes what it can within
   * `fatalCloseMs`, and exits 1. Exceptions after the first (thrown by the closing, say) are not logged:
   * the exit is already under way, and a handler that logs each one could feed on its own failures.
   */
  uncaughtException(error: unknown): void;
  /** A rejected promise nobody handled: logged; the relay carries on (each boundary settles its own). */
  unhandledRejection(reason: unknown): void;
}

/** Makes the handlers `runCli` installs on the process (exported to test them without a process). */
export function processHandlers(options: ProcessHandlerOptions): ProcessHandlers {
  const { log, exit } = options;
  // A logger must not throw, but this is the last net: if one does, the handler still exits.
  const report = (write: () => void): void => {
    try {
      write();
    } catch {
      // nowhere left to say it
    }
  };
  let exitCode = 0;
  let closing = false;
  let failed = false;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const finish = (code: number): void => {
    clearTimeout(deadline);
    exit(code);
  };
  const closeAndExit = (): void => {
    closing = true;
    Promise.resolve()
      .then(() => options.close())
      .then(
        // Read when the close ends: an uncaught exception during a SIGTERM close still exits 1.
        () => finish(exitCode),
        (e) => {
          report(() => log.error("close failed", e));
          finish(1);
        },
      );
  };
  return {
    signal: (name) => {
      if (closing) {
        report(() => log.warn(`${name} while closing: exiting now`));
        exit(1);
        return;
      }
      report(() => log.info(`${name}: closing`));
      closeAndExit();
    },
    uncaughtException: (error) => {
      if (failed) return;
      failed = true;
      exitCode = 1;
      report(() => log.error("uncaught exception, exiting", error));
      // In an unknown state the close may never end: it gets a bounded time.
      deadline = setTimeout(() => exit(1), options.fatalCloseMs ?? 5000);
      if (!closing) closeAndExit();
    },
    unhandledRejection: (reason) => report(() => log.error("unhandled rejection", reason)),
  };
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      peer: { type: "string", multiple: true },
      "max-frame": { type: "string" },
      rate: { type: "string" },
      burst: { type: "string" },
      "max-topics": { type: "string" },
      "public-url": { type: "string", multiple: true },
      "edition-cell": { type: "string", multiple: true },
      "editions-in-memory": { type: "string" },
      "log-level": { type: "string" },
      "trust-proxy": { type: "boolean" },
      "min-envelope": { type: "string" },
      "max-connections": { type: "string" },
      "max-connections-per-ip": { type: "string" },
      "ip-rate": { type: "string" },
      "ip-burst": { type: "string" },
      "max-store-bytes": { type: "string" },
      "max-store-envelopes": { type: "string" },
      "max-topic-bytes": { type: "string" },
      "max-topic-envelopes": { type: "string" },
      "peer-secret-file": { type: "string" },
      "idle-timeout": { type: "string" },
      "max-subscriptions-per-ip": { type: "string" },
      "headers-timeout": { type: "string" },
      widgets: { type: "string" },
      app: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true as const, logLevel: "info" as const, relay: { dataDir: "" } };
  const [command, ...rest] = positionals;
  if (command !== "relay")
    throw new InvalidArgumentError(command ? `unknown command "${command}"` : "no command");
  if (rest.length > 0) throw new InvalidArgumentError(`unexpected argument "${rest[0]}"`);
  const level = (values["log-level"] ?? "info") as LogLevel;
  if (!["debug", "info", "warn", "error"].includes(level)) {
    throw new InvalidArgumentError(`--log-level is debug, info, warn or error, not "${level}"`);
  }
  return {
    help: false as const,
    logLevel: level,
    widgets: values.widgets,
    app: values.app,
    relay: {
      dataDir: values.data ?? "./.cellule-data/relay",
      port: integer("port", values.port, 8787, 0, 65535),
      host: values.host ?? "127.0.0.1",
      peers: (values.peer ?? []).map(peerWsUrl),
      maxFrameBytes: integer("max-frame", values["max-frame"], RELAY_DEFAULTS.maxFrameBytes, 1024, 2 ** 31),
      ratePerSecond: integer("rate", values.rate, RELAY_DEFAULTS.ratePerSecond, 1, 1e9),
      rateBurst: integer("burst", values.burst, RELAY_DEFAULTS.rateBurst, 1, 1e9),
      maxTopicsPerConnection: integer(
        "max-topics",
        values["max-topics"],
        RELAY_DEFAULTS.maxTopicsPerConnection,
        1,
        1e9,
      ),
      editions: editionPolicy(values),
      trustProxy: values["trust-proxy"] ?? false,
      ...resourceLimits(values),
      ...peerSecret(values["peer-secret-file"]),
    },
  };
}

/** The resource limits (issue 11, H5), checked. */
function resourceLimits(values: Record<string, string | boolean | string[] | undefined>) {
  const n = (name: string, fallback: number, min: number, max = 2 ** 50) => {
    const v = values[name];
    return integer(name, typeof v === "string" ? v : undefined, fallback, min, max);
  };
  const D = RELAY_DEFAULTS;
  return {
    minEnvelopeBytes: n("min-envelope", D.minEnvelopeBytes, 50),
    maxConnections: n("max-connections", D.maxConnections, 1),
    maxConnectionsPerIp: n("max-connections-per-ip", D.maxConnectionsPerIp, 1),
    ipRatePerSecond: n("ip-rate", D.ipRatePerSecond, 1),
    ipRateBurst: n("ip-burst", D.ipRateBurst, 1),
    maxStoreBytes: n("max-store-bytes", D.maxStoreBytes, 1024),
    maxStoreEnvelopes: n("max-store-envelopes", D.maxStoreEnvelopes, 1),
    maxTopicBytes: n("max-topic-bytes", D.maxTopicBytes, 1024),
    maxTopicEnvelopes: n("max-topic-envelopes", D.maxTopicEnvelopes, 1),
    maxSubscriptionsPerIp: n("max-subscriptions-per-ip", D.maxSubscriptionsPerIp, 1),
    idleTimeoutMs: 1000 * n("idle-timeout", D.idleTimeoutMs / 1000, 1, 86_400),
    headersTimeoutMs: 1000 * n("headers-timeout", D.headersTimeoutMs / 1000, 1, 3600),
  };
}

/** The peers' shared secret, from `--peer-secret-file` or `CELLULE_PEER_SECRET` (never the command line: ps shows it). */
function peerSecret(file: string | undefined): { peerSecret?: string } {
  let secret = process.env.CELLULE_PEER_SECRET;
  if (file !== undefined) {
    try {
      secret = readFileSync(file, "utf8").trim();
    } catch (e) {
      throw new InvalidArgumentError(`--peer-secret-file: cannot read ${file}`, { cause: e });
    }
  }
  if (secret === undefined || secret === "") return {};
  if (secret.length < 16) throw new InvalidArgumentError("the peers' secret has at least 16 characters");
  return { peerSecret: secret };
}

/** The `--public-url`, `--edition-cell` and `--editions-in-memory` options, checked. */
function editionPolicy(values: {
  "public-url"?: string[];
  "edition-cell"?: string[];
  "editions-in-memory"?: string;
}): EditionPolicy {
  for (const url of values["public-url"] ?? [])
    if (!/^https?:\/\//.test(url) || !URL.canParse(url))
      throw new InvalidArgumentError(`--public-url takes an http(s) URL, not "${url}"`);
  for (const cell of values["edition-cell"] ?? [])
    if (!/^[0-9a-f]{64}$/.test(cell))
      throw new InvalidArgumentError(`--edition-cell takes a cell ID (64 hex digits), not "${cell}"`);
  return {
    ...(values["public-url"] ? { listedAs: values["public-url"] } : {}),
    ...(values["edition-cell"] ? { allow: values["edition-cell"] } : {}),
    maxInMemory: integer("editions-in-memory", values["editions-in-memory"], 256, 1, 1e7),
  };
}

function invokedDirectly(): boolean {
  try {
    return (
      Boolean(process.argv[1]) &&
      realpathSync(process.argv[1]!) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  runCli(process.argv.slice(2)).then(
    (r) => {
      if (!r.relay) process.exitCode = r.exitCode;
    },
    (e) => {
      process.stderr.write(`cellule relay: ${describeError(e)}\n`);
      process.exitCode = 1;
    },
  );
}
