/**
 * `KeyboardEvent` → X11 keysym (X Window System Protocol, appendix A "KEYSYM Encoding",
 * and keysymdef.h). The keysym says which symbol the user meant; the remote server's
 * layout does the rest. Printable characters come from `event.key`, so the local
 * layout (German, French, ...) decides what is typed, including AltGr and dead-key
 * compositions.
 */

/** The fields of a `KeyboardEvent` the mapping reads; real events satisfy this. */
export interface KeyLike {
  readonly key: string;
  readonly code: string;
}

/** Well-known keysyms used by the client itself (Ctrl+Alt+Del, tests). */
export const Keysym = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Escape: 0xff1b,
  Delete: 0xffff,
  Shift_L: 0xffe1,
  Shift_R: 0xffe2,
  Control_L: 0xffe3,
  Control_R: 0xffe4,
  Caps_Lock: 0xffe5,
  Alt_L: 0xffe9,
  Alt_R: 0xffea,
  Super_L: 0xffeb,
  Super_R: 0xffec,
  ISO_Level3_Shift: 0xfe03,
  Num_Lock: 0xff7f,
  KP_Enter: 0xff8d,
  KP_0: 0xffb0,
  F1: 0xffbe,
  EuroSign: 0x20ac,
} as const;

/** Keys whose `event.key` names them, independent of side or keypad. */
const NAMED_KEYS: ReadonlyMap<string, number> = new Map<string, number>([
  ['Backspace', 0xff08],
  ['Tab', 0xff09],
  ['Clear', 0xff0b],
  ['Enter', 0xff0d],
  ['Pause', 0xff13],
  ['ScrollLock', 0xff14],
  ['Escape', 0xff1b],
  ['Compose', 0xff20],
  ['NonConvert', 0xff22],
  ['Convert', 0xff23],
  ['KanaMode', 0xff2d],
  ['HiraganaKatakana', 0xff27],
  ['Hiragana', 0xff25],
  ['Katakana', 0xff26],
  ['ZenkakuHankaku', 0xff2a],
  ['Home', 0xff50],
  ['ArrowLeft', 0xff51],
  ['ArrowUp', 0xff52],
  ['ArrowRight', 0xff53],
  ['ArrowDown', 0xff54],
  ['PageUp', 0xff55],
  ['PageDown', 0xff56],
  ['End', 0xff57],
  ['Select', 0xff60],
  ['PrintScreen', 0xff61],
  ['Execute', 0xff62],
  ['Insert', 0xff63],
  ['Undo', 0xff65],
  ['Redo', 0xff66],
  ['ContextMenu', 0xff67],
  ['Find', 0xff68],
  ['Cancel', 0xff69],
  ['Help', 0xff6a],
  ['Break', 0xff6b],
  ['ModeChange', 0xff7e],
  ['NumLock', 0xff7f],
  ['CapsLock', 0xffe5],
  ['AltGraph', 0xfe03],
  ['Hyper', 0xffed],
  ['Delete', 0xffff],
  // XF86 multimedia keys (XF86keysym.h).
  ['AudioVolumeDown', 0x1008ff11],
  ['AudioVolumeMute', 0x1008ff12],
  ['AudioVolumeUp', 0x1008ff13],
  ['MediaPlayPause', 0x1008ff14],
  ['MediaStop', 0x1008ff15],
  ['MediaTrackPrevious', 0x1008ff16],
  ['MediaTrackNext', 0x1008ff17],
  ['BrowserHome', 0x1008ff18],
  ['LaunchMail', 0x1008ff19],
  ['BrowserSearch', 0x1008ff1b],
  ['BrowserBack', 0x1008ff26],
  ['BrowserForward', 0x1008ff27],
  ['BrowserStop', 0x1008ff28],
  ['BrowserRefresh', 0x1008ff29],
  ['BrowserFavorites', 0x1008ff30],
  ['Eject', 0x1008ff2c],
  ['LaunchApp2', 0x1008ff1d],
  ['LaunchApp1', 0x1008ff5d],
  ['Power', 0x1008ff2a],
  ['Sleep', 0x1008ff2f],
  ['WakeUp', 0x1008ff2b],
]);

/** Keypad keys by `event.key` when NumLock is off (the key reports its navigation meaning). */
const KEYPAD_NAVIGATION: ReadonlyMap<string, number> = new Map<string, number>([
  ['Home', 0xff95],
  ['ArrowLeft', 0xff96],
  ['ArrowUp', 0xff97],
  ['ArrowRight', 0xff98],
  ['ArrowDown', 0xff99],
  ['PageUp', 0xff9a],
  ['PageDown', 0xff9b],
  ['End', 0xff9c],
  ['Clear', 0xff9d],
  ['Insert', 0xff9e],
  ['Delete', 0xff9f],
]);

/** Keypad keys whose meaning does not depend on NumLock, by `event.code`. */
const KEYPAD_BY_CODE: ReadonlyMap<string, number> = new Map<string, number>([
  ['NumpadEnter', 0xff8d],
  ['NumpadMultiply', 0xffaa],
  ['NumpadAdd', 0xffab],
  ['NumpadComma', 0xffac],
  ['NumpadSubtract', 0xffad],
  ['NumpadDivide', 0xffaf],
  ['NumpadEqual', 0xffbd],
]);

/** Characters with a legacy (pre-Unicode) keysym that servers know better than 0x01000000|cp. */
const LEGACY_KEYSYMS: ReadonlyMap<number, number> = new Map<number, number>([
  [0x20ac, 0x20ac], // EURO SIGN → EuroSign
  [0x0152, 0x13bc], // Œ → OE
  [0x0153, 0x13bd], // œ → oe
  [0x0178, 0x13be], // Ÿ → Ydiaeresis
]);

/** US-layout characters for `event.code` when the browser reports `key` as "Unidentified". */
const CODE_FALLBACK: ReadonlyMap<string, string> = new Map<string, string>([
  ['Space', ' '], ['Minus', '-'], ['Equal', '='], ['BracketLeft', '['], ['BracketRight', ']'],
  ['Backslash', '\\'], ['Semicolon', ';'], ['Quote', "'"], ['Backquote', '`'], ['Comma', ','],
  ['Period', '.'], ['Slash', '/'],
]);

/** The keysym for one Unicode code point: Latin-1 maps to itself, the rest to 0x01000000 | cp. */
export function keysymFromCodePoint(cp: number): number | null {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff) {
    return null;
  }
  if (cp <= 0xff) {
    return cp;
  }
  return LEGACY_KEYSYMS.get(cp) ?? (0x01000000 | cp) >>> 0;
}

/** The code point of a `key` that is exactly one character, else null. */
function singleCodePoint(key: string): number | null {
  const cp = key.codePointAt(0);
  if (cp === undefined) {
    return null;
  }
  return key.length === (cp > 0xffff ? 2 : 1) ? cp : null;
}

function isRight(code: string): boolean {
  return code.endsWith('Right');
}

function modifierKeysym(key: string, code: string): number | null {
  switch (key) {
    case 'Shift':
      return isRight(code) ? 0xffe2 : 0xffe1;
    case 'Control':
      return isRight(code) ? 0xffe4 : 0xffe3;
    case 'Alt':
      return isRight(code) ? 0xffea : 0xffe9;
    case 'Meta':
    case 'OS':
    case 'Super':
      return isRight(code) ? 0xffec : 0xffeb;
    default:
      return null;
  }
}

function keypadKeysym(key: string, code: string): number | null {
  const fixed = KEYPAD_BY_CODE.get(code);
  if (fixed !== undefined) {
    return fixed;
  }
  if (key.length === 1 && key >= '0' && key <= '9') {
    return 0xffb0 + (key.charCodeAt(0) - 0x30);
  }
  if (code === 'NumpadDecimal' && (key === '.' || key === ',')) {
    return 0xffae; // KP_Decimal: the remote layout decides between '.' and ','.
  }
  return KEYPAD_NAVIGATION.get(key) ?? null;
}

function fallbackFromCode(code: string): number | null {
  if (/^Key[A-Z]$/.test(code)) {
    return code.charCodeAt(3) + 0x20; // lower-case letter
  }
  if (/^Digit[0-9]$/.test(code)) {
    return code.charCodeAt(5);
  }
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(code)) {
    return 0xffbe + Number(code.slice(1)) - 1;
  }
  const ch = CODE_FALLBACK.get(code);
  if (ch !== undefined) {
    return ch.charCodeAt(0);
  }
  return NAMED_KEYS.get(code) ?? null;
}

/**
 * The keysym to send for a key event, or null when nothing should be sent
 * (a dead key, an IME composition step, or an unknown key).
 */
export function keysymFromEvent(event: KeyLike): number | null {
  const { key, code } = event;
  if (key === 'Dead' || key === 'Process') {
    return null;
  }
  if (code.startsWith('Numpad')) {
    const keypad = keypadKeysym(key, code);
    if (keypad !== null) {
      return keypad;
    }
  }
  const modifier = modifierKeysym(key, code);
  if (modifier !== null) {
    return modifier;
  }
  const named = NAMED_KEYS.get(key);
  if (named !== undefined) {
    return named;
  }
  const fKey = /^F([1-9]|[12][0-9]|3[0-5])$/.exec(key);
  if (fKey !== null) {
    return 0xffbe + Number(fKey[1]) - 1;
  }
  const cp = singleCodePoint(key);
  if (cp !== null) {
    return keysymFromCodePoint(cp);
  }
  if (key === 'Unidentified' || key === '') {
    return fallbackFromCode(code);
  }
  return null;
}
