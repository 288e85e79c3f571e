/* Service worker of the check-in screen: keeps the screen and its scripts available offline.
 * Pages: network first, the last copy when offline. Scripts and styles: the cached copy, refreshed
 * in the background. The guest list and the scan queue live in the page's localStorage, and
 * uploads (POST) are never cached or replayed here: the page's queue owns them. */
const CACHE = "liaison-checkin-v1";

self.addEventListener("install", (event) => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const isAsset = /\.(js|css|woff2?|png|svg)$/.test(url.pathname);
  if (isAsset) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const cached = await cache.match(request);
        const fresh = fetch(request).then((response) => {
          if (response.ok) cache.put(request, response.clone());
          return response;
        }).catch(() => cached);
        return cached || fresh;
      })
    );
    return;
  }
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok) caches.open(CACHE).then((cache) => cache.put(request, response.clone()));
      return response;
    }).catch(() => caches.match(request))
  );
});
