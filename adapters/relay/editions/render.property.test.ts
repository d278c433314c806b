/**
 * Review L4, as a property: whatever a validly signed edition holds in its lists and fields (any JSON: null
 * items, numbers where text goes, lone surrogates, huge numbers), the verifier gives back records only and
 * the relay's renderings (Atom, iCalendar, HTML) never throw. Bounded: 60 editions per run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildEdition, signEdition } from "../../../core/internals.js";
import { verifyEdition } from "../../../core/public/verify.js";
import { publishingCell, sampleContent } from "../../../core/site/test-support.js";
import { hasEvent, renderAtom, renderHtml, renderIcs } from "./render.js";

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("\ud800", "\udc00x", "\u202e"),
);
const anything = fc.oneof(
  text,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(null, true, 8.64e15, -8.64e15 - 1, 1e300, "Europe/Lutece", "Asia/Tokyo"),
  fc.array(text, { maxLength: 2 }),
);
const record = fc.dictionary(
  fc.constantFrom(
    "id",
    "title",
    "text",
    "link",
    "linkTitle",
    "author",
    "date",
    "start",
    "end",
    "place",
    "description",
    "visibility",
    "pinned",
    "allDay",
    "cancelled",
    "unpublished",
  ),
  anything,
  { noNullPrototype: true },
);
const item = fc.oneof(
  anything,
  record,
  record.map((r) => ({ ...r, visibility: "public" })),
);

describe("a signed edition with any content", () => {
  it("verifies to records only, and renders as Atom, iCalendar and HTML without throwing", async () => {
    const cell = await publishingCell();
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { maxLength: 6 }),
        fc.array(item, { maxLength: 6 }),
        fc.dictionary(
          fc.constantFrom("name", "place", "description", "contact", "relays", "timeZone", "accent"),
          anything,
          {
            noNullPrototype: true,
          },
        ),
        async (posts, events, profile) => {
          const body = buildEdition(cell.genesis, cell.keys.chain, sampleContent(), Date.now());
          Object.assign(body, { posts, events });
          Object.assign(body.profile, profile);
          const e = await verifyEdition(
            await signEdition(body, cell.keys.signing.privateKey),
            cell.genesis.hash,
          );
          for (const x of [...e.posts, ...e.events])
            expect(typeof x === "object" && x !== null && !Array.isArray(x)).toBe(true);
          renderAtom(e, "/feed.atom");
          renderIcs(e);
          for (const x of e.events) if (hasEvent(e, x.id)) renderIcs(e, x.id);
          renderHtml(e, "fr");
          renderHtml(e, "en");
        },
      ),
      { numRuns: 60 },
    );
  });
});
