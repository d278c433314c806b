import { checkBase64 } from "./bytes.test-support.js";

declare const describe: (name: string, body: () => void) => void;
declare const it: (name: string, body: () => void) => void;

describe("base64 in Chromium", () => {
  it("decodes both alphabets, padded or not, and refuses anything else with a TypeError", () => {
    checkBase64();
  });
});
