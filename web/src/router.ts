/**
 * The pages of the client, addressed by the location hash (`#/targets`, `#/desktop/<id>`, `#/terminal/<id>?login=<name>`,
 * `#/recordings/<id>`, `#/sessions/<id>`).
 */
export type Route =
  | { readonly name: 'targets' }
  | { readonly name: 'desktop'; readonly targetId: string }
  /** An SSH target's terminal; `login` is the account chosen on the target list, null for the target's own. */
  | { readonly name: 'terminal'; readonly targetId: string; readonly login: string | null }
  | { readonly name: 'recordings' }
  | { readonly name: 'recording'; readonly recordingId: string }
  | { readonly name: 'sessions' }
  | { readonly name: 'watch'; readonly sessionId: string }
  | { readonly name: 'password' }
  | { readonly name: 'not-found'; readonly path: string };

/** Parses a location hash. An empty hash is the target list. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\?.*$/, '');
  const query = /\?(.*)$/.exec(hash)?.[1] ?? '';
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'targets')) {
    return { name: 'targets' };
  }
  if (parts.length === 1 && parts[0] === 'password') {
    return { name: 'password' };
  }
  if (parts.length === 1 && parts[0] === 'recordings') {
    return { name: 'recordings' };
  }
  if (parts.length === 1 && parts[0] === 'sessions') {
    return { name: 'sessions' };
  }
  if (parts.length === 2 && parts[0] === 'terminal') {
    let id: string;
    try {
      id = decodeURIComponent(parts[1] ?? '');
    } catch {
      return { name: 'not-found', path };
    }
    const login = new URLSearchParams(query).get('login');
    return { name: 'terminal', targetId: id, login: login === null || login === '' ? null : login };
  }
  if (parts.length === 2 && (parts[0] === 'desktop' || parts[0] === 'recordings' || parts[0] === 'sessions')) {
    let id: string;
    try {
      id = decodeURIComponent(parts[1] ?? '');
    } catch {
      return { name: 'not-found', path };
    }
    if (parts[0] === 'sessions') {
      return { name: 'watch', sessionId: id };
    }
    return parts[0] === 'desktop' ? { name: 'desktop', targetId: id } : { name: 'recording', recordingId: id };
  }
  return { name: 'not-found', path };
}

/** The hash for a route; `parseRoute(routeHash(r))` gives `r` back. */
export function routeHash(route: Route): string {
  switch (route.name) {
    case 'targets':
      return '#/targets';
    case 'password':
      return '#/password';
    case 'desktop':
      return `#/desktop/${encodeURIComponent(route.targetId)}`;
    case 'terminal': {
      const base = `#/terminal/${encodeURIComponent(route.targetId)}`;
      return route.login === null ? base : `${base}?${new URLSearchParams({ login: route.login }).toString()}`;
    }
    case 'recordings':
      return '#/recordings';
    case 'recording':
      return `#/recordings/${encodeURIComponent(route.recordingId)}`;
    case 'sessions':
      return '#/sessions';
    case 'watch':
      return `#/sessions/${encodeURIComponent(route.sessionId)}`;
    case 'not-found':
      return `#${route.path.startsWith('/') ? '' : '/'}${route.path}`;
  }
}
