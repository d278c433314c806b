/**
 * Authentic but malformed ops (what a tampered app could sign) are refused when read, with
 * `IntegrityError`, so they never reach the reducer; well-formed ops of every type still read.
 */
import { describe, expect, it } from "vitest";
import { IntegrityError } from "../base/errors.js";
import { createGenesis } from "./actions.js";
import { GovernanceLog } from "./log.js";
import { readOp, signOp } from "./ops.js";
import { device } from "./scenario.test-support.js";
import type { Op } from "./types.js";

const boxes = { ephemeral: "AAAA", entries: [{ tag: "AAAAAAAAAAA", box: "AAAA" }] };
const member = "m".repeat(43);
const cert = { key: "AAAA", admission: "BBBB", expires: 1, heads: "d".repeat(64), sig: "CCCC" };

describe("op shapes", () => {
  it("reads well-formed ops of every type", async () => {
    const f = await device();
    const log = GovernanceLog.fromGenesis(await createGenesis(f, "Cellule", "Fatima"));
    const ops: Op[] = [
      { type: "admit", member: member as never },
      { type: "rotate", scope: "members", epoch: 2, lockboxes: boxes, previous: null },
      { type: "share-keys", scope: "members", epoch: 2, member: member as never, lockboxes: boxes },
      {
        type: "open-pair",
        scope: `pair:${"a".repeat(22)}`,
        members: [member as never, "n".repeat(43) as never],
        lockboxes: boxes,
      },
      { type: "set-relays", relays: ["https://relais.example.org"] },
      { type: "approve-rules", proposal: "0".repeat(64) as never },
      { type: "publication", index: 0, cert, scope: "officers", epoch: 1, box: "AAAA" },
      {
        type: "set-policy",
        doc: "d" as never,
        scope: "public",
        writers: ["editor"],
        name: "members-journal",
      },
    ];
    for (const op of ops) {
      const signed = await signOp(f, log.cellId, log.heads(), op);
      expect((await readOp(signed.bytes)).hash).toBe(signed.hash);
    }
  });

  it("refuses signed ops with missing or mistyped fields", async () => {
    const f = await device();
    const log = GovernanceLog.fromGenesis(await createGenesis(f, "Cellule", "Fatima"));
    const malformed: unknown[] = [
      { type: "admit" },
      { type: "admit", member: 42 },
      { type: "set-relays", relays: "https://a.example" },
      { type: "set-relays", relays: [null] },
      { type: "rotate", scope: "members", epoch: 0, lockboxes: boxes, previous: null },
      { type: "rotate", scope: "members", epoch: 2, lockboxes: { ephemeral: "A" }, previous: null },
      { type: "rotate", scope: "members", epoch: 2, lockboxes: boxes, previous: "not base64!" },
      { type: "share-keys", scope: "members", epoch: 2, lockboxes: boxes },
      { type: "open-pair", scope: "pair:short", members: [member, "n"], lockboxes: boxes },
      { type: "open-pair", scope: `pair:${"a".repeat(22)}`, members: [member, member], lockboxes: boxes },
      { type: "set-role", member, role: "secretary", granted: "yes" },
      {
        type: "propose-rules",
        rules: { roles: { x: ["everything"] }, officers: [], scopes: {}, rulesQuorum: 1 },
      },
      { type: "propose-rules", rules: { roles: {}, officers: [], scopes: {}, rulesQuorum: 0 } },
      { type: "approve-rules", proposal: "zz" },
      { type: "admit", member: "x".repeat(5000) },
      { type: "set-policy", doc: "d", scope: "members", writers: "editor" },
      { type: "set-policy", doc: "d", scope: "members", writers: [], name: "Le Journal" },
      { type: "publication", index: -1, cert, scope: "officers", epoch: 1, box: "AAAA" },
      { type: "publication", index: 0, cert: { ...cert, sig: 7 }, scope: "officers", epoch: 1, box: "AAAA" },
      // A certificate that does not end, or is bound to no governance heads (issue 11, C3).
      {
        type: "publication",
        index: 0,
        cert: { ...cert, expires: undefined },
        scope: "officers",
        epoch: 1,
        box: "AAAA",
      },
      {
        type: "publication",
        index: 0,
        cert: { ...cert, heads: "DDDD" },
        scope: "officers",
        epoch: 1,
        box: "AAAA",
      },
      { type: "publication", index: 0, cert, scope: "officers", epoch: 0, box: "AAAA" },
      { type: "publication", index: 0, cert, scope: "officers", epoch: 1, box: "not base64!" },
    ];
    for (const op of malformed) {
      const signed = await signOp(f, log.cellId, log.heads(), op as Op);
      await expect(readOp(signed.bytes), JSON.stringify(op).slice(0, 80)).rejects.toBeInstanceOf(
        IntegrityError,
      );
    }
  });
});
