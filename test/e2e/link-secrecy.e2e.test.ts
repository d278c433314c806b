/**
 * The device link against someone who records the relays or knows the code (issue 11, H7 and M3), through
 * two in-process relays: the stored link traffic opened with the code holds no op of the log; a second
 * device answering aborts the link; a clone log signed by another key than the trusted device's is
 * refused; the QR code's long secret links too.
 */
import { describe, expect, it } from "vitest";
import { fromUtf8, own, randomBytes, utf8 } from "../../core/base/bytes.js";
import { type DocId, memberIdOf } from "../../core/base/ids.js";
import { linkChannel } from "../../core/cell/link.js";
import { createGenesis, publicKeys, writeOp } from "../../core/governance/actions.js";
import { GovernanceLog } from "../../core/governance/log.js";
import { readOps } from "../../core/governance/ops.js";
import { Cell, CheckCodeError } from "../../core/index.js";
import { EnvelopeKind, openEnvelope, sealEnvelope } from "../../core/protocol/envelope.js";
import { FrameType } from "../../core/protocol/relay.js";
import { sealedEpoch } from "../../core/protocol/scope-keys.js";
import { relayFixture } from "../support/cells.js";
import { looseIdentity, until } from "../support/devices.js";
import { nextRequest, cellOfTwo as twoOnRelays } from "../support/link.js";
import { AS_PEER, TestClient } from "../support/relay-client.js";

const network = relayFixture();
const device = () => network.device();

const cellOfTwo = () => twoOnRelays(device);

/** A governance envelope under the link channel of `code`, signed by `author`, posted to every relay. */
async function postOnChannel(
  code: string,
  author: Awaited<ReturnType<typeof looseIdentity>>,
  items: Uint8Array[],
) {
  const channel = await linkChannel(code);
  const epoch = await sealedEpoch(channel.scope, 1, channel.secret);
  const envelope = await sealEnvelope(author, epoch, {
    kind: EnvelopeKind.governance,
    docId: channel.scope as string as DocId,
    session: randomBytes(16),
    items,
  });
  for (const r of network.relays()) {
    const res = await fetch(`${r.url}/t/${epoch.topic}`, { method: "POST", body: own(envelope) });
    expect(res.ok).toBe(true);
  }
}

describe("linking a device, against code holders and recorded relays", () => {
  it("keeps the log out of what the code opens: the relays' link traffic holds no op", async () => {
    const { ali } = await cellOfTwo();
    // Everything the relay stores from now on, as someone with SUB_ALL (or the relay's disk) gets it.
    const recorder = await TestClient.connect(network.relays()[0]!.wsUrl, AS_PEER);
    await recorder.subAll(0);
    const offer = await ali.startLink();
    const laptop = await device();
    const requested = nextRequest(offer);
    const { checkCode, cell: linked } = await Cell.link(laptop, offer.code);
    await requested;
    expect(await offer.confirm(await checkCode)).toBe(laptop.device.id);
    expect((await linked).status).toBe("member");

    const channel = await linkChannel(offer.code);
    const key = await sealedEpoch(channel.scope, 1, channel.secret);
    const stored = recorder.ofType(FrameType.deliverAll).map((f) => f.envelope);
    let opened = 0;
    for (const bytes of stored) {
      const envelope = await openEnvelope(bytes, (topic) => (topic === key.topic ? key : undefined)).catch(
        () => undefined,
      );
      if (!envelope) continue;
      opened++;
      for (const item of envelope.body.items) {
        expect(["hello", "challenge", "done"]).toContain(JSON.parse(fromUtf8(item)).t);
      }
      expect(await readOps(envelope.body.items).catch(() => [])).toEqual([]);
    }
    // The hello, the challenge and the end; the log went elsewhere, sealed to the laptop's own key.
    expect(opened).toBe(3);
    recorder.ws.close();
  }, 60_000);

  it("aborts when more than one device answers the code: confirm refuses, nothing is linked", async () => {
    const { ali } = await cellOfTwo();
    const offer = await ali.startLink();
    const laptop = await device();
    const requested = nextRequest(offer);
    const { checkCode } = await Cell.link(laptop, offer.code);
    await requested;
    const shown = await checkCode;
    // A flood of hellos from other keys, by someone who saw the code.
    for (let i = 0; i < 200; i++) {
      const intruder = await looseIdentity();
      await postOnChannel(offer.code, intruder, [
        utf8(JSON.stringify({ t: "hello", agreement: "x", pake: "x" })),
      ]);
    }
    await until(
      () => offer.aborted || offer.requests().length > 1,
      "the trusted device to see the other answers",
    );
    const devices = ali.state.devices.size;
    await expect(offer.confirm(shown)).rejects.toBeInstanceOf(CheckCodeError);
    expect(ali.state.devices.size).toBe(devices);
  }, 60_000);

  it("refuses a clone log signed by another key than the trusted device's, and links the real cell", async () => {
    const { cell, ali } = await cellOfTwo();
    const offer = await ali.startLink();
    const laptop = await device();
    const requested = nextRequest(offer);
    const { checkCode, cell: linked } = await Cell.link(laptop, offer.code);
    await requested;
    const shown = await checkCode;

    // Someone who knows the code makes a clone cell that certifies the laptop, and sends it on the channel.
    const attacker = await looseIdentity();
    const genesis = await createGenesis(attacker, "Cellule Rosa-Parks", "Ali");
    const clone = GovernanceLog.fromGenesis(genesis);
    const certify = await writeOp(attacker, clone, {
      type: "add-device",
      member: memberIdOf(attacker.id),
      device: publicKeys(laptop.device),
    });
    clone.add(certify);
    const rejected = new Promise<void>((resolve) => laptop.on("rejected", () => resolve()));
    await postOnChannel(offer.code, attacker, [genesis.bytes, certify.bytes]);
    await postOnChannel(offer.code, attacker, [utf8(JSON.stringify({ t: "done", ops: 2, box: "x" }))]);
    await rejected;

    expect(await offer.confirm(shown)).toBe(laptop.device.id);
    const onLaptop = await linked;
    expect(onLaptop.id).toBe(cell.id);
    expect(onLaptop.me()?.name).toBe("Ali");
  }, 60_000);

  it("aborts on the new device when a second device challenges it", async () => {
    const { ali } = await cellOfTwo();
    const offer = await ali.startLink();
    const laptop = await device();
    const requested = nextRequest(offer);
    const { checkCode, cell: linked } = await Cell.link(laptop, offer.code);
    await requested;
    await checkCode;
    const attacker = await looseIdentity();
    const aborted = expect(linked).rejects.toBeInstanceOf(CheckCodeError);
    await postOnChannel(offer.code, attacker, [
      utf8(JSON.stringify({ t: "challenge", device: laptop.device.id, pake: "x", expires: 0 })),
    ]);
    await aborted;
  }, 60_000);

  it("links with the QR code's 130-bit secret", async () => {
    const { ali } = await cellOfTwo();
    const offer = await ali.startLink();
    expect(offer.qr).toMatch(/^[0-9A-Z]{26}$/);
    const laptop = await device();
    const requested = nextRequest(offer);
    const { checkCode, cell: linked } = await Cell.link(laptop, offer.qr);
    await requested;
    expect(await offer.confirm(await checkCode)).toBe(laptop.device.id);
    expect((await linked).me()?.name).toBe("Ali");
  }, 60_000);
});
