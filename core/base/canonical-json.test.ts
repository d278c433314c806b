/**
 * canonical-json.ts against RFC 8785 (JCS): the sample of §3.2.2 (parsed, then canonicalised, down to its
 * UTF-8 bytes), the property sorting of §3.2.3, and the number serialisation table of Appendix B (IEEE 754
 * bit patterns and their canonical text), plus the values canonical JSON refuses.
 */
import { describe, expect, it } from "vitest";
import { fromHex, toHex, utf8 } from "./bytes.js";
import { canonicalJson } from "./canonical-json.js";
import { InvalidArgumentError } from "./errors.js";

/** The double whose IEEE 754 bits are `hex` (16 hex digits, big-endian). */
const double = (hex: string) => new DataView(fromHex(hex).buffer).getFloat64(0);

describe("canonical JSON is RFC 8785 (JCS)", () => {
  it("writes the sample of §3.2.2 as the RFC does, to the byte", () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    const canonical = canonicalJson(JSON.parse(input));
    expect(canonical).toBe(expected);
    // §3.2.4: the same, as UTF-8 bytes.
    const bytes = `
      7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
      75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
      5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
      65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
      5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
      30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
    `;
    expect(toHex(utf8(canonical))).toBe(bytes.replace(/\s/g, ""));
  });

  it("sorts properties by UTF-16 code units, not code points or locale (§3.2.3)", () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    // "1" comes after "\r" although JavaScript enumerates integer-like keys first.
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(
      canonicalJson({
        sin: "ignore locale",
        pêche: "but canonicalization MUST",
        péché: "is wrong according to French",
        peach: "This sorting order",
      }),
    ).toBe(
      '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}',
    );
  });

  it("writes every number of Appendix B as the RFC does", () => {
    const table: [string, string][] = [
      ["0000000000000000", "0"],
      ["8000000000000000", "0"], // minus zero
      ["0000000000000001", "5e-324"],
      ["8000000000000001", "-5e-324"],
      ["7fefffffffffffff", "1.7976931348623157e+308"],
      ["ffefffffffffffff", "-1.7976931348623157e+308"],
      ["4340000000000000", "9007199254740992"],
      ["c340000000000000", "-9007199254740992"],
      ["4430000000000000", "295147905179352830000"],
      ["44b52d02c7e14af5", "9.999999999999997e+22"],
      ["44b52d02c7e14af6", "1e+23"],
      ["44b52d02c7e14af7", "1.0000000000000001e+23"],
      ["444b1ae4d6e2ef4e", "999999999999999700000"],
      ["444b1ae4d6e2ef4f", "999999999999999900000"],
      ["444b1ae4d6e2ef50", "1e+21"],
      ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
      ["3eb0c6f7a0b5ed8d", "0.000001"],
      ["41b3de4355555553", "333333333.3333332"],
      ["41b3de4355555554", "333333333.33333325"],
      ["41b3de4355555555", "333333333.3333333"],
      ["41b3de4355555556", "333333333.3333334"],
      ["41b3de4355555557", "333333333.33333343"],
      ["becbf647612f3696", "-0.0000033333333333333333"],
      ["43143ff3c1cb0959", "1424953923781206.2"],
    ];
    for (const [bits, text] of table) expect(canonicalJson(double(bits)), bits).toBe(text);
    // The table's last rows are errors in the RFC: NaN and Infinity have no JSON form.
    for (const bits of ["7fffffffffffffff", "7ff0000000000000"])
      expect(() => canonicalJson(double(bits)), bits).toThrow(InvalidArgumentError);
  });

  it("refuses what JSON cannot carry, and drops undefined properties as JSON.stringify does", () => {
    for (const value of [undefined, -Infinity, 1n, () => 1, new Date(0), new Map(), Symbol("s")])
      expect(() => canonicalJson(value), String(typeof value)).toThrow(InvalidArgumentError);
    expect(() => canonicalJson([1, { a: Number.NaN }])).toThrow(InvalidArgumentError);
    expect(canonicalJson({ b: undefined, a: [] })).toBe('{"a":[]}');
  });

  it("writes a lone surrogate as JSON.stringify does (I-JSON, JCS's input, has none)", () => {
    expect(canonicalJson("\ud800")).toBe('"\\ud800"');
  });
});
