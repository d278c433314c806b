import { formatDate, formatRange, isTime } from "./dates.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m, d, h, min).getTime();

/** Compares with plain spaces: ICU puts no-break and thin spaces in some of these. */
function expect(actual: string, expected: string): void {
  check(
    actual.replace(/\s/g, " ") === expected,
    `${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`,
  );
}

describe("dates", () => {
  it("formats days and time ranges in French and English, in the visitor's time zone", async () => {
    expect(formatDate(local(2026, 10, 22, 9), "fr"), "22 novembre 2026");
    expect(formatDate(local(2026, 0, 1), "en"), "January 1, 2026");
    const start = local(2026, 10, 27, 19);
    expect(formatRange(start, local(2026, 10, 27, 21, 30), "fr"), "vendredi 27 novembre 2026, 19:00 – 21:30");
    expect(formatRange(start, undefined, "en"), "Friday, November 27, 2026 at 7:00 PM");
    expect(formatRange(start, start - 1, "en"), "Friday, November 27, 2026 at 7:00 PM");
    expect(
      formatRange(start, local(2026, 10, 28, 2), "fr"),
      "vendredi 27 novembre 2026 à 19:00 – samedi 28 novembre 2026 à 02:00",
    );
  });

  it("gives an empty string, never an exception, for what is not a time", async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, "2026" as unknown as number]) {
      check(!isTime(bad), `${bad} taken for a time`);
      expect(formatDate(bad, "fr"), "");
      expect(formatRange(bad, undefined, "en"), "");
    }
    const start = local(2026, 10, 27, 19);
    expect(formatRange(start, Number.NaN, "fr"), formatRange(start, undefined, "fr"));
  });
});
