/**
 * Recovery phrases made before the mailbox was keyed by the phrase (issue 11, H3, migration), through three
 * in-process relays: the cell lives on two of them; the third holds only what the old code posted, the log
 * in the mailbox derived from the recovery device's public key. A device that reaches only that relay
 * still finds its cell with the phrase, and refuses the old mailbox when two cells there claim the phrase.
 */
import { describe, expect, it } from "vitest";
import { own, randomBytes, toBase64Url } from "../../core/base/bytes.js";
import { type DocId, memberIdOf } from "../../core/base/ids.js";
import type { DeviceIdentity } from "../../core/crypto/identity.js";
import {
  legacyRecoveryMailbox,
  recoveryIdentity,
  recoveryMailbox,
  recoveryMailboxSecret,
} from "../../core/crypto/recovery-phrase.js";
import { createGenesis, publicKeys, writeOp } from "../../core/governance/actions.js";
import { GovernanceLog } from "../../core/governance/log.js";
import { readOps } from "../../core/governance/ops.js";
import type { SignedOp } from "../../core/governance/types.js";
import { Cell, IntegrityError } from "../../core/index.js";
import { EnvelopeKind, sealEnvelope } from "../../core/protocol/envelope.js";
import { sealedEpoch } from "../../core/protocol/scope-keys.js";
import { admittedCell, relayDevice, relayFixture } from "../support/cells.js";
import { looseIdentity, until } from "../support/devices.js";

const network = relayFixture(3);
const cellRelays = () =>
  network
    .relays()
    .slice(0, 2)
    .map((r) => r.url);
const oldRelay = () => network.relays()[2]!.url;

/** Posts ops to the legacy mailbox of `phrase` on the third relay, in an envelope `author` signs. */
async function postLegacy(phrase: string, author: DeviceIdentity, ops: readonly SignedOp[]) {
  const recovery = await recoveryIdentity(phrase);
  const legacy = await legacyRecoveryMailbox(toBase64Url(recovery.agreementPublicKey));
  const epoch = await sealedEpoch(legacy.scope, 1, legacy.secret);
  const envelope = await sealEnvelope(author, epoch, {
    kind: EnvelopeKind.governance,
    docId: legacy.scope as string as DocId,
    session: randomBytes(16),
    items: ops.map((op) => op.bytes),
  });
  const res = await fetch(`${oldRelay()}/t/${epoch.topic}`, { method: "POST", body: own(envelope) });
  expect(res.ok).toBe(true);
}

/** A cell of F and X where X made a phrase; the log X's device posted, as the old code also posted it. */
async function cellWithPhrase() {
  const [f, x] = [await relayDevice(cellRelays()), await relayDevice(cellRelays())];
  const { cell, cells } = await admittedCell(f, "Fatima", [{ kit: x, name: "Xavier" }]);
  const phrase = await cells[0]!.createRecovery("en");
  const watcher = await relayDevice(cellRelays());
  const mailbox = await recoveryMailbox(await recoveryMailboxSecret(phrase));
  const ops = new Map<string, SignedOp>();
  watcher.onGovernance(mailbox.scope, async (opened) => {
    const items = opened.body.items.filter((i) => i[0] === 0x7b && i[2] === 0x62); // {"body"…, not the cert
    for (const op of await readOps(items)) ops.set(op.hash, op);
  });
  await watcher.addScope(mailbox.scope, mailbox.secret);
  await until(
    () => [...ops.values()].some((op) => op.body.op.type === "share-keys"),
    "X's device to post the log with the recovery device's keys",
  );
  return { cell, x, phrase, ops: [...ops.values()] };
}

describe("a recovery phrase made before the phrase-keyed mailbox", () => {
  it("still finds its cell from what the old mailbox kept", async () => {
    const { cell, x, phrase, ops } = await cellWithPhrase();
    await postLegacy(phrase, x.device, ops);
    const laptop = await relayDevice([oldRelay()]);
    const restored = await Cell.recover(laptop, phrase);
    expect(restored.id).toBe(cell.id);
    expect(restored.me()?.name).toBe("Xavier");
  }, 90_000);

  it("is refused when two cells claim the phrase in the old mailbox", async () => {
    const { x, phrase, ops } = await cellWithPhrase();
    await postLegacy(phrase, x.device, ops);
    // Someone who saw the log plants a clone that certifies the same recovery device.
    const attacker = await looseIdentity();
    const genesis = await createGenesis(attacker, "Cellule Louise-Michel", "Xavier");
    const clone = GovernanceLog.fromGenesis(genesis);
    const recovery = await recoveryIdentity(phrase);
    const certify = await writeOp(attacker, clone, {
      type: "add-device",
      member: memberIdOf(attacker.id),
      device: publicKeys(recovery),
      recovery: true,
    });
    await postLegacy(phrase, attacker, [genesis, certify]);
    const laptop = await relayDevice([oldRelay()]);
    await expect(Cell.recover(laptop, phrase)).rejects.toBeInstanceOf(IntegrityError);
  }, 90_000);
});
