/**
 * Renderings of a verified edition for clients that run no script: an Atom feed of the public journal,
 * an iCalendar feed of the public events (RFC 5545 escaping and folding) and a plain HTML page. The
 * edition's signature proves who wrote it, not that its fields are sane: every field is re-read
 * defensively (core/base/field.ts), all text is escaped, and only the links the one allow-list keeps
 * (core/public/links.ts: http, https, mailto) become links. The HTML page shows text as the widgets do
 * (core/public/text.ts: no bidi overrides, no control characters). Times on the page are in the cell's
 * time zone (its profile's, Europe/Paris when it names none), and the page says which; all-day events
 * show their days only; cancelled events are marked, not left out.
 */
import { asRecords, asText, asTime } from "../../../core/base/field.js";
import { timeZoneOf } from "../../../core/public/content.js";
import { icsCalendar } from "../../../core/public/ical.js";
import { safeLink } from "../../../core/public/links.js";
import { pageStrings } from "../../../core/public/strings/index.js";
import { plainText } from "../../../core/public/text.js";
import type { VerifiedEdition } from "../../../core/public/verify.js";

// Characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/FFFF) are dropped.
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML and HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(XML_ILLEGAL, "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A text with its lone surrogates replaced (U+FFFD): `encodeURIComponent` throws on them. */
const wellFormed = (text: string): string =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

const iso = (ms: number | undefined): string => new Date(ms ?? 0).toISOString();

/**
 * Public posts of an edition, whatever the signer put there (members-only and unpublished ones are dropped
 * here too).
 */
function posts(e: VerifiedEdition) {
  return asRecords(e.posts).filter((p) => p.visibility === "public" && p.unpublished !== true);
}

/** Public events with a start (one without is never shown as starting in 1970). */
function events(e: VerifiedEdition) {
  return asRecords(e.events).filter((x) => x.visibility === "public" && asTime(x.start) !== undefined);
}

/**
 * The public journal as an Atom 1.0 feed (RFC 4287). `selfUrl` is the feed's own address: its path
 * (`/c/<cellId>/feed.atom`) is enough, and the best choice for a relay, since a reader resolves it against
 * the address it fetched the feed from, whatever scheme and host name a proxy or mirror puts in front.
 */
export function renderAtom(e: VerifiedEdition, selfUrl: string): string {
  const name = asText(e.profile.name);
  const items = posts(e);
  const updated = Math.max(asTime(e.at) ?? 0, ...items.map((p) => asTime(p.date) ?? 0));
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>urn:cellule:${escapeXml(e.cell)}</id>`,
    `<title>${escapeXml(name)}</title>`,
    `<updated>${iso(updated)}</updated>`,
    `<link rel="self" href="${escapeXml(selfUrl)}"/>`,
    `<author><name>${escapeXml(name)}</name></author>`,
  ];
  for (const p of items) {
    const link = safeLink(p.link);
    const date = asTime(p.date);
    out.push(
      "<entry>",
      `<id>urn:cellule:${escapeXml(e.cell)}:post:${escapeXml(encodeURIComponent(wellFormed(asText(p.id))))}</id>`,
      `<title>${escapeXml(asText(p.title))}</title>`,
      `<updated>${iso(date ?? updated)}</updated>`,
      ...(date !== undefined ? [`<published>${iso(date)}</published>`] : []),
      `<author><name>${escapeXml(asText(p.author) || name)}</name></author>`,
      ...(link ? [`<link href="${escapeXml(link)}" title="${escapeXml(asText(p.linkTitle))}"/>`] : []),
      `<content type="text">${escapeXml(asText(p.text))}</content>`,
      "</entry>",
    );
  }
  out.push("</feed>");
  return `${out.join("\n")}\n`;
}

/** The public events as an iCalendar (RFC 5545) feed, or only the one whose ID is `only`. */
export function renderIcs(e: VerifiedEdition, only?: string): string {
  const chosen = events(e).filter((x) => only === undefined || x.id === only);
  return icsCalendar(asText(e.profile.name), e.cell, asTime(e.at) ?? 0, chosen, timeZoneOf(e.profile));
}

/** Whether the edition has a public event with this ID. */
export function hasEvent(e: VerifiedEdition, id: string): boolean {
  return events(e).some((x) => x.id === id);
}

/** The language asked in `?lang=`: `fr` unless `en`. */
export function pageLang(value: string | null): "fr" | "en" {
  return value === "en" ? "en" : "fr";
}

// Text as the widgets show it (no bidi override, no control character: core/public/text.ts), escaped.
// Right-to-left text stays readable: paragraphs are `dir="auto"` and inline names are `<bdi>`.
const h = (text: string): string => escapeXml(plainText(text));
// Paragraphs are cut after cleaning, so that a CRLF text (its CRs are control characters) has them too.
const para = (text: string): string =>
  plainText(text)
    .split(/\n{2,}/)
    .filter((t) => t.trim())
    .map((t) => `<p dir="auto">${escapeXml(t).replace(/\n/g, "<br>")}</p>`)
    .join("\n");

/** The edition as a plain HTML page: no script, no style from the content, isolated bidirectional text. */
export function renderHtml(e: VerifiedEdition, lang: "fr" | "en"): string {
  const t = pageStrings(lang);
  const name = asText(e.profile.name);
  const zone = timeZoneOf(e.profile);
  const locale = lang === "fr" ? "fr-FR" : "en-GB";
  const when = (ms: number): string =>
    new Date(ms).toLocaleString(locale, { dateStyle: "long", timeStyle: "short", timeZone: zone });
  const stamp = (ms: number): string => `<time datetime="${iso(ms)}">${h(when(ms))}</time>`;
  // All-day events hold days (00:00 UTC of each date): shown as dates, whatever the zone.
  const day = (ms: number): string =>
    `<time datetime="${iso(ms).slice(0, 10)}">${h(new Date(ms).toLocaleDateString(locale, { dateStyle: "long", timeZone: "UTC" }))}</time>`;
  const eventWhen = (x: Record<string, unknown>): string => {
    const start = asTime(x.start)!;
    const end = asTime(x.end);
    const later = end !== undefined && end > start ? end : undefined;
    if (x.allDay === true)
      return `${day(start)}${later !== undefined ? ` – ${day(later)}` : ""} (${t.allDay})`;
    return `${stamp(start)}${later !== undefined ? ` – ${stamp(later)}` : ""}`;
  };
  const items = posts(e).map((p) => {
    const link = safeLink(p.link);
    const date = asTime(p.date);
    return [
      "<article>",
      `<h3 dir="auto">${h(asText(p.title))}</h3>`,
      `<p><small>${date !== undefined ? `${stamp(date)} ` : ""}${t.by} <bdi>${h(asText(p.author))}</bdi></small></p>`,
      para(asText(p.text)),
      link ? `<p><a href="${h(link)}" rel="nofollow noopener">${h(asText(p.linkTitle) || link)}</a></p>` : "",
      "</article>",
    ].join("\n");
  });
  const evs = events(e).map(
    (x) =>
      `<li>${x.cancelled === true ? `<strong>${t.cancelled}</strong> · <del>` : ""}${eventWhen(x)} — <bdi>${h(asText(x.title))}</bdi>${x.cancelled === true ? "</del>" : ""}` +
      `${asText(x.place) ? ` (${t.place} : <bdi>${h(asText(x.place))}</bdi>)` : ""}${para(asText(x.description))}</li>`,
  );
  const page = (title: string, text: string): string =>
    text.trim() ? `<section><h2>${title}</h2>\n${para(text)}</section>` : "";
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'none'">
<title>${h(name)}</title>
<link rel="alternate" type="application/atom+xml" href="/c/${h(e.cell)}/feed.atom">
</head>
<body>
<header><h1 dir="auto">${h(name)}</h1>
<p dir="auto">${h(asText(e.profile.place))}</p>
${para(asText(e.profile.description))}
<p dir="auto">${h(asText(e.profile.contact))}</p></header>
<main>
<section><h2>${t.journal}</h2>
${items.join("\n") || `<p>${t.empty}</p>`}
</section>
<section><h2>${t.events}</h2>
<p><small>${h(t.timesIn(zone))}</small></p>
${evs.length ? `<ul>\n${evs.join("\n")}\n</ul>` : `<p>${t.empty}</p>`}
</section>
${page(t.about, asText(e.pages.about))}
${page(t.whyJoin, asText(e.pages.whyJoin))}
${page(t.contact, asText(e.pages.contact))}
</main>
<footer><p><a href="/c/${h(e.cell)}/feed.atom">Atom</a> · <a href="/c/${h(e.cell)}/events.ics">iCalendar</a></p></footer>
</body>
</html>
`;
}
