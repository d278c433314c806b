/**
 * Recovery phrases (DESIGN §7). A member's recovery phrase is 13 words: 12 BIP-39 words (128 bits of
 * entropy and BIP-39's 4-bit checksum; French word list by default, English too) and a check word, the
 * word at Σ (2i+1)·index(word i) mod 2048: every weight is odd, so changing any one word changes the sum,
 * and one wrong word is always caught (BIP-39's checksum alone misses one in sixteen). The phrase
 * deterministically gives a *recovery device*: an ECDSA and an ECDH P-256 key pair, certified in the
 * cell's log as one of the member's devices (flagged `recovery`), so every rotation seals the scope keys
 * to it like to any other device. Its private keys exist only while the phrase is being used.
 *
 *   entropy       = BIP-39 entropy of the phrase (16 bytes)
 *   d_signing     = HKDF-SHA-256(entropy, salt "cellule/recovery/v1", info "signing" ‖ counter, 32) mod-checked
 *   d_agreement   = the same with info "agreement"                    (retried with counter+1 while ≥ n)
 *   mailbox       = a sealed scope whose secret is HKDF(entropy, salt, info "mailbox-secret"): only the
 *                   phrase gives it, and the member's devices it was handed to (core/cell/devices.ts);
 *                   they post the log there, relays cannot link it to anything
 * Phrases made before that mailbox had one keyed by HKDF(agreement public key, salt, info "mailbox"),
 * which anyone who saw the log could derive: no device posts there any more, and a recovery reads it only
 * as a last resort (see core/cell/recovery-mailbox.ts).
 */
import { entropyToMnemonic, mnemonicToEntropy, validateMnemonic } from "@scure/bip39";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { wordlist as french } from "@scure/bip39/wordlists/french.js";
import { concat, fromBase64, own, randomBytes, toHex, utf8 } from "../base/bytes.js";
import { InvalidArgumentError } from "../base/errors.js";
import type { ScopeId } from "../base/ids.js";
import { DeviceIdentity } from "./identity.js";
import { hkdf, sha256 } from "./suite.js";

/** Languages of the recovery phrase. */
export type PhraseLanguage = "fr" | "en";

const WORDLISTS: Record<PhraseLanguage, string[]> = { fr: french, en: english };
const SALT = utf8("cellule/recovery/v1");
/** Order of the P-256 group. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
/** PKCS #8 prefix of a P-256 private key without its public key (the platform derives it). */
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x41, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
  0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x27, 0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20,
]);

const PHRASE_WORDS = 13;

/** The check word's index for the 12 words' indices. */
function checkIndex(indices: readonly number[]): number {
  return indices.reduce((sum, index, i) => (sum + (2 * i + 1) * index) % 2048, 0);
}

/** A new recovery phrase, to show once to the person. */
export function newRecoveryPhrase(language: PhraseLanguage = "fr"): string {
  const list = WORDLISTS[language];
  const mnemonic = entropyToMnemonic(randomBytes(16), list);
  const indices = mnemonic.split(" ").map((w) => list.indexOf(w));
  return `${mnemonic} ${list[checkIndex(indices)]}`;
}

function words(phrase: string): string[] {
  return phrase.normalize("NFKD").toLowerCase().trim().split(/\s+/).filter(Boolean);
}

/**
 * The phrase's entropy; `InvalidArgumentError` saying what is wrong (word count, which word is not in the
 * list, or a checksum mismatch — one wrong word).
 */
export function phraseEntropy(phrase: string): Uint8Array {
  const given = words(phrase);
  if (given.length !== PHRASE_WORDS) {
    throw new InvalidArgumentError(`a recovery phrase has ${PHRASE_WORDS} words, not ${given.length}`);
  }
  for (const list of Object.values(WORDLISTS)) {
    const normalized = list.map((w) => w.normalize("NFKD"));
    const indices = given.map((w) => normalized.indexOf(w));
    if (indices.includes(-1)) continue;
    const joined = given.slice(0, 12).join(" ");
    if (checkIndex(indices.slice(0, 12)) !== indices[12] || !validateMnemonic(joined, list)) {
      throw new InvalidArgumentError("the recovery phrase does not check out: one of its words is wrong");
    }
    return mnemonicToEntropy(joined, list);
  }
  const unknown = given.findIndex(
    (w) => !Object.values(WORDLISTS).some((l) => l.some((x) => x.normalize("NFKD") === w)),
  );
  throw new InvalidArgumentError(
    `word ${unknown + 1} of the recovery phrase (“${given[unknown]}”) is not in the list`,
  );
}

async function scalar(entropy: Uint8Array, purpose: string): Promise<Uint8Array> {
  for (let counter = 0; ; counter++) {
    const d = await hkdf(entropy, SALT, concat(utf8(purpose), Uint8Array.of(counter)), 32);
    const n = BigInt(`0x${toHex(d)}`);
    if (n > 0n && n < N) return d;
  }
}

async function keyPair(d: Uint8Array, algorithm: "ECDSA" | "ECDH"): Promise<CryptoKeyPair> {
  const params = { name: algorithm, namedCurve: "P-256" };
  const usages: KeyUsage[] = algorithm === "ECDSA" ? ["sign"] : ["deriveBits"];
  const pkcs8 = own(concat(PKCS8_PREFIX, d));
  // Imported once extractable to read the public point the platform derived, then kept non-extractable.
  const { x, y } = await crypto.subtle.exportKey(
    "jwk",
    await crypto.subtle.importKey("pkcs8", pkcs8, params, true, usages),
  );
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, params, false, usages);
  const publicKey = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x, y },
    params,
    true,
    algorithm === "ECDSA" ? ["verify"] : [],
  );
  return { privateKey, publicKey };
}

/** The recovery device a phrase gives (`InvalidArgumentError` for a wrong phrase). */
export async function recoveryIdentity(phrase: string): Promise<DeviceIdentity> {
  const entropy = phraseEntropy(phrase);
  return DeviceIdentity.fromKeys({
    signing: await keyPair(await scalar(entropy, "signing"), "ECDSA"),
    agreement: await keyPair(await scalar(entropy, "agreement"), "ECDH"),
  });
}

/** The secret of a phrase's recovery mailbox (`InvalidArgumentError` for a wrong phrase). */
export function recoveryMailboxSecret(phrase: string): Promise<Uint8Array> {
  return hkdf(phraseEntropy(phrase), SALT, utf8("mailbox-secret"), 32);
}

/** The Kit scope of a recovery mailbox, from its secret. */
export async function recoveryMailbox(secret: Uint8Array): Promise<{ scope: ScopeId; secret: Uint8Array }> {
  return { scope: `recovery:${toHex(await sha256(secret)).slice(0, 32)}` as ScopeId, secret };
}

/**
 * The mailbox of phrases made before the mailbox secret came from the phrase: derived from the recovery
 * device's agreement public key (base64url), so anyone who saw the log can read it. Read only, as a last
 * resort, by a recovery that finds nothing in the phrase's own mailbox.
 */
export async function legacyRecoveryMailbox(
  agreement: string,
): Promise<{ scope: ScopeId; secret: Uint8Array }> {
  const secret = await hkdf(fromBase64(agreement), SALT, utf8("mailbox"), 32);
  return { scope: `recovery:${toHex(secret).slice(0, 32)}` as ScopeId, secret };
}
