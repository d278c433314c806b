/**
 * A JSON value sealed to one ECDH P-256 public key by someone who holds no key of their own (a visitor's
 * contact request to the cell's admission key, an invitation to a new device), under the envelope v1
 * header so that any relay stores and forwards it:
 * ```
 * header (50 bytes, the AES-GCM additional data)
 *   version 1 | suite 1 | topic | index (u32 BE: which of the recipient's keys) | iv (12 bytes, random)
 * payload = ephemeral ECDH P-256 public key (65, raw) ‖ AES-256-GCM(key, iv, plaintext, aad = header)
 *   key = HKDF-SHA-256(ECDH(ephemeral, recipient), salt = "cellule/v1/<label>",
 *                      info = "cellule/v1/<label>\n<bound>\n<index>\n" ‖ ephemeral public), 32 bytes
 * plaintext = UTF-8 JSON, padded with spaces to a multiple of 256 bytes so its length tells little
 * ```
 * `label` names the use (`contact`, `device-mail`) and `bound` what the box is bound to (a cell ID), so
 * a box cannot be replayed into another use or cell.
 */
import { concat, fromBase64, fromHex, fromUtf8, toHex, utf8 } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError } from "../base/errors.js";
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  ecdh,
  exportPublicKey,
  generateAgreementKeyPair,
  hkdf,
  importAesKey,
  importAgreementPublicKey,
  SUITE_1,
} from "./suite.js";

const HEADER = 50;
const POINT = 65;
const PAD = 256;
/** Largest sealed box a relay or a recipient accepts. */
export const MAX_BOX_BYTES = 64 * 1024;

/** What a box is: its use, relay topic (hex), what it is bound to, and the recipient key's index. */
export interface BoxAddress {
  label: string;
  topic: string;
  bound: string;
  index: number;
}

/** Deterministic inputs, for test vectors only. */
export interface BoxSealOptions {
  ephemeral?: CryptoKeyPair;
  iv?: Uint8Array;
}

async function boxKey(shared: Uint8Array, a: BoxAddress, ephemeral: Uint8Array): Promise<CryptoKey> {
  const info = concat(utf8(`cellule/v1/${a.label}\n${a.bound}\n${a.index}\n`), ephemeral);
  return importAesKey(await hkdf(shared, utf8(`cellule/v1/${a.label}`), info, 32));
}

/** Seals `value` to `recipient` (base64url raw P-256 point); `InvalidArgumentError` for an unusable key. */
export async function sealBox(
  address: BoxAddress,
  recipient: string,
  value: object,
  options: BoxSealOptions = {},
): Promise<Uint8Array> {
  let key: CryptoKey;
  try {
    key = await importAgreementPublicKey(fromBase64(recipient));
  } catch (cause) {
    throw new InvalidArgumentError("the recipient's key is not a P-256 public key", { cause });
  }
  const pair = options.ephemeral ?? (await generateAgreementKeyPair());
  const ephemeral = await exportPublicKey(pair.publicKey);
  const header = new Uint8Array(HEADER);
  header[0] = 1;
  header[1] = SUITE_1;
  header.set(fromHex(address.topic), 2);
  new DataView(header.buffer).setUint32(34, address.index);
  header.set(options.iv ?? crypto.getRandomValues(new Uint8Array(12)), 38);
  const aes = await boxKey(await ecdh(pair.privateKey, key), address, ephemeral);
  const encoded = utf8(JSON.stringify(value));
  const plain = new Uint8Array(Math.ceil((encoded.length + 1) / PAD) * PAD).fill(0x20);
  plain.set(encoded);
  return concat(header, ephemeral, await aesGcmEncrypt(aes, header.subarray(38), plain, header));
}

/** The recipient key index a sealed box names (`IntegrityError` when it is too short to be one). */
export function boxIndex(bytes: Uint8Array): number {
  if (bytes.length < HEADER + POINT + 16 || bytes.length > MAX_BOX_BYTES)
    throw new IntegrityError(`a sealed box has the wrong size`);
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(34);
}

/**
 * Opens a box of `label` on `topic` bound to `bound`, trying each of `keys` (the private keys of its
 * index). `IntegrityError` for anything malformed, misaddressed, altered or sealed to other keys.
 */
export async function openBox(
  bytes: Uint8Array,
  address: Omit<BoxAddress, "index">,
  keys: readonly CryptoKey[],
): Promise<Record<string, unknown>> {
  const index = boxIndex(bytes);
  const header = bytes.subarray(0, HEADER);
  if (header[0] !== 1 || header[1] !== SUITE_1) throw new IntegrityError(`unknown ${address.label} format`);
  if (toHex(header.subarray(2, 34)) !== address.topic)
    throw new IntegrityError(`a ${address.label} for another cell or device`);
  if (keys.length === 0)
    throw new IntegrityError(`no key #${index} for this ${address.label} on this device`);
  const ephemeral = bytes.subarray(HEADER, HEADER + POINT);
  const publicKey = await importAgreementPublicKey(ephemeral);
  let plain: Uint8Array | undefined;
  for (const privateKey of keys) {
    const aes = await boxKey(await ecdh(privateKey, publicKey), { ...address, index }, ephemeral);
    plain = await aesGcmDecrypt(aes, header.subarray(38), bytes.subarray(HEADER + POINT), header).catch(
      () => undefined,
    );
    if (plain) break;
  }
  if (!plain) throw new IntegrityError("decryption failed: wrong key or altered ciphertext");
  try {
    const value = JSON.parse(fromUtf8(plain));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  } catch {}
  throw new IntegrityError(`a ${address.label} that is not a JSON object`);
}
