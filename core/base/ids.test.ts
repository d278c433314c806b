import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "./errors.js";
import { parseCellId, parseDeviceId, parseDocId, parseMemberId, parseScopeId, parseTopic } from "./ids.js";

const DEVICE = "q3Kz0v0cXlYbQ2dQm3l0bX7dWJ3nq9i4r0pS1tU2vWx"; // 43 base64url characters
const HEX = "a".repeat(64);

describe("checked ID constructors", () => {
  it("accept IDs of their kind", () => {
    expect(parseDeviceId(DEVICE)).toBe(DEVICE);
    expect(parseMemberId(DEVICE)).toBe(DEVICE);
    expect(parseCellId(HEX)).toBe(HEX);
    expect(parseTopic(HEX)).toBe(HEX);
    expect(parseDocId("2xQzPq7hWvYbX4fTt1pGq8dKmNs")).toBe("2xQzPq7hWvYbX4fTt1pGq8dKmNs");
    for (const scope of ["public", "members", `${HEX}/officers`, `link:${HEX.slice(0, 32)}`])
      expect(parseScopeId(scope)).toBe(scope);
  });

  it("refuse anything else with an InvalidArgumentError naming the kind", () => {
    const cases: [(t: unknown) => string, unknown][] = [
      [parseDeviceId, `${DEVICE}=`],
      [parseDeviceId, DEVICE.slice(1)],
      [parseMemberId, 42],
      [parseMemberId, "constructor"],
      [parseCellId, HEX.toUpperCase()],
      [parseCellId, `${HEX} `],
      [parseTopic, "../etc/passwd"],
      [parseDocId, "0OIl".repeat(6)],
      [parseDocId, undefined],
      [parseScopeId, ""],
      [parseScopeId, "membres du bureau"],
      [parseScopeId, "members\n"],
      [parseScopeId, "é"],
      [parseScopeId, "m".repeat(201)],
      [parseScopeId, null],
    ];
    for (const [parse, text] of cases) {
      expect(() => parse(text), String(text)).toThrow(InvalidArgumentError);
    }
    expect(() => parseMemberId("x".repeat(10_000))).toThrow(/not a member ID: "x{80}…"/);
  });
});
