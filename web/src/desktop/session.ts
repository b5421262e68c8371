import { decodeMessage, encodeMessage, TdpDecodeError } from '../tdp/codec';
import { Limits } from '../tdp/limits';
import { MessageType, RemoteResizeMode, type TdpMessage } from '../tdp/messages';
import type { KeyAction } from '../input/keyboard';
import type { TdpMouseButton, WheelStep } from '../input/mouse';
import type { CursorImage } from './cursor';
import { FrameQueue, type FrameSurface } from './frame-queue';
import type { Size } from './scaling';

/** The part of `WebSocket` the session uses, so tests can pass a fake. */
export interface SocketLike {
  binaryType: BinaryType;
  readonly readyState: number;
  onopen: ((this: never, ev: Event) => unknown) | null;
  onmessage: ((this: never, ev: MessageEvent) => unknown) | null;
  onclose: ((this: never, ev: CloseEvent) => unknown) | null;
  onerror: ((this: never, ev: Event) => unknown) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** Lifecycle of a desktop session, as shown in `#desktop[data-state]`. */
export type SessionState = 'connecting' | 'connected' | 'ended' | 'error';

/** What the session tells the desktop view. */
export interface SessionEvents {
  stateChanged(state: SessionState, detail: string): void;
  desktopResized(size: Size): void;
  framesAcked(count: number): void;
  cursorChanged(shape: CursorImage): void;
  clipboardReceived(text: string): void;
  notify(message: string, severity: number): void;
}

/** Everything a session needs; the browser passes real objects, tests pass fakes. */
export interface DesktopSessionOptions<TImage> {
  readonly url: string;
  readonly username: string;
  readonly screen: Size;
  /** Whether the remote desktop takes the browser's size (the "Resize remote" preference), as the session opens. */
  readonly resizeRemote: boolean;
  readonly openSocket: (url: string) => SocketLike;
  readonly surface: FrameSurface<TImage>;
  readonly events: SessionEvents;
}

const OPEN = 1;
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** The URL of the TDP WebSocket of a target, on the page's own origin. */
export function sessionSocketUrl(location: { protocol: string; host: string }, targetId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/sessions/${encodeURIComponent(targetId)}/tdp`;
}

/**
 * One live desktop session over TDP: sends ClientUsername, ResizeRemote (Oriel 107: whether the screen
 * specs resize the remote desktop, so the user's choice holds from the first one) then ClientScreenSpec, draws
 * what the server sends through a FrameQueue, acknowledges frame markers once drawn, and
 * turns Error, fatal Notification and socket close into an end state with a readable reason.
 */
export class DesktopSession<TImage> {
  private socket: SocketLike | null = null;
  private readonly queue: FrameQueue<TImage>;
  private current: SessionState = 'connecting';
  private userClosed = false;
  private acked = 0;
  private resizeRemote: boolean;

  constructor(private readonly options: DesktopSessionOptions<TImage>) {
    this.resizeRemote = options.resizeRemote;
    const surface = options.surface;
    const events = options.events;
    const resizingSurface: FrameSurface<TImage> = {
      decode: (data, type) => surface.decode(data, type),
      drawImage: (image, x, y) => surface.drawImage(image, x, y),
      copyRect: (sx, sy, w, h, dx, dy) => surface.copyRect(sx, sy, w, h, dx, dy),
      resize: (width, height) => {
        surface.resize(width, height);
        events.desktopResized({ width, height });
      },
      release: (image) => surface.release?.(image),
    };
    this.queue = new FrameQueue(resizingSurface, {
      frameDrawn: (frameId) => this.frameDrawn(frameId),
      updateFailed: (error) => {
        console.warn('oriel: desktop update skipped', error);
      },
    });
  }

  get state(): SessionState {
    return this.current;
  }

  /** Frame markers acknowledged so far. */
  get framesAcked(): number {
    return this.acked;
  }

  /** Opens the WebSocket. */
  connect(): void {
    if (this.socket !== null) {
      return;
    }
    this.setState('connecting', 'Connecting…');
    const socket = this.options.openSocket(this.options.url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      this.send({ type: MessageType.ClientUsername, username: this.options.username });
      this.send({ type: MessageType.ResizeRemote, mode: this.resizeRemote ? RemoteResizeMode.Follow : RemoteResizeMode.Keep });
      const { width, height } = this.options.screen;
      this.send({ type: MessageType.ClientScreenSpec, width, height });
    };
    socket.onmessage = (ev: MessageEvent) => this.received(ev.data);
    socket.onclose = (ev: CloseEvent) => this.closed(ev.code, ev.reason);
    socket.onerror = () => undefined; // a close event follows and carries what we can know
    this.socket = socket;
  }

  /** Ends the session at the user's request. */
  disconnect(): void {
    if (this.isOver()) {
      return;
    }
    this.userClosed = true;
    this.queue.dispose();
    this.socket?.close(1000, 'user disconnected');
    this.setState('ended', 'Disconnected');
  }

  /**
   * Says whether screen specs resize the remote desktop from now on (ResizeRemote, Oriel 107). Turning it
   * off leaves the desktop at its size; after turning it on, send a screen spec to resize it. Before the
   * socket opens, the choice is kept for the handshake.
   */
  setResizeRemote(on: boolean): void {
    this.resizeRemote = on;
    this.send({ type: MessageType.ResizeRemote, mode: on ? RemoteResizeMode.Follow : RemoteResizeMode.Keep });
  }

  /** Asks the server for a new desktop size (ClientScreenSpec, RFD 37 type 1). */
  sendScreenSpec(size: Size): void {
    this.send({ type: MessageType.ClientScreenSpec, width: size.width, height: size.height });
  }

  sendMouseMove(x: number, y: number): void {
    this.send({ type: MessageType.MouseMove, x, y });
  }

  sendMouseButton(button: TdpMouseButton, pressed: boolean): void {
    this.send({ type: MessageType.MouseButton, button, state: pressed ? 1 : 0 });
  }

  sendWheel(step: WheelStep): void {
    this.send({ type: MessageType.MouseWheel, axis: step.axis, delta: step.delta });
  }

  sendKey(action: KeyAction): void {
    this.send({ type: MessageType.KeysymInput, keysym: action.keysym, keyCode: action.keyCode, state: action.state });
  }

  /** Sends local clipboard text to the remote side. False when too large or not connected. */
  sendClipboard(text: string): boolean {
    const data = utf8Encoder.encode(text);
    if (data.length > Limits.MaxClipboardBytes) {
      return false;
    }
    return this.send({ type: MessageType.ClipboardData, data });
  }

  private isOver(): boolean {
    return this.current === 'ended' || this.current === 'error';
  }

  private send(message: TdpMessage): boolean {
    const socket = this.socket;
    if (socket === null || socket.readyState !== OPEN || this.isOver()) {
      return false;
    }
    socket.send(encodeMessage(message));
    return true;
  }

  private received(data: unknown): void {
    if (this.isOver()) {
      return;
    }
    if (!(data instanceof ArrayBuffer)) {
      this.fail('protocol error: text message on a binary channel');
      return;
    }
    let message: TdpMessage;
    try {
      message = decodeMessage(new Uint8Array(data));
    } catch (error) {
      if (error instanceof TdpDecodeError) {
        this.fail(`protocol error: ${error.message}`);
        return;
      }
      throw error;
    }
    if (this.current === 'connecting') {
      this.setState('connected', 'Connected');
    }
    this.handle(message);
  }

  private handle(message: TdpMessage): void {
    const events = this.options.events;
    switch (message.type) {
      case MessageType.PngFrame:
      case MessageType.PngFrame2:
        this.queue.pushImage(message.left, message.top, message.data, 'image/png');
        break;
      case MessageType.JpegFrame:
        this.queue.pushImage(message.left, message.top, message.data, 'image/jpeg');
        break;
      case MessageType.CopyRect:
        this.queue.pushCopyRect(message.srcLeft, message.srcTop, message.width, message.height, message.dstLeft, message.dstTop);
        break;
      case MessageType.DesktopSize:
        this.queue.pushResize(message.width, message.height);
        break;
      case MessageType.FrameMarker:
        this.queue.pushMarker(message.frameId);
        break;
      case MessageType.CursorShape:
        events.cursorChanged(message);
        break;
      case MessageType.ClipboardData:
        events.clipboardReceived(utf8Decoder.decode(message.data));
        break;
      case MessageType.Error:
        this.fail(message.message);
        break;
      case MessageType.Notification:
        if (message.severity >= 2) {
          this.fail(message.message);
        } else {
          events.notify(message.message, message.severity);
        }
        break;
      default:
        // Client-to-server types and features this client does not offer (MFA) are ignored.
        break;
    }
  }

  private frameDrawn(frameId: number): void {
    if (this.send({ type: MessageType.FrameAck, frameId })) {
      this.acked++;
      this.options.events.framesAcked(this.acked);
    }
  }

  private fail(reason: string): void {
    if (this.isOver()) {
      return;
    }
    this.queue.dispose();
    this.setState('error', reason);
    this.socket?.close(1000, 'client closing after error');
  }

  private closed(code: number, reason: string): void {
    this.queue.dispose();
    if (this.isOver() || this.userClosed) {
      return;
    }
    if (code === 1000 || code === 1001) {
      this.setState('ended', reason !== '' ? reason : 'The remote session ended');
    } else {
      this.setState('error', reason !== '' ? reason : `Connection lost (code ${code})`);
    }
  }

  private setState(state: SessionState, detail: string): void {
    this.current = state;
    this.options.events.stateChanged(state, detail);
  }
}
