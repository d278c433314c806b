import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../base/errors.js";
import { decodeCsvBytes, parseCsv, toCsv } from "./csv.js";
import { exportCsv, previewImport } from "./exchange.js";
import { checkPerson, type Person } from "./person.js";
import { PeopleIndex, words } from "./search.js";

/** ASCII text as bytes. */
const bytes = (ascii: string): number[] => [...ascii].map((c) => c.charCodeAt(0));

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

  it("reads the bytes of a file in UTF-8 when they are UTF-8, else in Windows-1252 (Excel's French CSV)", () => {
    // "Élodie;Cœur;Noël" as Excel's "CSV (séparateur : point-virgule)" writes it: É = C9, œ = 9C, ë = EB.
    const cp1252 = [0xc9, ...bytes("lodie;C"), 0x9c, ...bytes("ur;No"), 0xeb, 0x6c];
    expect(decodeCsvBytes(Uint8Array.from(cp1252))).toBe("Élodie;Cœur;Noël");
    // Every character Windows-1252 puts at 0x80–0x9F (where ISO-8859-1 has control codes), and Latin-1 above.
    const extras = [0x80, 0x85, 0x8c, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9f, 0xa0, 0xe7, 0xff];
    expect(decodeCsvBytes(Uint8Array.from(extras))).toBe("€…Œ’“”–—™Ÿ\u00a0çÿ");
    // The five bytes Windows-1252 leaves unassigned stay the control codes the Encoding standard maps them to.
    expect(decodeCsvBytes(Uint8Array.from([0x81, 0x8d, 0x8f, 0x90, 0x9d]))).toBe(
      "\u0081\u008d\u008f\u0090\u009d",
    );
    // UTF-8, with or without a byte order mark, stays UTF-8 (its multi-byte accents are not read as two letters).
    const utf8 = new TextEncoder().encode("Élodie;Cœur;Noël;5 €");
    expect(decodeCsvBytes(utf8)).toBe("Élodie;Cœur;Noël;5 €");
    expect(decodeCsvBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]))).toBe("Élodie;Cœur;Noël;5 €");
    // A UTF-16 byte order mark says UTF-16 (Excel's "Unicode text").
    expect(decodeCsvBytes(Uint8Array.from([0xff, 0xfe, 0xc9, 0, 0x53, 0x01]))).toBe("Éœ");
    expect(decodeCsvBytes(Uint8Array.from([0xfe, 0xff, 0, 0xc9, 0x01, 0x53]))).toBe("Éœ");
    expect(decodeCsvBytes(new Uint8Array())).toBe("");
    // Decoded, a Windows-1252 file parses with its accents intact, a long one too.
    const file = [...bytes("nom;lieu\r\n"), ...cp1252, ...bytes("\r\n")];
    expect(parseCsv(decodeCsvBytes(Uint8Array.from(file))).rows.map((r) => r.cells)).toEqual([
      ["nom", "lieu"],
      ["Élodie", "Cœur", "Noël"],
    ]);
    const long = decodeCsvBytes(Uint8Array.from({ length: 100_000 }, (_, i) => (i % 2 ? 0x80 : 0xe9)));
    expect(long).toBe("é€".repeat(50_000));
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
