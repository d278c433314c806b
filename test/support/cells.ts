/**
 * Test support for cells (Node tests): devices connected to relays, in-process relays for a test file,
 * and a founded cell whose members are all admitted. Devices keep their data in files (adapters/fs), as
 * Node devices do: memory storage answers at once and hid a race between saving and opening a document.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, onTestFinished } from "vitest";
import WebSocket from "ws";
import { type RelayServer, silentLogger, startRelay } from "../../adapters/relay/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import { Cell, createKit, type Kit, type KitOptions, type Role } from "../../core/index.js";
import { type DeviceStore, fileStore, until } from "./devices.js";
import { TEST_PEER_SECRET } from "./relay-client.js";

export type { DeviceStore } from "./devices.js";

const stores = new WeakMap<Kit, DeviceStore>();
/** The Kits started on each store `deviceStore` made, closed before its directory is removed. */
const kitsOn = new WeakMap<DeviceStore, Kit[]>();

/**
 * A new device's storage and keys, in files in a temporary directory of its own. Call it inside a test:
 * when the test ends, the devices on it are closed (a no-op for those the test closed) and the directory
 * removed, so a restart within the test (`storeOf`) finds its files and nothing outlives the test.
 */
export async function deviceStore(): Promise<DeviceStore> {
  const store = await fileStore();
  const kits: Kit[] = [];
  kitsOn.set(store, kits);
  onTestFinished(async () => {
    // The directory goes even when a device fails to close; the failure is still reported.
    const closed = await Promise.allSettled(kits.map((k) => k.close(0)));
    await store.remove();
    for (const c of closed) if (c.status === "rejected") throw c.reason;
  });
  return store;
}

/** The storage and keys of a device made by `relayDevice`. */
export function storeOf(kit: Kit): DeviceStore {
  return stores.get(kit)!;
}

/**
 * A device whose transport is the relay client for `urls`, on `store` (by default a new `deviceStore()`);
 * `storage` replaces the store's for the Kit and its relay client (e.g. one whose saves the test holds).
 */
export async function relayDevice(
  urls: readonly string[],
  options: Partial<KitOptions> & { store?: DeviceStore } = {},
): Promise<Kit> {
  const { store = await deviceStore(), ...kitOptions } = options;
  const storage = kitOptions.storage ?? store.storage;
  const kit = await createKit({
    ...store,
    ...kitOptions,
    storage,
    transports: [
      relayClient({
        relays: [...urls],
        WebSocket: WebSocket as never,
        storage,
        minBackoffMs: 50,
        maxBackoffMs: 400,
      }),
    ],
  });
  stores.set(kit, store);
  kitsOn.get(store)?.push(kit);
  return kit;
}

/** `count` in-process relays for the test file (started before its tests, closed after), and devices on them. */
export function relayFixture(count = 2) {
  let relays: RelayServer[] = [];
  let dirs: string[] = [];
  const kits: Kit[] = [];
  beforeAll(async () => {
    dirs = await Promise.all(Array.from({ length: count }, () => mkdtemp(join(tmpdir(), "cellule-relay-"))));
    relays = await Promise.all(
      dirs.map((dataDir) => startRelay({ dataDir, log: silentLogger, peerSecret: TEST_PEER_SECRET })),
    );
  });
  afterAll(async () => {
    await Promise.all(kits.map((k) => k.close(0)));
    await Promise.all(relays.map((r) => r.close()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    relays: () => relays,
    /** Where each relay keeps its data. */
    dataDirs: () => dirs,
    /** A new device (or, with `store`, the same device again) connected to every relay. */
    async device(store?: DeviceStore, options: Partial<KitOptions> = {}): Promise<Kit> {
      const kit = await relayDevice(
        relays.map((r) => r.url),
        store ? { ...options, store } : options,
      );
      kits.push(kit);
      return kit;
    },
  };
}

/** Who is in a cell, as a string two devices can compare. */
export const membership = (cell: Cell) =>
  JSON.stringify(
    cell
      .members()
      .map((m) => [m.id, m.name, m.status, [...m.roles].sort()])
      .sort(),
  );

/**
 * Founds a cell on `founder` (who holds every officer role) and admits each joiner with its role; resolves
 * once every device agrees on the membership. `cells[i]` is joiner i's view of the cell.
 */
export async function admittedCell(
  founder: Kit,
  founderName: string,
  joiners: { kit: Kit; name: string; role?: Role }[],
  name = "Cellule Louise-Michel",
): Promise<{ cell: Cell; cells: Cell[] }> {
  const cell = await Cell.create(founder, { name, founderName });
  const cells: Cell[] = [];
  for (const j of joiners)
    cells.push(await Cell.join(j.kit, await cell.invite({ role: j.role }), { name: j.name }));
  const pending = () => cell.members().filter((m) => m.status === "pending");
  await until(() => pending().length === joiners.length, "every joiner's redeem");
  for (const m of pending()) await cell.admit(m.id);
  for (const c of cells) await c.whenMember();
  await until(
    () => cells.every((c) => membership(c) === membership(cell)),
    "every device to agree on the membership",
  );
  return { cell, cells };
}

/**
 * Fatima founds a cell on a new device (every officer role), Élise joins as editor and Marc as a member,
 * each on a device of their own from `device`; resolves once the three agree on the membership.
 */
export async function cellWithEditor(device: () => Promise<Kit>) {
  const [f, e, m] = [await device(), await device(), await device()] as [Kit, Kit, Kit];
  const { cell, cells } = await admittedCell(f, "Fatima", [
    { kit: e, name: "Élise", role: "editor" },
    { kit: m, name: "Marc" },
  ]);
  const [elise, marc] = cells as [Cell, Cell];
  return { f, e, m, cell, elise, marc };
}
