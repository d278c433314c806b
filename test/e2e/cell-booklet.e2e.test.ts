/**
 * The membership booklet end to end, through two in-process relays: the secretary adds a held member and
 * the sender of a contact request; the treasurer (an officer) finds them; a plain member cannot open it;
 * a CSV import with a bad row changes nothing; a held member who gets a device claims their record.
 */
import { describe, expect, it } from "vitest";
import { Booklet } from "../../core/booklet/index.js";
import {
  Cell,
  CelluleError,
  contactTopic,
  InvalidArgumentError,
  type Kit,
  sealContact,
} from "../../core/index.js";
import { admittedCell, relayFixture } from "../support/cells.js";
import { until, whenOpen } from "../support/devices.js";

const network = relayFixture();
const device = () => network.device();

const opened = (cell: Cell): Promise<Booklet> =>
  whenOpen(() => Booklet.open(cell), "the booklet to reach this device");

describe("the membership booklet", () => {
  it("is kept by the officers, imported and exported as CSV, and claimed by a held member", async () => {
    const [f, t, m] = [await device(), await device(), await device()] as [Kit, Kit, Kit];
    const { cell, cells } = await admittedCell(f, "Fatima", [
      { kit: t, name: "Théo", role: "treasurer" },
      { kit: m, name: "Marc" },
    ]);
    const [theo, marc] = cells as [Cell, Cell];
    const fatima = cell.me()!.id;

    const booklet = await Booklet.open(cell);
    const jeanne = await booklet.add({
      kind: "held",
      name: "Jeanne Roux",
      reach: "04 78 00 00 00 (fixe)",
      place: "Rue de Marseille",
      joined: "2019-05-01",
      holder: fatima,
      consent: { on: "2019-05-01", how: "written" },
    });
    await expect(booklet.add({ kind: "held", name: "X", holder: "nobody" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );

    // A visitor's contact request becomes a contact, with the consent given on the form; only once.
    const chain = cell.state.publication;
    const sealed = await sealContact(cell.id, chain.at(-1)!.cert.admission, chain.length - 1, {
      name: "Nadia Kaci",
      reach: "nadia@example.org",
      message: "Je voudrais aider",
      consent: true,
      lang: "fr",
    });
    await fetch(`${network.relays()[0]!.url}/t/${await contactTopic(cell.id)}`, {
      method: "POST",
      body: sealed as never,
    });
    await until(async () => (await cell.contacts()).length === 1, "the contact request");
    const [request] = await cell.contacts();
    const nadia = await booklet.addFromContact(request!);
    expect(await booklet.addFromContact(request!)).toEqual(nadia);
    expect(nadia).toMatchObject({ kind: "contact", name: "Nadia Kaci", consent: { how: "form" } });

    // Théo, the treasurer, is an officer: he finds them as he types.
    const his = await opened(theo);
    await until(async () => (await his.people()).length === 2, "Théo to see both");
    expect((await his.index()).filter({ text: "jea rou" }).map((p) => p.id)).toEqual([jeanne.id]);

    // Marc is not an officer: he holds no key to the booklet.
    const attempt = await Booklet.open(marc).then(
      () => "opened",
      (e) => e,
    );
    expect(attempt).toBeInstanceOf(CelluleError);

    // A CSV with one bad row changes nothing; a good one adds and updates.
    const bad = await booklet.preview(
      "nom;type;adhésion\nPaul Morel;adhérent;2026-11-02\nLina;adhérent;hier\n",
    );
    expect(bad.ok).toBe(false);
    await expect(booklet.import(bad)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await booklet.people()).toHaveLength(2);
    const csv = `id,nom,type,lieu\n${jeanne.id},Jeanne Roux,adhérent sans appareil,Rue Béchevelin\n,Paul Morel,adhérent,\n`;
    const noHolder = await booklet.preview(csv);
    expect(noHolder.rows[0]!.errors.map((e) => e.field)).toEqual(["holder"]); // a held member needs a holder
    const withHolder = `id,nom,type,lieu,détenteur\n${jeanne.id},Jeanne Roux,adhérent sans appareil,Rue Béchevelin,${fatima}\n,Paul Morel,adhérent,,\n`;
    const ok = await booklet.preview(withHolder);
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
    await booklet.import(ok);
    expect((await booklet.people()).map((p) => [p.name, p.place])).toEqual([
      ["Jeanne Roux", "Rue Béchevelin"],
      ["Nadia Kaci", ""],
      ["Paul Morel", ""],
    ]);
    expect((await booklet.exportCsv()).split("\r\n")).toHaveLength(5);

    // Jeanne gets a phone and joins; Fatima, who holds her record, confirms it is hers.
    const j = await device();
    const jeanneCell = await Cell.join(j, await cell.invite(), { name: "Jeanne Roux" });
    await until(() => cell.members().some((x) => x.status === "pending"), "Jeanne's request");
    const pending = cell.members().find((x) => x.status === "pending")!;
    await cell.admit(pending.id);
    await jeanneCell.whenMember();
    const claimed = await booklet.confirmClaim(jeanne.id, pending.id);
    expect(claimed).toMatchObject({
      kind: "member",
      member: pending.id,
      holder: "",
      claimed: { by: fatima },
    });
    await expect(booklet.confirmClaim(jeanne.id, pending.id)).rejects.toBeInstanceOf(InvalidArgumentError);
    await until(async () => (await his.get(jeanne.id)).kind === "member", "Théo to see the claim");

    await booklet.remove(nadia.id);
    expect((await booklet.people()).map((p) => p.name)).not.toContain("Nadia Kaci");
  }, 60_000);
});
