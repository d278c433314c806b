import { cellZone, formatDate, formatRange, isTime } from "./dates.js";

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

  it("formats in the cell's time zone, and falls back to Europe/Paris for a zone Intl does not know", async () => {
    const at = Date.UTC(2026, 10, 27, 18, 30); // 19:30 in Paris, 03:30 the next day in Tokyo
    expect(formatRange(at, undefined, "fr", "Europe/Paris"), "vendredi 27 novembre 2026 à 19:30");
    expect(formatRange(at, undefined, "fr", "Asia/Tokyo"), "samedi 28 novembre 2026 à 03:30");
    expect(formatRange(at, undefined, "fr", "Europe/Lutece"), "vendredi 27 novembre 2026 à 19:30");
    expect(formatDate(at, "en", "Asia/Tokyo"), "November 28, 2026");
    check(cellZone({ timeZone: "Asia/Tokyo" }) === "Asia/Tokyo", "the profile's zone");
    check(cellZone({}) === "Europe/Paris", "Paris by default");
    // Anything but a zone name falls back to Europe/Paris when formatted.
    for (const odd of [3, null, { x: 1 }, "Europe/Lutece"])
      expect(
        formatRange(at, undefined, "fr", cellZone({ timeZone: odd })),
        "vendredi 27 novembre 2026 à 19:30",
      );
  });

  it("shows all-day events as their days, the same in every zone", async () => {
    const day = Date.UTC(2026, 10, 27);
    for (const zone of ["Europe/Paris", "America/Los_Angeles", "Pacific/Kiritimati"]) {
      expect(formatRange(day, undefined, "fr", zone, true), "27 novembre 2026");
      expect(formatRange(day, day + 2 * 86_400_000, "fr", zone, true), "27–29 novembre 2026");
    }
    expect(
      formatRange(day, day + 5 * 86_400_000, "en", "Asia/Tokyo", true),
      "November 27 – December 2, 2026",
    );
  });
});
