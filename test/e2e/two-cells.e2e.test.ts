/**
 * A device in two cells, through a real relay: a Kit holds one cell, so Fatima's phone has a key and a
 * relay connection per cell, and the relay that serves both cells cannot link her by the key that signs her
 * public writes or by the topics one connection asks for.
 */
import { describe, expect, it } from "vitest";
import { Cell, type Kit, KitInUseError } from "../../core/index.js";
import { admittedCell, deviceStore, relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";
import { fetchTopic } from "../support/relay-client.js";

const network = relayFixture(1);

/** The keys that signed the public envelopes a relay holds under a cell's public topic (the body's author field). */
async function publicAuthors(relayUrl: string, kit: Kit, cell: Cell): Promise<Set<string>> {
  const [topic] = kit.topicsOf(cell.scopeId("public"));
  const { records } = await fetchTopic(relayUrl, topic!);
  return new Set(records.map((r) => r.envelope.subarray(51, 116).toString("hex")));
}

describe("a device in two cells", () => {
  it("has a key and a relay connection per cell, and one Kit cannot take a second cell", async () => {
    const [relay] = network.relays();
    // Each device counted once it is connected, so that the relay's count moves by one Kit at a time.
    const connected = (kit: Kit) =>
      until(() => kit.transportStatus().every((t) => t.endpoints.every((e) => e.connected)), "a connection");
    const samia = await network.device();
    await connected(samia);
    const phone = await deviceStore();
    const connections = relay!.stats().connections;
    const inA = await network.device(phone);
    await connected(inA);
    expect(relay!.stats().connections).toBe(connections + 1);
    // The second Kit shares the phone's keystore, under another key name, with storage of its own.
    const second = await deviceStore();
    const inB = await network.device(
      { storage: second.storage, keystore: phone.keystore },
      { deviceName: "cell-2" },
    );
    await connected(inB);
    expect(relay!.stats().connections).toBe(connections + 2);

    const a = await Cell.create(inA, { name: "Cellule Jean-Jaurès", founderName: "Fatima" });
    const { cell: b, cells } = await admittedCell(samia, "Samia", [
      { kit: inB, name: "Fatima", role: "editor" },
    ]);
    await expect(Cell.join(inA, await b.invite(), { name: "Fatima" })).rejects.toBeInstanceOf(KitInUseError);
    expect(await Cell.list(inA)).toEqual([a.id]);

    await a.create("public", { title: "Permanence samedi" });
    await cells[0]!.create("public", { title: "Collage mardi" });
    let inAKeys = new Set<string>();
    let inBKeys = new Set<string>();
    await until(async () => {
      inAKeys = await publicAuthors(relay!.url, inA, a);
      inBKeys = await publicAuthors(relay!.url, inB, cells[0]!);
      return inAKeys.size > 0 && inBKeys.size > 0;
    }, "both cells' public writes on the relay");
    expect([...inAKeys].filter((k) => inBKeys.has(k))).toEqual([]);
    expect(inA.device.id).not.toBe(inB.device.id);
    await Promise.all([inA.close(0), inB.close(0)]);
  });
});
