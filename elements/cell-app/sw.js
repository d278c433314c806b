// The member space's service worker: keeps the app's own files so that it opens without a network, and
// leaves everything else (relays, editions) to the page. The build writes the files' version below; a new
// version replaces the old cache once it is installed.
const VERSION = "__VERSION__";
const FILES = [
  "./",
  "relays.json",
  "cellule-app.js",
  "automerge.wasm",
  "app.css",
  "manifest.webmanifest",
  "icon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(VERSION)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
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
  // The page and the relay list first from the network (kept fresh in the cache), the cache when
  // offline; the other files from the cache (they change only with a new version).
  const fresh =
    url.pathname === scope.pathname ||
    url.pathname.endsWith("/index.html") ||
    url.pathname.endsWith("/relays.json");
  event.respondWith(
    fresh
      ? fetch(event.request)
          .then((response) => {
            const copy = response.clone();
            if (response.ok) caches.open(VERSION).then((cache) => cache.put(event.request, copy));
            return response;
          })
          .catch(() => caches.match(event.request, { ignoreSearch: true }))
      : caches.match(event.request, { ignoreSearch: true }).then((hit) => hit ?? fetch(event.request)),
  );
});
