/** The terminal page's own keys; everything else goes to the remote terminal. */
export type TerminalShortcut = 'copy' | 'paste' | 'search' | 'font-larger' | 'font-smaller' | 'font-reset';

/** The part of a KeyboardEvent the shortcuts look at. */
export type ShortcutKey = Pick<KeyboardEvent, 'type' | 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>;

/**
 * The page's shortcut a key press is, or null: Ctrl+Shift+C copy, Ctrl+Shift+V paste, Ctrl+Shift+F search (as
 * terminal emulators do, since Ctrl+C, Ctrl+V and Ctrl+F belong to the remote program), Ctrl+= (or Ctrl++) and
 * Ctrl+- font size, Ctrl+0 the default size. Matched on the physical key as well, so other layouts work.
 */
export function terminalShortcut(ev: ShortcutKey): TerminalShortcut | null {
  if (ev.type !== 'keydown' || !ev.ctrlKey || ev.altKey || ev.metaKey) {
    return null;
  }
  const key = ev.key.toLowerCase();
  if (ev.shiftKey) {
    if (ev.code === 'KeyC' || key === 'c') return 'copy';
    if (ev.code === 'KeyV' || key === 'v') return 'paste';
    if (ev.code === 'KeyF' || key === 'f') return 'search';
    if (key === '+' || ev.code === 'NumpadAdd') return 'font-larger';
    return null;
  }
  if (key === '=' || key === '+' || ev.code === 'Equal' || ev.code === 'NumpadAdd') return 'font-larger';
  if (key === '-' || ev.code === 'Minus' || ev.code === 'NumpadSubtract') return 'font-smaller';
  if (key === '0' || ev.code === 'Digit0' || ev.code === 'Numpad0') return 'font-reset';
  return null;
}
