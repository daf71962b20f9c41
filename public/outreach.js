// The outreach page's loader (a file, not inline, so the Content Security Policy can forbid inline
// script): it starts the service worker that keeps the page for use with no connection, then loads
// the page's WebAssembly and hydrates its islands. Only /staff/outreach loads it.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/outreach-sw.js', { scope: '/staff/outreach' }).catch((e) => console.warn('service worker', e));
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
