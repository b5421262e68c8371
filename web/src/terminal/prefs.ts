/** The terminal preferences kept in this browser (`localStorage['oriel.terminal']`). */
export interface TerminalPrefs {
  fontSize: number;
}

export const PREFS_KEY = 'oriel.terminal';
export const DEFAULT_FONT_SIZE = 14;
export const MIN_FONT_SIZE = 8;
export const MAX_FONT_SIZE = 32;

/** A font size within MIN_FONT_SIZE..MAX_FONT_SIZE, whole pixels; the default for anything unusable. */
export function clampFontSize(size: unknown): number {
  if (typeof size !== 'number' || !Number.isFinite(size)) {
    return DEFAULT_FONT_SIZE;
  }
  return Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, Math.round(size)));
}

/** Reads the preferences; defaults for what is missing or unreadable. */
export function loadTerminalPrefs(storage: Pick<Storage, 'getItem'> | null): TerminalPrefs {
  try {
    const stored: unknown = JSON.parse(storage?.getItem(PREFS_KEY) ?? '{}');
    if (typeof stored === 'object' && stored !== null) {
      return { fontSize: clampFontSize((stored as { fontSize?: unknown }).fontSize) };
    }
  } catch {
    // Unreadable preferences: the defaults.
  }
  return { fontSize: DEFAULT_FONT_SIZE };
}

/** Stores the preferences; when storage is disabled they last for this page only. */
export function saveTerminalPrefs(storage: Pick<Storage, 'setItem'> | null, prefs: TerminalPrefs): void {
  try {
    storage?.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Storage may be full or disabled.
  }
}
