/**
 * The member space words errors in its language from their parts: the two the French interface showed in
 * English before (a refused admission, a joining day that is not a day), and falls back to the error's own
 * message for what it does not know.
 */
import { describe, expect, it } from "vitest";
import {
  Cell,
  checkPerson,
  DEFAULT_RULES,
  ForbiddenError,
  fieldError,
  IntegrityError,
  type MemberId,
} from "../../core/index.js";
import { appStrings } from "../../core/public/strings/index.js";
import { memoryKit } from "../../test/support/devices.js";
import { errorText } from "./error-text.js";

const fr = appStrings("fr");
const en = appStrings("en");

describe("errors in the member space's words", () => {
  it("words a field's problem, with the field as the forms name it", () => {
    let error: unknown;
    try {
      checkPerson({ kind: "contact", name: "Ali", joined: "2026-13-45" });
    } catch (e) {
      error = e;
    }
    expect(errorText(error, fr)).toBe("« Date d'adhésion » doit être une date (jour, mois, année).");
    expect(errorText(error, en)).toBe("“Joined on” must be a date (day, month, year).");
    expect(
      errorText(fieldError("name", "too-long", "name is longer than 300 characters", { max: 300 }), fr),
    ).toBe("« Nom » dépasse 300 caractères.");
    // A field these words do not name keeps its own name.
    expect(errorText(fieldError("zone", "required", "zone is required"), fr)).toBe("« zone » est à remplir.");
  });

  it("words the rule that refused an op", async () => {
    // A cell whose rules keep admissions from its secretary.
    const rules = structuredClone(DEFAULT_RULES);
    rules.roles.secretary = rules.roles.secretary!.filter((r) => r !== "admit");
    const cell = await Cell.create(await memoryKit(), {
      name: "Cellule du 11e",
      founderName: "Fatima",
      rules,
    });
    const refused = await cell.admit("x".repeat(43) as MemberId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(errorText(refused, fr)).toBe("Refusé : vous n'avez pas le droit d'admettre des membres.");
    expect(errorText(refused, en)).toBe("Refused: you may not admit members.");
  });

  it("falls back to the error's own message", () => {
    expect(errorText(new IntegrityError("bad signature"), fr)).toBe("bad signature");
    expect(
      errorText(new ForbiddenError("refused: a new rule", { params: { reason: "a new rule" } }), fr),
    ).toBe("refused: a new rule");
    expect(errorText(new ForbiddenError("refused: x", { params: { reason: "constructor" } }), fr)).toBe(
      "refused: x",
    );
    expect(errorText("plain", fr)).toBe("plain");
  });
});
