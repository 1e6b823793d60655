/* The gate pages' service worker: the page and its files open without network.
   Pages: from the network first (fresh sign-in and zones), the kept copy when there is none.
   Static files: the kept copy first (they are versioned), fetched and kept when missing.
   The gates API is never cached here: the page keeps its offline data in IndexedDB. */
"use strict";

const CONFIG = {{ config_json|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CONFIG.cacheName)
      .then((cache) => cache.addAll(CONFIG.assets))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("majlis-gates-") && name !== CONFIG.cacheName)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

function isPage(url) {
  return CONFIG.pages.some((page) => url.pathname === page);
}

async function networkFirst(request) {
  const cache = await caches.open(CONFIG.cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(request.url.split("?")[0], response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request.url.split("?")[0]);
    if (kept) {
      return kept;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CONFIG.cacheName);
  const kept = await cache.match(request);
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && isPage(url)) {
    event.respondWith(networkFirst(request));
  } else if (CONFIG.assets.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
