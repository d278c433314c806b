import { describe, expect, it } from "vitest";
import { appStrings, langOf } from "./index.js";
import { plural } from "./plural.js";

describe("the member space's words", () => {
  const fr = appStrings("fr");
  const en = appStrings("en");

  it("count by each language's plural rules (French 0 is singular, English 0 is plural)", () => {
    expect([0, 1, 2].map(en.importPreview)).toEqual([
      "Import preview: 0 rows",
      "Import preview: 1 row",
      "Import preview: 2 rows",
    ]);
    expect([0, 1, 2].map(fr.importPreview)).toEqual([
      "Aperçu de l'import : 0 ligne",
      "Aperçu de l'import : 1 ligne",
      "Aperçu de l'import : 2 lignes",
    ]);
    expect([0, 1, 3].map(fr.linkAnswers)).toEqual([
      "En attente du nouvel appareil…",
      "1 appareil a répondu.",
      "3 appareils ont répondu.",
    ]);
    expect([1, 3].map(en.linkAnswers)).toEqual(["1 device answered.", "3 devices answered."]);
    expect([1, 7].map(fr.days)).toEqual(["1 jour", "7 jours"]);
    expect([1, 7].map(en.days)).toEqual(["1 day", "7 days"]);
    expect([1, 6].map(fr.duesHistory)).toEqual([
      "Cotisations de la dernière période",
      "Cotisations des 6 dernières périodes",
    ]);
    expect(en.duesHistory(6)).toBe("Dues of the last 6 periods");
  });

  it("fall back to `other` for a category a language's forms leave out (French `many`)", () => {
    expect(plural("fr", 1_000_000, { one: "un", other: "autres" })).toBe("autres");
    expect(plural("fr", 1_000_000, { one: "un", many: "beaucoup", other: "autres" })).toBe("beaucoup");
  });

  it("are French unless the tag says English", () => {
    expect([langOf("en-GB"), langOf("EN"), langOf("fr-BE"), langOf(""), langOf(null)]).toEqual([
      "en",
      "en",
      "fr",
      "fr",
      "fr",
    ]);
    expect(appStrings(langOf("en")).rulesInForce("quarter", "x")).toBe("Dues per quarter: x");
    expect(fr.rulesInForce("year", "x")).toBe("Cotisation par an : x");
  });
});
