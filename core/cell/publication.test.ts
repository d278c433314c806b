/**
 * The publication chain as the log keeps it (review C3): each link certifies its key until an end and names
 * the governance heads of the op that made it; a device renews the key before it ends, and tells the links
 * its log made from a past key holder's own.
 */
import { describe, expect, it } from "vitest";
import { memoryKit } from "../../test/support/devices.js";
import { CERT_VALIDITY_MS } from "../protocol/edition-format.js";
import { headsDigest } from "../protocol/publication-cert.js";
import { rotatedKeys } from "../site/test-support.js";
import { Cell } from "./cell.js";
import type { CellContext } from "./context.js";
import type { CellPublication } from "./publication.js";

describe("the publication chain", () => {
  it("certifies each key until an end, for the op's heads; renews before the end; spots a fork", async () => {
    let now = Date.UTC(2026, 10, 24);
    const kit = await memoryKit({ clock: { now: () => now } });
    const cell = await Cell.create(kit, { name: "Cellule Jean-Jaurès", founderName: "Fatima" });
    // The cell's parts, private to the facade.
    const { publication, ctx } = cell as unknown as { publication: CellPublication; ctx: CellContext };
    const [first] = publication.chain();
    expect(first!.cert.expires).toBe(now + CERT_VALIDITY_MS);
    const op = ctx
      .log()
      .all()
      .find((o) => o.hash === first!.op)!;
    expect(first!.cert.heads).toBe(await headsDigest(op.body.parents));

    // Well within the validity: the same key.
    now += CERT_VALIDITY_MS / 4;
    const keys = await cell.publicationKeys();
    expect(keys.chain).toHaveLength(1);
    // Less than half of it left: a new link, certified by the previous key.
    now += CERT_VALIDITY_MS / 2;
    const renewed = await cell.publicationKeys();
    expect(renewed.chain).toHaveLength(2);
    expect(renewed.chain[1]!.expires).toBe(now + CERT_VALIDITY_MS);
    expect(publication.foreignLink(renewed.chain)).toBeUndefined();
    // Long offline, past the end: renewed before it signs anything.
    now += CERT_VALIDITY_MS * 2;
    expect((await cell.publicationKeys()).chain.at(-1)!.expires).toBe(now + CERT_VALIDITY_MS);

    // A past holder of key 0 forks: its link is not the log's.
    const fork = await rotatedKeys(cell.id, { signing: keys.signing, chain: keys.chain });
    expect(publication.foreignLink(fork.chain)).toBe(1);
    expect(publication.foreignLink([{ ...renewed.chain[0]!, expires: 1 }])).toBe(0);
  });
});
