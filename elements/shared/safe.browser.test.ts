import { safeLink } from "../../core/public/links.js";
import { clip } from "./safe.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => void) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// The link allow-list as Chromium's URL parser applies it (core/public/links.test.ts runs the same cases
// in Node's): the page follows what the browser parses.
describe("safeLink, in the browser", () => {
  it("keeps http, https and mailto links", () => {
    for (const ok of ["https://exemple.org/a?b=1#c", "http://exemple.org", "mailto:cellule@exemple.org"]) {
      check(safeLink(ok) !== undefined, ok);
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
    for (const bad of hostile) check(safeLink(bad) === undefined, `kept ${String(bad).slice(0, 40)}`);
  });

  it("gives back the parsed link, as core/public/links.test.ts expects in Node", () => {
    const cases: [string, string | undefined][] = [
      [" https://exemple.org/a b", "https://exemple.org/a%20b"],
      ["HTTPS://Exemple.ORG", "https://exemple.org/"],
      ["https:exemple.org", "https://exemple.org/"],
      ["https:\\\\exemple.org\\a", "https://exemple.org/a"],
      ["https://exemple.org/\u202egnp.exe", "https://exemple.org/%E2%80%AEgnp.exe"],
      ["https://[", undefined],
      ["https://\u202eexemple.org", undefined],
      [`https://x.example/${"a".repeat(1982)}`, `https://x.example/${"a".repeat(1982)}`],
      [`https://x.example/${"a".repeat(1983)}`, undefined],
    ];
    for (const [link, expected] of cases)
      check(safeLink(link) === expected, `${link.slice(0, 40)}: ${safeLink(link)}`);
  });
});

describe("clip", () => {
  it("shortens a huge field and leaves short ones alone", () => {
    check(clip("Cellule", 80) === "Cellule", "short text unchanged");
    const huge = clip("x".repeat(1_000_000), 80);
    check(huge.length === 80 && huge.endsWith("…"), `clipped to ${huge.length}`);
    check(clip(undefined, 10) === "" && clip(5, 10) === "", "non-strings are empty");
  });

  it("drops bidi overrides and control characters, keeps right-to-left text, tabs and line feeds", () => {
    check(clip("\u202Egnp.exe", 80) === "gnp.exe", "override dropped");
    check(
      clip("a\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069b", 80) === "ab",
      "embeddings and isolates dropped",
    );
    check(clip("a\u0000\u0007\u001b[31m\u007f\u0085\u009fb", 80) === "a[31mb", "controls dropped");
    check(clip("ligne 1\r\nligne 2\tfin", 80) === "ligne 1\nligne 2\tfin", "tab and line feed kept");
    check(clip("שלום \u200fעולם", 80) === "שלום \u200fעולם", "right-to-left text and marks kept");
    check(clip(`${"\u202e".repeat(100)}abc`, 5) === "abc", "clipped after cleaning");
  });
});
