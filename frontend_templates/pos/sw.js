/* Service worker of the register: keeps the POS page and its assets so a reload while offline still shows it. */
const CACHE = "{{ version }}";

self.addEventListener("install", (event) => { self.skipWaiting(); });
self.addEventListener("activate", (event) => { event.waitUntil(self.clients.claim()); });

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The POS page itself and the static files it needs; API calls are handled by the page (IndexedDB).
  if (request.mode === "navigate" && url.pathname.startsWith("/kasir/shift/")) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith("{{ STATIC_PREFIX }}")) {
    event.respondWith(networkFirst(request));
  }
});
