/** State the end-to-end tests read through `window.__oriel`. Keep these names stable. */
export interface OrielTestHooks {
  lastClipboardFromRemote: string;
  /** The open terminal page's emulator, read-only (null when none is open). */
  terminal?: TerminalTestHooks | null;
}

/** What end-to-end tests read from the terminal page's xterm.js. */
export interface TerminalTestHooks {
  /** The active buffer's lines (scrollback included, the alternate screen while it is on), trailing blanks trimmed. */
  text(): string;
  /** The visible rows only, top to bottom. */
  screen(): string[];
  /** The selected text ('' without a selection). */
  selection(): string;
  /** `normal` or `alternate` (full-screen programs such as vim switch to the alternate screen). */
  bufferType(): string;
  /** Columns and rows of the emulator. */
  size(): { cols: number; rows: number };
  /** The characters of each cell of a viewport row: a wide character's second cell is ''. */
  cells(row: number): string[];
  /** Where `text` is on screen: viewport row and column of its first occurrence, or null. */
  find(text: string): { row: number; col: number } | null;
}

declare global {
  interface Window {
    __oriel?: OrielTestHooks;
  }
}

/** The hooks object, created on first use. */
export function testHooks(): OrielTestHooks {
  window.__oriel ??= { lastClipboardFromRemote: '' };
  return window.__oriel;
}
