import type { KeyLike } from './keysym';

/** Modifier state of a key event. */
export interface ModifierState {
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/**
 * Whether a keydown is the local "paste" shortcut (Ctrl+V, Cmd+V, Shift+Insert). For these the
 * browser must be allowed to fire its paste event, so the local clipboard reaches the remote side
 * before the key does.
 */
export function isPasteShortcut(event: KeyLike & ModifierState): boolean {
  if (event.code === 'KeyV' || event.key === 'v' || event.key === 'V') {
    return (event.ctrlKey || event.metaKey) && !event.altKey;
  }
  return event.code === 'Insert' && event.shiftKey && !event.ctrlKey && !event.altKey;
}
