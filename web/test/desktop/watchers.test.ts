import { describe, expect, it } from 'vitest';
import { WatcherTracker } from '../../src/desktop/watchers';

describe('WatcherTracker', () => {
  it('shows who watches from the start and stop notices, and nothing once the last stops', () => {
    const t = new WatcherTracker();
    expect(t.label()).toBeNull();
    expect(t.observe('bea is watching this session (read-only)')).toBe(true);
    expect(t.label()).toBe('Being watched: bea');
    expect(t.observe('carl is watching this session (read-only)')).toBe(true);
    expect(t.label()).toBe('Being watched: bea, carl');
    expect(t.views).toBe(2);
    expect(t.observe('bea stopped watching this session')).toBe(true);
    expect(t.label()).toBe('Being watched: carl');
    expect(t.observe('carl stopped watching this session')).toBe(true);
    expect(t.label()).toBeNull();
    expect(t.views).toBe(0);
  });

  it('counts one person watching from two tabs until both views close', () => {
    const t = new WatcherTracker();
    t.observe('bea is watching this session (read-only)');
    t.observe('bea is watching this session (read-only)');
    expect(t.names).toEqual(['bea']);
    expect(t.views).toBe(2);
    t.observe('bea stopped watching this session');
    expect(t.label()).toBe('Being watched: bea');
    t.observe('bea stopped watching this session');
    expect(t.label()).toBeNull();
  });

  it('ignores other notifications and a stop it never saw start, and forgets everything on reset', () => {
    const t = new WatcherTracker();
    expect(t.observe('The clipboard text is too large to send.')).toBe(false);
    expect(t.observe('someone said bea is watching this session (read-only) again')).toBe(false);
    expect(t.observe('dan stopped watching this session')).toBe(true);
    expect(t.label()).toBeNull();
    expect(t.views).toBe(0);
    t.observe('a name with spaces is watching this session (read-only)');
    expect(t.label()).toBe('Being watched: a name with spaces');
    t.reset();
    expect(t.label()).toBeNull();
  });
});
