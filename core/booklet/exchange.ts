/**
 * The booklet as a spreadsheet: CSV export with French headers, and import with a preview that says, row
 * by row and field by field, what is wrong. An import with any wrong row changes nothing.
 *
 * Columns (headers in French or English, in any order; only the name is required): `id`, `type`
 * (`contact`, `adhérent`, `adhérent sans appareil`, or `contact`/`member`/`held`), `nom`, `joindre`,
 * `lieu`, `adhésion` (YYYY-MM-DD), `consentement_date`, `consentement_forme` (`formulaire`, `oral`,
 * `écrit`, `en ligne`), `notes`, `membre`, `détenteur`. A row whose `id` is a person of the booklet
 * updates them; any other row adds someone.
 */
import { CelluleError, InvalidArgumentError } from "../base/errors.js";
import { parseCsv, toCsv } from "./csv.js";
import { type ConsentHow, checkPerson, type Person, type PersonInput, type PersonKind } from "./person.js";

type Field =
  | "id"
  | "kind"
  | "name"
  | "reach"
  | "place"
  | "joined"
  | "consentOn"
  | "consentHow"
  | "notes"
  | "member"
  | "holder";

/** Export header of each field, and the other headers an import accepts for it. */
const COLUMNS: Record<Field, [string, ...string[]]> = {
  id: ["id"],
  kind: ["type", "kind"],
  name: ["nom", "name"],
  reach: ["joindre", "reach", "contact"],
  place: ["lieu", "place", "quartier"],
  joined: ["adhésion", "joined", "adhesion"],
  consentOn: ["consentement_date", "consent_on"],
  consentHow: ["consentement_forme", "consent_how"],
  notes: ["notes"],
  member: ["membre", "member"],
  holder: ["détenteur", "holder", "detenteur"],
};
const FIELDS = Object.keys(COLUMNS) as Field[];

const KIND_FR: Record<PersonKind, string> = {
  contact: "contact",
  member: "adhérent",
  held: "adhérent sans appareil",
};
const HOW_FR: Record<ConsentHow, string> = {
  form: "formulaire",
  oral: "oral",
  written: "écrit",
  online: "en ligne",
};

const reverse = <K extends string>(labels: Record<K, string>) =>
  new Map<string, K>(
    Object.entries(labels).flatMap(([k, v]) => [
      [k, k as K],
      [v as string, k as K],
    ]),
  );
const KINDS = reverse(KIND_FR);
const HOWS = reverse(HOW_FR);

/** The booklet as CSV (a spreadsheet opens it). */
export function exportCsv(people: readonly Person[]): string {
  return toCsv([
    FIELDS.map((f) => COLUMNS[f][0]),
    ...people.map((p) => [
      p.id,
      KIND_FR[p.kind],
      p.name,
      p.reach,
      p.place,
      p.joined,
      p.consent?.on ?? "",
      p.consent ? HOW_FR[p.consent.how] : "",
      p.notes,
      p.member,
      p.holder,
    ]),
  ]);
}

/** What importing one row would do. */
export interface ImportRow {
  line: number;
  action: "add" | "update";
  /** The person's ID when the row updates someone. */
  id?: string;
  /** The checked person, when the row has no error. */
  person?: PersonInput;
  errors: { field: string; message: string }[];
}

/** What importing a file would do; `ok` only when no row has an error. */
export interface ImportPreview {
  rows: ImportRow[];
  /** Errors of the file itself (no name column, unknown columns, unreadable CSV). */
  fileErrors: string[];
  ok: boolean;
}

const normal = (h: string) => h.trim().toLowerCase().replace(/\s+/g, "_");
/** What export wrote to keep a spreadsheet from running a cell as a formula. */
const unneutralise = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

function headerFields(header: string[]): { fields: (Field | undefined)[]; errors: string[] } {
  const errors: string[] = [];
  const fields = header.map((h) => {
    const f = FIELDS.find((field) => COLUMNS[field].some((name) => normal(name) === normal(h)));
    if (!f && h.trim()) errors.push(`unknown column "${h.trim()}"`);
    return f;
  });
  if (!fields.includes("name")) errors.push('no name column ("nom" or "name")');
  const seen = fields.filter(Boolean);
  if (new Set(seen).size !== seen.length) errors.push("a column appears twice");
  return { fields, errors };
}

function rowToInput(values: Partial<Record<Field, string>>): {
  input: PersonInput;
  errors: ImportRow["errors"];
} {
  const errors: ImportRow["errors"] = [];
  const kindText = (values.kind ?? "").trim().toLowerCase() || "contact";
  const kind = KINDS.get(kindText);
  if (!kind) errors.push({ field: "type", message: `unknown type "${kindText}"` });
  const on = values.consentOn?.trim() ?? "";
  const howText = values.consentHow?.trim().toLowerCase() ?? "";
  const how = HOWS.get(howText);
  if ((on || howText) && !(on && how))
    errors.push({ field: "consentement", message: "consent needs both a day and a known form" });
  return {
    input: {
      kind: kind ?? "contact",
      name: values.name ?? "",
      reach: values.reach ?? "",
      place: values.place ?? "",
      joined: values.joined ?? "",
      notes: values.notes ?? "",
      consent: on && how ? { on, how } : null,
      member: values.member ?? "",
      holder: values.holder ?? "",
    },
    errors,
  };
}

/**
 * What importing `text` into a booklet holding `existing` would do, row by row. Nothing is written: pass
 * the preview to `Booklet.import`, which refuses it unless `ok`.
 */
export function previewImport(text: string, existing: readonly Person[]): ImportPreview {
  let table: ReturnType<typeof parseCsv>;
  try {
    table = parseCsv(text);
  } catch (e) {
    return { rows: [], fileErrors: [(e as Error).message], ok: false };
  }
  const [header, ...body] = table.rows;
  if (!header) return { rows: [], fileErrors: ["the file is empty"], ok: false };
  const { fields, errors: fileErrors } = headerFields(header.cells);
  const known = new Set(existing.map((p) => p.id));
  const rows = body.map(({ line, cells }): ImportRow => {
    const values: Partial<Record<Field, string>> = {};
    fields.forEach((f, i) => {
      if (f) values[f] = unneutralise(cells[i] ?? "");
    });
    const id = values.id?.trim();
    const { input, errors } = rowToInput(values);
    if (cells.length > header.cells.length) errors.push({ field: "", message: "more cells than columns" });
    if (id && !known.has(id)) errors.push({ field: "id", message: `no person ${id} in the booklet` });
    let person: PersonInput | undefined;
    try {
      person = checkPerson(input);
    } catch (e) {
      if (!(e instanceof CelluleError)) throw e;
      const [field] = e.message.split(" ");
      errors.push({ field: field ?? "", message: e.message });
    }
    return {
      line,
      action: id ? "update" : "add",
      ...(id ? { id } : {}),
      ...(person && errors.length === 0 ? { person } : {}),
      errors,
    };
  });
  if (rows.length === 0) fileErrors.push("the file has no rows after its header");
  return { rows, fileErrors, ok: fileErrors.length === 0 && rows.every((r) => r.errors.length === 0) };
}

/** Throws `InvalidArgumentError` with the first problems unless the preview can be applied. */
export function assertImportable(preview: ImportPreview): void {
  if (preview.ok) return;
  const problems = [
    ...preview.fileErrors,
    ...preview.rows.flatMap((r) => r.errors.map((e) => `line ${r.line}: ${e.message}`)),
  ];
  throw new InvalidArgumentError(`the import changes nothing: ${problems.slice(0, 5).join("; ")}`);
}
