import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../base/errors.js";
import {
  checkEvent,
  checkPost,
  checkProfile,
  DAY_MS,
  DEFAULT_TIME_ZONE,
  eventOver,
  InvalidFieldError,
  isTimeZone,
  timeZoneOf,
} from "./content.js";

const profile = {
  name: "Cellule du 11e",
  place: "Paris 11e",
  description: "",
  contact: "",
  relays: ["https://relay.example.org"],
};
const post = { id: "p", title: "Titre", text: "", author: "Fatima", date: 1, visibility: "public" };
const DAY = Date.UTC(2026, 11, 5);
const event = {
  id: "e",
  title: "Manif",
  description: "",
  place: "",
  start: DAY + 3_600_000,
  visibility: "public",
};

/** The field an error names, or what else was thrown. */
function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error instanceof InvalidFieldError ? error.field : `not a field error: ${error}`;
  }
  return "nothing thrown";
}

describe("checkProfile", () => {
  it("gives Europe/Paris to a profile without a time zone, and keeps a valid one and an accent", () => {
    expect(checkProfile(profile)).toEqual(profile);
    expect(timeZoneOf(checkProfile(profile))).toBe(DEFAULT_TIME_ZONE);
    const p = checkProfile({ ...profile, timeZone: "America/Argentina/Buenos_Aires", accent: "#C0392B" });
    expect([p.timeZone, p.accent]).toEqual(["America/Argentina/Buenos_Aires", "#c0392b"]);
    expect(checkProfile({ ...profile, timeZone: "UTC", accent: "#fff" }).accent).toBe("#fff");
  });

  it("refuses a time zone Intl does not know and an accent that is not a hex colour, naming the field", () => {
    for (const timeZone of ["Europe/Lutece", "+01:00", "", 1, "Europe/../Paris", "x".repeat(65)])
      expect(fieldOf(() => checkProfile({ ...profile, timeZone }))).toBe("timeZone");
    for (const accent of ["red", "#12345", "#gggggg", "#c0392b; background: url(x)", "", 0])
      expect(fieldOf(() => checkProfile({ ...profile, accent }))).toBe("accent");
    expect(fieldOf(() => checkProfile({ ...profile, name: " " }))).toBe("name");
    expect(fieldOf(() => checkProfile({ ...profile, relays: ["mailto:a@b.c"] }))).toBe("relays[0]");
  });

  it("reads the time zone of an unchecked profile tolerantly", () => {
    expect(timeZoneOf({ timeZone: "Asia/Tokyo" })).toBe("Asia/Tokyo");
    expect(timeZoneOf({ timeZone: "nowhere" })).toBe(DEFAULT_TIME_ZONE);
    expect(timeZoneOf(undefined)).toBe(DEFAULT_TIME_ZONE);
    expect([isTimeZone("Europe/Paris"), isTimeZone({})]).toEqual([true, false]);
  });
});

describe("checkPost", () => {
  it("keeps officers' visibility, pinned, unpublished and edited", () => {
    const p = checkPost({ ...post, visibility: "officers", pinned: true, unpublished: true, edited: 5 });
    expect(p).toMatchObject({ visibility: "officers", pinned: true, unpublished: true, edited: 5 });
    expect(checkPost({ ...post, pinned: false, unpublished: false })).toEqual(post);
  });

  it("names the bad field", () => {
    expect(fieldOf(() => checkPost({ ...post, title: "" }))).toBe("title");
    expect(fieldOf(() => checkPost({ ...post, link: "javascript:alert(1)" }))).toBe("link");
    expect(fieldOf(() => checkPost({ ...post, link: " " }))).toBe("link");
    expect(fieldOf(() => checkPost({ ...post, linkTitle: "x" }))).toBe("linkTitle");
    expect(fieldOf(() => checkPost({ ...post, visibility: "everyone" }))).toBe("visibility");
    expect(fieldOf(() => checkPost({ ...post, unpublished: "yes" }))).toBe("unpublished");
    expect(fieldOf(() => checkPost({ ...post, edited: -1 }))).toBe("edited");
  });
});

describe("checkEvent", () => {
  it("takes an event without an end, an all-day one over several days and a cancelled one", () => {
    expect(checkEvent(event)).toEqual(event);
    expect(checkEvent({ ...event, start: DAY, end: DAY + 2 * DAY_MS, allDay: true })).toMatchObject({
      allDay: true,
      end: DAY + 2 * DAY_MS,
    });
    expect(checkEvent({ ...event, cancelled: true, allDay: false }).cancelled).toBe(true);
    expect("allDay" in checkEvent({ ...event, allDay: false })).toBe(false);
  });

  it("refuses an event that ends before it starts, naming end", () => {
    expect(fieldOf(() => checkEvent({ ...event, end: event.start - 1 }))).toBe("end");
    expect(fieldOf(() => checkEvent({ ...event, start: DAY, end: DAY - DAY_MS, allDay: true }))).toBe("end");
  });

  it("refuses all-day times that are not days, and bad flags", () => {
    expect(fieldOf(() => checkEvent({ ...event, allDay: true }))).toBe("start");
    expect(fieldOf(() => checkEvent({ ...event, start: DAY, end: DAY + 1, allDay: true }))).toBe("end");
    expect(fieldOf(() => checkEvent({ ...event, cancelled: 1 }))).toBe("cancelled");
    expect(fieldOf(() => checkEvent({ ...event, start: Number.NaN }))).toBe("start");
    expect(fieldOf(() => checkEvent({ ...event, title: "" }))).toBe("title");
  });

  it("knows when an event is over", () => {
    expect(eventOver({ start: 10 })).toBe(10);
    expect(eventOver({ start: 10, end: 20 })).toBe(20);
    expect(eventOver({ start: 10, end: 5 })).toBe(10);
    expect(eventOver({ start: DAY, allDay: true })).toBe(DAY + DAY_MS);
    expect(eventOver({ start: DAY, end: DAY + DAY_MS, allDay: true })).toBe(DAY + 2 * DAY_MS);
    expect(eventOver({})).toBeNaN();
  });
});
