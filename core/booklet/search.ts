/**
 * Finding people in the booklet as the secretary types: every word of the query must start a word of the
 * person's name, place or how to reach them, ignoring case and accents ("beno" finds "Benoît"). An index
 * normalises each person once, so each keystroke only compares prefixes.
 */
import type { Person, PersonKind } from "./person.js";

/** Lowercase, accents removed, split into words. */
export function words(text: string): string[] {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}@.+]+/u)
    .filter(Boolean);
}

/** What to keep. */
export interface PeopleFilter {
  /** Words typed, matched as prefixes of the person's words. */
  text?: string;
  kind?: PersonKind | "all";
  /** Only people with recorded consent (or only those without). */
  consent?: boolean;
}

/** A booklet's people, normalised once for fast filtering. */
export class PeopleIndex {
  private readonly entries: { person: Person; words: string[] }[];

  constructor(people: readonly Person[]) {
    this.entries = people.map((person) => ({
      person,
      words: words(`${person.name} ${person.place} ${person.reach}`),
    }));
  }

  /** The people matching `filter`, sorted by name. */
  filter(filter: PeopleFilter = {}): Person[] {
    const query = words(filter.text ?? "");
    const kind = filter.kind && filter.kind !== "all" ? filter.kind : undefined;
    return this.entries
      .filter(
        (e) =>
          (!kind || e.person.kind === kind) &&
          (filter.consent === undefined || (e.person.consent !== null) === filter.consent) &&
          query.every((q) => e.words.some((w) => w.startsWith(q))),
      )
      .map((e) => e.person)
      .sort((a, b) => a.name.localeCompare(b.name, "fr") || (a.id < b.id ? -1 : 1));
  }
}
