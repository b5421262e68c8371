import { keyCodeFromCode } from './keycode';
import { keysymFromEvent, type KeyLike } from './keysym';

/** One key transition to send to the remote side as a KeysymInput message. */
export interface KeyAction {
  readonly keysym: number;
  readonly keyCode: number;
  readonly state: 0 | 1;
}

interface HeldKey {
  readonly keysym: number;
  readonly keyCode: number;
}

/**
 * Turns browser key events into press/release actions and remembers what is held,
 * so that a release always names the keysym that its press sent (Shift+a pressed,
 * Shift released, then a released: the release is still 'A'), and so that
 * everything still held can be released when the canvas loses focus.
 */
export class KeyboardTracker {
  private readonly held = new Map<string, HeldKey>();

  /** Number of keys currently held down. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Actions for a keydown (auto-repeat included). Empty when nothing is to be sent. */
  keyDown(event: KeyLike): KeyAction[] {
    const keysym = keysymFromEvent(event);
    if (keysym === null) {
      return [];
    }
    const actions: KeyAction[] = [];
    const id = KeyboardTracker.identity(event);
    const previous = this.held.get(id);
    if (previous !== undefined && previous.keysym !== keysym) {
      actions.push({ keysym: previous.keysym, keyCode: previous.keyCode, state: 0 });
    }
    if (event.key === 'AltGraph') {
      // Windows reports AltGr as ControlLeft + AltRight; the Control is not the user's.
      const fakeControl = this.held.get('ControlLeft');
      if (fakeControl !== undefined) {
        this.held.delete('ControlLeft');
        actions.push({ keysym: fakeControl.keysym, keyCode: fakeControl.keyCode, state: 0 });
      }
    }
    const keyCode = keyCodeFromCode(event.code);
    this.held.set(id, { keysym, keyCode });
    actions.push({ keysym, keyCode, state: 1 });
    return actions;
  }

  /** Actions for a keyup: the release of whatever this physical key pressed, if anything. */
  keyUp(event: KeyLike): KeyAction[] {
    const id = KeyboardTracker.identity(event);
    const previous = this.held.get(id);
    if (previous === undefined) {
      return [];
    }
    this.held.delete(id);
    return [{ keysym: previous.keysym, keyCode: previous.keyCode, state: 0 }];
  }

  /** Releases for every key still held (focus lost, session ending), in reverse press order. */
  releaseAll(): KeyAction[] {
    const actions = [...this.held.values()]
      .reverse()
      .map((k): KeyAction => ({ keysym: k.keysym, keyCode: k.keyCode, state: 0 }));
    this.held.clear();
    return actions;
  }

  /** The physical key, or the logical key when the browser gives no code (virtual keyboards). */
  private static identity(event: KeyLike): string {
    return event.code !== '' && event.code !== 'Unidentified' ? event.code : `key:${event.key}`;
  }
}
