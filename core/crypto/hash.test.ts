import { describe, expect, it } from "vitest";
import { toHex } from "../base/bytes.js";
import { sha256Quick, sha256Sync } from "./hash.js";
import { sha256 } from "./suite.js";

describe("SHA-256 in JavaScript", () => {
  it("matches WebCrypto for every size, on both sides of the switch to native", async () => {
    for (const size of [0, 1, 55, 56, 64, 4095, 4096, 100_000]) {
      const data = crypto.getRandomValues(new Uint8Array(Math.min(size, 65_536)));
      const big = size > 65_536 ? new Uint8Array(size).fill(7) : data;
      const expected = toHex(await sha256(big));
      expect(toHex(sha256Sync(big)), `${size}`).toBe(expected);
      expect(toHex(await sha256Quick(big)), `${size}`).toBe(expected);
    }
  });
});
