/** Test helpers for editions: a founded cell with a publication key, and sample content. */

import { looseIdentity } from "../../test/support/devices.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { generateAgreementKeyPair, generateSigningKeyPair } from "../crypto/suite.js";
import { createGenesis } from "../governance/actions.js";
import type { SignedOp } from "../governance/types.js";
import { CERT_VALIDITY_MS } from "../protocol/edition-format.js";
import type { CellEvent, JournalPost } from "../protocol/public-content.js";
import { certifyPublication, type PublicationKeys } from "../protocol/publication-cert.js";
import type { PublicContent } from "./edition.js";

/** What the test links certify: valid for the usual time from now, made at no governance heads. */
export const LINK = { expires: Date.now() + CERT_VALIDITY_MS, heads: [] as string[] };

/** A new cell: its founder device, genesis op and first publication keys. */
export async function publishingCell(name = "Cellule du 11e"): Promise<{
  founder: DeviceIdentity;
  genesis: SignedOp;
  keys: PublicationKeys;
}> {
  const founder = await looseIdentity();
  const genesis = await createGenesis(founder, name, "Fatima");
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
  return { founder, genesis, keys: { signing, chain: [cert] } };
}

/**
 * The next link of a publication chain, certified by `keys`' signing key (a rotation), with its admission
 * key pair; `keys` is what a past holder keeps once the chain has moved on.
 */
export async function rotatedKeys(
  cell: string,
  keys: PublicationKeys,
  link = LINK,
): Promise<PublicationKeys & { admission: CryptoKeyPair }> {
  const signing = await generateSigningKeyPair();
  const admission = await generateAgreementKeyPair();
  const by = keys.signing.privateKey;
  const cert = await certifyPublication(cell, keys.chain, by, signing.publicKey, admission.publicKey, link);
  return { signing, admission, chain: [...keys.chain, cert] };
}

export const DAY = 86_400_000;
/** A fixed "now" for the tests: 2026-11-24T12:00:00Z. */
export const NOW = Date.UTC(2026, 10, 24, 12);

/** French sample content with one members-only post and event, and one past event. */
export function sampleContent(): PublicContent & { posts: JournalPost[]; events: CellEvent[] } {
  return {
    profile: {
      name: "Cellule du 11e",
      place: "Paris 11e",
      description: "Une cellule de quartier.\n\nNous nous réunissons le mardi.",
      contact: "cellule11@example.org",
      relays: ["https://relay.example.org"],
    },
    posts: [
      {
        id: "p1",
        title: "Assemblée",
        text: "Mardi à 19 h",
        author: "Fatima",
        date: NOW - 2 * DAY,
        visibility: "public",
      },
      {
        id: "p2",
        title: "Tract & affiche",
        text: "À imprimer",
        link: "https://example.org/tract.pdf",
        linkTitle: "Le tract",
        author: "Louis",
        date: NOW - DAY,
        visibility: "public",
      },
      {
        id: "p3",
        title: "Charte",
        text: "Épinglée",
        author: "Fatima",
        date: NOW - 9 * DAY,
        pinned: true,
        visibility: "public",
      },
      {
        id: "secret",
        title: "Réunion interne",
        text: "Code de la porte",
        author: "Fatima",
        date: NOW,
        visibility: "members",
      },
    ],
    pages: { about: "Qui nous sommes", contact: "Écrivez-nous", whyJoin: "Parce que" },
    events: [
      {
        id: "e1",
        title: "Manif",
        description: "Départ place de la République",
        place: "République",
        start: NOW + DAY,
        end: NOW + DAY + 7_200_000,
        visibility: "public",
      },
      {
        id: "e0",
        title: "Passé",
        description: "",
        place: "",
        start: NOW - 3 * DAY,
        end: NOW - 3 * DAY + 3_600_000,
        visibility: "public",
      },
      {
        id: "e2",
        title: "Réunion interne",
        description: "",
        place: "Local",
        start: NOW + 2 * DAY,
        end: NOW + 2 * DAY + 3_600_000,
        visibility: "members",
      },
    ],
  };
}
