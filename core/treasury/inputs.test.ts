/** Input checks of the treasury: every bad field gets an `InvalidArgumentError` naming it; good input comes back clean. */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../base/errors.js";
import { checkStamp, checkStampData, checkSubscription, checkSubscriptionData } from "./entries.js";
import { bracketFor, cheapestBracket, checkRules, MAX_BRACKETS } from "./rules.js";
import { RULES } from "./test-support.js";

const STAMP = { person: "held:abc", period: "2026-11", amount: 300, method: "cash", bracket: "b1" };
const SUBSCRIPTION = {
  person: "held:abc",
  publication: "L'Étincelle",
  from: "2026-01-01",
  to: "2026-12-31",
  paid: 2400,
  method: "transfer",
};

function expectInvalid(call: () => unknown, field: string): void {
  expect(call).toThrow(InvalidArgumentError);
  // The message starts with the field's exact name.
  expect(call).toThrow(new RegExp(`^${field.replace(/[.[\]]/g, "\\$&")} `));
}

describe("dues rules", () => {
  it("come back clean, extra fields dropped", () => {
    expect(checkRules({ ...RULES, extra: "x" })).toEqual(RULES);
    expect(checkRules({ ...RULES, remittedShare: 0 }).remittedShare).toBe(0);
    expect(checkRules({ ...RULES, remittedShare: 1 }).remittedShare).toBe(1);
  });

  it("refuse every bad field by name", () => {
    const bracket = RULES.brackets[0]!;
    const cases: [unknown, string][] = [
      [null, "rules"],
      [[], "rules"],
      [{ ...RULES, period: "week" }, "rules.period"],
      [{ ...RULES, currency: "euro" }, "rules.currency"],
      [{ ...RULES, currency: "eur" }, "rules.currency"],
      [{ ...RULES, remittedShare: 1.2 }, "rules.remittedShare"],
      [{ ...RULES, remittedShare: -0.1 }, "rules.remittedShare"],
      [{ ...RULES, remittedShare: "0.3" }, "rules.remittedShare"],
      [{ ...RULES, remittedShare: Number.NaN }, "rules.remittedShare"],
      [{ ...RULES, brackets: [] }, "rules.brackets"],
      [{ ...RULES, brackets: "b1" }, "rules.brackets"],
      [{ ...RULES, brackets: Array.from({ length: MAX_BRACKETS + 1 }, () => bracket) }, "rules.brackets"],
      [{ ...RULES, brackets: [bracket, { ...bracket, maxMonthlyIncome: 1 }] }, "rules.brackets[1].id"],
      [{ ...RULES, brackets: [bracket, { ...bracket, id: "b9" }] }, "rules.brackets[1].maxMonthlyIncome"],
      [{ ...RULES, brackets: [{ ...bracket, id: " " }] }, "rules.brackets[0].id"],
      [{ ...RULES, brackets: [{ ...bracket, label: 3 }] }, "rules.brackets[0].label"],
      [{ ...RULES, brackets: [{ ...bracket, amount: -1 }] }, "rules.brackets[0].amount"],
      [{ ...RULES, brackets: [{ ...bracket, amount: 2.5 }] }, "rules.brackets[0].amount"],
      [{ ...RULES, brackets: [{ ...bracket, maxMonthlyIncome: -5 }] }, "rules.brackets[0].maxMonthlyIncome"],
      [
        { ...RULES, brackets: [{ ...bracket, maxMonthlyIncome: undefined }] },
        "rules.brackets[0].maxMonthlyIncome",
      ],
      [{ ...RULES, brackets: [null] }, "rules.brackets[0]"],
    ];
    for (const [input, field] of cases) expectInvalid(() => checkRules(input), field);
  });

  it("find a person's bracket from their income, and the cheapest one", () => {
    expect(bracketFor(RULES, 90_000)?.id).toBe("b1");
    expect(bracketFor(RULES, 120_000)?.id).toBe("b1");
    expect(bracketFor(RULES, 120_001)?.id).toBe("b2");
    expect(bracketFor(RULES, 1_000_000)?.id).toBe("b3");
    expect(bracketFor({ ...RULES, brackets: RULES.brackets.slice(0, 1) }, 500_000)).toBeUndefined();
    expect(cheapestBracket(RULES)?.id).toBe("b1");
    const free = { id: "b0", label: "sans revenu", maxMonthlyIncome: 0, amount: 0 };
    expect(cheapestBracket({ ...RULES, brackets: [...RULES.brackets, free] })?.id).toBe("b0");
  });
});

describe("stamps", () => {
  it("come back clean: text trimmed, absent fields left out", () => {
    expect(checkStamp({ ...STAMP, person: "  held:abc ", note: undefined }, RULES)).toEqual(STAMP);
    expect(checkStamp({ ...STAMP, amount: 0, method: "other", note: "exonéré" }, RULES)).toMatchObject({
      amount: 0,
      note: "exonéré",
    });
    // Without rules (as a view reads records), any period kind is a period.
    expect(checkStamp({ ...STAMP, period: "2026-Q4", bracket: "b7" }).period).toBe("2026-Q4");
  });

  it("refuse every bad field by name", () => {
    const cases: [unknown, string][] = [
      ["timbre", "stamp"],
      [{ ...STAMP, person: "" }, "stamp.person"],
      [{ ...STAMP, person: "   " }, "stamp.person"],
      [{ ...STAMP, person: 42 }, "stamp.person"],
      [{ ...STAMP, person: "x".repeat(201) }, "stamp.person"],
      [{ ...STAMP, period: "novembre 2026" }, "stamp.period"],
      [{ ...STAMP, period: "2026-Q4" }, "stamp.period"],
      [{ ...STAMP, period: "2026" }, "stamp.period"],
      [{ ...STAMP, amount: -300 }, "stamp.amount"],
      [{ ...STAMP, amount: 3.5 }, "stamp.amount"],
      [{ ...STAMP, amount: "300" }, "stamp.amount"],
      [{ ...STAMP, amount: Number.POSITIVE_INFINITY }, "stamp.amount"],
      [{ ...STAMP, method: "chèque" }, "stamp.method"],
      [{ ...STAMP, method: undefined }, "stamp.method"],
      [{ ...STAMP, bracket: "b9" }, "stamp.bracket"],
      [{ ...STAMP, bracket: "" }, "stamp.bracket"],
      [{ ...STAMP, note: 5 }, "stamp.note"],
      [{ ...STAMP, note: "x".repeat(2001) }, "stamp.note"],
    ];
    for (const [input, field] of cases) expectInvalid(() => checkStamp(input, RULES), field);
  });

  it("as signed data: a void is only a correction of 0 with a note", () => {
    const voided = { ...STAMP, amount: 0, note: "saisi en double", supersedes: "abc", void: true };
    expect(checkStampData(voided)).toEqual(voided);
    expectInvalid(() => checkStampData({ ...voided, supersedes: undefined }), "stamp.void");
    expectInvalid(() => checkStampData({ ...voided, amount: 300 }), "stamp.void");
    expectInvalid(() => checkStampData({ ...voided, note: undefined }), "stamp.note");
    expectInvalid(() => checkStampData({ ...voided, void: "yes" }), "stamp.void");
    expectInvalid(() => checkStampData({ ...STAMP, supersedes: "" }), "stamp.supersedes");
    expectInvalid(() => checkStampData({ ...STAMP, supersedes: "x".repeat(65) }), "stamp.supersedes");
  });
});

describe("subscriptions", () => {
  it("come back clean", () => {
    expect(checkSubscription({ ...SUBSCRIPTION, publication: " L'Étincelle " })).toEqual(SUBSCRIPTION);
    expect(checkSubscription({ ...SUBSCRIPTION, to: SUBSCRIPTION.from }).to).toBe("2026-01-01");
  });

  it("refuse every bad field by name", () => {
    const cases: [unknown, string][] = [
      [undefined, "subscription"],
      [{ ...SUBSCRIPTION, person: "" }, "subscription.person"],
      [{ ...SUBSCRIPTION, publication: "" }, "subscription.publication"],
      [{ ...SUBSCRIPTION, from: "2026-13-01" }, "subscription.from"],
      [{ ...SUBSCRIPTION, to: "31/12/2026" }, "subscription.to"],
      [{ ...SUBSCRIPTION, from: "2027-01-01" }, "subscription.from"],
      [{ ...SUBSCRIPTION, paid: -1 }, "subscription.paid"],
      [{ ...SUBSCRIPTION, paid: 0.5 }, "subscription.paid"],
      [{ ...SUBSCRIPTION, method: "carte" }, "subscription.method"],
      [{ ...SUBSCRIPTION, note: [] }, "subscription.note"],
    ];
    for (const [input, field] of cases) expectInvalid(() => checkSubscription(input), field);
    const voided = { ...SUBSCRIPTION, paid: 0, note: "erreur", supersedes: "abc", void: true };
    expect(checkSubscriptionData(voided)).toEqual(voided);
    expectInvalid(() => checkSubscriptionData({ ...voided, paid: 100 }), "subscription.void");
  });
});
