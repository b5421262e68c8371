import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from '../src/router';

describe('parseRoute', () => {
  it('empty and root hashes are the target list', () => {
    expect(parseRoute('')).toEqual({ name: 'targets' });
    expect(parseRoute('#')).toEqual({ name: 'targets' });
    expect(parseRoute('#/')).toEqual({ name: 'targets' });
    expect(parseRoute('#/targets')).toEqual({ name: 'targets' });
    expect(parseRoute('#/targets/')).toEqual({ name: 'targets' });
  });

  it('desktop routes carry the decoded target id', () => {
    expect(parseRoute('#/desktop/vnc-1')).toEqual({ name: 'desktop', targetId: 'vnc-1' });
    expect(parseRoute('#/desktop/a%20b%2Fc')).toEqual({ name: 'desktop', targetId: 'a b/c' });
    expect(parseRoute('#/desktop/vnc-1?x=1')).toEqual({ name: 'desktop', targetId: 'vnc-1' });
  });

  it('recordings routes: the list and one recording by id', () => {
    expect(parseRoute('#/recordings')).toEqual({ name: 'recordings' });
    expect(parseRoute('#/recordings/')).toEqual({ name: 'recordings' });
    expect(parseRoute('#/recordings/0a1b2c')).toEqual({ name: 'recording', recordingId: '0a1b2c' });
    expect(parseRoute('#/recordings/%E0%A4%A')).toEqual({ name: 'not-found', path: '/recordings/%E0%A4%A' });
    expect(routeHash({ name: 'recording', recordingId: 'a b' })).toBe('#/recordings/a%20b');
    expect(routeHash({ name: 'recordings' })).toBe('#/recordings');
  });

  it('sessions and watch routes', () => {
    expect(parseRoute('#/sessions')).toEqual({ name: 'sessions' });
    expect(parseRoute('#/sessions/ab12')).toEqual({ name: 'watch', sessionId: 'ab12' });
    expect(routeHash({ name: 'sessions' })).toBe('#/sessions');
    expect(routeHash({ name: 'watch', sessionId: 'a b' })).toBe('#/sessions/a%20b');
    expect(parseRoute(routeHash({ name: 'watch', sessionId: 'x/y' }))).toEqual({ name: 'watch', sessionId: 'x/y' });
  });

  it('password route', () => {
    expect(parseRoute('#/password')).toEqual({ name: 'password' });
  });

  it('anything else is not found', () => {
    expect(parseRoute('#/desktop')).toEqual({ name: 'not-found', path: '/desktop' });
    expect(parseRoute('#/desktop/a/b')).toEqual({ name: 'not-found', path: '/desktop/a/b' });
    expect(parseRoute('#/nope')).toEqual({ name: 'not-found', path: '/nope' });
    expect(parseRoute('#/desktop/%E0%A4%A')).toEqual({ name: 'not-found', path: '/desktop/%E0%A4%A' });
  });
});

describe('routeHash', () => {
  it('round-trips through parseRoute', () => {
    const routes: Route[] = [
      { name: 'targets' },
      { name: 'password' },
      { name: 'desktop', targetId: 'rdp-win' },
      { name: 'desktop', targetId: 'weird id/ä?#' },
    ];
    for (const r of routes) {
      expect(parseRoute(routeHash(r))).toEqual(r);
    }
    expect(routeHash({ name: 'desktop', targetId: 'x y' })).toBe('#/desktop/x%20y');
  });
});
