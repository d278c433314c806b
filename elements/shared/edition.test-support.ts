/**
 * For widget tests in Chromium: a new cell with a publication key, and an edition of given content signed
 * and stored on the test relay (which verifies it, as any relay does). Imports no Automerge.
 */

import { DeviceIdentity } from "../../core/crypto/identity.js";
import { generateAgreementKeyPair, generateSigningKeyPair } from "../../core/crypto/suite.js";
import { createGenesis } from "../../core/governance/actions.js";
import { CERT_VALIDITY_MS, type EditionBody } from "../../core/protocol/edition-format.js";
import type {
  CellEvent,
  JournalPost,
  PublicPages,
  PublicProfile,
} from "../../core/protocol/public-content.js";
import { certifyPublication } from "../../core/protocol/publication-cert.js";
import { buildEdition, signEdition } from "../../core/site/edition.js";

/** What the test links certify: valid for the usual time from now, made at no governance heads. */
const LINK = { expires: Date.now() + CERT_VALIDITY_MS, heads: [] as string[] };

/** The test relay started by web-test-runner. */
export const relayUrl = async (): Promise<string> =>
  (await (await fetch("/__cellule__/relay.json")).json()).url;

/** Publishes an edition of this content for a new cell; resolves with its ID, edition bytes and admission keys. */
export async function publishTestEdition(content: {
  profile?: Partial<PublicProfile>;
  posts?: JournalPost[];
  pages?: Partial<PublicPages>;
  events?: CellEvent[];
  /** Changes the body after the checks a honest publisher makes, before signing (a hostile cell's edition). */
  tamper?: (body: EditionBody) => void;
}): Promise<{ cellId: string; bytes: Uint8Array; relay: string; admission: CryptoKeyPair }> {
  const founder = await DeviceIdentity.fromKeys({
    signing: await generateSigningKeyPair(),
    agreement: await generateAgreementKeyPair(),
  });
  const genesis = await createGenesis(founder, "Cellule du 11e", "Fatima");
  const signing = await generateSigningKeyPair();
  const admission = await generateAgreementKeyPair();
  const cert = await certifyPublication(
    genesis.hash,
    [],
    founder,
    signing.publicKey,
    admission.publicKey,
    LINK,
  );
  const relay = await relayUrl();
  const body = buildEdition(
    genesis,
    [cert],
    {
      profile: {
        name: "Cellule du 11e",
        place: "",
        description: "",
        contact: "",
        relays: [relay],
        ...content.profile,
      },
      posts: content.posts ?? [],
      pages: { about: "", contact: "", whyJoin: "", ...content.pages },
      events: content.events ?? [],
    },
    Date.now(),
  );
  content.tamper?.(body);
  const bytes = await signEdition(body, signing.privateKey);
  const response = await fetch(`${relay}/c/${genesis.hash}/edition`, {
    method: "PUT",
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  if (!response.ok) throw new Error(`the test relay refused the edition: HTTP ${response.status}`);
  return { cellId: genesis.hash, bytes, relay, admission };
}

/** A public post. */
export const post = (id: string, title: string, extra: Partial<JournalPost> = {}): JournalPost => ({
  id,
  title,
  text: `Texte de ${title}`,
  author: "Fatima",
  date: Date.UTC(2026, 10, 20),
  visibility: "public",
  ...extra,
});

/** Resolves once `check` holds for the element's shadow root (polling; the widget loads asynchronously). */
export async function rendered(
  el: HTMLElement,
  check: (root: ShadowRoot) => boolean,
  what: string,
): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(el.shadowRoot && check(el.shadowRoot))) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}: ${el.shadowRoot?.innerHTML.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Mounts a widget on the page; removed by the returned function. */
export function mount(html: string): { el: HTMLElement; remove: () => void } {
  const host = document.createElement("div");
  host.innerHTML = html;
  document.body.append(host);
  return { el: host.firstElementChild as HTMLElement, remove: () => host.remove() };
}

/**
 * A cell whose publication chain moved on (link 0 → link 1), and a relay that holds only an edition signed
 * with link 0, named "DEFACED": what a relay that missed the rotation, or a hostile one, serves. Resolves
 * with the newer edition's bytes too (what a page that saw the rotation verified).
 */
export async function rotatedOutEdition(): Promise<{ cellId: string; relay: string; newer: Uint8Array }> {
  const founder = await DeviceIdentity.fromKeys({
    signing: await generateSigningKeyPair(),
    agreement: await generateAgreementKeyPair(),
  });
  const genesis = await createGenesis(founder, "Cellule du 11e", "Fatima");
  const relay = await relayUrl();
  const k0 = await generateSigningKeyPair();
  const a0 = await generateAgreementKeyPair();
  const c0 = await certifyPublication(genesis.hash, [], founder, k0.publicKey, a0.publicKey, LINK);
  const k1 = await generateSigningKeyPair();
  const a1 = await generateAgreementKeyPair();
  const c1 = await certifyPublication(genesis.hash, [c0], k0.privateKey, k1.publicKey, a1.publicKey, LINK);
  const content = (name: string) => ({
    profile: { name, place: "", description: "", contact: "", relays: [relay] },
    posts: [],
    pages: { about: "", contact: "", whyJoin: "" },
    events: [],
  });
  const now = Date.now();
  const newer = await signEdition(
    buildEdition(genesis, [c0, c1], content("Cellule du 11e"), now),
    k1.privateKey,
  );
  const old = await signEdition(buildEdition(genesis, [c0], content("DEFACED"), now + 1000), k0.privateKey);
  const response = await fetch(`${relay}/c/${genesis.hash}/edition`, {
    method: "PUT",
    body: old as Uint8Array<ArrayBuffer>,
  });
  if (!response.ok) throw new Error(`the test relay refused the edition: HTTP ${response.status}`);
  return { cellId: genesis.hash, relay, newer };
}
