import { describe, expect, it } from 'vitest';
import { keysymFromCodePoint, keysymFromEvent } from '../../src/input/keysym';

const ks = (key: string, code: string): number | null => keysymFromEvent({ key, code });

describe('keysymFromEvent: named keys', () => {
  it.each([
    ['Enter', 'Enter', 0xff0d],
    ['Backspace', 'Backspace', 0xff08],
    ['Tab', 'Tab', 0xff09],
    ['Escape', 'Escape', 0xff1b],
    ['ArrowLeft', 'ArrowLeft', 0xff51],
    ['ArrowUp', 'ArrowUp', 0xff52],
    ['ArrowRight', 'ArrowRight', 0xff53],
    ['ArrowDown', 'ArrowDown', 0xff54],
    ['Home', 'Home', 0xff50],
    ['End', 'End', 0xff57],
    ['PageUp', 'PageUp', 0xff55],
    ['PageDown', 'PageDown', 0xff56],
    ['Insert', 'Insert', 0xff63],
    ['Delete', 'Delete', 0xffff],
    ['F1', 'F1', 0xffbe],
    ['F12', 'F12', 0xffc9],
    ['F24', 'F24', 0xffd5],
    ['CapsLock', 'CapsLock', 0xffe5],
    ['NumLock', 'NumLock', 0xff7f],
    ['ScrollLock', 'ScrollLock', 0xff14],
    ['ContextMenu', 'ContextMenu', 0xff67],
    ['PrintScreen', 'PrintScreen', 0xff61],
    ['Pause', 'Pause', 0xff13],
    ['AltGraph', 'AltRight', 0xfe03],
    ['AudioVolumeMute', 'AudioVolumeMute', 0x1008ff12],
  ])('%s (%s) → %i', (key, code, expected) => {
    expect(ks(key, code)).toBe(expected);
  });

  it('tells left and right modifiers apart by code', () => {
    expect(ks('Shift', 'ShiftLeft')).toBe(0xffe1);
    expect(ks('Shift', 'ShiftRight')).toBe(0xffe2);
    expect(ks('Control', 'ControlLeft')).toBe(0xffe3);
    expect(ks('Control', 'ControlRight')).toBe(0xffe4);
    expect(ks('Alt', 'AltLeft')).toBe(0xffe9);
    expect(ks('Alt', 'AltRight')).toBe(0xffea);
    expect(ks('Meta', 'MetaLeft')).toBe(0xffeb);
    expect(ks('Meta', 'MetaRight')).toBe(0xffec);
    expect(ks('OS', 'OSLeft')).toBe(0xffeb);
  });
});

describe('keysymFromEvent: keypad', () => {
  it('maps digits with NumLock on to KP_0..KP_9', () => {
    expect(ks('0', 'Numpad0')).toBe(0xffb0);
    expect(ks('7', 'Numpad7')).toBe(0xffb7);
    expect(ks('9', 'Numpad9')).toBe(0xffb9);
  });

  it('maps navigation meanings with NumLock off', () => {
    expect(ks('Home', 'Numpad7')).toBe(0xff95);
    expect(ks('ArrowLeft', 'Numpad4')).toBe(0xff96);
    expect(ks('Clear', 'Numpad5')).toBe(0xff9d);
    expect(ks('Insert', 'Numpad0')).toBe(0xff9e);
    expect(ks('Delete', 'NumpadDecimal')).toBe(0xff9f);
  });

  it('maps operators and Enter by code', () => {
    expect(ks('Enter', 'NumpadEnter')).toBe(0xff8d);
    expect(ks('+', 'NumpadAdd')).toBe(0xffab);
    expect(ks('-', 'NumpadSubtract')).toBe(0xffad);
    expect(ks('*', 'NumpadMultiply')).toBe(0xffaa);
    expect(ks('/', 'NumpadDivide')).toBe(0xffaf);
  });

  it('sends KP_Decimal for both "." (US) and "," (German) so the remote layout decides', () => {
    expect(ks('.', 'NumpadDecimal')).toBe(0xffae);
    expect(ks(',', 'NumpadDecimal')).toBe(0xffae);
  });
});

describe('keysymFromEvent: printable characters', () => {
  it('maps ASCII to itself', () => {
    expect(ks('a', 'KeyA')).toBe(0x61);
    expect(ks('A', 'KeyA')).toBe(0x41);
    expect(ks(' ', 'Space')).toBe(0x20);
    expect(ks('~', 'Backquote')).toBe(0x7e);
    expect(ks('!', 'Digit1')).toBe(0x21);
  });

  it('German layout: umlauts and ß are Latin-1, AltGr+Q is @, AltGr+E is EuroSign', () => {
    expect(ks('ä', 'Quote')).toBe(0xe4);
    expect(ks('Ä', 'Quote')).toBe(0xc4);
    expect(ks('ö', 'Semicolon')).toBe(0xf6);
    expect(ks('ü', 'BracketLeft')).toBe(0xfc);
    expect(ks('ß', 'Minus')).toBe(0xdf);
    expect(ks('@', 'KeyQ')).toBe(0x40);
    expect(ks('€', 'KeyE')).toBe(0x20ac);
    expect(ks('z', 'KeyY')).toBe(0x7a); // QWERTZ: the key is what counts, not the position
  });

  it('French layout: accented letters on the digit row', () => {
    expect(ks('é', 'Digit2')).toBe(0xe9);
    expect(ks('è', 'Digit7')).toBe(0xe8);
    expect(ks('ç', 'Digit9')).toBe(0xe7);
    expect(ks('à', 'Digit0')).toBe(0xe0);
    expect(ks('2', 'Digit2')).toBe(0x32); // shifted
    expect(ks('a', 'KeyQ')).toBe(0x61); // AZERTY
  });

  it('maps other Unicode to 0x01000000 | code point, astral planes included', () => {
    expect(ks('ж', 'KeyF')).toBe(0x01000436);
    expect(ks('ł', 'KeyL')).toBe(0x01000142);
    expect(ks('😀', '')).toBe(0x0101f600);
  });

  it('uses legacy keysyms for a few characters', () => {
    expect(keysymFromCodePoint(0x20ac)).toBe(0x20ac);
    expect(keysymFromCodePoint(0x0153)).toBe(0x13bd);
  });

  it('Latin-1 boundaries', () => {
    expect(keysymFromCodePoint(0x20)).toBe(0x20);
    expect(keysymFromCodePoint(0x7e)).toBe(0x7e);
    expect(keysymFromCodePoint(0x7f)).toBeNull();
    expect(keysymFromCodePoint(0x9f)).toBeNull();
    expect(keysymFromCodePoint(0xa0)).toBe(0xa0);
    expect(keysymFromCodePoint(0xff)).toBe(0xff);
    expect(keysymFromCodePoint(0x100)).toBe(0x01000100);
    expect(keysymFromCodePoint(0x1f)).toBeNull();
  });
});

describe('keysymFromEvent: nothing to send', () => {
  it('dead keys and IME processing send nothing', () => {
    expect(ks('Dead', 'BracketLeft')).toBeNull();
    expect(ks('Dead', 'Equal')).toBeNull();
    expect(ks('Process', 'KeyA')).toBeNull();
  });

  it('unknown multi-character keys send nothing', () => {
    expect(ks('SomeFutureKey', 'Unknown')).toBeNull();
  });

  it('falls back to the code when the key is Unidentified', () => {
    expect(ks('Unidentified', 'KeyQ')).toBe(0x71);
    expect(ks('Unidentified', 'Digit5')).toBe(0x35);
    expect(ks('Unidentified', 'F5')).toBe(0xffc2);
    expect(ks('Unidentified', 'Slash')).toBe(0x2f);
    expect(ks('Unidentified', 'Nothing')).toBeNull();
  });
});
