/**
 * SHA-256 computed synchronously in JavaScript (@noble/hashes). For the many small hashes of governance ops
 * and device IDs, an asynchronous WebCrypto round trip costs more than the hash itself; for large inputs
 * the platform's native SHA-256 is faster. Same SHA-256 either way (checked against WebCrypto in the tests).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { sha256 as nativeSha256 } from "./suite.js";

/** Below this size, hashing in JavaScript beats a WebCrypto round trip. */
const QUICK_LIMIT = 4096;

/** SHA-256 of `data`, synchronously. */
export function sha256Sync(data: Uint8Array): Uint8Array {
  return sha256(data);
}

/** SHA-256 of `data`: in JavaScript when small, by WebCrypto when large. */
export async function sha256Quick(data: Uint8Array): Promise<Uint8Array> {
  return data.length < QUICK_LIMIT ? sha256(data) : nativeSha256(data);
}
