import { describe, expect, it } from 'vitest';
import { tdpButtonFromDom, WheelAccumulator } from '../../src/input/mouse';
import { isPasteShortcut } from '../../src/input/paste-shortcut';

describe('tdpButtonFromDom', () => {
  it('maps DOM main/auxiliary/secondary to TDP left/middle/right', () => {
    expect(tdpButtonFromDom(0)).toBe(0);
    expect(tdpButtonFromDom(1)).toBe(1);
    expect(tdpButtonFromDom(2)).toBe(2);
    expect(tdpButtonFromDom(3)).toBeNull();
    expect(tdpButtonFromDom(4)).toBeNull();
  });
});

describe('WheelAccumulator', () => {
  it('negates DOM deltas: scrolling down (deltaY > 0) sends a negative vertical delta', () => {
    expect(new WheelAccumulator().push({ deltaX: 0, deltaY: 100, deltaMode: 0 })).toEqual([{ axis: 0, delta: -100 }]);
    expect(new WheelAccumulator().push({ deltaX: 0, deltaY: -53, deltaMode: 0 })).toEqual([{ axis: 0, delta: 53 }]);
  });

  it('horizontal: deltaX > 0 (right) sends negative, axis 1', () => {
    expect(new WheelAccumulator().push({ deltaX: 30, deltaY: 0, deltaMode: 0 })).toEqual([{ axis: 1, delta: -30 }]);
  });

  it('converts lines and pages to pixels', () => {
    expect(new WheelAccumulator().push({ deltaX: 0, deltaY: 3, deltaMode: 1 })).toEqual([{ axis: 0, delta: -120 }]);
    expect(new WheelAccumulator().push({ deltaX: 0, deltaY: 1, deltaMode: 2 })).toEqual([{ axis: 0, delta: -800 }]);
  });

  it('carries fractions over instead of dropping them', () => {
    const w = new WheelAccumulator();
    expect(w.push({ deltaX: 0, deltaY: 0.4, deltaMode: 0 })).toEqual([]);
    expect(w.push({ deltaX: 0, deltaY: 0.4, deltaMode: 0 })).toEqual([]);
    expect(w.push({ deltaX: 0, deltaY: 0.4, deltaMode: 0 })).toEqual([{ axis: 0, delta: -1 }]);
  });

  it('clamps to int16', () => {
    expect(new WheelAccumulator().push({ deltaX: 0, deltaY: 1e6, deltaMode: 0 })).toEqual([{ axis: 0, delta: -32768 }]);
    expect(new WheelAccumulator().push({ deltaX: 0, deltaY: -1e6, deltaMode: 0 })).toEqual([{ axis: 0, delta: 32767 }]);
  });
});

describe('isPasteShortcut', () => {
  const mods = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };
  it('recognises Ctrl+V, Cmd+V and Shift+Insert', () => {
    expect(isPasteShortcut({ key: 'v', code: 'KeyV', ...mods, ctrlKey: true })).toBe(true);
    expect(isPasteShortcut({ key: 'v', code: 'KeyV', ...mods, metaKey: true })).toBe(true);
    expect(isPasteShortcut({ key: 'Insert', code: 'Insert', ...mods, shiftKey: true })).toBe(true);
  });
  it('ignores plain v, Ctrl+Alt+V and Ctrl+C', () => {
    expect(isPasteShortcut({ key: 'v', code: 'KeyV', ...mods })).toBe(false);
    expect(isPasteShortcut({ key: 'v', code: 'KeyV', ...mods, ctrlKey: true, altKey: true })).toBe(false);
    expect(isPasteShortcut({ key: 'c', code: 'KeyC', ...mods, ctrlKey: true })).toBe(false);
  });
});
