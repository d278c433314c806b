import { describe, it } from "vitest";
import { checkBase64 } from "./bytes.test-support.js";

describe("base64 in Node", () => {
  it("decodes both alphabets, padded or not, and refuses anything else with a TypeError", () => {
    checkBase64();
  });
});
