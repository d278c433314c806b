/**
 * `<cell-app>` in real Chromium, joined by invitation through the test relay (IndexedDB for the member's
 * device, memory for the founder's): a member who waited for admission has one change handler on her cell,
 * and once the element leaves the page nothing listens any more (cell, Kit, a link offer in progress) and
 * its Kit is closed; put back, the element opens the cell again. Made secretary, she imports a CSV file
 * written in Windows-1252 (Excel's French export) with its accents intact.
 */
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import { relayClient } from "../../adapters/relay-client/index.js";
import { Booklet, Cell, createKit, invitationToText, type Kit, openSite, Rsvps } from "../../core/index.js";
import {
  buildEdition,
  CERT_VALIDITY_MS,
  certifyPublication,
  crypto,
  signEdition,
} from "../../core/internals.js";
import { assert, deepEqual } from "../../core/testing/assert.js";
import { defineElement } from "../define.js";
import { CellApp } from "./cell-app.js";
import type { MemberSession } from "./session.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: (this: { timeout(ms: number): void }) => Promise<void>) => void;

const WASM = "/__cellule__/automerge.wasm";
const relayUrl = async (): Promise<string> => (await (await fetch("/__cellule__/relay.json")).json()).url;

defineElement("cell-app", CellApp);

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** How many listeners an emitter holds for an event (`Emitter` keeps them in a private map, read here). */
const listeners = (emitter: object, event: string): number =>
  (emitter as unknown as { listeners: Map<string, Set<unknown>> }).listeners.get(event)?.size ?? 0;

/** The element's session (a private field: the end-to-end tests read it the same way). */
const sessionOf = (app: CellApp): MemberSession => (app as unknown as { session: MemberSession }).session;

/** The member's cell, once the session opened it with its site. */
const openCell = (app: CellApp): Cell | undefined => {
  const s = sessionOf(app).state;
  return s.status === "member" && s.site && s.rsvps ? s.cell : undefined;
};

const shadow = (app: CellApp) => app.shadowRoot!;
const button = (app: CellApp, label: string) =>
  [...shadow(app).querySelectorAll("button")].find((b) => b.textContent?.trim() === label);

async function click(app: CellApp, label: string): Promise<void> {
  await until(() => !!button(app, label), `the button "${label}"`, 40_000);
  button(app, label)!.click();
}

/**
 * A founder's cell (its site, answers and booklet made) and, in the page, `<cell-app>` on its own
 * IndexedDB, joined by invitation as Camille, admitted, past her recovery phrase, the cell open.
 */
async function memberInApp(): Promise<{
  founded: Cell;
  founderKit: Kit;
  app: CellApp;
  close(): Promise<void>;
}> {
  const url = await relayUrl();
  const founderKit: Kit = await createKit({
    storage: memoryStorage(),
    keystore: memoryKeystore(),
    transports: [relayClient({ relays: [url], storage: memoryStorage(), minBackoffMs: 50 })],
    automergeWasm: WASM,
  });
  const app = document.createElement("cell-app") as CellApp;
  const close = async () => {
    app.remove();
    history.replaceState(null, "", location.pathname + location.search);
    await founderKit.close(0);
  };
  try {
    const founded = await Cell.create(founderKit, { name: "Cellule des Pentes", founderName: "Nadia" });
    // What the member space opens: the site's documents, the answers', and the booklet's for officers.
    await Promise.all([openSite(founded), Rsvps.open(founded), Booklet.open(founded)]);
    const invite = invitationToText(await founded.invite({ single: true, relays: [url] }));
    history.replaceState(null, "", `#join=${founded.id}&invite=${encodeURIComponent(invite)}`);
    app.setAttribute("relays", url);
    app.setAttribute("wasm", WASM);
    app.database = `cell-app-test-${Math.random().toString(36).slice(2)}`;
    document.body.append(app);

    // She joins with the link's invitation, waits for the founder to admit her, notes her phrase.
    await until(() => !!shadow(app).querySelector("form input[name=name]"), "the join form");
    const form = shadow(app).querySelector("form")!;
    form.querySelector<HTMLInputElement>("input[name=name]")!.value = "Camille";
    form.requestSubmit();
    await until(() => sessionOf(app).state.status === "waiting", "the waiting screen");
    await until(() => founded.members().some((m) => m.name === "Camille"), "her request");
    await founded.admit(founded.members().find((m) => m.name === "Camille")!.id);
    await click(app, "Je les ai notés");
    await until(() => !!openCell(app) && !!button(app, "Journal"), "the cell open in the member space");
    return { founded, founderKit, app, close };
  } catch (error) {
    await close();
    throw error;
  }
}

describe("<cell-app>", () => {
  it("gives a member who waited one change handler, and leaves no listener and no open Kit once removed", async function () {
    this.timeout(90_000);
    const { app, close } = await memberInApp();
    try {
      const cell = openCell(app)!;
      const kit = sessionOf(app).kit!;
      deepEqual(listeners(cell, "change"), 1, "one change handler once admitted");
      assert(listeners(kit, "written") > 0, "the tabs reload after writes");

      // A link offer in progress on "my devices" stops listening with the element too.
      await click(app, "Mes appareils");
      await click(app, "Lier un autre appareil");
      await until(() => !!shadow(app).querySelector(".code"), "the link code");
      const offer = (app as unknown as { devices: { offer?: { done: boolean } } }).devices.offer;
      assert(offer !== undefined, "a link offer is open");

      app.remove();
      deepEqual(
        [listeners(cell, "change"), listeners(cell, "contact"), listeners(kit, "written")],
        [0, 0, 0],
        "no listener on the cell or the Kit once the element is removed",
      );
      deepEqual(offer!.done, true, "the link offer is closed");
      await until(() => (kit as unknown as { closed: boolean }).closed, "the Kit closed");

      // Back in the page, it opens the cell again from IndexedDB, with a new Kit.
      document.body.append(app);
      await until(() => !!openCell(app), "the cell open again", 40_000);
      assert(sessionOf(app).kit !== kit, "a new Kit");
      deepEqual(listeners(openCell(app)!, "change"), 1, "one change handler after reopening");
    } finally {
      await close();
    }
  });

  it("imports a booklet CSV written in Windows-1252 with its accents intact", async function () {
    this.timeout(90_000);
    const { founded, app, close } = await memberInApp();
    try {
      await founded.grant(founded.members().find((m) => m.name === "Camille")!.id, "secretary");
      await click(app, "Carnet");
      await until(() => !!shadow(app).querySelector("input[type=file]"), "the booklet", 40_000);
      // "nom;type;adhésion;lieu / Élodie;adhérent;2026-11-02;Cœur" as Excel's French CSV export writes it.
      const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
      const bytes = Uint8Array.from([
        ...ascii("nom;type;adh"),
        0xe9,
        ...ascii("sion;lieu\r\n"),
        0xc9,
        ...ascii("lodie;adh"),
        0xe9,
        ...ascii("rent;2026-11-02;C"),
        0x9c,
        ...ascii("ur\r\n"),
      ]);
      const files = new DataTransfer();
      files.items.add(new File([bytes], "carnet.csv", { type: "text/csv" }));
      const input = shadow(app).querySelector<HTMLInputElement>("input[type=file]")!;
      input.files = files.files;
      input.dispatchEvent(new Event("change"));
      await until(
        () => shadow(app).querySelector("#import-title")?.textContent === "Aperçu de l'import : 1 ligne",
        "the import's preview",
      );
      deepEqual(
        [...shadow(app).querySelectorAll("[role=alert]")].map((e) => e.textContent),
        [],
        "nothing is wrong in the file",
      );
      await click(app, "Importer");
      const booklet = await Booklet.open(founded);
      await until(
        async () =>
          (await booklet.people()).some(
            (p) => p.name === "Élodie" && p.kind === "member" && p.place === "Cœur",
          ),
        "Élodie in the founder's booklet",
      );
    } finally {
      await close();
    }
  });

  it("says while a departed device may still read the members' scope, with no renew button for a plain member", async function () {
    this.timeout(90_000);
    const { founded, founderKit, app, close } = await memberInApp();
    const url = await relayUrl();
    const leaKit = await createKit({
      storage: memoryStorage(),
      keystore: memoryKeystore(),
      transports: [relayClient({ relays: [url], storage: memoryStorage(), minBackoffMs: 50 })],
      automergeWasm: WASM,
    });
    try {
      const lea = await Cell.join(leaKit, await founded.invite({ relays: [url] }), { name: "Léa" });
      await until(() => founded.members().some((m) => m.name === "Léa"), "Léa's request");
      await founded.admit(founded.members().find((m) => m.name === "Léa")!.id);
      await lea.whenMember();
      const stale = () => shadow(app).querySelector(".stale")?.textContent ?? "";
      deepEqual(stale(), "", "no notice while every key is fresh");
      // The only one who may rotate goes offline; then Léa leaves (a plain member may not rotate).
      await founderKit.close(0);
      await lea.remove(lea.me()!.id);
      await until(() => stale().includes("Un appareil qui a quitté la cellule"), "the stale-keys notice");
      deepEqual(
        button(app, "Renouveler les clés maintenant"),
        undefined,
        "no renew button for a plain member",
      );
    } finally {
      await leaKit.close(0);
      await close();
    }
  });

  it("tells an officer which relay serves a public page signed by a key the cell did not make", async function () {
    this.timeout(90_000);
    const { founded, app, close } = await memberInApp();
    const url = await relayUrl();
    try {
      await founded.grant(founded.members().find((m) => m.name === "Camille")!.id, "secretary");
      await until(() => !!button(app, "Carnet"), "Camille to be secretary");
      // A stolen officer phone certifies a key of its own with the current key, first on the relay.
      const stolen = await founded.publicationKeys();
      const [signing, admission] = [
        await crypto.generateSigningKeyPair(),
        await crypto.generateAgreementKeyPair(),
      ];
      const cert = await certifyPublication(
        founded.id,
        stolen.chain,
        stolen.signing.privateKey,
        signing.publicKey,
        admission.publicKey,
        { expires: Date.now() + CERT_VALIDITY_MS, heads: [] },
      );
      const content = {
        profile: { name: "DEFACED", place: "", description: "", contact: "", relays: [] },
        posts: [],
        pages: { about: "", contact: "", whyJoin: "" },
        events: [],
      };
      const edition = await signEdition(
        buildEdition(founded.genesis, [...stolen.chain, cert], content, Date.now()),
        signing.privateKey,
      );
      const put = await fetch(`${url}/c/${founded.id}/edition`, {
        method: "PUT",
        body: new Uint8Array(edition),
      });
      deepEqual(put.status, 201, "the relay takes the first chain it sees");
      // Opened again, the member space checks the cell's public page on its relays.
      app.remove();
      document.body.append(app);
      const notice = () => shadow(app).querySelector(".foreign")?.textContent ?? "";
      await until(() => notice().includes(url), "the notice naming the relay", 40_000);
      assert(notice().includes("une clé que la cellule n'a pas créée"), notice());
    } finally {
      await close();
    }
  });
});
