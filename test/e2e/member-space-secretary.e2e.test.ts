/**
 * The secretary's day in the member space, in Chromium on a phone-sized screen, against the demo's relays
 * and the founder's device: an invitation made in the app (its QR code decodes to its link) that a held
 * member uses once she has a phone, admitted from the app; her booklet record edited (consent with its
 * day and how), confirmed as hers; a record deleted on request; a contact message's sender added to the
 * booklet; the booklet printed as a table; and a new device linked from the QR code beside the link code.
 */
import type { Locator, Page } from "playwright-core";
import decodeQR from "qr/decode.js";
import { describe, expect, it } from "vitest";
import { Booklet, invitationToText } from "../../core/index.js";
import { axeViolations, demoFixture } from "../support/demo.js";

const env = demoFixture("secretary-app");

/** What a QR code on screen says: its drawn modules (the SVG path), rendered 4 px each and decoded. */
async function qrText(qr: Locator): Promise<string> {
  const { size, path } = await qr.evaluate((svg) => ({
    size: Number(svg.getAttribute("viewBox")!.split(" ")[2]),
    path: svg.querySelector("path")!.getAttribute("d")!,
  }));
  const dark = new Set([...path.matchAll(/M(\d+) (\d+)/g)].map((m) => `${m[1]},${m[2]}`));
  const scale = 4;
  const width = size * scale;
  const data = new Uint8Array(width * width * 4).fill(255);
  for (let y = 0; y < width; y++)
    for (let x = 0; x < width; x++)
      if (dark.has(`${Math.floor(x / scale)},${Math.floor(y / scale)}`))
        data.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
  return decodeQR({ width, height: width, data });
}

/** Whether the keyboard focus is in the booklet's search box. */
const searchFocused = (page: Page) =>
  page.evaluate(
    () =>
      (document.querySelector("cell-app")!.shadowRoot!.activeElement as HTMLInputElement | null)?.type ===
      "search",
  );

/** A phone-sized page that records page errors. */
async function phone(problems: string[]): Promise<Page> {
  const page = await (await env.browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  page.on("pageerror", (e) => problems.push(e.message));
  return page;
}

describe("the secretary in the member space", () => {
  it("invites with a link and a QR code, keeps the booklet, prints it, and links a device by QR code", async () => {
    const cell = env.demo.officer.cell;
    const problems: string[] = [];

    // Sofia, invited by the founder as secretary, joins on her phone.
    const sofia = await phone(problems);
    const invite = invitationToText(await cell.invite({ single: true, role: "secretary" }));
    await sofia.goto(`${env.demo.relays[0]!.url}/app/#join=${cell.id}&invite=${encodeURIComponent(invite)}`);
    await sofia.getByLabel("Votre nom").fill("Sofia Marchand", { timeout: 30_000 });
    await sofia.getByRole("button", { name: "Rejoindre la cellule" }).click();
    await expect
      .poll(() => cell.members().find((m) => m.name === "Sofia Marchand")?.status, { timeout: 30_000 })
      .toBe("pending");
    await cell.admit(cell.members().find((m) => m.name === "Sofia Marchand")!.id);
    await sofia.getByRole("button", { name: "Je les ai notés" }).click({ timeout: 30_000 });

    // She records Rose, who has no phone yet, as a held member.
    await sofia.getByRole("button", { name: "Carnet", exact: true }).click({ timeout: 30_000 });
    await sofia.getByText("Ajouter une personne").click({ timeout: 30_000 });
    const add = sofia.locator("cell-app details.no-print form");
    await add.getByLabel("Type").selectOption("held");
    await add.getByLabel("Nom", { exact: true }).fill("Rose Lenoir");
    await add.getByRole("button", { name: "Ajouter", exact: true }).click();
    const rose = sofia.locator("cell-app ul.people > li", { hasText: "Rose Lenoir" });
    await rose.waitFor({ timeout: 30_000 });

    // Her record gets how to reach her and her written consent.
    await rose.getByText("Modifier la fiche de Rose Lenoir").click();
    const record = rose.getByRole("form", { name: "Fiche de Rose Lenoir" });
    await record.getByLabel("Contact (courriel, téléphone)").fill("06 12 34 56 78");
    await record.getByLabel("Consentement recueilli").check();
    await record.getByLabel("Consentement donné le").fill("2026-11-20");
    await record.locator('select[name="how"]').selectOption("written");
    await record.getByRole("button", { name: "Enregistrer" }).click();
    const booklet = await Booklet.open(cell);
    const roseNow = async () => (await booklet.people()).find((p) => p.name === "Rose Lenoir");
    await expect
      .poll(
        async () => {
          const p = await roseNow();
          return [p?.kind, p?.reach, p?.consent];
        },
        { timeout: 30_000 },
      )
      .toEqual(["held", "06 12 34 56 78", { on: "2026-11-20", how: "written" }]);

    // Rose now has a phone: Sofia makes an invitation in the app; its QR code says its link.
    await sofia.getByRole("button", { name: "Responsables", exact: true }).click();
    const inviteForm = sofia.getByRole("form", { name: "Inviter quelqu'un" });
    expect(await inviteForm.getByLabel("Rôle").locator("option").allTextContents()).toEqual([
      "adhérent·e",
      "rédacteur·rice",
      "secrétaire",
      "trésorier·e",
    ]);
    await inviteForm.getByLabel("Valable").selectOption("1");
    await inviteForm.getByRole("button", { name: "Créer l'invitation" }).click();
    const link = (await sofia.locator("cell-app p.link a").textContent({ timeout: 30_000 }))!;
    expect(link).toContain(`/app/#join=${cell.id}&invite=`);
    expect(await qrText(sofia.getByRole("img", { name: "Code QR de l'invitation" }))).toBe(link);
    expect(await axeViolations(sofia)).toEqual([]);
    expect(await sofia.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const rosePhone = await phone(problems);
    await rosePhone.goto(link);
    await rosePhone.getByLabel("Votre nom").fill("Rose Lenoir", { timeout: 30_000 });
    await rosePhone.getByRole("button", { name: "Rejoindre la cellule" }).click();
    const pending = sofia.locator("cell-app ul.requests > li", { hasText: "Rose Lenoir" });
    await pending.getByRole("button", { name: "Accepter" }).click({ timeout: 30_000 });
    await rosePhone.getByRole("button", { name: "Je les ai notés" }).click({ timeout: 30_000 });
    const roseId = cell.members().find((m) => m.name === "Rose Lenoir" && m.status === "member")?.id;
    await expect
      .poll(() => cell.members().find((m) => m.name === "Rose Lenoir")?.status, { timeout: 30_000 })
      .toBe("member");

    // Sofia confirms the held record is the one of the member who just joined.
    await sofia.getByRole("button", { name: "Carnet", exact: true }).click();
    await rose.getByText("Modifier la fiche de Rose Lenoir").click();
    const claim = rose.getByRole("form", { name: "Confirmer que c'est la fiche de Rose Lenoir" });
    await claim.getByLabel("Adhérent qui a rejoint avec son appareil").selectOption({ label: "Rose Lenoir" });
    await claim.getByRole("button", { name: "Confirmer que c'est la fiche de Rose Lenoir" }).click();
    const member = roseId ?? cell.members().find((m) => m.name === "Rose Lenoir")!.id;
    await expect
      .poll(
        async () => {
          const p = await roseNow();
          return [p?.kind, p?.member, !!p?.claimed];
        },
        { timeout: 30_000 },
      )
      .toEqual(["member", member, true]);

    // Someone asks to be forgotten: the record goes only once the box is ticked.
    await booklet.add({ kind: "contact", name: "Paul Oubli", consent: null });
    const paul = sofia.locator("cell-app ul.people > li", { hasText: "Paul Oubli" });
    await paul.getByText("Modifier la fiche de Paul Oubli").click({ timeout: 30_000 });
    await paul.getByRole("button", { name: "Supprimer la fiche de Paul Oubli" }).click();
    expect((await booklet.people()).some((p) => p.name === "Paul Oubli")).toBe(true);
    await paul.getByLabel(/Je confirme/).check();
    await paul.getByRole("button", { name: "Supprimer la fiche de Paul Oubli" }).click();
    await expect
      .poll(async () => (await booklet.people()).some((p) => p.name === "Paul Oubli"), { timeout: 30_000 })
      .toBe(false);

    // A visitor writes through the blog; Sofia adds her to the booklet from the inbox.
    const visitor = await (await env.browser.newContext()).newPage();
    await visitor.goto(`${env.demo.url}contact/`);
    const contact = visitor.locator("cell-contact");
    await contact.getByLabel("Votre nom").fill("Inès Caron");
    await contact.getByLabel("Comment vous joindre").fill("ines@example.org");
    await contact.getByLabel("Votre message").fill("Je voudrais aider au marché.");
    await contact.getByLabel("J'accepte").check();
    await contact.getByRole("button", { name: "Envoyer" }).click();
    await sofia.getByRole("button", { name: "Responsables", exact: true }).click();
    await sofia.getByRole("button", { name: "Ajouter Inès Caron au carnet" }).click({ timeout: 60_000 });
    await expect
      .poll(async () => (await booklet.people()).find((p) => p.name === "Inès Caron")?.consent?.how, {
        timeout: 30_000,
      })
      .toBe("form");

    // By keyboard alone: from the inbox's tab to the booklet's, then a search typed in its box.
    const people = sofia.locator("cell-app ul.people > li > strong");
    await sofia.getByRole("button", { name: "Responsables", exact: true }).focus();
    await sofia.keyboard.press("Tab");
    await sofia.keyboard.press("Enter");
    await expect.poll(() => sofia.getByRole("heading", { level: 2 }).textContent()).toBe("Carnet");
    await expect.poll(() => people.allTextContents(), { timeout: 30_000 }).toContain("Inès Caron");
    for (let i = 0; i < 10 && !(await searchFocused(sofia)); i++) await sofia.keyboard.press("Tab");
    await sofia.keyboard.type("inès");
    await expect.poll(() => people.allTextContents()).toEqual(["Inès Caron"]);
    await sofia.getByLabel("Chercher (nom, lieu, contact)").fill("");
    await sofia.getByLabel("Montrer").selectOption("member");
    await expect.poll(() => people.allTextContents()).toEqual(["Rose Lenoir"]);
    await sofia.getByLabel("Montrer").selectOption("all");

    // On paper: the booklet as a table, without the app around it.
    await sofia.emulateMedia({ media: "print" });
    const printed = sofia.locator("cell-app table.print-only");
    expect(await printed.isVisible()).toBe(true);
    expect(await sofia.locator("cell-app nav").isVisible()).toBe(false);
    expect(await printed.locator("tbody tr", { hasText: "Rose Lenoir" }).textContent()).toContain(
      "2026-11-20 (par écrit)",
    );
    await sofia.emulateMedia({ media: "screen" });
    expect(await printed.isVisible()).toBe(false);
    expect(await axeViolations(sofia)).toEqual([]);

    // A new device for Sofia: the QR code beside the link code opens the member space with it filled in.
    await sofia.getByRole("button", { name: "Mes appareils" }).click();
    await sofia.getByRole("button", { name: "Lier un autre appareil" }).click();
    const shown = (await sofia.getByLabel("Code de liaison").textContent({ timeout: 15_000 }))!.trim();
    const opened = await qrText(sofia.getByRole("img", { name: "Code QR pour lier le nouvel appareil" }));
    // The QR code carries a 130-bit secret of its own, not the short code typed by hand.
    const code = decodeURIComponent(opened.split("#link=")[1] ?? "");
    expect(opened).toBe(`${env.demo.relays[0]!.url}/app/#link=${encodeURIComponent(code)}`);
    expect(code).toMatch(/^[0-9A-Z]{26}$/);
    expect(code).not.toContain(shown.replace("-", ""));
    const tablet = await (await env.browser.newContext()).newPage();
    await tablet.goto(opened);
    await expect
      .poll(() => tablet.getByLabel("Code de liaison").inputValue(), { timeout: 30_000 })
      .toBe(code);
    await tablet.getByRole("button", { name: "Lier", exact: true }).click();
    const check = (await tablet.getByLabel("Code de vérification").textContent({ timeout: 30_000 }))!.trim();
    await sofia.getByLabel("Code de vérification").fill(check);
    await sofia.getByRole("button", { name: "Confirmer" }).click();
    await expect
      .poll(() => tablet.getByRole("heading", { level: 1 }).textContent(), { timeout: 30_000 })
      .toBe("Cellule Louise-Michel");
    expect(problems).toEqual([]);
  }, 240_000);
});
