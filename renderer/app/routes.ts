/** Hash routes (work from file:// in Electron and from the local server alike). */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'datasets' }
  | { name: 'dataset'; id: number }
  | { name: 'train'; datasetId: number | null }
  | { name: 'models' }
  | { name: 'model'; id: number }
  | { name: 'live' }
  | { name: 'workspace' };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q >= 0 ? raw.slice(0, q) : raw).replace(/\/+$/, '');
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  let m = /^\/datasets\/(\d+)$/.exec(path);
  if (m) return { name: 'dataset', id: Number(m[1]) };
  m = /^\/train(?:\/(\d+))?$/.exec(path);
  if (m) {
    const fromQuery = /^\d+$/.test(query.get('dataset') ?? '') ? Number(query.get('dataset')) : null;
    return { name: 'train', datasetId: m[1] ? Number(m[1]) : fromQuery };
  }
  m = /^\/models\/(\d+)$/.exec(path);
  if (m) return { name: 'model', id: Number(m[1]) };
  if (path === '/models') return { name: 'models' };
  if (path === '/live') return { name: 'live' };
  if (path === '/workspace') return { name: 'workspace' };
  return { name: 'datasets' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'dataset':
      return `#/datasets/${route.id}`;
    case 'train':
      return route.datasetId !== null ? `#/train/${route.datasetId}` : '#/train';
    case 'models':
      return '#/models';
    case 'model':
      return `#/models/${route.id}`;
    case 'live':
      return '#/live';
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
