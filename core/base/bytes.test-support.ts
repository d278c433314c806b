/**
 * The byte helpers' cases, shared by bytes.test.ts (Node) and bytes.browser.test.ts (Chromium),
 * so both engines meet the same expectations.
 */

import { assert, bytesEqual } from "../testing/assert.js";
import { fromBase64, toBase64Url } from "./bytes.js";

/** Standard padded base64 of bytes, by the platform's btoa (an independent encoder). */
const standard = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Runs every base64 case; throws on the first failure. */
export function checkBase64(): void {
  for (let n = 0; n <= 70; n++) {
    const bytes = crypto.getRandomValues(new Uint8Array(n));
    bytesEqual(fromBase64(toBase64Url(bytes)), bytes, `base64url of ${n} bytes`);
    bytesEqual(fromBase64(standard(bytes)), bytes, `padded base64 of ${n} bytes`);
    bytesEqual(fromBase64(standard(bytes).replace(/=+$/, "")), bytes, `unpadded base64 of ${n} bytes`);
    assert(fromBase64(toBase64Url(bytes)).buffer.byteLength === n, "the result owns its buffer");
  }
  bytesEqual(fromBase64("-_-_"), fromBase64("+/+/"), "both alphabets");
  for (const bad of ["a", "abcde", "ab!c", "ab c", "ab\nc", "ab=c", "=abc", "é", "abc\u0000", "ab%3D"]) {
    let error: unknown;
    try {
      fromBase64(bad);
    } catch (e) {
      error = e;
    }
    assert(error instanceof TypeError, `${JSON.stringify(bad)} refused with a TypeError, got ${error}`);
  }
}
