/**
 * The recovery mailbox against someone who saw the log (issue 11, H3), through two in-process relays: a
 * removed member who derives the mailbox the old way (from the recovery device's public key, in the log)
 * reads nothing posted after the removal, and the fake cell they plant there is not the one a recovery
 * finds; the phrase's own mailbox, whose secret the member's other devices get handed, is where the log is.
 */
import { describe, expect, it } from "vitest";
import type { ScopeId } from "../../core/base/ids.js";
import { memberIdOf } from "../../core/base/ids.js";
import {
  legacyRecoveryMailbox,
  recoveryMailbox,
  recoveryMailboxSecret,
} from "../../core/crypto/recovery-phrase.js";
import { createGenesis, writeOp } from "../../core/governance/actions.js";
import { GovernanceLog } from "../../core/governance/log.js";
import { readOps } from "../../core/governance/ops.js";
import type { SignedOp } from "../../core/governance/types.js";
import { Cell, type Kit, type LinkRequest } from "../../core/index.js";
import { admittedCell, relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";

const network = relayFixture();
const device = () => network.device();

/** Every op that arrives on a mailbox scope on `kit`, with the device that signed its envelope. */
async function listen(kit: Kit, mailbox: { scope: ScopeId; secret: Uint8Array }) {
  const got: { author: string; op: SignedOp }[] = [];
  kit.onGovernance(mailbox.scope, async (opened) => {
    const ops = await readOps(
      opened.body.items.filter((i) => !String.fromCharCode(...i.subarray(0, 5)).startsWith('{"t"')),
    );
    for (const op of ops) got.push({ author: opened.body.authorId, op });
  });
  await kit.addScope(mailbox.scope, mailbox.secret);
  return got;
}

describe("the recovery mailbox", () => {
  it("gives a removed member nothing posted after the removal, and no way to plant a cell", async () => {
    const [f, x, r] = [await device(), await device(), await device()] as [Kit, Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [
      { kit: x, name: "Xavier" },
      { kit: r, name: "Rémi" },
    ]);
    const [xCell, rCell] = cells as [Cell, Cell];
    const phrase = await xCell.createRecovery("en");
    const recoveryOf = (c: Cell) =>
      [...c.state.devices.values()].find((d) => d.recovery && d.member === xCell.me()!.id && !d.removed);
    await until(() => recoveryOf(rCell) !== undefined, "R to see X's recovery device");
    const recoveryKeys = recoveryOf(rCell)!.keys;

    // R keeps what the log showed: the mailbox as it was derived before (from a public key).
    const legacy = await legacyRecoveryMailbox(recoveryKeys.agreement);
    const readByR = await listen(r, legacy);
    // Someone with the phrase (the real mailbox), to see that X's device does post.
    const watcher = await device();
    const readWithPhrase = await listen(watcher, await recoveryMailbox(await recoveryMailboxSecret(phrase)));

    await cell.remove(rCell.me()!.id);
    const n = await device();
    const nCell = await Cell.join(n, await cell.invite(), { name: "Nour" });
    await until(() => cell.members().some((m) => m.status === "pending"), "N's redeem");
    await cell.admit(cell.members().find((m) => m.status === "pending")!.id);
    await nCell.whenMember();
    const byN = (got: { op: SignedOp }[]) => got.some((g) => g.op.authorId === n.device.id);
    await until(() => byN(readWithPhrase) || byN(readByR), "X's device to post N's redeem");
    expect(byN(readByR)).toBe(false);
    expect(byN(readWithPhrase)).toBe(true);
    // X's devices alone sign what the phrase's mailbox holds.
    expect(new Set(readWithPhrase.map((g) => g.author))).toEqual(new Set([x.device.id]));

    // R plants a clone cell that certifies X's recovery device, in the only mailbox R can derive.
    const genesis = await createGenesis(r.device, "Cellule Louise-Michel", "Xavier");
    const clone = GovernanceLog.fromGenesis(genesis);
    const certify = await writeOp(r.device, clone, {
      type: "add-device",
      member: memberIdOf(r.device.id),
      device: recoveryKeys,
      recovery: true,
    });
    await r.publishGovernance(legacy.scope, legacy.scope, [genesis.bytes, certify.bytes]);

    const laptop = await device();
    const restored = await Cell.recover(laptop, phrase);
    expect(restored.id).toBe(cell.id);
    expect(restored.me()?.name).toBe("Xavier");
    await until(() => restored.members().some((m) => m.name === "Nour"), "the laptop to know N");
  }, 90_000);

  it("hands the mailbox's secret to the member's other devices, which post there too", async () => {
    const [f, phone] = [await device(), await device()] as [Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [{ kit: phone, name: "Ali" }]);
    const ali = cells[0]!;
    const offer = await ali.startLink();
    const laptop = await device();
    const requested = new Promise<LinkRequest>((resolve) => offer.on("request", resolve));
    const { checkCode, cell: linked } = await Cell.link(laptop, offer.code);
    await requested;
    await offer.confirm(await checkCode);
    const onLaptop = await linked;

    const phrase = await ali.createRecovery();
    const watcher = await device();
    const got = await listen(watcher, await recoveryMailbox(await recoveryMailboxSecret(phrase)));
    await phone.close(500);
    // Something new once the phone is gone: only the laptop can post it.
    await cell.invite();
    await until(() => onLaptop.heads.join() === cell.heads.join(), "the laptop to get the new op");
    await until(() => got.some((g) => g.author === laptop.device.id), "the laptop to post to the mailbox");
  }, 90_000);

  it("posts nothing more once a device that may hold the secret is removed; the phrase still recovers", async () => {
    const [f, phone] = [await device(), await device()] as [Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [{ kit: phone, name: "Ali" }]);
    const ali = cells[0]!;
    const offer = await ali.startLink();
    const stolen = await device();
    const requested = new Promise<LinkRequest>((resolve) => offer.on("request", resolve));
    const { checkCode, cell: linked } = await Cell.link(stolen, offer.code);
    await requested;
    await offer.confirm(await checkCode);
    await linked;
    const phrase = await ali.createRecovery();
    const mailbox = await recoveryMailbox(await recoveryMailboxSecret(phrase));
    // The linked device was handed the secret: it posts to the mailbox too (and so can read it).
    const watcher = await device();
    const got = await listen(watcher, mailbox);
    await until(() => got.some((g) => g.author === stolen.device.id), "the linked device to post");

    // It is stolen: Ali removes it, then F admits N. Whoever holds the secret sees none of that.
    await ali.removeDevice(stolen.device.id);
    const n = await device();
    const nCell = await Cell.join(n, await cell.invite(), { name: "Nour" });
    await until(() => cell.members().some((m) => m.status === "pending"), "N's redeem");
    await cell.admit(cell.members().find((m) => m.status === "pending")!.id);
    await nCell.whenMember();
    await until(() => ali.members().some((m) => m.name === "Nour" && m.status === "member"), "Ali to see N");
    expect(got.some((g) => g.op.authorId === n.device.id)).toBe(false);

    // Ali loses her phone too: the phrase finds the cell, and what came later through its scopes.
    await phone.close(500);
    const laptop = await device();
    const restored = await Cell.recover(laptop, phrase);
    expect(restored.id).toBe(cell.id);
    await until(
      () => restored.members().some((m) => m.name === "Nour" && m.status === "member"),
      "the laptop to know N",
    );
    await until(
      () => restored.state.devices.get(stolen.device.id)?.removed === true,
      "the laptop to know the theft",
    );
  }, 120_000);
});
