/**
 * People the cell knows, as the secretary's membership booklet (the seed's "carnet d'adhérent") records
 * them: contacts (sympathisers), members with a device (linked to their member in the governance log) and
 * held members (people without a phone or internet whose record a member holds), with the fields a
 * secretary needs and the consent each gave. Whether someone is an officer comes from the log's roles.
 */
import { fieldError, InvalidArgumentError } from "../base/errors.js";
import type { MemberId } from "../base/ids.js";

/** Who a person is to the cell. */
export type PersonKind = "contact" | "member" | "held";
/** How consent to keeping the record was given. */
export type ConsentHow = "form" | "oral" | "written" | "online";

export const PERSON_KINDS: readonly PersonKind[] = ["contact", "member", "held"];
export const CONSENT_HOWS: readonly ConsentHow[] = ["form", "oral", "written", "online"];

/** Consent to keeping the record: when (a day) and how it was given. */
export interface Consent {
  /** `YYYY-MM-DD`. */
  on: string;
  how: ConsentHow;
}

/** What a secretary types for a person. */
export interface PersonInput {
  kind: PersonKind;
  name: string;
  /** How to reach them (mail, phone, address), free text. */
  reach?: string;
  /** Neighbourhood or workplace. */
  place?: string;
  /** Day they joined (members), `YYYY-MM-DD`. */
  joined?: string;
  notes?: string;
  consent?: Consent | null;
  /** The log member of a person with a device. */
  member?: MemberId | string;
  /** For a held member: the member who holds the record. */
  holder?: MemberId | string;
}

/** A person as the booklet stores them. */
export interface Person extends Required<Omit<PersonInput, "member" | "holder" | "joined">> {
  id: string;
  joined: string;
  member: MemberId | "";
  holder: MemberId | "";
  /** What the record came from (e.g. `contact:<request id>`), to avoid importing it twice. */
  source: string;
  /** When the record was created (ms): it fixes where it is stored. */
  at: number;
  /** Last change (ms). */
  updated: number;
  /** When a held member claimed their record with their own device, and who confirmed it. */
  claimed: { on: string; by: MemberId } | null;
}

/** Limits, in characters. */
export const PERSON_LIMITS = { name: 200, reach: 300, place: 200, notes: 5_000 } as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar day `YYYY-MM-DD`. */
export function isDay(text: unknown): text is string {
  const m = typeof text === "string" ? DAY.exec(text) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

function text(value: unknown, field: string, max: number, required = false): string {
  if (value === undefined || value === null) value = "";
  if (typeof value !== "string") throw fieldError(field, "not-text", `${field} must be text`);
  const v = value.trim();
  if (required && !v) throw fieldError(field, "required", `${field} is required`);
  if (v.length > max)
    throw fieldError(field, "too-long", `${field} is longer than ${max} characters`, { max });
  return v;
}

/**
 * Checks what a secretary typed; `InvalidArgumentError` names the first wrong field. A held member needs
 * a holder; a member linked to the log is not held; a joining day is a real day.
 */
export function checkPerson(input: unknown): Omit<Person, "id" | "source" | "at" | "updated" | "claimed"> {
  const p = (input ?? {}) as Record<string, unknown>;
  if (!PERSON_KINDS.includes(p.kind as PersonKind))
    throw fieldError("kind", "one-of", `kind is one of ${PERSON_KINDS.join(", ")}`);
  const kind = p.kind as PersonKind;
  const joined = text(p.joined, "joined", 10);
  if (joined && !isDay(joined)) throw fieldError("joined", "not-a-day", "joined is a day, YYYY-MM-DD");
  let consent: Consent | null = null;
  if (p.consent !== undefined && p.consent !== null) {
    const c = p.consent as Record<string, unknown>;
    if (!isDay(c.on)) throw fieldError("consent.on", "not-a-day", "consent.on is a day, YYYY-MM-DD");
    if (!CONSENT_HOWS.includes(c.how as ConsentHow))
      throw fieldError("consent.how", "one-of", `consent.how is one of ${CONSENT_HOWS.join(", ")}`);
    consent = { on: c.on, how: c.how as ConsentHow };
  }
  const member = text(p.member, "member", 200) as MemberId | "";
  const holder = text(p.holder, "holder", 200) as MemberId | "";
  if (kind === "held" && !holder) throw new InvalidArgumentError("holder is required for a held member");
  if (kind === "held" && member) throw new InvalidArgumentError("a held member has no device of their own");
  if (kind !== "held" && holder) throw new InvalidArgumentError("only a held member has a holder");
  return {
    kind,
    name: text(p.name, "name", PERSON_LIMITS.name, true),
    reach: text(p.reach, "reach", PERSON_LIMITS.reach),
    place: text(p.place, "place", PERSON_LIMITS.place),
    joined,
    notes: text(p.notes, "notes", PERSON_LIMITS.notes),
    consent,
    member,
    holder,
  };
}

/** Whether a person counts as a member (held members do: they pay dues and may vote by proxy). */
export const countsAsMember = (p: Pick<Person, "kind">) => p.kind === "member" || p.kind === "held";
