// The open view lives in the URL's hash (#chat=<guid>, #new), so a reload
// keeps the open chat and the phone's back gesture returns to the list. The
// hash never holds the token.
import { useEffect, useState } from 'preact/hooks';
import { hrefOf, parseRoute, type Route } from './routes.ts';

export type { Route };

export function go(r: Route, replace = false): void {
  const href = hrefOf(r);
  if (replace) history.replaceState(null, '', href === '#' ? location.pathname : href);
  else if (href === '#') history.pushState(null, '', location.pathname);
  else location.hash = href;
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    window.addEventListener('popstate', on);
    return () => { window.removeEventListener('hashchange', on); window.removeEventListener('popstate', on); };
  }, []);
  return route;
}
