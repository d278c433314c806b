/**
 * What the relay's own tests share: an author's identity, a public and a sealed scope (made once per test
 * file), and what each test opened (relays in this process or in their own, WebSocket clients, temporary
 * folders), closed or removed after it, the last opened first.
 *
 *     const { author, pub, sealed, relay, client, later } = await relayTestBed();
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type RelayOptions, type RelayServer, silentLogger, startRelay } from "../../adapters/relay/index.js";
import type { DeviceIdentity } from "../../core/crypto/identity.js";
import type { ScopeEpoch } from "../../core/protocol/scope-keys.js";
import { TestClient, testIdentity, testPublicScope, testSealedScope } from "./relay-client.js";
import { type RelayProcess, type RelayProcessOptions, startRelayProcess } from "./relay-process.js";

/** See the module comment. */
export interface RelayTestBed {
  /** The device that signs the test envelopes. */
  author: DeviceIdentity;
  /** A public scope with a unique ID. */
  pub: ScopeEpoch;
  /** A sealed scope with a fresh secret. */
  sealed: ScopeEpoch;
  /** Runs `cleanup` after the current test, before those registered earlier. */
  later(cleanup: () => unknown): void;
  /** A new temporary folder, removed after the test. */
  tempDir(prefix?: string): Promise<string>;
  /** A relay in this process, silent, on a temporary data folder unless `options.dataDir`; closed after the test. */
  relay(options?: Partial<RelayOptions>): Promise<RelayServer>;
  /** A relay in its own process (see relay-process.ts); stopped after the test. */
  relayProcess(options?: RelayProcessOptions): Promise<RelayProcess>;
  /** A WebSocket client of a relay; closed after the test. */
  client(relay: { wsUrl: string }): Promise<TestClient>;
}

/** Call once at the top of a test file (it registers an `afterEach`); see the module comment. */
export async function relayTestBed(): Promise<RelayTestBed> {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const later = (cleanup: () => unknown): void => {
    cleanups.push(cleanup);
  };
  const tempDir = async (prefix = "cellule-relay-"): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    later(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };
  return {
    author: await testIdentity(),
    pub: await testPublicScope(),
    sealed: await testSealedScope(),
    later,
    tempDir,
    async relay(options = {}) {
      const dataDir = options.dataDir ?? (await tempDir());
      const relay = await startRelay({ log: silentLogger, ...options, dataDir });
      later(() => relay.close());
      return relay;
    },
    async relayProcess(options = {}) {
      const relay = await startRelayProcess(options);
      later(() => relay.stop());
      return relay;
    },
    async client(relay) {
      const client = await TestClient.connect(relay.wsUrl);
      later(() => client.close());
      return client;
    },
  };
}
