/**
 * `KeyboardEvent.code` → RFD 37 `key_code`: the Windows scan code (set 1) that the
 * MDN "code values on Windows" table gives for that physical key. Extended keys carry
 * the 0xE0 prefix in the high byte (ArrowLeft = 0xE04B). As in that table (and in
 * Chromium, which it is derived from), NumLock is 0xE045 and Pause is 0x0045.
 */
const CODE_TO_SCANCODE: ReadonlyMap<string, number> = new Map<string, number>([
  // Main block, row by row.
  ['Escape', 0x01],
  ['Digit1', 0x02], ['Digit2', 0x03], ['Digit3', 0x04], ['Digit4', 0x05], ['Digit5', 0x06],
  ['Digit6', 0x07], ['Digit7', 0x08], ['Digit8', 0x09], ['Digit9', 0x0a], ['Digit0', 0x0b],
  ['Minus', 0x0c], ['Equal', 0x0d], ['Backspace', 0x0e],
  ['Tab', 0x0f],
  ['KeyQ', 0x10], ['KeyW', 0x11], ['KeyE', 0x12], ['KeyR', 0x13], ['KeyT', 0x14],
  ['KeyY', 0x15], ['KeyU', 0x16], ['KeyI', 0x17], ['KeyO', 0x18], ['KeyP', 0x19],
  ['BracketLeft', 0x1a], ['BracketRight', 0x1b], ['Enter', 0x1c],
  ['ControlLeft', 0x1d],
  ['KeyA', 0x1e], ['KeyS', 0x1f], ['KeyD', 0x20], ['KeyF', 0x21], ['KeyG', 0x22],
  ['KeyH', 0x23], ['KeyJ', 0x24], ['KeyK', 0x25], ['KeyL', 0x26],
  ['Semicolon', 0x27], ['Quote', 0x28], ['Backquote', 0x29],
  ['ShiftLeft', 0x2a], ['Backslash', 0x2b], ['IntlHash', 0x2b],
  ['KeyZ', 0x2c], ['KeyX', 0x2d], ['KeyC', 0x2e], ['KeyV', 0x2f], ['KeyB', 0x30],
  ['KeyN', 0x31], ['KeyM', 0x32],
  ['Comma', 0x33], ['Period', 0x34], ['Slash', 0x35], ['ShiftRight', 0x36],
  ['NumpadMultiply', 0x37], ['AltLeft', 0x38], ['Space', 0x39], ['CapsLock', 0x3a],
  // Function keys.
  ['F1', 0x3b], ['F2', 0x3c], ['F3', 0x3d], ['F4', 0x3e], ['F5', 0x3f],
  ['F6', 0x40], ['F7', 0x41], ['F8', 0x42], ['F9', 0x43], ['F10', 0x44],
  ['F11', 0x57], ['F12', 0x58],
  ['F13', 0x64], ['F14', 0x65], ['F15', 0x66], ['F16', 0x67], ['F17', 0x68], ['F18', 0x69],
  ['F19', 0x6a], ['F20', 0x6b], ['F21', 0x6c], ['F22', 0x6d], ['F23', 0x6e], ['F24', 0x76],
  // Locks and system keys.
  ['Pause', 0x45], ['ScrollLock', 0x46], ['NumLock', 0xe045], ['PrintScreen', 0xe037],
  // Keypad.
  ['Numpad7', 0x47], ['Numpad8', 0x48], ['Numpad9', 0x49], ['NumpadSubtract', 0x4a],
  ['Numpad4', 0x4b], ['Numpad5', 0x4c], ['Numpad6', 0x4d], ['NumpadAdd', 0x4e],
  ['Numpad1', 0x4f], ['Numpad2', 0x50], ['Numpad3', 0x51], ['Numpad0', 0x52],
  ['NumpadDecimal', 0x53], ['NumpadEqual', 0x59], ['NumpadComma', 0x7e],
  ['NumpadEnter', 0xe01c], ['NumpadDivide', 0xe035],
  // International keys.
  ['IntlBackslash', 0x56], ['IntlRo', 0x73], ['IntlYen', 0x7d], ['KanaMode', 0x70],
  ['Lang1', 0x72], ['Lang2', 0x71], ['Lang3', 0x78], ['Lang4', 0x77],
  ['Convert', 0x79], ['NonConvert', 0x7b],
  // Extended (0xE0-prefixed) keys.
  ['ControlRight', 0xe01d], ['AltRight', 0xe038],
  ['MetaLeft', 0xe05b], ['MetaRight', 0xe05c], ['OSLeft', 0xe05b], ['OSRight', 0xe05c],
  ['ContextMenu', 0xe05d],
  ['Home', 0xe047], ['ArrowUp', 0xe048], ['PageUp', 0xe049], ['ArrowLeft', 0xe04b],
  ['ArrowRight', 0xe04d], ['End', 0xe04f], ['ArrowDown', 0xe050], ['PageDown', 0xe051],
  ['Insert', 0xe052], ['Delete', 0xe053],
  ['Help', 0xe03b], ['Undo', 0xe008], ['Cut', 0xe017], ['Copy', 0xe018], ['Paste', 0xe00a],
  ['Power', 0xe05e], ['Sleep', 0xe05f], ['WakeUp', 0xe063],
  ['AudioVolumeMute', 0xe020], ['AudioVolumeDown', 0xe02e], ['AudioVolumeUp', 0xe030],
  ['MediaTrackPrevious', 0xe010], ['MediaTrackNext', 0xe019], ['MediaPlayPause', 0xe022],
  ['MediaStop', 0xe024], ['MediaSelect', 0xe06d], ['Eject', 0xe02c],
  ['LaunchMail', 0xe06c], ['LaunchApp1', 0xe06b], ['LaunchApp2', 0xe021],
  ['BrowserSearch', 0xe065], ['BrowserFavorites', 0xe066], ['BrowserRefresh', 0xe067],
  ['BrowserStop', 0xe068], ['BrowserForward', 0xe069], ['BrowserBack', 0xe06a],
  ['BrowserHome', 0xe032],
]);

/** The RFD 37 key_code for a `KeyboardEvent.code`, or 0 when the physical key is unknown. */
export function keyCodeFromCode(code: string): number {
  return CODE_TO_SCANCODE.get(code) ?? 0;
}
