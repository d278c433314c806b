/**
 * The demo's officer: a device of the sample cell's founder (secretary, treasurer and editor), running in
 * the demo's Node process with its keys and documents on disk. The first start founds the cell and writes
 * its French sample content with the core calls the member space makes; while it runs it keeps the edition
 * up to date as an officer's open member space does (publishing at start only when a relay's is out of
 * date) and receives the visitors' contact requests. Later starts reopen the same cell.
 */
import { join } from "node:path";
import WebSocket from "ws";
import { type CorruptChunk, fileKeystore, fileStorage } from "../adapters/fs/index.js";
import { relayClient } from "../adapters/relay-client/index.js";
import {
  Cell,
  createKit,
  type Kit,
  openSite,
  type Publisher,
  publishEditions,
  Rsvps,
  relaySink,
} from "../core/index.js";
import { seedSite } from "./seed.js";

/** The running officer device. */
export interface Officer {
  kit: Kit;
  cell: Cell;
  /** Members' answers to events. */
  rsvps: Rsvps;
  /** The addresses a blogger pastes: one per relay. */
  addresses: string[];
  close(): Promise<void>;
}

/** Starts the officer device on `relays`, keeping its data under `dataDir`. */
export async function startOfficer(dataDir: string, relays: string[]): Promise<Officer> {
  // A damaged chunk file is set aside and its document refetched by the Kit (once the Kit exists).
  const damaged: CorruptChunk[] = [];
  let opened: Kit | undefined;
  const storage = fileStorage(join(dataDir, "documents"), {
    onCorrupt: (r) => (opened ? opened.reportCorrupt(r.error, r.key) : damaged.push(r)),
  });
  const kit = await createKit({
    storage,
    keystore: fileKeystore(join(dataDir, "keys")),
    transports: [relayClient({ relays, storage, WebSocket: WebSocket as never })],
    deviceName: "officer",
  });
  opened = kit;
  for (const r of damaged.splice(0)) kit.reportCorrupt(r.error, r.key);
  const [known] = await Cell.list(kit);
  let cell: Cell;
  if (known) {
    cell = await Cell.open(kit, known);
  } else {
    // As the member space founds a cell: the genesis, the relay list in the log, the site with its profile.
    cell = await Cell.create(kit, { name: "Cellule Louise-Michel", founderName: "Fatima Benali" });
    await cell.setRelays(relays);
    await seedSite(await openSite(cell, { profile: { relays } }));
  }
  let publisher: Publisher | undefined;
  let rsvps: Rsvps;
  try {
    // As an officer's open member space does (see elements/cell-app/edition-keeper.ts).
    publisher = await publishEditions(cell, { sink: relaySink(relays), servedBy: relays, debounceMs: 200 });
    rsvps = await Rsvps.open(cell);
  } catch (error) {
    await kit.close();
    throw error;
  }
  return {
    kit,
    cell,
    rsvps,
    addresses: relays.map((r) => `${r}/c/${cell.id}`),
    async close() {
      await publisher?.close();
      await kit.close();
    },
  };
}
