// Keeps the outreach page usable with no connection. The page (the last outreach session chosen),
// its loader, WebAssembly and stylesheet are fetched from the network when there is one, and
// kept; with none, the kept copies are served. Entries themselves live in IndexedDB, not here.
//
// Its scope is all of /staff/ so that it sees the sign-out form sent from any staff page: the
// kept page carries the officer's name and form token, so signing out forgets it before the
// sign-out goes on (a tablet is often shared; the next person must not open the last one's page
// offline). Entries still waiting stay: they are sent when their officer signs in again.
const CACHE = 'inclusion-survey-outreach-v1';
// The last session page is kept under one name, whatever survey and place it was for.
const SESSION = '/staff/outreach?kept';
const SIGN_OUT = '/staff/logout';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === SIGN_OUT) {
    event.respondWith(signOut(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && url.pathname === '/staff/outreach') {
    event.respondWith(page(request, url));
  } else if (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/assets/') || url.pathname === '/outreach.js') {
    event.respondWith(asset(request));
  }
});

async function signOut(request) {
  const cache = await caches.open(CACHE);
  await cache.delete(SESSION);
  return fetch(request);
}

async function page(request, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // Only a session's page is kept: not the choosing form, nor a sign-in page after a redirect.
    if (response.ok && !response.redirected && url.searchParams.has('survey') && url.searchParams.has('location')) {
      await cache.put(SESSION, response.clone());
    }
    return response;
  } catch (offline) {
    const kept = await cache.match(SESSION);
    if (kept) return kept;
    throw offline;
  }
}

// Fresh from the network when there is one (the browser revalidates its own copy, so an unchanged
// file is not downloaded again), the kept copy when there is none.
async function asset(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const kept = await cache.match(request);
    if (kept) return kept;
    throw offline;
  }
}
