import { describe, expect, it } from 'vitest';
import { mayWatchRecordings } from '../../src/app';
import { dateInputToIso, formatBytes, formatDuration } from '../../src/recording/format-display';

describe('recordings page formatting', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(7_200_000)).toBe('2:00:00');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });

  it('turns a date input into the start of that day, or of the next one for "to"', () => {
    const from = new Date(dateInputToIso('2026-12-03', false)!);
    const to = new Date(dateInputToIso('2026-12-03', true)!);
    expect([from.getFullYear(), from.getMonth(), from.getDate(), from.getHours()]).toEqual([2026, 11, 3, 0]);
    expect(to.getTime() - from.getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(dateInputToIso('', false)).toBeNull();
    expect(dateInputToIso('03/12/2026', false)).toBeNull();
  });

  it('shows the recordings link to users who may see their own or all recordings, never to a link session', () => {
    const me = { username: 'a', isAdmin: false, mustChangePassword: false };
    expect(mayWatchRecordings({ ...me, recordings: 'all' })).toBe(true);
    expect(mayWatchRecordings({ ...me, recordings: 'own' })).toBe(true);
    expect(mayWatchRecordings({ ...me, recordings: 'none' })).toBe(false);
    expect(mayWatchRecordings(me)).toBe(false);
    expect(mayWatchRecordings({ ...me, recordings: 'all', scope: 'lab' })).toBe(false);
  });
});
