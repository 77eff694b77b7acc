// The views a URL hash names (#chat=<guid>, #new); pure, for the hook in route.ts.
export type Route = { view: 'list' } | { view: 'chat'; chat: string } | { view: 'new' };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h === 'new') return { view: 'new' };
  if (h.startsWith('chat=')) {
    try { return { view: 'chat', chat: decodeURIComponent(h.slice(5)) }; } catch { /* a mangled hash is the list */ }
  }
  return { view: 'list' };
}

export const hrefOf = (r: Route): string => (r.view === 'chat' ? `#chat=${encodeURIComponent(r.chat)}` : r.view === 'new' ? '#new' : '#');
