/**
 * The treasurer's book in the member space, in Chromium on a phone-sized screen, against the demo's relays
 * and the founder's device: who paid which of the last periods (who is behind, and how much), a stamp
 * corrected (a wrong correction refused with the field named), a stamp voided with a reason, a
 * subscription corrected — each a new signed entry the founder's device sees, the old one kept in its
 * history.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { invitationToText, periodOf, periodsUpTo, Treasury } from "../../core/index.js";
import { axeViolations, demoFixture } from "../support/demo.js";

const env = demoFixture("treasury-app");

/** The text of each cell of a payer's row in the dues table (the hidden words say paid or unpaid). */
const rowOf = (page: Page, name: string) =>
  page.locator("cell-app table.dues-grid tr", { has: page.getByRole("rowheader", { name }) }).locator("td");

describe("the treasury in the member space", () => {
  it("shows who is behind over the last periods, and corrects or voids entries with new signed ones", async () => {
    const cell = env.demo.officer.cell;
    const treasury = await Treasury.open(cell);
    await treasury.setRules({
      period: "month",
      currency: "EUR",
      remittedShare: 0.5,
      brackets: [{ id: "b1", label: "tarif unique", maxMonthlyIncome: null, amount: 500 }],
    });

    // Nadia joins by invitation on her phone; the founder admits her and makes her treasurer.
    const invite = invitationToText(await cell.invite({ single: true }));
    const phone = await (await env.browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    const problems: string[] = [];
    phone.on("pageerror", (e) => problems.push(e.message));
    await phone.goto(`${env.demo.relays[0]!.url}/app/#join=${cell.id}&invite=${encodeURIComponent(invite)}`);
    await phone.getByLabel("Votre nom").fill("Nadia Petit", { timeout: 30_000 });
    await phone.getByRole("button", { name: "Rejoindre la cellule" }).click();
    await expect
      .poll(() => cell.members().find((m) => m.name === "Nadia Petit")?.status, { timeout: 30_000 })
      .toBe("pending");
    const nadia = cell.members().find((m) => m.name === "Nadia Petit")!.id;
    await cell.admit(nadia);
    await cell.grant(nadia, "treasurer");
    await phone.getByRole("button", { name: "Je les ai notés" }).click({ timeout: 30_000 });

    // The founder recorded her dues for two of the last six months.
    const months = periodsUpTo(periodOf(Date.now(), "month"), 6);
    const older = await treasury.recordStamp({
      person: nadia,
      period: months[3]!,
      amount: 500,
      method: "cash",
    });
    const current = await treasury.recordStamp({
      person: nadia,
      period: months[5]!,
      amount: 500,
      method: "transfer",
    });
    await treasury.recordSubscription({
      person: nadia,
      publication: "Le Fil rouge",
      from: `${months[0]}-01`,
      to: `${Number(months[5]!.slice(0, 4)) + 1}-12-31`,
      paid: 1000,
      method: "cash",
    });

    await phone.getByRole("button", { name: "Trésorerie" }).click({ timeout: 30_000 });
    const paid = ["✗impayé", "✗impayé", "✗impayé", "✓payé", "✗impayé", "✓payé", "20.00 EUR"];
    await expect.poll(() => rowOf(phone, "Nadia Petit").allTextContents(), { timeout: 30_000 }).toEqual(paid);
    expect(await phone.getByRole("columnheader").allTextContents()).toEqual([
      "Adhérent",
      ...months,
      "Manque",
    ]);
    expect(await axeViolations(phone)).toEqual([]);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // She corrects the older stamp: a correction to 0 without a reason is refused, naming the field.
    const stamps = phone.locator("cell-app ul.stamps > li");
    const olderItem = stamps.filter({ hasText: months[3]! });
    await olderItem.getByText("Corriger ou annuler ce timbre").click();
    const correction = olderItem.getByRole("form", { name: "Corriger ou annuler ce timbre" });
    await correction.getByLabel("Montant").fill("0");
    await correction.getByRole("button", { name: "Enregistrer la correction" }).click();
    await expect
      .poll(() => phone.locator("cell-app p.status.error").textContent(), { timeout: 15_000 })
      .toContain("note");
    expect((await treasury.history(older.id)).length).toBe(1);
    await correction.getByLabel("Montant").fill("3");
    await correction.getByLabel("Note").fill("payé en partie");
    await correction.getByRole("button", { name: "Enregistrer la correction" }).click();
    await expect
      .poll(async () => (await treasury.history(older.id)).map((e) => e.kind === "stamp" && e.amount), {
        timeout: 30_000,
      })
      .toEqual([500, 300]);
    await expect
      .poll(() => stamps.filter({ hasText: months[3]! }).textContent(), { timeout: 15_000 })
      .toContain("correction");
    expect(await phone.locator("cell-app p.status.error").count()).toBe(0);

    // She voids the current month's stamp, saying why.
    const currentItem = stamps.filter({ hasText: months[5]! });
    await currentItem.getByText("Corriger ou annuler ce timbre").click();
    await currentItem.getByLabel("Pourquoi l'annuler").fill("saisi deux fois");
    await currentItem.getByRole("button", { name: "Annuler le timbre" }).click();
    await expect
      .poll(
        async () => (await treasury.history(current.id)).map((e) => [e.kind === "stamp" && e.amount, e.note]),
        {
          timeout: 30_000,
        },
      )
      .toEqual([
        [500, undefined],
        [0, "saisi deux fois"],
      ]);
    await expect
      .poll(() => rowOf(phone, "Nadia Petit").allTextContents(), { timeout: 15_000 })
      .toEqual(["✗impayé", "✗impayé", "✗impayé", "✗impayé", "✗impayé", "✗impayé", "27.00 EUR"]);
    expect(await currentItem.textContent()).toContain("annulé");

    // And corrects what her subscription cost.
    const subscription = phone.locator("cell-app ul.subscriptions > li", { hasText: "Le Fil rouge" });
    await subscription.getByText("Corriger ou annuler cet abonnement").click({ timeout: 15_000 });
    await subscription.getByLabel("Payé", { exact: true }).fill("15");
    await subscription.getByRole("button", { name: "Enregistrer la correction" }).click();
    await expect
      .poll(async () => (await treasury.entries()).subscriptions.map((s) => [s.publication, s.paid]), {
        timeout: 30_000,
      })
      .toEqual([["Le Fil rouge", 1500]]);
    expect(await axeViolations(phone)).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);
});
