import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../base/errors.js";
import { checkPost, checkProfile } from "./content.js";
import { MAX_LINK_LENGTH, safeLink } from "./links.js";

const post = (link: unknown) => ({
  id: "p1",
  title: "Tract",
  text: "",
  link,
  author: "Fatima",
  date: 0,
  visibility: "public",
});
const profile = (relays: unknown[]) => ({ name: "Cellule", place: "", description: "", contact: "", relays });

// The same cases run in Chromium (elements/shared/safe.browser.test.ts): both parse URLs the WHATWG way.
const HOSTILE: unknown[] = [
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

describe("safeLink", () => {
  it("keeps http, https and mailto links", () => {
    for (const ok of ["https://exemple.org/a?b=1#c", "http://exemple.org", "mailto:cellule@exemple.org"])
      expect(safeLink(ok), ok).toBeDefined();
  });

  it("drops every other scheme, however it is written", () => {
    for (const bad of HOSTILE) expect(safeLink(bad), String(bad).slice(0, 40)).toBeUndefined();
  });

  it("bounds the length of the link as written", () => {
    const base = "https://x.example/";
    expect(safeLink(`${base}${"a".repeat(MAX_LINK_LENGTH - base.length)}`)).toBeDefined();
    expect(safeLink(`${base}${"a".repeat(MAX_LINK_LENGTH - base.length + 1)}`)).toBeUndefined();
  });

  // Where the writers' old regex (`isSafeLink`) and the widgets' parsed rule (`safeHref`) disagreed, the
  // parsed rule wins: a link is what a browser makes of it.
  it("judges links as a browser parses them, and gives back the parsed link", () => {
    const cases: [string, string | undefined][] = [
      // Refused by the old regex, links a browser follows: kept, as the browser would follow them.
      [" https://exemple.org/a b", "https://exemple.org/a%20b"],
      ["https://exemple.org/\ta\n", "https://exemple.org/a"],
      ["https://exemple.org/\u00a0", "https://exemple.org/%C2%A0"],
      ["HTTPS://Exemple.ORG", "https://exemple.org/"],
      ["https:exemple.org", "https://exemple.org/"],
      ["https:\\\\exemple.org\\a", "https://exemple.org/a"],
      // Accepted by the old regex, not URLs at all (or hosts no browser resolves): refused.
      ["https://[", undefined],
      ["https://\u202eexemple.org", undefined],
      // Accepted by both: what could reorder the text a link shows is percent-encoded.
      ["https://exemple.org/\u202egnp.exe", "https://exemple.org/%E2%80%AEgnp.exe"],
    ];
    for (const [link, expected] of cases) expect(safeLink(link), JSON.stringify(link)).toBe(expected);
  });
});

describe("the writers' link checks use the same rule", () => {
  it("accept what a reader links to, as written", () => {
    expect(checkPost(post(" https://exemple.org/a b")).link).toBe(" https://exemple.org/a b");
    expect(checkProfile(profile(["https://relais.example"])).relays).toEqual(["https://relais.example"]);
    expect(checkProfile(profile(["HTTPS://relais.example"])).relays).toEqual(["HTTPS://relais.example"]);
  });

  it("refuse what a reader would not link to", () => {
    for (const bad of [...HOSTILE.filter((b) => typeof b === "string" && b.length <= 2000), "https://["])
      expect(() => checkPost(post(bad)), JSON.stringify(bad)).toThrow(InvalidArgumentError);
    expect(() => checkPost(post(42))).toThrow(/link must be text/);
    expect(() => checkProfile(profile(["mailto:x@exemple.org"]))).toThrow(
      /relays\[0\] must be http or https/,
    );
    expect(() => checkProfile(profile([`https://x.example/${"a".repeat(2000)}`]))).toThrow(
      /longer than 2000/,
    );
  });
});
