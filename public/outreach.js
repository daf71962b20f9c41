// The outreach page's loader (a file, not inline, so the Content Security Policy can forbid inline
// script): it starts the service worker that keeps the page for use with no connection, then loads
// the page's WebAssembly and hydrates its islands. Only /staff/outreach loads it.
if ('serviceWorker' in navigator) {
  // Scoped to /staff/ to see the sign-out (see outreach-sw.js); one registered before, scoped to
  // this page alone, is let go so that the wider one serves the page too.
  navigator.serviceWorker.register('/outreach-sw.js', { scope: '/staff/' }).catch((e) => console.warn('service worker', e));
  navigator.serviceWorker.getRegistrations().then((all) => {
    for (const old of all) if (new URL(old.scope).pathname === '/staff/outreach') old.unregister();
  });
}

const pkg = '/pkg/inclusion-survey';
const mod = await import(`${pkg}.js`);
await mod.default({ module_or_path: `${pkg}.wasm` });
mod.hydrate();
for (const island of document.querySelectorAll('leptos-island')) {
  const hydrate = mod[island.dataset.component];
  if (hydrate) hydrate(island);
}
document.documentElement.dataset.hydrated = 'true';
