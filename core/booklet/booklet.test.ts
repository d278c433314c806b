import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../base/errors.js";
import { parseCsv, toCsv } from "./csv.js";
import { exportCsv, previewImport } from "./exchange.js";
import { checkPerson, type Person } from "./person.js";
import { PeopleIndex, words } from "./search.js";

const person = (name: string, extra: Partial<Person> = {}): Person => ({
  ...checkPerson({ kind: "contact", name }),
  id: `p-${name}`,
  source: "",
  at: 0,
  updated: 0,
  claimed: null,
  ...extra,
});

describe("people", () => {
  it("are checked field by field, with a typed error naming the field", () => {
    const bad: [unknown, RegExp][] = [
      [{ kind: "friend", name: "A" }, /kind is one of/],
      [{ kind: "contact", name: "  " }, /name is required/],
      [{ kind: "contact", name: "x".repeat(201) }, /name is longer/],
      [{ kind: "member", name: "A", joined: "2026-02-30" }, /joined is a day/],
      [{ kind: "contact", name: "A", consent: { on: "2026-11-24", how: "telepathy" } }, /consent.how/],
      [{ kind: "contact", name: "A", consent: { on: "hier", how: "oral" } }, /consent.on/],
      [{ kind: "held", name: "A" }, /holder is required/],
      [{ kind: "contact", name: "A", holder: "m1" }, /only a held member/],
      [{ kind: "held", name: "A", holder: "m1", member: "m2" }, /no device/],
      [{ kind: "contact", name: 42 }, /name must be text/],
    ];
    for (const [input, message] of bad) {
      expect(() => checkPerson(input)).toThrow(message);
      expect(() => checkPerson(input)).toThrow(InvalidArgumentError);
    }
    expect(checkPerson({ kind: "held", name: " Jeanne ", holder: "m1", joined: "2024-02-29" })).toMatchObject(
      {
        name: "Jeanne",
        joined: "2024-02-29",
        consent: null,
      },
    );
  });

  it("are found by word prefixes, whatever the case and accents", () => {
    const index = new PeopleIndex([
      person("Benoît Lefèvre", { place: "Guillotière" }),
      person("Amina Diallo", { kind: "member", consent: { on: "2026-01-01", how: "oral" } }),
      person("Bénédicte Martin"),
    ]);
    expect(index.filter({ text: "ben" }).map((p) => p.name)).toEqual(["Bénédicte Martin", "Benoît Lefèvre"]);
    expect(index.filter({ text: "BENO guil" }).map((p) => p.name)).toEqual(["Benoît Lefèvre"]);
    expect(index.filter({ text: "lef ama" })).toEqual([]);
    expect(index.filter({ kind: "member" }).map((p) => p.name)).toEqual(["Amina Diallo"]);
    expect(index.filter({ consent: false })).toHaveLength(2);
    expect(words("Jean-Pierre D'Arc")).toEqual(["jean", "pierre", "d", "arc"]);
  });
});

describe("CSV", () => {
  it("round-trips any cells, quotes and line breaks included", () => {
    const cell = fc.string({ maxLength: 20 }).filter((s) => !/^[=+\-@\t\r']/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const width = rows[0]!.length;
          const table = rows.map((r) => [...r, ...Array(width).fill("")].slice(0, width));
          expect(parseCsv(toCsv(table)).rows.map((r) => r.cells)).toEqual(table);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("reads what French spreadsheets write (semicolons, CRLF, BOM) and refuses an open quote", () => {
    const text = '\ufeffnom;lieu\r\n"Martin; Paul";"Lyon\r\n7e"\r\n\r\nAmina;Vénissieux\r\n';
    expect(parseCsv(text).rows).toEqual([
      { line: 1, cells: ["nom", "lieu"] },
      { line: 2, cells: ["Martin; Paul", "Lyon\r\n7e"] },
      { line: 5, cells: ["Amina", "Vénissieux"] },
    ]);
    expect(() => parseCsv('nom\n"Martin')).toThrow(/line 2: a quoted field is not closed/);
    // Separators inside quotes do not count when telling commas from semicolons.
    expect(parseCsv('";",";"\r\n,\r\n').rows.map((r) => r.cells)).toEqual([
      [";", ";"],
      ["", ""],
    ]);
  });

  it("never writes a cell a spreadsheet would run as a formula", () => {
    expect(toCsv([['=HYPERLINK("x")', "+33 6", "ok"]])).toBe('\ufeff"\'=HYPERLINK(""x"")",\'+33 6,ok\r\n');
  });
});

describe("import and export", () => {
  const existing = [
    person("Jeanne Roux", {
      kind: "held",
      holder: "m1" as never,
      consent: { on: "2025-03-01", how: "written" },
    }),
  ];

  it("exports what imports back unchanged", () => {
    const csv = exportCsv(existing);
    expect(csv.split("\r\n")[0]).toBe(
      "\ufeffid,type,nom,joindre,lieu,adhésion,consentement_date,consentement_forme,notes,membre,détenteur",
    );
    const preview = previewImport(csv, existing);
    expect(preview.ok).toBe(true);
    expect(preview.rows[0]).toMatchObject({ action: "update", id: existing[0]!.id });
    expect(preview.rows[0]!.person).toMatchObject({ kind: "held", name: "Jeanne Roux", holder: "m1" });
  });

  it("says what is wrong in each row, and a file with a wrong row is not importable", () => {
    const csv = [
      "Nom;Type;Adhésion;Consentement_date;Consentement_forme;Inconnue",
      "Paul;adhérent;2026-13-01;;;",
      ";contact;;;;",
      "Lina;voisin;;2026-11-01;;",
      "Omar;adhérent;2026-11-02;2026-11-02;oral;",
    ].join("\n");
    const preview = previewImport(csv, existing);
    expect(preview.ok).toBe(false);
    expect(preview.fileErrors).toEqual(['unknown column "Inconnue"']);
    expect(preview.rows.map((r) => [r.line, r.errors.map((e) => e.field)])).toEqual([
      [2, ["joined"]],
      [3, ["name"]],
      [4, ["type", "consentement"]],
      [5, []],
    ]);
    expect(preview.rows[3]!.person).toMatchObject({
      kind: "member",
      consent: { on: "2026-11-02", how: "oral" },
    });
    expect(previewImport("", existing)).toMatchObject({ ok: false, fileErrors: ["the file is empty"] });
    expect(previewImport("lieu\nLyon", existing).fileErrors).toContain('no name column ("nom" or "name")');
    expect(previewImport("id,nom\np-unknown,X", existing).rows[0]!.errors[0]!.message).toMatch(/no person/);
  });
});
