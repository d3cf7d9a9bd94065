/** Hash routes (work from file:// in Electron and from the local server alike). */
import { useSyncExternalStore } from 'react';

export type Route = { name: 'datasets' } | { name: 'dataset'; id: number } | { name: 'workspace' };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  const m = /^\/datasets\/(\d+)$/.exec(path);
  if (m) return { name: 'dataset', id: Number(m[1]) };
  if (path === '/workspace') return { name: 'workspace' };
  return { name: 'datasets' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'dataset':
      return `#/datasets/${route.id}`;
    case 'workspace':
      return '#/workspace';
    default:
      return '#/datasets';
  }
}

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash, () => '');
  return parseHash(hash);
}
