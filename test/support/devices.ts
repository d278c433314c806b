/**
 * Helpers for tests: devices (Kits over memory storage, or over files as a Node device keeps them), storage
 * whose saves a test holds, forged envelopes, waiting for convergence.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as A from "@automerge/automerge";
import type { StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import { fileKeystore, fileStorage } from "../../adapters/fs/index.js";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import {
  createKit,
  type DocId,
  type Keystore,
  type Kit,
  type KitOptions,
  type ScopeId,
  WriterSets,
} from "../../core/index.js";
import { crypto, DeviceIdentity, EnvelopeKind, type ScopeEpoch, sealEnvelope } from "../../core/internals.js";

/** A fresh device identity that is not stored anywhere. */
export async function looseIdentity(): Promise<DeviceIdentity> {
  return DeviceIdentity.fromKeys({
    signing: await crypto.generateSigningKeyPair(),
    agreement: await crypto.generateAgreementKeyPair(),
  });
}

/** A Kit over memory storage, with the given authority and transports. */
export function memoryKit(options: Partial<KitOptions> = {}): Promise<Kit> {
  return createKit({ storage: memoryStorage(), keystore: memoryKeystore(), ...options });
}

/** What a device keeps: its documents and envelopes, and its keys. */
export interface DeviceStore {
  storage: StorageAdapterInterface;
  keystore: Keystore;
}

/** A device's storage and keys as files in a temporary directory of its own (see {@link fileStore}). */
export interface FileStore extends DeviceStore {
  /** The directory holding both. */
  dir: string;
  /** Waits for the storage operations in flight, then deletes the directory; close every Kit on it first. */
  remove(): Promise<void>;
}

/**
 * Storage and keys on files (adapters/fs) in a new temporary directory, as a Node device keeps them: saves
 * take real time there, where memory storage answers at once and hides races between a save and a read.
 * Without fsync (still written atomically): durability across a power loss is adapters/fs's own tests'
 * business, and fsync made the end-to-end tests up to twice as slow, for nothing they check.
 */
export async function fileStore(): Promise<FileStore> {
  const dir = await mkdtemp(join(tmpdir(), "cellule-device-"));
  const { storage, settled } = tracked(fileStorage(join(dir, "documents"), { fsync: false }));
  return {
    dir,
    storage,
    keystore: fileKeystore(join(dir, "keys"), { fsync: false }),
    async remove() {
      // A closed Kit's relay client may still be finishing a save it started without waiting, or start one
      // for a frame that was already on its way (its cursors): removing the directory under it fails
      // (ENOTEMPTY) or the save makes it again. So wait for those in flight, and drop any later one.
      await settled();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A storage that knows its operations in flight: `settled` resolves once there are none, and from then on
 * saves and removals do nothing (the device is gone) and reads find nothing.
 */
function tracked(inner: StorageAdapterInterface) {
  const inFlight = new Set<Promise<unknown>>();
  let gone = false;
  const track = <T>(operation: () => Promise<T>, otherwise: T): Promise<T> => {
    if (gone) return Promise.resolve(otherwise);
    const running = operation();
    inFlight.add(running);
    const forget = () => inFlight.delete(running);
    running.then(forget, forget);
    return running;
  };
  const storage: StorageAdapterInterface = {
    load: (key) => track(() => inner.load(key), undefined),
    save: (key, data) => track(() => inner.save(key, data), undefined),
    remove: (key) => track(() => inner.remove(key), undefined),
    loadRange: (prefix) => track(() => inner.loadRange(prefix), []),
    removeRange: (prefix) => track(() => inner.removeRange(prefix), undefined),
  };
  return {
    storage,
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      gone = true;
    },
  };
}

/**
 * A storage whose saves a test can hold: `hold(match)` makes every later save of a key `match` accepts
 * wait until `release()`, so that the test acts inside the window between the start and the end of that
 * save every time, instead of hoping to land in it. `reached` resolves with the first held key; `saved`
 * with the next key `match` accepts once it is saved. Loads and removals pass straight through.
 */
export function holdingSaves(inner: StorageAdapterInterface) {
  let held:
    | { match: (key: StorageKey) => boolean; reach: (key: StorageKey) => void; gate: Promise<void> }
    | undefined;
  const watchers = new Set<{ match: (key: StorageKey) => boolean; done: (key: StorageKey) => void }>();
  const storage: StorageAdapterInterface = {
    load: (key) => inner.load(key),
    async save(key, data) {
      const h = held;
      if (h?.match(key)) {
        h.reach(key);
        await h.gate;
      }
      await inner.save(key, data);
      for (const w of [...watchers]) {
        if (!w.match(key)) continue;
        watchers.delete(w);
        w.done(key);
      }
    },
    remove: (key) => inner.remove(key),
    loadRange: (prefix) => inner.loadRange(prefix),
    removeRange: (prefix) => inner.removeRange(prefix),
  };
  return {
    storage,
    saved(match: (key: StorageKey) => boolean): Promise<StorageKey> {
      return new Promise((done) => watchers.add({ match, done }));
    },
    hold(match: (key: StorageKey) => boolean): { reached: Promise<StorageKey>; release(): void } {
      let reach!: (key: StorageKey) => void;
      let open!: () => void;
      const reached = new Promise<StorageKey>((r) => (reach = r));
      const gate = new Promise<void>((r) => (open = r));
      const h = { match, reach, gate };
      held = h;
      return {
        reached,
        release() {
          if (held === h) held = undefined;
          open();
        },
      };
    },
  };
}

/** Several Kits sharing one `WriterSets` that lets all of them write `scope`. */
export async function writersOf(scope: ScopeId, count: number, options: Partial<KitOptions> = {}) {
  const authority = new WriterSets();
  const kits: Kit[] = [];
  for (let i = 0; i < count; i++) kits.push(await memoryKit({ authority, ...options }));
  authority.allowScope(
    scope,
    kits.map((k) => k.device.id),
  );
  return { authority, kits };
}

/** Automerge changes authored under an arbitrary actor, for forgeries. */
export function changesAs(actor: string, fn: (d: Record<string, unknown>) => void): Uint8Array[] {
  const doc = A.change(A.init<Record<string, unknown>>({ actor }), fn);
  return [A.getLastLocalChange(doc)!];
}

/** An envelope of `changes` signed by `author` under `scope`. */
export function envelopeOf(
  author: DeviceIdentity,
  scope: ScopeEpoch,
  docId: DocId,
  changes: Uint8Array[],
  session: Uint8Array = new Uint8Array(16),
): Promise<Uint8Array> {
  return sealEnvelope(author, scope, { kind: EnvelopeKind.changes, docId, session, items: changes });
}

/** Polls `check` until it is true or `timeoutMs` passes (then throws with `what`). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Retries `open` (a feature's `open(cell)`, which fails until its documents reach this device) until it
 * resolves; errors `keep` says are not "not here yet" are thrown at once.
 */
export async function whenOpen<T>(
  open: () => Promise<T>,
  what: string,
  keep: (error: unknown) => boolean = () => true,
): Promise<T> {
  let opened: T | undefined;
  await until(async () => {
    opened = await open().catch((error) => {
      if (keep(error)) return undefined;
      throw error;
    });
    return opened !== undefined;
  }, what);
  return opened!;
}
