import { formatDate, formatRange } from "./dates.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m, d, h, min).getTime();

describe("dates without Intl", () => {
  it("formats days and time ranges in French and English, in the visitor's time zone", async () => {
    check(
      formatDate(local(2026, 10, 22, 9), "fr") === "22 novembre 2026",
      formatDate(local(2026, 10, 22), "fr"),
    );
    check(formatDate(local(2026, 0, 1), "en") === "1 January 2026", formatDate(local(2026, 0, 1), "en"));
    const start = local(2026, 10, 27, 19);
    check(
      formatRange(start, local(2026, 10, 27, 21, 30), "fr") === "vendredi 27 novembre 2026, 19:00 – 21:30",
      formatRange(start, local(2026, 10, 27, 21, 30), "fr"),
    );
    check(
      formatRange(start, undefined, "en") === "Friday 27 November 2026, 19:00",
      formatRange(start, undefined, "en"),
    );
    check(
      formatRange(start, start - 1, "en") === "Friday 27 November 2026, 19:00",
      "an end before the start is ignored",
    );
    const overnight = formatRange(start, local(2026, 10, 28, 2), "fr");
    check(overnight === "vendredi 27 novembre 2026, 19:00 – samedi 28 novembre 2026, 02:00", overnight);
  });
});
