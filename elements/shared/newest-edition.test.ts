/**
 * What `<cell-contact>` seals to, against real relays: the newest admission key any of the cell's relays
 * shows, so that one relay that missed a rotation (or a hostile one serving the old edition) cannot have a
 * visitor's details sealed to a key the cell's officers rotated out.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayServer, silentLogger, startRelay } from "../../adapters/relay/index.js";
import { RelayFetchError } from "../../core/public/relay-http.js";
import { buildEdition, signEdition } from "../../core/site/edition.js";
import { publishingCell, rotatedKeys, sampleContent } from "../../core/site/test-support.js";
import { newestEdition } from "./edition-controller.js";

const relays: RelayServer[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const dir = await mkdtemp(join(tmpdir(), "cellule-newest-"));
    dirs.push(dir);
    relays.push(await startRelay({ dataDir: dir, log: silentLogger }));
  }
});

afterAll(async () => {
  for (const r of relays) await r.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("the edition a contact form seals to", () => {
  it("is the newest chain any relay serves, whichever relay comes first", async () => {
    const cell = await publishingCell();
    const id = cell.genesis.hash;
    const current = await rotatedKeys(id, cell.keys);
    const sign = (keys: typeof cell.keys, at: number) =>
      signEdition(buildEdition(cell.genesis, keys.chain, sampleContent(), at), keys.signing.privateKey);
    const [stale, fresh] = relays as [RelayServer, RelayServer];
    const put = (r: RelayServer, bytes: Uint8Array) =>
      fetch(`${r.url}/c/${id}/edition`, { method: "PUT", body: Buffer.from(bytes) });
    expect((await put(stale, await sign(cell.keys, Date.now() + 1000))).status).toBe(201);
    expect((await put(fresh, await sign(current, Date.now()))).status).toBe(201);
    for (const order of [
      [stale, fresh],
      [fresh, stale],
    ]) {
      const e = await newestEdition({ cellId: id, relays: order.map((r) => `${r.url}/`) });
      expect(e.chain).toHaveLength(2);
      expect(e.admissionKey).toBe(current.chain[1]!.admission);
    }
    await expect(newestEdition({ cellId: id, relays: ["http://127.0.0.1:1/"] })).rejects.toBeInstanceOf(
      RelayFetchError,
    );
  });

  it("is none when the newest certificate has ended (it may be a past holder's key)", async () => {
    const cell = await publishingCell();
    const id = cell.genesis.hash;
    const ending = await rotatedKeys(id, cell.keys, { expires: Date.now() + 2000, heads: [] });
    const bytes = await signEdition(
      buildEdition(cell.genesis, ending.chain, sampleContent(), Date.now()),
      ending.signing.privateKey,
    );
    const r = relays[0]!;
    expect(
      (await fetch(`${r.url}/c/${id}/edition`, { method: "PUT", body: Buffer.from(bytes) })).status,
    ).toBe(201);
    const address = { cellId: id, relays: [`${r.url}/`] };
    expect((await newestEdition(address)).chain).toHaveLength(2);
    const realNow = Date.now;
    Date.now = () => realNow() + 60_000; // this page's clock, a minute later
    try {
      await expect(newestEdition(address)).rejects.toBeInstanceOf(RelayFetchError);
    } finally {
      Date.now = realNow;
    }
  });
});
