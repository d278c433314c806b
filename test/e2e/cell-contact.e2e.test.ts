/**
 * Publication keys and the contact inbox end to end, through two in-process relays: the founder's device
 * holds the publication chain from the start; an editor admitted later gets its keys through the log; a
 * visitor's sealed request (posted over plain HTTP, as `<cell-contact>` does) reaches the officers'
 * devices and no one else's; removing an officer renews the keys, and earlier requests stay readable.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Cell,
  type ContactRequest,
  cellPublisher,
  contactTopic,
  ForbiddenError,
  IntegrityError,
  type Kit,
  type ReceivedContact,
  sealContact,
  verifyEdition,
} from "../../core/index.js";
import { admittedCell, relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";

const network = relayFixture();
const device = () => network.device();

const visitor: ContactRequest = {
  name: "Camille Martin",
  reach: "camille.martin@example.org",
  message: "Bonjour, je travaille à l'hôpital du quartier et je voudrais rejoindre la cellule.",
  consent: true,
  lang: "fr",
};

/** What `<cell-contact>` does: seal to the chain's last admission key, POST to one relay. */
async function send(cell: Cell, relay: string, request: ContactRequest): Promise<Response> {
  const chain = cell.state.publication;
  const sealed = await sealContact(cell.id, chain.at(-1)!.cert.admission, chain.length - 1, request);
  return fetch(`${relay}/t/${await contactTopic(cell.id)}`, {
    method: "POST",
    body: sealed as Uint8Array<ArrayBuffer>,
    headers: { "Content-Type": "application/octet-stream" },
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("publication keys and contact requests", () => {
  it("reach the officers who may publish, never the relays' disks or ordinary members", async () => {
    const [f, e, m] = [await device(), await device(), await device()] as [Kit, Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [
      { kit: e, name: "Élise", role: "editor" },
      { kit: m, name: "Marc" },
    ]);
    const [elise, marc] = cells as [Cell, Cell];
    expect(cell.state.publication).toHaveLength(1);

    // Élise, an editor admitted later, signs an edition the widgets accept.
    await until(
      async () => (await elise.publicationKeys().catch(() => undefined)) !== undefined,
      "Élise's keys",
    );
    const keys = await elise.publicationKeys();
    await expect(marc.publicationKeys()).rejects.toBeInstanceOf(ForbiddenError);

    const heard: ReceivedContact[] = [];
    elise.on("contact", (c) => heard.push(c));
    const relays = network.relays();
    const res = await send(cell, relays[1]!.url, visitor);
    expect(res.status).toBe(201);
    await until(() => heard.length === 1, "Élise to receive the request");
    expect(heard[0]).toMatchObject({ ...visitor, cell: cell.id, keyIndex: 0 });
    await until(async () => (await cell.contacts()).length === 1, "Fatima to receive it too");
    expect((await cell.contacts())[0]!.id).toBe(heard[0]!.id);
    expect(await marc.contacts()).toEqual([]);

    // A forged request on the inbox topic is refused and changes nothing. The check waits for Élise's
    // device to refuse it rather than for a fixed time: under load the request could still be on its
    // way after any delay, and the check would then prove nothing.
    const forged = await sealContact(cell.id, keys.chain[0]!.admission, 7, visitor);
    let refused = 0;
    const stopCounting = e.on("rejected", (error) => {
      if (error instanceof IntegrityError) refused++;
    });
    await fetch(`${relays[0]!.url}/t/${await contactTopic(cell.id)}`, {
      method: "POST",
      body: forged as never,
    });
    await until(() => refused > 0, "Élise's device to refuse the forged request");
    stopCounting();
    expect(await elise.contacts()).toHaveLength(1);

    // No relay file holds the visitor's details.
    for (const dir of network.dataDirs()) {
      for (const file of await filesUnder(dir)) {
        const text = (await readFile(file)).toString("latin1");
        expect(text).not.toContain("camille");
        expect(text).not.toContain("Camille");
      }
    }
    expect(keys.chain).toHaveLength(1);
  }, 60_000);

  it("renew when an officer leaves: new keys the widgets accept, old requests still readable", async () => {
    const [f, e, s] = [await device(), await device(), await device()] as [Kit, Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [
      { kit: e, name: "Élise", role: "editor" },
      { kit: s, name: "Sami", role: "secretary" },
    ]);
    const [elise, sami] = cells as [Cell, Cell];
    expect((await send(cell, network.relays()[0]!.url, visitor)).status).toBe(201);
    await until(async () => (await sami.contacts()).length === 1, "Sami to receive the first request");

    await cell.remove(cell.members().find((m) => m.name === "Élise")!.id);
    // Fatima (who removed her) and Sami (the first who may publish) may both renew: one link stands.
    const link = (c: Cell) => JSON.stringify(c.state.publication.map((l) => l.op));
    await until(() => sami.state.publication.length === 2 && link(sami) === link(cell), "one renewed chain");
    await until(() => elise.status === "removed", "Élise to learn she was removed");

    // The new link is certified by the old key: Sami's editions verify as the cell's, with the new keys.
    expect((await sami.publicationKeys()).chain).toHaveLength(2);
    const editions: Uint8Array[] = [];
    const publisher = cellPublisher(sami, {
      content: () => content,
      sink: async (_cell, e) => void editions.push(e),
    });
    const verified = await verifyEdition(await publisher.publish(), cell.id);
    expect(verified.chain).toHaveLength(2);
    expect(verified.admissionKey).toBe(sami.state.publication[1]!.cert.admission);
    expect(editions).toHaveLength(1);
    await publisher.close();

    // A request sealed to the new admission key reaches Sami; the old one is still listed.
    expect((await send(cell, network.relays()[1]!.url, { ...visitor, name: "Nadia" })).status).toBe(201);
    await until(async () => (await sami.contacts()).length === 2, "Sami to receive the second request");
    expect((await sami.contacts()).map((c) => [c.name, c.keyIndex])).toEqual([
      ["Nadia", 1],
      ["Camille Martin", 0],
    ]);
    // Élise, removed, holds no key of the new link.
    await expect(elise.publicationKeys()).rejects.toBeInstanceOf(ForbiddenError);
  }, 60_000);
});

const content = {
  profile: { name: "Cellule Louise-Michel", place: "Lyon 7e", description: "", contact: "", relays: [] },
  posts: [],
  pages: { about: "", contact: "", whyJoin: "" },
  events: [],
};
