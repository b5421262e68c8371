import { KeyboardTracker, type KeyAction } from '../input/keyboard';
import { tdpButtonFromDom, WheelAccumulator, type TdpMouseButton, type WheelStep } from '../input/mouse';
import { isPasteShortcut } from '../input/paste-shortcut';
import { clientToRemote, type Size } from './scaling';

/** Where captured input goes (the session). */
export interface InputSink {
  sendKey(action: KeyAction): void;
  sendMouseMove(x: number, y: number): void;
  sendMouseButton(button: TdpMouseButton, pressed: boolean): void;
  sendWheel(step: WheelStep): void;
}

/** How long a paste shortcut waits for the browser's paste event before the keys go anyway. */
const PASTE_WAIT_MS = 150;

/**
 * Captures keyboard, mouse and wheel input on the desktop canvas while it has focus and
 * sends it in remote coordinates. Browser shortcuts are suppressed, except the paste
 * shortcut, whose keys are held back until the local clipboard has been sent.
 */
export class InputBinding {
  private readonly keyboard = new KeyboardTracker();
  private readonly wheel = new WheelAccumulator();
  private readonly abort = new AbortController();
  private pendingMove: { x: number; y: number } | null = null;
  private lastMove: { x: number; y: number } | null = null;
  private moveFrame = 0;
  private heldForPaste: KeyAction[] = [];
  private pasteTimer: number | undefined;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly sink: InputSink,
    private readonly remoteSize: () => Size,
    private readonly onPaste: (text: string) => void,
  ) {
    const signal = this.abort.signal;
    canvas.addEventListener('keydown', (ev) => this.keyDown(ev), { signal });
    canvas.addEventListener('keyup', (ev) => this.keyUp(ev), { signal });
    canvas.addEventListener('blur', () => this.releaseKeys(), { signal });
    canvas.addEventListener('paste', (ev) => this.paste(ev), { signal });
    canvas.addEventListener('pointermove', (ev) => this.pointerMove(ev), { signal });
    canvas.addEventListener('pointerdown', (ev) => this.pointerButton(ev, true), { signal });
    canvas.addEventListener('pointerup', (ev) => this.pointerButton(ev, false), { signal });
    canvas.addEventListener('contextmenu', (ev) => ev.preventDefault(), { signal });
    canvas.addEventListener('wheel', (ev) => this.wheelMoved(ev), { signal, passive: false });
  }

  /** Releases everything held and removes all listeners. */
  dispose(): void {
    this.releaseKeys();
    this.abort.abort();
    window.clearTimeout(this.pasteTimer);
    if (this.moveFrame !== 0) {
      cancelAnimationFrame(this.moveFrame);
    }
  }

  /** Sends a key chord as presses followed by releases in reverse order (Ctrl+Alt+Del). */
  sendChord(keys: readonly { keysym: number; keyCode: number }[]): void {
    this.flushHeldForPaste();
    for (const k of keys) {
      this.sink.sendKey({ keysym: k.keysym, keyCode: k.keyCode, state: 1 });
    }
    for (const k of [...keys].reverse()) {
      this.sink.sendKey({ keysym: k.keysym, keyCode: k.keyCode, state: 0 });
    }
  }

  private keyDown(ev: KeyboardEvent): void {
    if (ev.isComposing) {
      return;
    }
    const actions = this.keyboard.keyDown(ev);
    if (isPasteShortcut(ev)) {
      // Let the browser fire 'paste'; the keys follow the clipboard (see paste()).
      this.heldForPaste.push(...actions);
      window.clearTimeout(this.pasteTimer);
      this.pasteTimer = window.setTimeout(() => this.flushHeldForPaste(), PASTE_WAIT_MS);
      return;
    }
    ev.preventDefault();
    this.flushHeldForPaste();
    this.sendKeys(actions);
  }

  private keyUp(ev: KeyboardEvent): void {
    ev.preventDefault();
    this.flushHeldForPaste();
    this.sendKeys(this.keyboard.keyUp(ev));
  }

  private paste(ev: ClipboardEvent): void {
    ev.preventDefault();
    const text = ev.clipboardData?.getData('text/plain') ?? '';
    if (text !== '') {
      this.onPaste(text);
    }
    this.flushHeldForPaste();
  }

  private releaseKeys(): void {
    this.flushHeldForPaste();
    this.sendKeys(this.keyboard.releaseAll());
  }

  private flushHeldForPaste(): void {
    window.clearTimeout(this.pasteTimer);
    const held = this.heldForPaste;
    this.heldForPaste = [];
    this.sendKeys(held);
  }

  private sendKeys(actions: readonly KeyAction[]): void {
    for (const action of actions) {
      this.sink.sendKey(action);
    }
  }

  private remotePoint(ev: MouseEvent): { x: number; y: number } {
    return clientToRemote(ev.clientX, ev.clientY, this.canvas.getBoundingClientRect(), this.remoteSize());
  }

  private pointerMove(ev: PointerEvent): void {
    this.pendingMove = this.remotePoint(ev);
    if (this.moveFrame === 0) {
      this.moveFrame = requestAnimationFrame(() => {
        this.moveFrame = 0;
        this.flushMove();
      });
    }
  }

  private flushMove(): void {
    const move = this.pendingMove;
    this.pendingMove = null;
    if (move !== null && (this.lastMove === null || move.x !== this.lastMove.x || move.y !== this.lastMove.y)) {
      this.lastMove = move;
      this.sink.sendMouseMove(move.x, move.y);
    }
  }

  private pointerButton(ev: PointerEvent, pressed: boolean): void {
    const button = tdpButtonFromDom(ev.button);
    if (pressed) {
      this.canvas.focus({ preventScroll: true });
      if (ev.pointerType === 'mouse') {
        this.canvas.setPointerCapture(ev.pointerId);
      }
    }
    if (button === null) {
      return;
    }
    ev.preventDefault();
    this.pendingMove = this.remotePoint(ev);
    this.flushMove();
    this.sink.sendMouseButton(button, pressed);
  }

  private wheelMoved(ev: WheelEvent): void {
    ev.preventDefault();
    this.flushMove();
    for (const step of this.wheel.push(ev)) {
      this.sink.sendWheel(step);
    }
  }
}
