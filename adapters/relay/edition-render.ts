/**
 * Renderings of a verified edition for clients that run no script: an Atom feed of the public journal,
 * an iCalendar feed of the public events (RFC 5545 escaping and folding) and a plain HTML page. The
 * edition's signature proves who wrote it, not that its fields are sane: every field is re-read
 * defensively, all text is escaped, and only http/https/mailto links become links.
 */
import { isSafeLink } from "../../core/public/content.js";
import { icsCalendar } from "../../core/public/ical.js";
import type { VerifiedEdition } from "../../core/public/verify.js";

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && Math.abs(v) < 8.64e15 ? v : undefined;
const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x) => typeof x === "object" && x !== null) : [];

// Characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/FFFF) are dropped.
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML and HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(XML_ILLEGAL, "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const iso = (ms: number | undefined): string => new Date(ms ?? 0).toISOString();

/** Public posts of an edition, whatever the signer put there (members-only ones are dropped here too). */
function posts(e: VerifiedEdition) {
  return list(e.posts).filter((p) => p.visibility === "public");
}

function events(e: VerifiedEdition) {
  return list(e.events).filter((x) => x.visibility === "public");
}

/** The public journal as an Atom 1.0 feed (RFC 4287). */
export function renderAtom(e: VerifiedEdition, selfUrl: string): string {
  const name = str(e.profile.name);
  const items = posts(e);
  const updated = Math.max(num(e.at) ?? 0, ...items.map((p) => num(p.date) ?? 0));
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
    const link = str(p.link);
    out.push(
      "<entry>",
      `<id>urn:cellule:${escapeXml(e.cell)}:post:${escapeXml(encodeURIComponent(str(p.id)))}</id>`,
      `<title>${escapeXml(str(p.title))}</title>`,
      `<updated>${iso(num(p.date))}</updated>`,
      `<published>${iso(num(p.date))}</published>`,
      `<author><name>${escapeXml(str(p.author) || name)}</name></author>`,
      ...(isSafeLink(link)
        ? [`<link href="${escapeXml(link)}" title="${escapeXml(str(p.linkTitle))}"/>`]
        : []),
      `<content type="text">${escapeXml(str(p.text))}</content>`,
      "</entry>",
    );
  }
  out.push("</feed>");
  return `${out.join("\n")}\n`;
}

/** The public events as an iCalendar (RFC 5545) feed, or only the one whose ID is `only`. */
export function renderIcs(e: VerifiedEdition, only?: string): string {
  const chosen = events(e).filter((x) => only === undefined || x.id === only);
  return icsCalendar(str(e.profile.name), e.cell, num(e.at) ?? 0, chosen);
}

/** Whether the edition has a public event with this ID. */
export function hasEvent(e: VerifiedEdition, id: string): boolean {
  return events(e).some((x) => x.id === id);
}

const STRINGS = {
  fr: {
    journal: "Journal",
    events: "Événements",
    about: "Qui sommes-nous",
    contact: "Nous contacter",
    whyJoin: "Pourquoi adhérer",
    by: "par",
    place: "Lieu",
    empty: "Rien pour l’instant.",
  },
  en: {
    journal: "Journal",
    events: "Events",
    about: "About us",
    contact: "Contact",
    whyJoin: "Why join",
    by: "by",
    place: "Place",
    empty: "Nothing yet.",
  },
} as const;

/** The language asked in `?lang=`: `fr` unless `en`. */
export function pageLang(value: string | null): "fr" | "en" {
  return value === "en" ? "en" : "fr";
}

// Bidi embedding and override controls make text display other than it reads (`\u202Egnp.exe`); genuine
// right-to-left text needs none of them: paragraphs are `dir="auto"` and inline names are `<bdi>`.
const h = (text: string): string => escapeXml(text.replace(/[\u202a-\u202e\u2066-\u2069]/g, ""));
const para = (text: string): string =>
  text
    .split(/\n{2,}/)
    .filter((t) => t.trim())
    .map((t) => `<p dir="auto">${h(t).replace(/\n/g, "<br>")}</p>`)
    .join("\n");

/** The edition as a plain HTML page: no script, no style from the content, isolated bidirectional text. */
export function renderHtml(e: VerifiedEdition, lang: "fr" | "en"): string {
  const t = STRINGS[lang];
  const name = str(e.profile.name);
  const when = (ms: number | undefined): string =>
    new Date(ms ?? 0).toLocaleString(lang === "fr" ? "fr-FR" : "en-GB", {
      dateStyle: "long",
      timeStyle: "short",
      timeZone: "UTC",
    });
  const items = posts(e).map((p) => {
    const link = str(p.link);
    return [
      "<article>",
      `<h3 dir="auto">${h(str(p.title))}</h3>`,
      `<p><small><time datetime="${iso(num(p.date))}">${h(when(num(p.date)))}</time> ${t.by} <bdi>${h(str(p.author))}</bdi></small></p>`,
      para(str(p.text)),
      isSafeLink(link)
        ? `<p><a href="${h(link)}" rel="nofollow noopener">${h(str(p.linkTitle) || link)}</a></p>`
        : "",
      "</article>",
    ].join("\n");
  });
  const evs = events(e).map(
    (x) =>
      `<li><time datetime="${iso(num(x.start))}">${h(when(num(x.start)))}</time> — <bdi>${h(str(x.title))}</bdi>` +
      `${str(x.place) ? ` (${t.place} : <bdi>${h(str(x.place))}</bdi>)` : ""}${para(str(x.description))}</li>`,
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
<p dir="auto">${h(str(e.profile.place))}</p>
${para(str(e.profile.description))}
<p dir="auto">${h(str(e.profile.contact))}</p></header>
<main>
<section><h2>${t.journal}</h2>
${items.join("\n") || `<p>${t.empty}</p>`}
</section>
<section><h2>${t.events}</h2>
${evs.length ? `<ul>\n${evs.join("\n")}\n</ul>` : `<p>${t.empty}</p>`}
</section>
${page(t.about, str(e.pages.about))}
${page(t.whyJoin, str(e.pages.whyJoin))}
${page(t.contact, str(e.pages.contact))}
</main>
<footer><p><a href="/c/${h(e.cell)}/feed.atom">Atom</a> · <a href="/c/${h(e.cell)}/events.ics">iCalendar</a></p></footer>
</body>
</html>
`;
}
