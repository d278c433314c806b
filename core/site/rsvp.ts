/**
 * Who comes to an event: each member answers yes, no or maybe for themself, as a signed record (nobody can
 * answer for someone else, and a tampered app's forgery is refused), in one collection of the `members`
 * scope named `rsvps` in the log. Answers are members-only: the edition never shows them. A member's later
 * answer replaces the earlier one.
 *
 * Known limit: every member writes the shared collection, so a tampered app can overwrite (not forge)
 * another member's answer; the overwrite is signed by its author's device, and per-member write policies
 * in the log would prevent it.
 */

import { InvalidArgumentError } from "../base/errors.js";
import type { MemberId } from "../base/ids.js";
import type { Cell } from "../cell/cell.js";
import { namedCollection } from "../cell/named-document.js";
import type { SignedRecord } from "../governance/records.js";
import type { Collection } from "../kit/collection.js";

/** A member's answer. */
export type RsvpAnswer = "yes" | "no" | "maybe";
const ANSWERS: readonly RsvpAnswer[] = ["yes", "no", "maybe"];

/** The signed part of an answer. */
interface RsvpData {
  [key: string]: string;
  event: string;
  answer: RsvpAnswer;
}

interface Stored {
  /** `<event>\n<member>`: one record per member and event. */
  id: string;
  /** The event's start: all answers to an event live in one bucket. */
  at: number;
  record: SignedRecord<RsvpData>;
}

/** Answers to one event, counted from the answers that are valid against the log now. */
export interface RsvpSummary {
  yes: number;
  no: number;
  maybe: number;
  /** Who answered what, by name. */
  who: { member: MemberId; name: string; answer: RsvpAnswer }[];
}

/** The cell's answers; see the module comment. */
export class Rsvps {
  private constructor(
    private readonly cell: Cell,
    private readonly records: Collection<Stored>,
  ) {}

  /** Opens the answers collection (an officer who may set policies creates it the first time). */
  static async open(cell: Cell): Promise<Rsvps> {
    return new Rsvps(cell, await namedCollection<Stored>(cell, "rsvps", "members"));
  }

  /**
   * This device's member answers for an event (`start` is the event's start time, ms); replaces their
   * earlier answer. `InvalidArgumentError` for an unknown answer or a missing event ID.
   */
  async answer(event: { id: string; start: number }, answer: RsvpAnswer): Promise<void> {
    if (!ANSWERS.includes(answer))
      throw new InvalidArgumentError(`an answer is one of ${ANSWERS.join(", ")}`);
    if (typeof event.id !== "string" || !event.id || !Number.isFinite(event.start))
      throw new InvalidArgumentError("an event has an ID and a start time");
    const me = this.cell.me();
    if (!me) throw new InvalidArgumentError("this device is not a member's");
    const record = await this.cell.signRecord<RsvpData>("rsvp", { event: event.id, answer });
    await this.records.put({ id: `${event.id}\n${me.id}`, at: event.start, record });
  }

  /** The answers to an event, validated against the log (forged or removed members' answers do not count). */
  async summary(event: { id: string; start: number }): Promise<RsvpSummary> {
    const stored = (await this.records.all()).filter(
      (s) => s.at === event.start && s.id.startsWith(`${event.id}\n`),
    );
    const { valid } = await this.cell.checkRecords<RsvpData>(
      stored.map((s) => s.record),
      { kind: "rsvp", roles: ["member"] },
    );
    const members = this.cell.state.members;
    const latest = new Map<MemberId, RsvpAnswer>();
    for (const { record, member } of valid) {
      // The stored ID names the member: a record signed by someone else under it does not count.
      if (
        record.data.event !== event.id ||
        !stored.some((s) => s.record === record && s.id.endsWith(`\n${member}`))
      )
        continue;
      if (members.get(member)?.status === "member" && ANSWERS.includes(record.data.answer))
        latest.set(member, record.data.answer);
    }
    const who = [...latest].map(([member, answer]) => ({ member, name: members.get(member)!.name, answer }));
    who.sort((a, b) => a.name.localeCompare(b.name, "fr"));
    const count = (a: RsvpAnswer) => who.filter((w) => w.answer === a).length;
    return { yes: count("yes"), no: count("no"), maybe: count("maybe"), who };
  }
}
