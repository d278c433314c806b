/**
 * The member space end to end, in real Chromium with the demo: a visitor on the blog follows the join
 * button to the member space on a relay's origin, asks to join, the officer accepts, and the new member
 * reads a members-only post and says they will come to a members-only meeting, on a 360 px wide screen;
 * offline, the app still opens and keeps a changed answer until the network is back. Made secretary and
 * treasurer, she adds a held member to the booklet and records dues offline; the founder sees both.
 * The blog's origin keeps no key; the member space's origin keeps them.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { Booklet, invitationToText, openSite, periodOf, Treasury } from "../../core/index.js";
import { axeViolations, demoFixture } from "../support/demo.js";

const env = demoFixture("member-space");

/** Waits until the member space shows the sample cell (its name as the page's heading). */
async function cellOnScreen(page: Page, timeout: number): Promise<void> {
  await expect
    .poll(
      () =>
        page
          .getByRole("heading", { level: 1 })
          .textContent()
          .catch(() => ""),
      { timeout },
    )
    .toBe("Cellule Louise-Michel");
}

describe("the member space", () => {
  it("takes a visitor from the blog's join button to the cell's members-only journal and events", async () => {
    const context = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
    const problems: string[] = [];
    const blog = await context.newPage();
    blog.on("pageerror", (e) => problems.push(e.message));
    await blog.goto(env.demo.url);
    const opened = context.waitForEvent("page");
    await blog.locator("cell-join").getByRole("link").click();
    const app = await opened;
    app.on("pageerror", (e) => problems.push(e.message));
    // Failed connections while the test cuts the network are expected; anything else is a problem.
    app.on("console", (m) => {
      if (m.type() === "error" && !m.text().includes("ERR_INTERNET_DISCONNECTED")) problems.push(m.text());
    });
    await app.waitForLoadState();
    expect(app.url()).toBe(`${env.demo.relays[0]!.url}/app/#join=${env.demo.officer.cell.id}`);

    await app.getByLabel("Votre nom").fill("Camille Martin", { timeout: 30_000 });
    await app.getByLabel("Comment vous joindre").fill("camille@example.org");
    await app.getByLabel("Un mot pour la cellule").fill("J'habite rue Béchevelin.");
    await expect
      .poll(() => app.getByRole("heading", { level: 2 }).textContent())
      .toContain("Cellule Louise-Michel");
    expect(await axeViolations(app)).toEqual([]);
    await app.getByRole("button", { name: "Demander l'adhésion" }).click();
    await expect
      .poll(() => app.getByRole("status").textContent(), { timeout: 15_000 })
      .toContain("Demande envoyée");

    // The officer sees the request and accepts it.
    const cell = env.demo.officer.cell;
    await expect
      .poll(async () => (await cell.contacts()).some((c) => c.name === "Camille Martin" && c.device), {
        timeout: 15_000,
      })
      .toBe(true);
    const request = (await cell.contacts()).find((c) => c.name === "Camille Martin")!;
    expect(request.message).toBe("J'habite rue Béchevelin.");
    // On the demo's inbox page: the officer accepts.
    const inbox = await (await env.browser.newContext()).newPage();
    await inbox.goto(`${env.demo.url}officier/`);
    await inbox.getByRole("button", { name: "Accepter" }).click();
    await expect
      .poll(() => inbox.textContent("body"), { timeout: 15_000 })
      .toContain("Demande d'adhésion acceptée");

    // Camille is in: first her recovery phrase, shown once; then the members-only post.
    await expect.poll(() => app.locator("cell-app .phrase li").count(), { timeout: 30_000 }).toBe(13);
    expect(await axeViolations(app)).toEqual([]);
    await app.getByRole("button", { name: "Je les ai notés" }).click();
    await cellOnScreen(app, 30_000);
    await expect
      .poll(() => app.locator("cell-app main").textContent(), { timeout: 30_000 })
      .toContain("Ordre du jour de mardi");
    expect(await app.locator("cell-app main").textContent()).toContain("Réservé aux membres");
    expect(await axeViolations(app)).toEqual([]);
    // An ordinary member: no booklet or treasury in her app, and her device holds neither scope's key.
    expect(await app.getByRole("button", { name: "Carnet" }).count()).toBe(0);
    expect(await app.getByRole("button", { name: "Trésorerie" }).count()).toBe(0);
    const held = await app.evaluate(
      (scopes) => {
        type AppKit = { epochOf(scope: string): unknown };
        const el = document.querySelector("cell-app") as unknown as { session: { kit: AppKit } };
        return scopes.map((scope) => el.session.kit.epochOf(scope) !== undefined);
      },
      ["members", "officers", "treasury"].map((s) => cell.scopeId(s)),
    );
    expect(held).toEqual([true, false, false]);

    // She will come to the members' meeting; the officer's device counts her answer.
    await app.getByRole("button", { name: "Agenda" }).click();
    const meeting = app.getByRole("group", { name: "Réunion du bureau" });
    await meeting.getByRole("button", { name: "Je viens" }).click();
    await expect
      .poll(() => meeting.getByRole("button", { name: "Je viens" }).getAttribute("aria-pressed"), {
        timeout: 15_000,
      })
      .toBe("true");
    expect(await axeViolations(app)).toEqual([]);
    const event = (await (await openSite(cell)).membersAgenda.upcoming(Date.now())).find(
      (e) => e.id === "bureau",
    )!;
    await expect
      .poll(async () => (await env.demo.officer.rsvps.summary(event)).who.map((w) => [w.name, w.answer]), {
        timeout: 15_000,
      })
      .toContainEqual(["Camille Martin", "yes"]);

    // Offline: the app opens again from its service worker and IndexedDB, takes a changed answer, and
    // sends it when the network is back.
    await app.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await context.setOffline(true);
    await app.reload();
    await cellOnScreen(app, 30_000);
    await app.getByRole("button", { name: "Agenda" }).click();
    await app
      .getByRole("group", { name: "Réunion du bureau" })
      .getByRole("button", { name: "Peut-être" })
      .click();
    await expect
      .poll(
        () =>
          app
            .getByRole("group", { name: "Réunion du bureau" })
            .getByRole("button", { name: "Peut-être" })
            .getAttribute("aria-pressed"),
        { timeout: 15_000 },
      )
      .toBe("true");
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await env.demo.officer.rsvps.summary(event)).who.find((w) => w.name === "Camille Martin")?.answer,
    ).toBe("yes");
    await context.setOffline(false);
    await expect
      .poll(
        async () =>
          (await env.demo.officer.rsvps.summary(event)).who.find((w) => w.name === "Camille Martin")?.answer,
        { timeout: 30_000 },
      )
      .toBe("maybe");

    // Camille becomes secretary and treasurer: she adds a held member to the booklet, and records her
    // dues offline; the founder's device sees both once she is back online.
    const booklet = await Booklet.open(cell);
    const treasury = await Treasury.open(cell);
    await treasury.setRules({
      period: "month",
      currency: "EUR",
      remittedShare: 0.5,
      brackets: [{ id: "b1", label: "tarif unique", maxMonthlyIncome: null, amount: 500 }],
    });
    const camille = cell.members().find((m) => m.name === "Camille Martin")!;
    await cell.grant(camille.id, "secretary");
    await cell.grant(camille.id, "treasurer");
    await app.getByRole("button", { name: "Carnet" }).click({ timeout: 30_000 });
    await app.getByText("Ajouter une personne").click({ timeout: 30_000 });
    await app.getByLabel("Type").selectOption("held");
    await app.getByLabel("Nom", { exact: true }).fill("Jeanne Roux");
    await app.getByLabel("Quartier ou lieu de travail").fill("Rue de Marseille");
    await app.getByLabel("Consentement donné").check();
    await app.getByRole("button", { name: "Ajouter", exact: true }).click();
    await expect
      .poll(async () => (await booklet.people()).map((p) => [p.name, p.kind, p.holder]), { timeout: 30_000 })
      .toContainEqual(["Jeanne Roux", "held", camille.id]);
    expect(await axeViolations(app)).toEqual([]);

    // A CSV with bad rows: each is listed, and nothing can be imported.
    await app.getByLabel("Importer un fichier CSV").setInputFiles({
      name: "carnet.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("nom;type;adhésion\nPaul Morel;adhérent;2026-11-02\nLina;voisine;hier\n"),
    });
    await expect
      .poll(() => app.locator("cell-app [role=alert] li").allTextContents(), { timeout: 15_000 })
      .toEqual(['Ligne 3 : unknown type "voisine" ; joined is a day, YYYY-MM-DD']);
    expect(await app.getByRole("button", { name: "Importer", exact: true }).isDisabled()).toBe(true);

    await app.getByRole("button", { name: "Trésorerie" }).click();
    const stampForm = app.getByRole("form", { name: "Enregistrer le timbre" });
    await stampForm.getByLabel("Adhérent").selectOption({ label: "Jeanne Roux" }, { timeout: 30_000 });
    await context.setOffline(true);
    await app.getByRole("button", { name: "Enregistrer le timbre" }).click();
    await expect
      .poll(() => app.locator("cell-app .dues").textContent(), { timeout: 15_000 })
      .toContain("Jeanne Roux : à jour");
    expect((await treasury.entries()).stamps).toEqual([]);
    await context.setOffline(false);
    await expect
      .poll(async () => (await treasury.entries()).stamps.map((x) => [x.amount, x.method]), {
        timeout: 30_000,
      })
      .toEqual([[500, "cash"]]);
    await expect.poll(() => app.locator("cell-app .totals").textContent()).toContain("reversé 2.50 EUR");

    // She records a journal subscription, and changes the dues rules (a wrong amount is refused).
    await app.getByText("Enregistrer un abonnement").click();
    const subscription = app.locator("cell-app form", { has: app.getByLabel("Publication") });
    await subscription.getByLabel("Adhérent").selectOption({ label: "Jeanne Roux" });
    await subscription.getByLabel("Publication").fill("Le Fil rouge");
    await subscription.getByLabel("Du", { exact: true }).fill("2026-01-01");
    await subscription.getByLabel("Au", { exact: true }).fill("2026-12-31");
    await subscription.getByLabel("Payé", { exact: true }).fill("12");
    await subscription.getByRole("button", { name: "Ajouter" }).click();
    await expect
      .poll(() => app.locator("cell-app .subscriptions").textContent(), { timeout: 15_000 })
      .toContain("Le Fil rouge");
    await app.getByText("Règles de cotisation").click();
    const brackets = app.getByLabel("Tranches, une par ligne");
    await brackets.fill("moins de 1 200 € ; 1200 ; abc");
    await app.getByRole("button", { name: "Enregistrer les règles" }).click();
    await expect
      .poll(() => app.locator("cell-app p.status.error").textContent(), { timeout: 15_000 })
      .toContain("amount");
    // A stamp recorded on another device reaches the app: the message stays until her next action.
    await treasury.recordStamp({
      person: camille.id,
      period: periodOf(Date.now(), "month"),
      amount: 500,
      method: "cash",
    });
    await expect
      .poll(() => app.locator("cell-app .totals").textContent(), { timeout: 30_000 })
      .toContain("reversé 5.00 EUR");
    expect(await app.locator("cell-app p.status.error").textContent()).toContain("amount");
    await brackets.fill("moins de 1 200 € ; 1200 ; 3\ntarif normal ; ; 8");
    await app.getByRole("button", { name: "Enregistrer les règles" }).click();
    await expect
      .poll(async () => (await treasury.rules())?.brackets.map((b) => [b.label, b.amount]), {
        timeout: 30_000,
      })
      .toEqual([
        ["moins de 1 200 €", 300],
        ["tarif normal", 800],
      ]);
    expect((await treasury.entries()).subscriptions.map((x) => [x.publication, x.paid])).toEqual([
      ["Le Fil rouge", 1200],
    ]);
    expect(await axeViolations(app)).toEqual([]);

    // In English, then back to French.
    await app.getByRole("button", { name: "Réglages" }).click();
    await app.getByLabel("Langue").selectOption("en");
    await expect.poll(() => app.getByRole("heading", { level: 2 }).textContent()).toBe("Settings");
    await app.getByLabel("Language").selectOption("fr");

    // A phone screen: nothing wider than the screen.
    expect(await app.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Keys live on the member space's origin, none on the blog's.
    expect(await blog.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);
    expect(await app.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain(
      "cellule-app-keys",
    );
    expect(problems).toEqual([]);

    // Removed, Camille's app says so, and what the cell writes afterwards does not reach it.
    await cell.remove(camille.id);
    await expect
      .poll(() => app.getByRole("alert").textContent(), { timeout: 30_000 })
      .toContain("plus partie de cette cellule");
    await (await openSite(cell)).membersJournal.put({
      id: "apres",
      title: "Après le départ",
      text: "…",
      author: "Fatima",
      date: Date.now(),
    });
    await new Promise((r) => setTimeout(r, 2000));
    await app.reload();
    await expect
      .poll(() => app.getByRole("alert").textContent(), { timeout: 30_000 })
      .toContain("plus partie");
    expect(await app.locator("cell-app").evaluate((el) => el.shadowRoot!.textContent)).not.toContain(
      "Après le départ",
    );
    await context.close();
  }, 120_000);

  it("joins by invitation link, links a second device (a wrong check code links nothing), restores from the phrase", async () => {
    const cell = env.demo.officer.cell;
    const invite = invitationToText(await cell.invite({ single: true }));
    const phone = await (await env.browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    await phone.goto(`${env.demo.relays[1]!.url}/app/#join=${cell.id}&invite=${encodeURIComponent(invite)}`);
    await phone.getByLabel("Votre nom").fill("Louis Faure", { timeout: 30_000 });
    await phone.getByRole("button", { name: "Rejoindre la cellule" }).click();
    await expect
      .poll(() => cell.members().find((m) => m.name === "Louis Faure")?.status, { timeout: 30_000 })
      .toBe("pending");
    await cell.admit(cell.members().find((m) => m.name === "Louis Faure")!.id);
    await expect.poll(() => phone.locator("cell-app .phrase li").count(), { timeout: 30_000 }).toBe(13);
    const phrase = (await phone.locator("cell-app .phrase li").allTextContents()).join(" ");
    await phone.getByRole("button", { name: "Je les ai notés" }).click();
    await phone.getByRole("button", { name: "Mes appareils" }).click({ timeout: 30_000 });
    await phone.getByRole("button", { name: "Lier un autre appareil" }).click();
    const code = (await phone.getByLabel("Code de liaison").textContent({ timeout: 15_000 }))!.trim();
    expect(code).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);

    const laptop = await (await env.browser.newContext()).newPage();
    await laptop.goto(`${env.demo.relays[1]!.url}/app/`);
    await laptop.getByLabel("Code de liaison").fill(code, { timeout: 30_000 });
    await laptop.getByRole("button", { name: "Lier", exact: true }).click();
    const check = (await laptop.getByLabel("Code de vérification").textContent({ timeout: 30_000 }))!.trim();
    expect(check).toMatch(/^\d{6}$/);

    const wrong = check === "000000" ? "111111" : "000000";
    await expect
      .poll(() => phone.getByRole("status").last().textContent(), { timeout: 15_000 })
      .toContain("1 appareil");
    await phone.getByLabel("Code de vérification").fill(wrong);
    await phone.getByRole("button", { name: "Confirmer" }).click();
    await expect.poll(() => phone.getByRole("alert").textContent()).toContain("rien n'a été lié");
    const devicesOf = (name: string) => {
      const member = cell.members().find((m) => m.name === name)!;
      return [...cell.state.devices.values()].filter(
        (d) => d.member === member.id && !d.recovery && !d.removed,
      );
    };
    expect(devicesOf("Louis Faure")).toHaveLength(1);

    await phone.getByLabel("Code de vérification").fill(check);
    await phone.getByRole("button", { name: "Confirmer" }).click();
    await cellOnScreen(laptop, 30_000);
    await expect.poll(() => phone.locator("cell-app .devices li").count(), { timeout: 15_000 }).toBe(2);
    expect(await axeViolations(phone)).toEqual([]);

    // All devices lost: a new one restores the membership from the phrase; one wrong word is caught.
    const spare = await (await env.browser.newContext()).newPage();
    // (From the other relay: the member space talks to every relay of the cell.)
    await spare.goto(`${env.demo.relays[0]!.url}/app/`);
    const words = phrase.split(" ");
    const typo = [...words.slice(0, 4), words[5]!, ...words.slice(5)].join(" ");
    await spare.getByLabel("Les 13 mots").fill(typo, { timeout: 30_000 });
    await spare.getByRole("button", { name: "Restaurer" }).click();
    await expect
      .poll(() => spare.getByRole("alert").textContent(), { timeout: 15_000 })
      .toContain("Quelque chose ne va pas");
    await spare.getByLabel("Les 13 mots").fill(phrase);
    await spare.getByRole("button", { name: "Restaurer" }).click();
    await cellOnScreen(spare, 60_000);
    await expect.poll(() => devicesOf("Louis Faure").length, { timeout: 15_000 }).toBe(3);
  }, 180_000);
});
