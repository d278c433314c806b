/**
 * HTTP routes of editions: `PUT /c/<cellId>/edition` (verified before it is kept), `GET
 * /c/<cellId>/edition.json`, `/feed.atom`, `/events.ics`, `/events/<eventId>.ics` (one event, as a file to
 * open in a calendar) and `/c/<cellId>` (HTML, `?lang=en`), with ETags,
 * 304 answers and open CORS so any page, static host or CDN can serve them. A rendering is made once per
 * edition and shared by every client (here and in caches), so it depends on nothing a client sends but the
 * URL (and `Accept-Encoding`, which has its `Vary`): not on `Host` nor on `X-Forwarded-Proto`.
 */
import { MAX_EDITION_BYTES } from "../../../core/protocol/edition-format.js";
import { RelayErrorCode } from "../../../core/protocol/relay.js";
import { sendCacheable } from "../http/cacheable.js";
import { HttpError, type Route, type RouteContext, readBody, sendJson } from "../http/router.js";
import type { EditionPutOutcome, EditionStore, StoredEdition } from "./edition-store.js";
import { hasEvent, pageLang, renderAtom, renderHtml, renderIcs } from "./render.js";

const CELL = "([0-9a-f]{64})";

/**
 * The answer to each outcome of a PUT: 409 when the relay holds a newer edition on the same chain (which a
 * publisher counts as delivered); 403 for a chain that is a prefix of, or forks from, the held one (an old
 * publication key), for one whose certificate has ended and for a cell this relay does not take; 422 for an edition dated beyond the clock.
 */
const PUT_STATUS: Record<EditionPutOutcome, number> = {
  stored: 201,
  same: 200,
  older: 409,
  prefix: 403,
  fork: 403,
  unlisted: 403,
  expired: 403,
  future: 422,
};

/** Max age, in seconds, caches may keep an edition or its renderings before revalidating. */
export const EDITION_MAX_AGE_S = 60;

async function stored(editions: EditionStore, ctx: RouteContext): Promise<StoredEdition> {
  const e = await editions.get(ctx.params[0]!);
  if (!e) throw new HttpError(404, 0, "no edition of this cell here");
  return e;
}

function serve(
  ctx: RouteContext,
  e: StoredEdition,
  name: string,
  type: string,
  make: () => string,
  headers?: Record<string, string>,
): void {
  let body = name ? e.rendered.get(name) : e.bytes;
  if (!body) {
    body = Buffer.from(make());
    e.rendered.set(name, body);
  }
  const etag = `"${e.hash.slice(0, 32)}${name ? `-${encodeURIComponent(name)}` : ""}"`;
  sendCacheable(ctx, {
    body,
    type,
    etag,
    maxAge: EDITION_MAX_AGE_S,
    lastModified: e.edition.at,
    ...(headers ? { headers } : {}),
  });
}

/**
 * The edition routes over `editions`; `onStored` is told of each newer edition kept (e.g. to copy it to
 * peers).
 */
export function editionRoutes(
  editions: EditionStore,
  onStored: (cell: string, bytes: Uint8Array) => void = () => {},
): Route[] {
  return [
    {
      method: "PUT",
      path: new RegExp(`^/c/${CELL}/edition$`),
      async handle(ctx) {
        const bytes = await readBody(ctx.req, MAX_EDITION_BYTES);
        const outcome = await editions.put(ctx.params[0]!, bytes);
        if (outcome === "stored") onStored(ctx.params[0]!, bytes);
        const current = await editions.get(ctx.params[0]!);
        // `at` of the held edition: a publisher whose clock is behind dates its next edition after it.
        sendJson(ctx.res, PUT_STATUS[outcome], {
          ok: outcome === "stored" || outcome === "same",
          outcome,
          ...(current ? { current: current.hash, at: current.edition.at } : {}),
        });
      },
    },
    {
      method: "GET",
      path: new RegExp(`^/c/${CELL}/edition\\.json$`),
      handle: async (ctx) =>
        serve(ctx, await stored(editions, ctx), "", "application/json; charset=utf-8", () => ""),
    },
    {
      method: "GET",
      path: new RegExp(`^/c/${CELL}/feed\\.atom$`),
      async handle(ctx) {
        const e = await stored(editions, ctx);
        // The self link is the feed's path, not `<scheme>://<Host>/…`: the body is kept and cached (here,
        // by CDNs) for every client, so nothing a client's headers say (Host, X-Forwarded-Proto) may shape
        // it; a reader resolves the path against the address it used, right behind TLS and on mirrors.
        const self = `/c/${ctx.params[0]}/feed.atom`;
        serve(ctx, e, "atom", "application/atom+xml; charset=utf-8", () => renderAtom(e.edition, self));
      },
    },
    {
      method: "GET",
      path: new RegExp(`^/c/${CELL}/events\\.ics$`),
      async handle(ctx) {
        const e = await stored(editions, ctx);
        serve(ctx, e, "ics", "text/calendar; charset=utf-8", () => renderIcs(e.edition));
      },
    },
    {
      method: "GET",
      path: new RegExp(`^/c/${CELL}/events/([^/]{1,400})\\.ics$`),
      async handle(ctx) {
        const e = await stored(editions, ctx);
        let id: string;
        try {
          id = decodeURIComponent(ctx.params[1]!);
        } catch {
          throw new HttpError(400, RelayErrorCode.malformed, "the event ID is not a valid URL component");
        }
        if (!hasEvent(e.edition, id)) throw new HttpError(404, 0, "no such public event in this edition");
        serve(ctx, e, `ics-${id}`, "text/calendar; charset=utf-8", () => renderIcs(e.edition, id), {
          "Content-Disposition": 'attachment; filename="event.ics"',
        });
      },
    },
    {
      method: "GET",
      path: new RegExp(`^/c/${CELL}/?$`),
      async handle(ctx) {
        const e = await stored(editions, ctx);
        const lang = pageLang(ctx.url.searchParams.get("lang"));
        serve(ctx, e, `html-${lang}`, "text/html; charset=utf-8", () => renderHtml(e.edition, lang));
      },
    },
    ...(["GET", "PUT"] as const).map((method) => ({
      method,
      path: /^\/c\/([^/]+)(?:\/.*)?$/,
      handle(): void {
        throw new HttpError(400, RelayErrorCode.malformed, "a cell ID is 64 lowercase hex digits");
      },
    })),
  ];
}
