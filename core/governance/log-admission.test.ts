/**
 * What a cell's log takes and cites (security review C2): only ops of devices it knows (or the redeem of
 * an invitation it holds) are its to keep; heads are the valid ops no valid op cites, so ops the rules
 * refuse are never cited, however many there are; an author cannot pile up ops waiting for parents.
 */
import { describe, expect, it } from "vitest";
import { toHex } from "../base/bytes.js";
import { QuotaError } from "../base/errors.js";
import { admit, createGenesis, createInvite, redeemInvite } from "./actions.js";
import { GovernanceLog, MAX_PENDING_PER_AUTHOR } from "./log.js";
import { signOp } from "./ops.js";
import { device } from "./scenario.test-support.js";
import type { OpHash } from "./types.js";

async function cellOfTwo() {
  const founder = await device();
  const ali = await device();
  const stranger = await device();
  const log = GovernanceLog.fromGenesis(await createGenesis(founder, "Cellule", "Fatima"));
  const { op, invitation } = await createInvite(founder, log, { expires: Date.now() + 60_000 });
  log.add(op);
  const redeem = await redeemInvite(ali, invitation, "Ali", [op.hash]);
  return { founder, ali, stranger, log, invite: op, invitation, redeem };
}

describe("the governance log", () => {
  it("knows the devices its ops introduce and the redeems of its invitations, no one else", async () => {
    const { founder, ali, stranger, log, invitation, redeem } = await cellOfTwo();
    const byStranger = await signOp(stranger, log.cellId, log.heads(), { type: "set-relays", relays: [] });
    expect(log.knowsAuthorOf(byStranger)).toBe(false);
    // A redeem of an invitation the log holds is taken (its proof is checked when it is read)...
    expect(log.knowsAuthorOf(redeem)).toBe(true);
    // ...but not one of an invitation it does not hold.
    const elsewhere = await redeemInvite(stranger, { ...invitation, id: "AAAA" }, "X", [log.cellId as never]);
    expect(log.knowsAuthorOf(elsewhere)).toBe(false);
    log.add(redeem);
    log.add(await admit(founder, log, ali.id as never));
    expect(log.knowsDevice(ali.id)).toBe(true);
    expect(log.knowsDevice(stranger.id)).toBe(false);
  });

  it("cites only valid ops: refused ones never become heads", async () => {
    const { founder, ali, log, redeem } = await cellOfTwo();
    log.add(redeem);
    log.add(await admit(founder, log, ali.id as never));
    const before = log.heads();
    // Ali, a plain member, may not change the relays: a hundred tries, all refused.
    for (let i = 0; i < 100; i++) {
      const op = await signOp(ali, log.cellId, before, {
        type: "set-relays",
        relays: [`wss://r${i}.example`],
      });
      expect(log.add(op)).toBe("added");
      expect(log.status(op.hash)?.valid).toBe(false);
    }
    expect(log.heads()).toEqual(before);
    // An op citing one of them is judged at the valid ops only, and becomes the head.
    const next = await createInvite(founder, log, { expires: Date.now() + 60_000 });
    log.add(next.op);
    expect(log.heads()).toEqual([next.op.hash]);
  });

  it("keeps at most MAX_PENDING_PER_AUTHOR ops of one author waiting for parents", async () => {
    const { founder, log } = await cellOfTwo();
    const missing = () => [toHex(crypto.getRandomValues(new Uint8Array(32))) as OpHash];
    for (let i = 0; i < MAX_PENDING_PER_AUTHOR; i++)
      log.add(await signOp(founder, log.cellId, missing(), { type: "set-relays", relays: [] }));
    expect(log.waiting).toBe(MAX_PENDING_PER_AUTHOR);
    const one = await signOp(founder, log.cellId, missing(), { type: "set-relays", relays: [] });
    expect(() => log.add(one)).toThrow(QuotaError);
    expect(log.waiting).toBe(MAX_PENDING_PER_AUTHOR);
  }, 60_000);
});
