/**
 * Linking a second device to a member, through two in-process relays: the check code, a wrong code, an
 * expired code, and revoking the linked device.
 */
import { describe, expect, it } from "vitest";
import { Cell, CheckCodeError, ExpiredLinkError, InvalidArgumentError } from "../../core/index.js";
import { relayFixture } from "../support/cells.js";
import { until } from "../support/devices.js";
import { nextRequest, cellOfTwo as twoOnRelays } from "../support/link.js";

const network = relayFixture();
const device = () => network.device();

const cellOfTwo = () => twoOnRelays(device);

describe("linking a device", () => {
  it("links a laptop after the check code is confirmed; a wrong code links nothing; it can be revoked", async () => {
    const { f, cell, ali } = await cellOfTwo();
    const agenda = await ali.create<{ items: string[] }>("members", { items: ["Affiches"] });
    const offer = await ali.startLink();
    expect(offer.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);

    const laptop = await device();
    const requested = nextRequest(offer);
    const typed = ` ${offer.code.toLowerCase().replace("-", " ")} `;
    const { checkCode, cell: linked } = await Cell.link(laptop, typed);
    const request = await requested;
    expect(request.device).toBe(laptop.device.id);
    const shown = await checkCode;
    expect(shown).toBe(request.checkCode);

    const devicesBefore = ali.state.devices.size;
    const wrong = String((Number(shown) + 1) % 1_000_000).padStart(6, "0");
    await expect(offer.confirm(wrong)).rejects.toBeInstanceOf(CheckCodeError);
    expect(ali.state.devices.size).toBe(devicesBefore);

    expect(await offer.confirm(shown)).toBe(laptop.device.id);
    const onLaptop = await linked;
    expect(onLaptop.status).toBe("member");
    expect(onLaptop.me()?.name).toBe("Ali");
    await until(
      () => laptop.documents(onLaptop.scopeId("members")).includes(agenda.id),
      "the laptop to get the agenda",
    );
    expect((await onLaptop.open<{ items: string[] }>(agenda.id)).value().items).toEqual(["Affiches"]);
    await until(() => cell.state.devices.has(laptop.device.id), "the founder to see the new device");
    expect([...cell.members().find((m) => m.name === "Ali")!.devices]).toHaveLength(2);

    // The phone revokes the laptop: the scopes it read rotate, without it.
    const epoch = f.epochOf(cell.scopeId("members"))!.epoch;
    await ali.removeDevice(laptop.device.id);
    await until(() => (f.epochOf(cell.scopeId("members"))?.epoch ?? 0) > epoch, "the members key to rotate");
    await until(
      () => onLaptop.state.devices.get(laptop.device.id)?.removed === true,
      "the laptop to learn it",
    );
    expect(laptop.epochOf(onLaptop.scopeId("members"))!.epoch).toBe(epoch);
  }, 60_000);

  it("refuses an expired code on both sides, and a code that cannot be one", async () => {
    const { ali } = await cellOfTwo();
    const offer = await ali.startLink(200);
    await new Promise((r) => setTimeout(r, 300));
    const late = await device();
    const { checkCode, cell } = await Cell.link(late, offer.code, 1_000);
    await expect(checkCode).rejects.toBeInstanceOf(ExpiredLinkError);
    await expect(cell).rejects.toBeInstanceOf(ExpiredLinkError);
    await expect(offer.confirm("123456")).rejects.toBeInstanceOf(ExpiredLinkError);
    await expect(Cell.link(late, "ABC")).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(Cell.link(late, "ABCDE-FGHJ!")).rejects.toBeInstanceOf(InvalidArgumentError);
  }, 30_000);
});
