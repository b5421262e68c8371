import { afterEach, describe, expect, it } from 'vitest';
import type { LiveSessionItem } from '../../src/api/types';
import { parseRoute, routeHash, type Route } from '../../src/router';
import { clearTerminalPanels, registerTerminalPanel, terminalPanels } from '../../src/terminal/extensions';
import { pickOwnSession } from '../../src/terminal/own-session';
import { clampFontSize, DEFAULT_FONT_SIZE, loadTerminalPrefs, PREFS_KEY, saveTerminalPrefs } from '../../src/terminal/prefs';
import { terminalShortcut, type ShortcutKey } from '../../src/terminal/shortcuts';

describe('terminal route', () => {
  it('parses the target and the login', () => {
    expect(parseRoute('#/terminal/box')).toEqual({ name: 'terminal', targetId: 'box', login: null });
    expect(parseRoute('#/terminal/lab%20box?login=root')).toEqual({ name: 'terminal', targetId: 'lab box', login: 'root' });
    expect(parseRoute('#/terminal/box?login=')).toEqual({ name: 'terminal', targetId: 'box', login: null });
    expect(parseRoute('#/terminal/box?other=1&login=a%26b')).toEqual({ name: 'terminal', targetId: 'box', login: 'a&b' });
    expect(parseRoute('#/terminal')).toEqual({ name: 'not-found', path: '/terminal' });
    expect(parseRoute('#/terminal/%E0%A4%A')).toEqual({ name: 'not-found', path: '/terminal/%E0%A4%A' });
  });

  it('round-trips through routeHash', () => {
    const routes: Route[] = [
      { name: 'terminal', targetId: 'box', login: null },
      { name: 'terminal', targetId: 'weird id/ä?#', login: 'svc-deploy' },
      { name: 'terminal', targetId: 'x', login: 'a b&c=d' },
    ];
    for (const r of routes) {
      expect(parseRoute(routeHash(r))).toEqual(r);
    }
    expect(routeHash({ name: 'terminal', targetId: 'box', login: 'root' })).toBe('#/terminal/box?login=root');
  });
});

describe('terminal shortcuts', () => {
  const key = (k: Partial<ShortcutKey>): ShortcutKey => ({ type: 'keydown', key: '', code: '', ctrlKey: true, shiftKey: false, altKey: false, metaKey: false, ...k });

  it('takes Ctrl+Shift+C, V and F, and leaves Ctrl+C, V and F to the remote program', () => {
    expect(terminalShortcut(key({ key: 'C', code: 'KeyC', shiftKey: true }))).toBe('copy');
    expect(terminalShortcut(key({ key: 'V', code: 'KeyV', shiftKey: true }))).toBe('paste');
    expect(terminalShortcut(key({ key: 'F', code: 'KeyF', shiftKey: true }))).toBe('search');
    expect(terminalShortcut(key({ key: 'c', code: 'KeyC' }))).toBeNull();
    expect(terminalShortcut(key({ key: 'v', code: 'KeyV' }))).toBeNull();
    expect(terminalShortcut(key({ key: 'f', code: 'KeyF' }))).toBeNull();
  });

  it('font size keys', () => {
    expect(terminalShortcut(key({ key: '=', code: 'Equal' }))).toBe('font-larger');
    expect(terminalShortcut(key({ key: '+', code: 'Equal', shiftKey: true }))).toBe('font-larger');
    expect(terminalShortcut(key({ key: '+', code: 'NumpadAdd' }))).toBe('font-larger');
    expect(terminalShortcut(key({ key: '-', code: 'Minus' }))).toBe('font-smaller');
    expect(terminalShortcut(key({ key: '-', code: 'NumpadSubtract' }))).toBe('font-smaller');
    expect(terminalShortcut(key({ key: '0', code: 'Digit0' }))).toBe('font-reset');
  });

  it('matches the physical key on other layouts (a Cyrillic С on KeyC)', () => {
    expect(terminalShortcut(key({ key: 'С', code: 'KeyC', shiftKey: true }))).toBe('copy');
  });

  it('ignores key releases, Alt and Meta chords and keys without Ctrl', () => {
    expect(terminalShortcut(key({ type: 'keyup', key: 'C', code: 'KeyC', shiftKey: true }))).toBeNull();
    expect(terminalShortcut(key({ key: 'C', code: 'KeyC', shiftKey: true, altKey: true }))).toBeNull();
    expect(terminalShortcut(key({ key: '=', code: 'Equal', metaKey: true }))).toBeNull();
    expect(terminalShortcut(key({ key: '=', code: 'Equal', ctrlKey: false }))).toBeNull();
    expect(terminalShortcut(key({ key: 'x', code: 'KeyX', shiftKey: true }))).toBeNull();
  });
});

describe('terminal preferences', () => {
  class MemoryStorage {
    readonly items = new Map<string, string>();
    getItem(k: string): string | null {
      return this.items.get(k) ?? null;
    }
    setItem(k: string, v: string): void {
      this.items.set(k, v);
    }
  }

  it('keeps the font size', () => {
    const storage = new MemoryStorage();
    expect(loadTerminalPrefs(storage)).toEqual({ fontSize: DEFAULT_FONT_SIZE });
    saveTerminalPrefs(storage, { fontSize: 18 });
    expect(storage.getItem(PREFS_KEY)).toBe('{"fontSize":18}');
    expect(loadTerminalPrefs(storage)).toEqual({ fontSize: 18 });
  });

  it('falls back to the default for unreadable or missing storage, and clamps', () => {
    const storage = new MemoryStorage();
    storage.setItem(PREFS_KEY, '{not json');
    expect(loadTerminalPrefs(storage)).toEqual({ fontSize: DEFAULT_FONT_SIZE });
    storage.setItem(PREFS_KEY, '{"fontSize":"big"}');
    expect(loadTerminalPrefs(storage)).toEqual({ fontSize: DEFAULT_FONT_SIZE });
    storage.setItem(PREFS_KEY, '{"fontSize":400}');
    expect(loadTerminalPrefs(storage)).toEqual({ fontSize: 32 });
    expect(loadTerminalPrefs(null)).toEqual({ fontSize: DEFAULT_FONT_SIZE });
    expect(clampFontSize(2)).toBe(8);
    expect(clampFontSize(13.6)).toBe(14);
    expect(() => saveTerminalPrefs({ setItem: () => { throw new Error('quota'); } }, { fontSize: 12 })).not.toThrow();
  });
});

describe('terminal panels', () => {
  afterEach(() => clearTerminalPanels());

  it('lists registered panels in order, a second registration replacing the first', () => {
    const mounted: string[] = [];
    registerTerminalPanel('files', (_c, id) => mounted.push(`files:${id}`), 'Files');
    registerTerminalPanel('notes', (_c, id) => mounted.push(`notes:${id}`));
    registerTerminalPanel('files', (_c, id) => mounted.push(`files2:${id}`), 'Files');
    expect(terminalPanels().map((p) => [p.name, p.label])).toEqual([['files', 'Files'], ['notes', 'Notes']]);
    for (const p of terminalPanels()) p.mount({} as HTMLElement, 's1');
    expect(mounted).toEqual(['files2:s1', 'notes:s1']);
  });

  it('refuses names that cannot be part of an element id', () => {
    expect(() => registerTerminalPanel('Files panel', () => undefined)).toThrow(RangeError);
    expect(() => registerTerminalPanel('', () => undefined)).toThrow(RangeError);
  });
});

describe('pickOwnSession', () => {
  const item = (id: string, targetId: string, user: string, started: string): LiveSessionItem => ({
    id, userId: `u-${user}`, user, targetId, target: targetId, protocol: 'ssh', kind: 'tdp', started, bytesToBrowser: 0, bytesFromTarget: 0, watchers: 0, watchable: false, medium: 'terminal',
  });

  it("takes the user's newest session on the target that was not running before", () => {
    const items = [
      item('old', 'box', 'carol', '2026-12-03T10:00:00Z'),
      item('mine', 'box', 'carol', '2026-12-03T10:05:00Z'),
      item('other-target', 'web', 'carol', '2026-12-03T10:06:00Z'),
      item('other-user', 'box', 'bea', '2026-12-03T10:07:00Z'),
    ];
    expect(pickOwnSession(items, 'box', 'carol', new Set())).toBe('mine');
    expect(pickOwnSession(items, 'box', 'carol', new Set(['mine']))).toBe('old');
    expect(pickOwnSession(items, 'box', 'carol', new Set(['mine', 'old']))).toBeNull();
    expect(pickOwnSession([], 'box', 'carol', new Set())).toBeNull();
  });
});
