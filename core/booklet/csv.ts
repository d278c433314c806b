/**
 * CSV as spreadsheets write it (RFC 4180): quoted fields with doubled quotes, commas or line breaks inside
 * quotes, CRLF or LF, an optional byte order mark, and `;` as the separator when the header uses it (what
 * French spreadsheets write). Writing quotes every field that needs it and neutralises cells a spreadsheet
 * would run as a formula.
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
