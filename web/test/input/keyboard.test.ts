import { describe, expect, it } from 'vitest';
import { KeyboardTracker, type KeyAction } from '../../src/input/keyboard';

const ev = (key: string, code: string) => ({ key, code });
const down = (keysym: number, keyCode: number): KeyAction => ({ keysym, keyCode, state: 1 });
const up = (keysym: number, keyCode: number): KeyAction => ({ keysym, keyCode, state: 0 });

describe('KeyboardTracker', () => {
  it('sends press and release with keysym and key code', () => {
    const t = new KeyboardTracker();
    expect(t.keyDown(ev('a', 'KeyA'))).toEqual([down(0x61, 0x1e)]);
    expect(t.keyUp(ev('a', 'KeyA'))).toEqual([up(0x61, 0x1e)]);
    expect(t.heldCount).toBe(0);
  });

  it('releases the keysym it pressed even when Shift changed in between', () => {
    const t = new KeyboardTracker();
    expect(t.keyDown(ev('Shift', 'ShiftLeft'))).toEqual([down(0xffe1, 0x2a)]);
    expect(t.keyDown(ev('A', 'KeyA'))).toEqual([down(0x41, 0x1e)]);
    expect(t.keyUp(ev('Shift', 'ShiftLeft'))).toEqual([up(0xffe1, 0x2a)]);
    // The browser now reports 'a', but 'A' was pressed.
    expect(t.keyUp(ev('a', 'KeyA'))).toEqual([up(0x41, 0x1e)]);
  });

  it('French dead circumflex: the dead key sends nothing, the composed ê is pressed and released', () => {
    const t = new KeyboardTracker();
    expect(t.keyDown(ev('Dead', 'BracketLeft'))).toEqual([]);
    expect(t.keyUp(ev('Dead', 'BracketLeft'))).toEqual([]);
    expect(t.keyDown(ev('ê', 'KeyE'))).toEqual([down(0xea, 0x12)]);
    expect(t.keyUp(ev('e', 'KeyE'))).toEqual([up(0xea, 0x12)]);
    expect(t.heldCount).toBe(0);
  });

  it('German AltGr on Windows (ControlLeft + AltRight): the fake Control is released, € and @ typed', () => {
    const t = new KeyboardTracker();
    expect(t.keyDown(ev('Control', 'ControlLeft'))).toEqual([down(0xffe3, 0x1d)]);
    expect(t.keyDown(ev('AltGraph', 'AltRight'))).toEqual([up(0xffe3, 0x1d), down(0xfe03, 0xe038)]);
    expect(t.keyDown(ev('€', 'KeyE'))).toEqual([down(0x20ac, 0x12)]);
    expect(t.keyUp(ev('€', 'KeyE'))).toEqual([up(0x20ac, 0x12)]);
    expect(t.keyDown(ev('@', 'KeyQ'))).toEqual([down(0x40, 0x10)]);
    expect(t.keyUp(ev('@', 'KeyQ'))).toEqual([up(0x40, 0x10)]);
    expect(t.keyUp(ev('Control', 'ControlLeft'))).toEqual([]);
    expect(t.keyUp(ev('AltGraph', 'AltRight'))).toEqual([up(0xfe03, 0xe038)]);
    expect(t.heldCount).toBe(0);
  });

  it('German AltGr on Linux (AltRight alone) types @', () => {
    const t = new KeyboardTracker();
    expect(t.keyDown(ev('AltGraph', 'AltRight'))).toEqual([down(0xfe03, 0xe038)]);
    expect(t.keyDown(ev('@', 'KeyQ'))).toEqual([down(0x40, 0x10)]);
  });

  it('auto-repeat re-sends the press; a changed symbol releases the old one first', () => {
    const t = new KeyboardTracker();
    t.keyDown(ev('a', 'KeyA'));
    expect(t.keyDown(ev('a', 'KeyA'))).toEqual([down(0x61, 0x1e)]);
    expect(t.keyDown(ev('A', 'KeyA'))).toEqual([up(0x61, 0x1e), down(0x41, 0x1e)]);
    expect(t.keyUp(ev('a', 'KeyA'))).toEqual([up(0x41, 0x1e)]);
  });

  it('releaseAll releases everything held, newest first, once', () => {
    const t = new KeyboardTracker();
    t.keyDown(ev('Control', 'ControlLeft'));
    t.keyDown(ev('Alt', 'AltLeft'));
    t.keyDown(ev('t', 'KeyT'));
    expect(t.releaseAll()).toEqual([up(0x74, 0x14), up(0xffe9, 0x38), up(0xffe3, 0x1d)]);
    expect(t.releaseAll()).toEqual([]);
    expect(t.keyUp(ev('t', 'KeyT'))).toEqual([]);
  });

  it('a keyup without a keydown sends nothing', () => {
    expect(new KeyboardTracker().keyUp(ev('a', 'KeyA'))).toEqual([]);
  });

  it('keys without a code (virtual keyboards) are tracked by key, with key code 0', () => {
    const t = new KeyboardTracker();
    expect(t.keyDown(ev('ж', ''))).toEqual([down(0x01000436, 0)]);
    expect(t.keyUp(ev('ж', ''))).toEqual([up(0x01000436, 0)]);
  });
});
