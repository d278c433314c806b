/**
 * CSV as spreadsheets write it (RFC 4180): quoted fields with doubled quotes, commas or line breaks inside
 * quotes, CRLF or LF, an optional byte order mark, and `;` as the separator when the header uses it (what
 * French spreadsheets write). A file's bytes are read as UTF-8 when they are UTF-8, else as Windows-1252
 * (what Excel's French "CSV (séparateur : point-virgule)" export writes). Writing quotes every field that
 * needs it and neutralises cells a spreadsheet would run as a formula.
 */
import { InvalidArgumentError } from "../base/errors.js";

/** Rows of cells; `line` is where each row starts in the file (1-based). */
export interface CsvTable {
  rows: { line: number; cells: string[] }[];
}

/** Parses CSV text; `InvalidArgumentError` for an unterminated quoted field. Empty lines are skipped. */
export function parseCsv(text: string): CsvTable {
  const src = text.startsWith("\ufeff") ? text.slice(1) : text;
  const sep = separatorOf(src);
  const rows: CsvTable["rows"] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let i = 0;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== "") rows.push({ line: start, cells });
    cells = [];
    cell = "";
  };
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"' && cell === "") quoted = true;
    else if (c === sep) {
      cells.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      endRow();
      line++;
      start = line;
    } else cell += c;
    i++;
  }
  if (quoted) throw new InvalidArgumentError(`line ${start}: a quoted field is not closed`);
  endRow();
  return { rows };
}

/** `;` when the first row has more semicolons than commas outside quotes, else `,`. */
function separatorOf(src: string): string {
  let quoted = false;
  let semicolons = 0;
  let commas = 0;
  for (const c of src) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && c === ";") semicolons++;
    else if (!quoted && c === ",") commas++;
  }
  return semicolons > commas ? ";" : ",";
}

/** One cell, quoted when needed; a leading `=`, `+`, `-` or `@` is prefixed with `'` (no formula runs). */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Writes rows as CSV (comma-separated, CRLF, with a byte order mark so spreadsheets read UTF-8). */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return `\ufeff${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

/**
 * What Windows-1252 puts at 0x80–0x9F, where ISO-8859-1 has control codes; the five bytes it leaves
 * unassigned keep their control code, as the Encoding standard says. Written out rather than asked of
 * `TextDecoder("windows-1252")`, which Node gets wrong there since 20.18.3 (nodejs/node#60888: read as
 * Latin-1, or dropped).
 */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

/** Windows-1252 bytes as text: ASCII and Latin-1 as they are, 0x80–0x9F through the table above. */
function decodeCp1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  // In slices: `String.fromCharCode` takes its code units as arguments, and arguments are limited.
  for (let start = 0; start < bytes.length; start += 8192) {
    const units = Array.from(bytes.subarray(start, start + 8192), (b) =>
      b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80]! : b,
    );
    parts.push(String.fromCharCode(...units));
  }
  return parts.join("");
}

/**
 * The text of a CSV file's bytes: UTF-16 when it opens with a UTF-16 byte order mark; UTF-8 when the bytes
 * are valid UTF-8 (a UTF-8 byte order mark dropped); else Windows-1252, which every byte sequence is. A
 * Windows-1252 file with accents is in practice never valid UTF-8 (an accented letter is one byte above
 * 0x7F, which UTF-8 only allows in sequences), so the guess only errs on Windows-1252 text that spells out
 * UTF-8 sequences, such as "Ã©".
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return decodeCp1252(bytes);
  }
}
