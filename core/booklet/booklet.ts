/**
 * The cell's membership booklet: one collection of people in the `officers` scope (only officers read and
 * write it), named `booklet` in the governance log. See person.ts for what a record holds, search.ts for
 * finding people, exchange.ts for CSV.
 */
import { randomBytes, toBase64Url } from "../base/bytes.js";
import { InvalidArgumentError, UnknownDocumentError } from "../base/errors.js";
import type { MemberId } from "../base/ids.js";
import type { Cell } from "../cell/cell.js";
import { namedCollection } from "../cell/named-document.js";
import type { ReceivedContact } from "../cell/publication.js";
import type { Collection } from "../kit/collection.js";
import { assertImportable, exportCsv, type ImportPreview, previewImport } from "./exchange.js";
import { checkPerson, type Person, type PersonInput } from "./person.js";
import { PeopleIndex } from "./search.js";

/** The booklet's name in the log, and the scope it lives in. */
export const BOOKLET = { name: "booklet", scope: "officers" } as const;

const today = () => new Date().toISOString().slice(0, 10);

/** See the module comment. */
export class Booklet {
  private constructor(
    private readonly cell: Cell,
    private readonly records: Collection<Person>,
  ) {}

  /**
   * Opens the cell's booklet (an officer who may set policies creates it the first time). Members who
   * are not officers hold no key to it: `NotAMemberError`/`UnknownDocumentError`.
   */
  static async open(cell: Cell): Promise<Booklet> {
    return new Booklet(cell, await namedCollection<Person>(cell, BOOKLET.name, BOOKLET.scope));
  }

  /** Everyone in the booklet, sorted by name. */
  async people(): Promise<Person[]> {
    return new PeopleIndex(await this.records.all()).filter();
  }

  /** An index of everyone, to filter as the secretary types. */
  async index(): Promise<PeopleIndex> {
    return new PeopleIndex(await this.records.all());
  }

  /** One person; `UnknownDocumentError` when the booklet has no such person. */
  async get(id: string): Promise<Person> {
    const found = (await this.records.all()).find((p) => p.id === id);
    if (!found) throw new UnknownDocumentError(`no person ${id} in the booklet`);
    return found;
  }

  /** Adds someone; `InvalidArgumentError` (nothing written) for bad input or an unknown member or holder. */
  async add(input: PersonInput, source = ""): Promise<Person> {
    const now = this.cell.kit.clock.now();
    const person: Person = {
      ...this.check(input),
      id: `p-${toBase64Url(randomBytes(9))}`,
      source,
      at: now,
      updated: now,
      claimed: null,
    };
    await this.records.put(person);
    return person;
  }

  /** Changes some of a person's fields (the whole record is checked again). */
  async update(id: string, changes: Partial<PersonInput>): Promise<Person> {
    const old = await this.get(id);
    const person: Person = {
      ...old,
      ...this.check({ ...old, ...changes }),
      updated: this.cell.kit.clock.now(),
    };
    await this.records.put(person);
    return person;
  }

  /** Deletes a person's record (someone who asked to be forgotten). */
  async remove(id: string): Promise<void> {
    const old = await this.get(id);
    await this.records.remove(old.id, old.at);
  }

  /**
   * Records the sender of a contact request as a contact, with their consent (given on the form, that
   * day); a request already recorded returns the same person.
   */
  async addFromContact(contact: ReceivedContact): Promise<Person> {
    const source = `contact:${contact.id}`;
    const known = (await this.records.all()).find((p) => p.source === source);
    if (known) return known;
    const on = new Date(contact.at).toISOString().slice(0, 10);
    return this.add(
      {
        kind: "contact",
        name: contact.name,
        reach: contact.reach,
        notes: contact.message,
        consent: { on, how: "form" },
      },
      source,
    );
  }

  /**
   * A held member got a device and joined the cell as `member`: the holder (or an officer) confirms that
   * the record is theirs. The record becomes a member's, linked to the log, with the claim recorded.
   */
  async confirmClaim(id: string, member: MemberId): Promise<Person> {
    const old = await this.get(id);
    if (old.kind !== "held") throw new InvalidArgumentError("only a held member's record can be claimed");
    const me = this.cell.me();
    if (!me) throw new InvalidArgumentError("this device is not a member's");
    const person: Person = {
      ...old,
      ...this.check({ ...old, kind: "member", holder: "", member }),
      updated: this.cell.kit.clock.now(),
      claimed: { on: today(), by: me.id },
    };
    await this.records.put(person);
    return person;
  }

  /** Applies an import preview (see `previewImport`); `InvalidArgumentError` and nothing written unless ok. */
  async import(preview: ImportPreview): Promise<Person[]> {
    assertImportable(preview);
    const now = this.cell.kit.clock.now();
    const existing = new Map((await this.records.all()).map((p) => [p.id, p]));
    const people = preview.rows.map((row): Person => {
      const checked = this.check(row.person!);
      const old = row.id ? existing.get(row.id) : undefined;
      if (row.id && !old) throw new InvalidArgumentError(`line ${row.line}: no person ${row.id}`);
      return old
        ? { ...old, ...checked, updated: now }
        : {
            ...checked,
            id: `p-${toBase64Url(randomBytes(9))}`,
            source: "import",
            at: now,
            updated: now,
            claimed: null,
          };
    });
    await this.records.put(...people);
    return people;
  }

  /** What importing this CSV would do, row by row (nothing is written). */
  async preview(csv: string): Promise<ImportPreview> {
    return previewImport(csv, await this.records.all());
  }

  /** The whole booklet as CSV. */
  async exportCsv(): Promise<string> {
    return exportCsv(await this.people());
  }

  /** Checks input, and that a linked member or a holder is an admitted member of the cell. */
  private check(input: PersonInput) {
    const person = checkPerson(input);
    const members = this.cell.state.members;
    if (person.member && members.get(person.member as MemberId)?.status !== "member")
      throw new InvalidArgumentError("member is not an admitted member of the cell");
    if (person.holder && members.get(person.holder as MemberId)?.status !== "member")
      throw new InvalidArgumentError("holder is not an admitted member of the cell");
    return person;
  }
}
