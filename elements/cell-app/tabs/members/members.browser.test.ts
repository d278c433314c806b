/**
 * The members tab (issue 12, item 3) in real Chromium, on real cells whose devices talk through the test
 * relay: the tab's controller and view drawn by a small host element as `<cell-app>` draws its tabs. An
 * officer grants and revokes a custom role the rules declare, revokes a member's lost device and removes a
 * member, each after a question that says what it does (cancelled once: nothing happens); every member sees
 * names, roles, device names and when each device was last heard from; a member sees none of the officers'
 * buttons, and leaves after the question says what leaving does. The officers tab's list of invitations
 * revokes one, and the founder's device refuses a redeem of it.
 */
import { LitElement, nothing, render } from "lit";
import { memoryKeystore, memoryStorage } from "../../../../adapters/memory/index.js";
import { relayClient } from "../../../../adapters/relay-client/index.js";
import { Cell, createKit, DEFAULT_RULES, type Kit, type Rules } from "../../../../core/index.js";
import { appStrings, type Lang } from "../../../../core/public/strings/index.js";
import { assert, deepEqual } from "../../../../core/testing/assert.js";
import { runner } from "../../actions.js";
import { invitationsView } from "../officers/invitations-view.js";
import { accessOf } from "../tab.js";
import { MembersController } from "./members-controller.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: (this: { timeout(ms: number): void }) => Promise<void>) => void;

const WASM = "/__cellule__/automerge.wasm";
const relayUrl = async (): Promise<string> => (await (await fetch("/__cellule__/relay.json")).json()).url;

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Draws the members tab of `cell` as `<cell-app>` draws a tab; failed actions are kept in `problems`. */
class MembersHost extends LitElement {
  cell: Cell | undefined;
  language: Lang = "fr";
  readonly problems: unknown[] = [];
  private readonly tab = new MembersController(
    this,
    runner((error) => {
      this.problems.push(error);
      this.requestUpdate();
    }),
  );

  override render() {
    const cell = this.cell;
    if (!cell) return nothing;
    return this.tab.view({ t: appStrings(this.language), lang: this.language, cell, access: accessOf(cell) });
  }
}
customElements.define("members-test-host", MembersHost);

/** A device on the test relay, keys and storage in memory. */
async function device(url: string): Promise<Kit> {
  return createKit({
    storage: memoryStorage(),
    keystore: memoryKeystore(),
    transports: [relayClient({ relays: [url], storage: memoryStorage(), minBackoffMs: 50 })],
    automergeWasm: WASM,
  });
}

/** Nadia founds (rules with a custom role, `archivist`); Camille and Omar join and are admitted. */
async function cellOfThree() {
  const url = await relayUrl();
  const kits = [await device(url), await device(url), await device(url)] as [Kit, Kit, Kit];
  const rules: Rules = structuredClone(DEFAULT_RULES);
  rules.roles.archivist = [];
  const nadia = await Cell.create(kits[0], { name: "Cellule des Pentes", founderName: "Nadia", rules });
  const joined: Cell[] = [];
  for (const [kit, name] of [
    [kits[1], "Camille"],
    [kits[2], "Omar"],
  ] as const) {
    const cell = await Cell.join(kit, await nadia.invite(), { name });
    await until(() => nadia.members().some((m) => m.name === name), `${name}'s redeem`);
    await nadia.admit(nadia.members().find((m) => m.name === name)!.id);
    await cell.whenMember();
    joined.push(cell);
  }
  const [camille, omar] = joined as [Cell, Cell];
  await until(
    () => camille.members().length === 3 && omar.members().length === 3,
    "everyone to know everyone",
  );
  const hosts: MembersHost[] = [];
  const show = (cell: Cell) => {
    const host = document.createElement("members-test-host") as MembersHost;
    host.cell = cell;
    document.body.append(host);
    hosts.push(host);
    return host;
  };
  const close = async () => {
    for (const h of hosts) h.remove();
    await Promise.all(kits.map((k) => k.close(0)));
  };
  return { nadia, camille, omar, show, close };
}

const root = (host: HTMLElement) => host.shadowRoot!;
const item = (host: HTMLElement, name: string) =>
  [...root(host).querySelectorAll<HTMLLIElement>("li.member")].find((li) =>
    li.querySelector("h3")?.textContent?.trim().startsWith(name),
  );
const buttonIn = (scope: ParentNode | undefined, label: string) =>
  [...(scope?.querySelectorAll("button") ?? [])].find((b) => b.textContent?.trim() === label);

async function press(scope: () => ParentNode | undefined, label: string): Promise<void> {
  await until(() => !!buttonIn(scope(), label), `the button "${label}"`);
  buttonIn(scope(), label)!.click();
}

describe("the members tab", () => {
  it("lets an officer grant and revoke a custom role, revoke a lost device and remove a member, each confirmed", async function () {
    this.timeout(90_000);
    const { nadia, camille, omar, show, close } = await cellOfThree();
    try {
      const host = show(nadia);
      await until(() => !!item(host, "Camille") && !!item(host, "Omar"), "the three members");
      assert(item(host, "Nadia")!.textContent!.includes("(vous)"), "Nadia is told which one she is");
      assert(!!buttonIn(root(host), "Quitter la cellule"), "everyone may leave");

      // A custom role the rules declare, granted then revoked; Camille's device agrees.
      const form = item(host, "Camille")!.querySelector<HTMLFormElement>("form.grant")!;
      form.querySelector("select")!.value = "archivist";
      form.requestSubmit();
      await until(() => !!camille.me()?.roles.has("archivist"), "Camille to be archivist");
      await press(() => item(host, "Camille"), "Retirer le rôle archivist");
      await until(() => !camille.me()?.roles.has("archivist"), "the role taken away");

      // Device names and last seen, as the officer sees them.
      await camille.nameDevice(camille.kit.device.id, "Téléphone de Camille");
      const since = Date.now();
      await camille.create("members", { note: "Réunion jeudi" });
      await until(
        () => !!item(host, "Camille")?.textContent?.includes("Téléphone de Camille"),
        "the device's name",
      );
      await until(
        () => (nadia.devicesOf(camille.me()!.id)[0]?.lastSeen ?? 0) >= since,
        "Nadia to hear from her",
      );
      await until(() => !!item(host, "Camille")?.textContent?.includes("vu le"), "the last-seen time shown");

      // Omar's lost phone: asked, cancelled (nothing changes), asked again, confirmed.
      const question = () => root(host).querySelector("[role=alertdialog]")?.textContent ?? "";
      await press(() => item(host, "Omar"), "Retirer cet appareil (perdu, volé)");
      await until(
        () => question().includes("appareil sans nom") && question().includes("Omar"),
        "the question",
      );
      await press(() => root(host), "Annuler");
      await until(() => question() === "", "the question gone");
      deepEqual(nadia.state.devices.get(omar.kit.device.id)?.removed, false, "cancelled: nothing revoked");
      await press(() => item(host, "Omar"), "Retirer cet appareil (perdu, volé)");
      await press(() => root(host), "Confirmer");
      await until(() => nadia.state.devices.get(omar.kit.device.id)?.removed === true, "the device revoked");

      // Camille removed after the question says what it does.
      await press(() => item(host, "Camille"), "Retirer de la cellule");
      await until(() => question().includes("Retirer Camille de la cellule ?"), "the removal question");
      assert(question().includes("nouvelle invitation"), "the question says what removing does");
      await press(() => root(host), "Confirmer");
      await until(() => camille.status === "removed", "Camille's device to learn she was removed");
      await until(
        () => !!item(host, "Camille")?.textContent?.includes("ne fait plus partie de la cellule"),
        "her status shown",
      );
      deepEqual(host.problems, [], "no action failed");
    } finally {
      await close();
    }
  });

  it("shows a member no officer's button, lets her name her device and leave after saying what leaving does", async function () {
    this.timeout(90_000);
    const { nadia, camille, show, close } = await cellOfThree();
    try {
      const host = show(camille);
      await until(() => !!item(host, "Nadia") && !!item(host, "Omar"), "the members");
      deepEqual(root(host).querySelectorAll("form.grant").length, 0, "no role to grant");
      // In English too.
      host.language = "en";
      host.requestUpdate();
      await until(() => !!buttonIn(root(host), "Leave the cell"), "the English tab");
      assert(item(host, "Camille")!.textContent!.includes("(you)"), "you, in English");
      host.language = "fr";
      host.requestUpdate();
      await until(() => !!buttonIn(root(host), "Quitter la cellule"), "the French tab again");
      for (const label of ["Retirer de la cellule", "Retirer cet appareil (perdu, volé)"])
        assert(
          !buttonIn(item(host, "Nadia"), label) && !buttonIn(item(host, "Omar"), label),
          `no "${label}"`,
        );
      assert(!buttonIn(item(host, "Nadia"), "Retirer le rôle secrétaire"), "no role to take away");
      // Her own device: the rules refuse her naming another's, the form names hers.
      const name = item(host, "Camille")!.querySelector<HTMLFormElement>("form.name-device")!;
      name.querySelector("input")!.value = "Ordinateur du local";
      name.requestSubmit();
      await until(
        () => nadia.devicesOf(camille.me()!.id)[0]?.name === "Ordinateur du local",
        "Nadia to see the name",
      );
      assert(!item(host, "Nadia")!.querySelector("form.name-device"), "no form to name another's device");

      await press(() => root(host), "Quitter la cellule");
      const question = () => root(host).querySelector("[role=alertdialog]")?.textContent ?? "";
      await until(() => question().includes("Quitter la cellule ?"), "the question");
      assert(question().includes("ne recevront plus rien"), "it says what leaving does");
      await press(() => root(host), "Confirmer");
      await until(
        () => nadia.members().find((m) => m.name === "Camille")?.status === "removed",
        "Nadia's device to see her leave",
      );
      deepEqual(camille.status, "removed", "her device knows");
      await until(() => !buttonIn(root(host), "Quitter la cellule"), "no leave button once gone");
      deepEqual(host.problems, [], "no action failed");
    } finally {
      await close();
    }
  });
});

describe("the officers' list of invitations", () => {
  it("shows role, expiry and use, revokes an open one, and a redeem of it admits nobody", async function () {
    this.timeout(90_000);
    const { nadia, camille, close } = await cellOfThree();
    const container = document.createElement("div");
    document.body.append(container);
    try {
      const t = appStrings("fr");
      const invitation = await nadia.invite({ role: "treasurer", expiresInMs: 86_400_000 });
      const problems: unknown[] = [];
      const run = runner((e) => problems.push(e));
      const draw = () =>
        render(
          invitationsView(t, "fr", nadia.invitations(), (id) => run(() => nadia.revokeInvite(id))),
          container,
        );
      draw();
      const row = () =>
        [...container.querySelectorAll("li.invitation")].find((li) =>
          li.textContent?.includes("trésorier·e"),
        );
      assert(row()!.textContent!.includes("pour une personne"), "single use shown");
      assert(row()!.textContent!.includes("pas encore utilisée"), "not used yet");
      deepEqual(container.querySelectorAll("li.invitation[data-state=used]").length, 2, "the two used ones");
      deepEqual(
        container.querySelectorAll("li.invitation[data-state=used] button").length,
        0,
        "used: no revoke",
      );
      buttonIn(row(), "Révoquer")!.click();
      await until(
        () => nadia.invitations().find((i) => i.id === invitation.id)?.revoked === true,
        "the revocation",
      );
      draw();
      assert(row()!.textContent!.includes("révoquée") && !buttonIn(row(), "Révoquer"), "shown revoked");
      await until(
        () => camille.state.invites.get(invitation.id)?.revoked === true,
        "Camille's device to know",
      );
      // An app that ignores the revocation redeems anyway: refused by the founder's device.
      const kit = await device(await relayUrl());
      try {
        await Cell.join(kit, invitation, { name: "Intrus" });
        await until(() => nadia.refused().some((r) => r.op.body.op.type === "redeem"), "the redeem refused");
        assert(!nadia.members().some((m) => m.name === "Intrus"), "nobody pending");
      } finally {
        await kit.close(0);
      }
      deepEqual(problems, [], "no action failed");
    } finally {
      container.remove();
      await close();
    }
  });
});
