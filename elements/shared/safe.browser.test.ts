import { clip, safeHref } from "./safe.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => void) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

describe("safeHref", () => {
  it("keeps http, https and mailto links", () => {
    for (const ok of ["https://exemple.org/a?b=1#c", "http://exemple.org", "mailto:cellule@exemple.org"]) {
      check(safeHref(ok) !== undefined, ok);
    }
  });

  it("drops every other scheme, however it is written", () => {
    const hostile = [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "\u0000javascript:alert(1)",
      "java\u200bscript:alert(1)",
      "\u202ejavascript:alert(1)",
      "\ufeffjavascript:alert(1)",
      "javascript\u00ad:alert(1)",
      "jav&#x09;ascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "DATA:text/html;base64,PHNjcmlwdD4=",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "//evil.example/x",
      "/relative",
      "",
      `https://x.example/${"a".repeat(5000)}`,
      42,
      null,
      { toString: () => "https://x.example" },
    ];
    for (const bad of hostile) check(safeHref(bad) === undefined, `kept ${String(bad).slice(0, 40)}`);
  });
});

describe("clip", () => {
  it("shortens a huge field and leaves short ones alone", () => {
    check(clip("Cellule", 80) === "Cellule", "short text unchanged");
    const huge = clip("x".repeat(1_000_000), 80);
    check(huge.length === 80 && huge.endsWith("…"), `clipped to ${huge.length}`);
    check(clip(undefined, 10) === "" && clip(5, 10) === "", "non-strings are empty");
  });
});
