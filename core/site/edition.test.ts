import { describe, expect, it } from "vitest";
import { fromUtf8, utf8 } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError, WrongCellError } from "../base/errors.js";
import { generateAgreementKeyPair, generateSigningKeyPair } from "../crypto/suite.js";
import { readOp } from "../governance/ops.js";
import { certifyPublication } from "../protocol/publication-cert.js";
import { verifyEdition } from "../public/verify.js";
import vector from "../test-vectors/edition-v2.json" with { type: "json" };
import { buildEdition, signEdition } from "./edition.js";
import { LINK, NOW, publishingCell, sampleContent } from "./test-support.js";

async function edition() {
  const cell = await publishingCell();
  const body = buildEdition(cell.genesis, cell.keys.chain, sampleContent(), NOW);
  const bytes = await signEdition(body, cell.keys.signing.privateKey);
  return { ...cell, body, bytes };
}

describe("editions", () => {
  it("round trip: only public posts (pinned first, then newest) and upcoming public events", async () => {
    const { genesis, bytes, keys } = await edition();
    const v = await verifyEdition(bytes, genesis.hash);
    expect(v.cell).toBe(genesis.hash);
    expect(v.posts.map((p) => p.id)).toEqual(["p3", "p2", "p1"]);
    expect(v.events.map((e) => e.id)).toEqual(["e1"]);
    expect(v.admissionKey).toBe(keys.chain[0]!.admission);
    expect(fromUtf8(bytes)).not.toContain("Code de la porte");
    expect(fromUtf8(bytes)).not.toContain("Réunion interne");
  });

  it("buildEdition honours the post limit and is deterministic", async () => {
    const { genesis, keys } = await publishingCell();
    const a = buildEdition(genesis, keys.chain, sampleContent(), NOW, 1);
    expect(a.posts.map((p) => p.id)).toEqual(["p3"]);
    expect(buildEdition(genesis, keys.chain, sampleContent(), NOW, 1)).toEqual(a);
  });

  it("refuses a flipped byte anywhere in the edition", async () => {
    const { bytes, genesis } = await edition();
    for (const at of [20, Math.floor(bytes.length / 2), bytes.length - 10]) {
      const bad = bytes.slice();
      bad[at]! ^= 0x01;
      await expect(verifyEdition(bad, genesis.hash)).rejects.toBeInstanceOf(IntegrityError);
    }
  });

  it("refuses an edition of another cell, and a genesis swapped for another cell's", async () => {
    const a = await edition();
    const b = await edition();
    await expect(verifyEdition(a.bytes, b.genesis.hash)).rejects.toBeInstanceOf(WrongCellError);
    // A's edition body claiming B's cell, re-signed by A's key: B's genesis does not certify A's key.
    const forged = await signEdition(
      { ...a.body, cell: b.genesis.hash, genesis: b.body.genesis },
      a.keys.signing.privateKey,
    );
    await expect(verifyEdition(forged, b.genesis.hash)).rejects.toThrow(/publication certificate 0/);
    // Claiming B's cell ID with A's genesis: the genesis does not hash to it.
    const lying = await signEdition({ ...a.body, cell: b.genesis.hash }, a.keys.signing.privateKey);
    await expect(verifyEdition(lying, b.genesis.hash)).rejects.toThrow(/does not hash/);
  });

  it("refuses a forged chain and accepts a real rotation", async () => {
    const { genesis, founder, keys, body } = await edition();
    const intruder = await generateSigningKeyPair();
    const adm = await generateAgreementKeyPair();
    // A certificate for the intruder's key signed by the intruder itself.
    const self = await certifyPublication(
      genesis.hash,
      keys.chain,
      intruder.privateKey,
      intruder.publicKey,
      adm.publicKey,
      LINK,
    );
    const forged = await signEdition({ ...body, chain: [...keys.chain, self] }, intruder.privateKey);
    await expect(verifyEdition(forged)).rejects.toBeInstanceOf(IntegrityError);
    // A first certificate signed by the founder but for the wrong position (index 1 reused as 0).
    const next = await generateSigningKeyPair();
    const rotation = await certifyPublication(
      genesis.hash,
      keys.chain,
      keys.signing.privateKey,
      next.publicKey,
      adm.publicKey,
      LINK,
    );
    await expect(
      verifyEdition(await signEdition({ ...body, chain: [rotation] }, next.privateKey)),
    ).rejects.toBeInstanceOf(IntegrityError);
    // The real rotation verifies, and the old key can no longer sign.
    const chain = [...keys.chain, rotation];
    const rotated = await verifyEdition(await signEdition({ ...body, chain }, next.privateKey), genesis.hash);
    expect(rotated.admissionKey).toBe(rotation.admission);
    await expect(
      verifyEdition(await signEdition({ ...body, chain }, keys.signing.privateKey)),
    ).rejects.toThrow(/edition: bad signature/);
    // The founder may not certify a rotation, nor a key the first certificate.
    await expect(
      certifyPublication(genesis.hash, keys.chain, founder, next.publicKey, adm.publicKey, LINK),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      certifyPublication(genesis.hash, [], next.privateKey, next.publicKey, adm.publicKey, LINK),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("refuses an edition dated after its certificate's end", async () => {
    const { genesis, keys, body } = await edition();
    const next = await generateSigningKeyPair();
    const adm = await generateAgreementKeyPair();
    const link = { expires: NOW + 1000, heads: [] };
    const cert = await certifyPublication(
      genesis.hash,
      keys.chain,
      keys.signing.privateKey,
      next.publicKey,
      adm.publicKey,
      link,
    );
    const chain = [...keys.chain, cert];
    await verifyEdition(await signEdition({ ...body, chain, at: NOW + 1000 }, next.privateKey), genesis.hash);
    await expect(
      verifyEdition(await signEdition({ ...body, chain, at: NOW + 1001 }, next.privateKey), genesis.hash),
    ).rejects.toThrow(/after its certificate's end/);
    // The end is signed: moving it breaks the certificate.
    const moved = [...keys.chain, { ...cert, expires: NOW + 10_000 }];
    await expect(
      verifyEdition(
        await signEdition({ ...body, chain: moved, at: NOW + 1001 }, next.privateKey),
        genesis.hash,
      ),
    ).rejects.toThrow(/publication certificate 1: bad signature/);
  });

  it("refuses malformed bytes with IntegrityError", async () => {
    for (const text of ["", "{}", "null", '{"edition":{},"sig":"x"}', "\u00ff".repeat(10)]) {
      await expect(verifyEdition(utf8(text))).rejects.toBeInstanceOf(IntegrityError);
    }
    await expect(verifyEdition(new Uint8Array([0xff, 0xfe]))).rejects.toBeInstanceOf(IntegrityError);
    const { bytes } = await edition();
    // A signature of 85 characters is not base64 at all.
    const cut = fromUtf8(bytes).replace(
      /"sig":"([^"]+)"}$/,
      (_, sig: string) => `"sig":"${sig.slice(0, 85)}"}`,
    );
    await expect(verifyEdition(utf8(cut))).rejects.toBeInstanceOf(IntegrityError);
    await expect(verifyEdition("text" as unknown as Uint8Array)).rejects.toBeInstanceOf(IntegrityError);
    // A certificate's key or signature that is not base64url (other alphabet, padding, garbage, wrong size).
    const { body, keys } = await edition();
    const cert = body.chain[0]!;
    for (const [field, value] of [
      ["key", cert.key.replace(/^./, "+")],
      ["key", `${cert.key}=`],
      ["key", "!!!!"],
      ["sig", cert.sig.replace(/^./, "/")],
      ["sig", cert.sig.slice(0, 85)],
      ["sig", ""],
    ] as const) {
      const chain = [{ ...cert, [field]: value }];
      const forged = await signEdition({ ...body, chain }, keys.signing.privateKey);
      await expect(verifyEdition(forged), `${field} ${value.slice(0, 8)}`).rejects.toThrow(
        /publication certificate 0: (malformed key or signature|bad signature)/,
      );
    }
    await expect(verifyEdition(new Uint8Array(3 * 1024 * 1024))).rejects.toBeInstanceOf(IntegrityError);
  });

  it("bad content gets InvalidArgumentError and no edition", async () => {
    const { genesis, keys } = await publishingCell();
    const bad: [string, (c: ReturnType<typeof sampleContent>) => void][] = [
      ["empty name", (c) => (c.profile.name = " ")],
      ["javascript link", (c) => ((c.posts[0] as { link?: string }).link = " JavaScript:alert(1)")],
      ["data link", (c) => ((c.posts[0] as { link?: string }).link = "data:text/html,x")],
      ["relay not http", (c) => (c.profile.relays = ["mailto:x@example.org"])],
      ["event ends first", (c) => ((c.events[0] as { end: number }).end = 0)],
      ["bad visibility", (c) => ((c.posts[0] as { visibility: string }).visibility = "everyone")],
      ["huge title", (c) => ((c.posts[0] as { title: string }).title = "x".repeat(1_000_000))],
      ["pinned not boolean", (c) => ((c.posts[0] as { pinned?: unknown }).pinned = "yes")],
      ["date not a time", (c) => ((c.posts[0] as { date: number }).date = Number.NaN)],
    ];
    for (const [what, spoil] of bad) {
      const c = sampleContent();
      spoil(c);
      expect(() => buildEdition(genesis, keys.chain, c, NOW), what).toThrow(InvalidArgumentError);
    }
    expect(() => buildEdition(genesis, [], sampleContent(), NOW)).toThrow(InvalidArgumentError);
    expect(() => buildEdition(genesis, keys.chain, sampleContent(), -1)).toThrow(InvalidArgumentError);
  });

  it("test vector: fixed edition bytes verify, and rebuilding gives the same signed body", async () => {
    const bytes = utf8(vector.edition);
    const v = await verifyEdition(bytes, vector.cell);
    expect(v.posts.map((p) => p.id)).toEqual(["p3", "p2", "p1"]);
    const genesis = await readOp(utf8(vector.genesis));
    expect(genesis.hash).toBe(vector.cell);
    const body = buildEdition(genesis, v.chain, sampleContent(), v.at);
    const signed = await signEdition(body, (await generateSigningKeyPair()).privateKey);
    // Same body bytes as the vector (only the signature differs).
    const strip = (b: Uint8Array) => fromUtf8(b).replace(/,"sig":"[^"]+"}$/, "");
    expect(strip(signed)).toBe(strip(bytes));
  });
});

describe("the verifier stays small", () => {
  it("imports nothing beyond bytes, crypto, errors and the format (no Automerge, no WASM)", async () => {
    const { readFile } = await import("node:fs/promises");
    const seen = new Set<string>();
    const walk = async (url: URL): Promise<void> => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const text = await readFile(url, "utf8");
      for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm)) {
        expect(m[1], `${url.pathname} imports ${m[1]}`).toMatch(/^\.\.?\//);
        await walk(new URL(m[1]!.replace(/\.js$/, ".ts"), url));
      }
    };
    await walk(new URL("../public/verify.ts", import.meta.url));
    const names = [...seen].map((u) => u.replace(/^.*\/core\//, "")).sort();
    // crypto/node-backend.ts only names node:crypto's types; widget bundles replace it with a stub.
    expect(names).toEqual([
      "base/bytes.ts",
      "base/errors.ts",
      "crypto/node-backend.ts",
      "crypto/suite.ts",
      "protocol/edition-format.ts",
      "public/verify.ts",
    ]);
  });
});
