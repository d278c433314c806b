/**
 * CPace over ristretto255 against the test vectors of draft-irtf-cfrg-cpace (appendix "Test vector for
 * CPace using group ristretto255 and hash SHA-512"), and the properties the device link relies on.
 */
import { describe, expect, it } from "vitest";
import { fromHex, toHex, utf8 } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import { CPace, cpaceGenerator } from "./cpace.js";

const hex = (s: string) => fromHex(s.replace(/\s/g, ""));
const input = {
  prs: utf8("Password"),
  ci: hex("0b415f696e69746961746f720b425f726573706f6e646572"),
  sid: hex("7e4b4791d6a8ef019b936c79fb7f2c57"),
};

describe("CPace (ristretto255, SHA-512)", () => {
  it("gives the draft's generator, messages and ISK", () => {
    expect(toHex(cpaceGenerator(input.prs, input.ci, input.sid))).toBe(
      "222b6b195fe84b1652badb6f6a3ae3d24341e7306967f0b8115b40d5698c7e56",
    );
    const a = new CPace(input, hex("da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08"));
    const b = new CPace(input, hex("d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d"));
    expect(toHex(a.message)).toBe("d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0eec482b9157");
    expect(toHex(b.message)).toBe("3ea7e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7433f7258");
    const isk =
      "b69effbf61b51d56401c0f65601abe428de8206feaaf0e32198896dcae7b35cd2b38950a39dfd5d4a79164614c2984f7daa460b588c1e80c3fa2068af7900447";
    expect(toHex(a.finish(b.message, { mine: utf8("ADa"), theirs: utf8("ADb") }, true))).toBe(isk);
    expect(toHex(b.finish(a.message, { mine: utf8("ADb"), theirs: utf8("ADa") }, false))).toBe(isk);
  });

  it("gives different keys for different passwords, and refuses messages that are not group elements", () => {
    const ad = { mine: new Uint8Array(), theirs: new Uint8Array() };
    const a = new CPace(input);
    const b = new CPace({ ...input, prs: utf8("Passwore") });
    expect(toHex(a.finish(b.message, ad, true))).not.toBe(toHex(b.finish(a.message, ad, false)));
    const c = new CPace(input);
    expect(toHex(a.finish(c.message, ad, true))).toBe(toHex(c.finish(a.message, ad, false)));
    expect(() => a.finish(new Uint8Array(32), ad, true)).toThrow(IntegrityError);
    expect(() => a.finish(new Uint8Array(32).fill(0xff), ad, true)).toThrow(IntegrityError);
  });
});
