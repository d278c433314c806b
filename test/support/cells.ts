/**
 * Test support for cells (Node tests): devices connected to relays, in-process relays for a test file,
 * and a founded cell whose members are all admitted.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import WebSocket from "ws";
import { Cell, type Kit, type KitOptions, type Role } from "../../core/index.js";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { type RelayServer, silentLogger, startRelay } from "../../adapters/relay/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import { memoryKit, until } from "./devices.js";

/** What a test device keeps: pass it again to start the same device after a restart. */
export interface DeviceStore {
  storage: ReturnType<typeof memoryStorage>;
  keystore: ReturnType<typeof memoryKeystore>;
}

const stores = new WeakMap<Kit, DeviceStore>();

/** The storage and keys of a device made by `relayDevice`. */
export function storeOf(kit: Kit): DeviceStore {
  return stores.get(kit)!;
}

/** A device on memory storage whose transport is the relay client for `urls`. */
export async function relayDevice(
  urls: readonly string[],
  options: Partial<KitOptions> & { store?: DeviceStore } = {},
): Promise<Kit> {
  const { store = { storage: memoryStorage(), keystore: memoryKeystore() }, ...kitOptions } = options;
  const kit = await memoryKit({
    ...store,
    ...kitOptions,
    transports: [
      relayClient({
        relays: [...urls],
        WebSocket: WebSocket as never,
        storage: store.storage,
        minBackoffMs: 50,
        maxBackoffMs: 400,
      }),
    ],
  });
  stores.set(kit, store);
  return kit;
}

/** `count` in-process relays for the test file (started before its tests, closed after), and devices on them. */
export function relayFixture(count = 2) {
  let relays: RelayServer[] = [];
  let dirs: string[] = [];
  const kits: Kit[] = [];
  beforeAll(async () => {
    dirs = await Promise.all(Array.from({ length: count }, () => mkdtemp(join(tmpdir(), "cellule-relay-"))));
    relays = await Promise.all(dirs.map((dataDir) => startRelay({ dataDir, log: silentLogger })));
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
    async device(store?: DeviceStore): Promise<Kit> {
      const kit = await relayDevice(
        relays.map((r) => r.url),
        store ? { store } : {},
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
