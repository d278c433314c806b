// The member space's service worker: keeps the app's own files so that it opens without a network, and
// serves them all from its cache, the page included (so that the page, its script and its stylesheet are
// always of one release, which their `integrity` attributes require); it leaves everything else (relays,
// editions) to the page, and `relays.json` comes from the network first. The build writes the files'
// version below: each new version of the app is a new worker, and its install is the app's update check.
//
// Signed releases (elements/cell-app/release.ts, `npm run app:sign`). When the host serves `release.json`,
// the first release installed pins its key (trust on first use; kept in the cache PIN, across versions). A
// later version is installed only if its `release.json` is signed by the pinned key and every file fetched
// matches its hash; otherwise the install fails, the browser keeps the installed worker, which keeps
// serving the cached app, and the page shows a notice (updates.ts). Once a key is pinned, a missing
// `release.json` is refused too. An app built without signing (no `release.json`) updates as before.
//
// What this protects against: a host or CDN that changes the app's files (page, script, WASM, stylesheet,
// manifest, icon) without holding the release key: an installed app keeps running the release it trusts.
// What it does not: the browser fetches sw.js itself, around this worker (at least once a day, whatever the
// cache headers say), so a host that replaces sw.js by a worker of its own can serve anything from then on;
// nor the first visit (whatever the host serves first is what gets pinned); nor a host that keeps serving
// an older signed release; nor a browser whose site data was cleared (it starts again at first use).
const VERSION = "__VERSION__";
const PIN = "cellule-app-pin";
const PINNED_KEY = "pinned-release-key";
const REFUSED = "refused-update";
const FORMAT = "cellule-app-release/1";
/** The files kept when the host serves no `release.json` (an unsigned build). */
const FILES = [
  "index.html",
  "cellule-app.js",
  "automerge.wasm",
  "app.css",
  "manifest.webmanifest",
  "icon.svg",
];

/** An update that is not signed by the pinned key, or whose files do not match the signed release. */
class Refused extends Error {}

self.addEventListener("install", (event) => {
  event.waitUntil(install().then(() => self.skipWaiting()));
});

async function install() {
  const pin = await caches.open(PIN);
  const pinned = await pin.match(PINNED_KEY).then((r) => r?.text());
  try {
    const response = await fetch("release.json", { cache: "no-store" });
    let release;
    if (response.ok) {
      release = await response.json().catch(() => undefined);
      if (!(await verifyRelease(release, pinned)))
        throw new Refused(pinned ? "not signed by the app's release key" : "a release with a bad signature");
    } else if (pinned && (response.status === 404 || response.status === 410)) {
      throw new Refused("no release.json, and the installed app is signed");
    } else if (!response.ok && response.status !== 404) {
      throw new Error(`release.json: HTTP ${response.status}`); // a passing failure: the next check retries
    }
    const files = release ? Object.keys(release.files).filter((name) => name !== "sw.js") : FILES;
    const cache = await caches.open(VERSION);
    for (const name of files) {
      const file = await fetch(name, { cache: "no-cache" });
      if (!file.ok)
        throw release ? new Refused(`${name} is missing`) : new Error(`${name}: HTTP ${file.status}`);
      if (release && (await sha256Hex(await file.clone().arrayBuffer())) !== release.files[name])
        throw new Refused(`${name} does not match the signed release`);
      await cache.put(name, file);
    }
    // The relay list too, for the first time the app opens offline (not signed: each host writes its own).
    const relays = await fetch("relays.json", { cache: "no-store" }).catch(() => undefined);
    if (relays?.ok) await cache.put("relays.json", relays);
    if (release) await pin.put(PINNED_KEY, new Response(release.key));
    await pin.delete(REFUSED);
  } catch (error) {
    await caches.delete(VERSION);
    if (error instanceof Refused) {
      const reason = error.message;
      await pin.put(REFUSED, new Response(JSON.stringify({ version: VERSION, reason })));
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) client.postMessage({ type: "cellule-app-update-refused", reason });
    }
    throw error;
  }
}

/** Whether `release` is a release signed by its key, that key being `pinned` if one is (release.ts's rules). */
async function verifyRelease(release, pinned) {
  if (
    !release ||
    release.format !== FORMAT ||
    typeof release.key !== "string" ||
    typeof release.signature !== "string" ||
    !release.files ||
    typeof release.files !== "object" ||
    (pinned !== undefined && release.key !== pinned)
  )
    return false;
  const lines = [FORMAT, `key ${release.key}`];
  for (const name of Object.keys(release.files).sort()) {
    if (!/^[\w.-]+$/.test(name) || typeof release.files[name] !== "string") return false;
    lines.push(`${name} ${release.files[name]}`);
  }
  try {
    const ecdsa = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
    const key = await crypto.subtle.importKey("raw", fromBase64Url(release.key), ecdsa, false, ["verify"]);
    const message = new TextEncoder().encode(`${lines.join("\n")}\n`);
    return await crypto.subtle.verify(ecdsa, key, fromBase64Url(release.signature), message);
  } catch {
    return false;
  }
}

function fromBase64Url(text) {
  const binary = atob(
    text
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(text.length / 4) * 4, "="),
  );
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k !== VERSION && k !== PIN).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const scope = new URL(self.registration.scope);
  if (
    event.request.method !== "GET" ||
    url.origin !== scope.origin ||
    !url.pathname.startsWith(scope.pathname)
  )
    return;
  const name = url.pathname === scope.pathname ? "index.html" : url.pathname.slice(scope.pathname.length);
  // The relay list from the network (kept fresh in the cache), the cache when offline; the app's files
  // from the cache (they change only with a new version, installed by the update check above).
  event.respondWith(
    name === "relays.json"
      ? fetch(event.request)
          .then((response) => {
            const copy = response.clone();
            if (response.ok) caches.open(VERSION).then((cache) => cache.put("relays.json", copy));
            return response;
          })
          .catch(() => caches.open(VERSION).then((cache) => cache.match("relays.json")))
      : caches
          .open(VERSION)
          .then((cache) => cache.match(name))
          .then((hit) => hit ?? fetch(event.request)),
  );
});
