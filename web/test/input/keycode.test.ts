import { describe, expect, it } from 'vitest';
import { keyCodeFromCode } from '../../src/input/keycode';

describe('keyCodeFromCode (RFD 37 key_code, Windows scan code set 1)', () => {
  it.each([
    ['Escape', 0x01],
    ['Digit1', 0x02],
    ['Digit0', 0x0b],
    ['Backspace', 0x0e],
    ['Tab', 0x0f],
    ['KeyQ', 0x10],
    ['Enter', 0x1c],
    ['ControlLeft', 0x1d],
    ['KeyA', 0x1e],
    ['ShiftLeft', 0x2a],
    ['KeyZ', 0x2c],
    ['KeyM', 0x32],
    ['ShiftRight', 0x36],
    ['AltLeft', 0x38],
    ['Space', 0x39],
    ['CapsLock', 0x3a],
    ['F1', 0x3b],
    ['F10', 0x44],
    ['F11', 0x57],
    ['F12', 0x58],
    ['Numpad7', 0x47],
    ['NumpadDecimal', 0x53],
    ['IntlBackslash', 0x56],
    ['NumpadEnter', 0xe01c],
    ['ControlRight', 0xe01d],
    ['AltRight', 0xe038],
    ['ArrowUp', 0xe048],
    ['ArrowLeft', 0xe04b],
    ['ArrowRight', 0xe04d],
    ['ArrowDown', 0xe050],
    ['Home', 0xe047],
    ['End', 0xe04f],
    ['Insert', 0xe052],
    ['Delete', 0xe053],
    ['MetaLeft', 0xe05b],
    ['MetaRight', 0xe05c],
    ['ContextMenu', 0xe05d],
    ['PrintScreen', 0xe037],
    ['NumLock', 0xe045],
    ['Pause', 0x45],
  ])('%s → %i', (code, expected) => {
    expect(keyCodeFromCode(code)).toBe(expected);
  });

  it('is layout independent: the German Z key (code KeyY) is the scan code of KeyY', () => {
    expect(keyCodeFromCode('KeyY')).toBe(0x15);
  });

  it('gives 0 for unknown or empty codes', () => {
    expect(keyCodeFromCode('')).toBe(0);
    expect(keyCodeFromCode('Unidentified')).toBe(0);
    expect(keyCodeFromCode('Fn')).toBe(0);
  });

  it('maps every letter and digit to a distinct code', () => {
    const codes = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c) => `Key${c}`).concat([...'0123456789'].map((d) => `Digit${d}`));
    const values = codes.map(keyCodeFromCode);
    expect(values.every((v) => v > 0)).toBe(true);
    expect(new Set(values).size).toBe(values.length);
  });
});
