import { describeEnd, TdpConnection, type SocketLike, type TdpHandshake } from '../tdp/connection';
import { MessageType, RemoteResizeMode } from '../tdp/messages';
import type { KeyAction } from '../input/keyboard';
import type { TdpMouseButton, WheelStep } from '../input/mouse';
import type { CursorImage } from './cursor';
import type { FrameSurface } from './frame-queue';
import { DesktopRenderer } from './renderer';
import type { Size } from './scaling';

export type { SocketLike } from '../tdp/connection';

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

/** The URL of the TDP WebSocket of a target, on the page's own origin. */
export function sessionSocketUrl(location: { protocol: string; host: string }, targetId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/sessions/${encodeURIComponent(targetId)}/tdp`;
}

/**
 * One live desktop session: a {@link TdpConnection} (socket, handshake, how it ended) whose messages go to a
 * {@link DesktopRenderer} (drawing, frame acks, input), with the lifecycle the page shows: connecting until the
 * gateway's first message, connected, then ended or error with a readable reason. Its handshake carries
 * ResizeRemote (Oriel 107: whether the screen specs resize the remote desktop, so the user's choice holds from the
 * first one) between the username and the screen spec.
 */
export class DesktopSession<TImage> {
  private readonly connection: TdpConnection;
  private readonly renderer: DesktopRenderer<TImage>;
  private current: SessionState = 'connecting';
  private resizeRemote: boolean;

  constructor(private readonly options: DesktopSessionOptions<TImage>) {
    this.resizeRemote = options.resizeRemote;
    const events = options.events;
    this.renderer = new DesktopRenderer(options.surface, events, { send: (message) => this.connection.send(message) });
    this.connection = new TdpConnection({
      url: options.url,
      openSocket: options.openSocket,
      handshake: () => this.handshake(),
      listener: {
        established: () => this.setState('connected', 'Connected'),
        message: (message) => this.renderer.handle(message),
        ended: (end) => {
          this.renderer.dispose();
          const shown = describeEnd(end);
          this.setState(shown.state, shown.detail);
        },
      },
    });
  }

  get state(): SessionState {
    return this.current;
  }

  /** Frame markers acknowledged so far. */
  get framesAcked(): number {
    return this.renderer.framesAcked;
  }

  /** Opens the WebSocket. */
  connect(): void {
    if (this.connection.state !== 'idle') {
      return;
    }
    this.setState('connecting', 'Connecting…');
    this.connection.open();
  }

  /** Ends the session at the user's request. */
  disconnect(): void {
    this.connection.close();
  }

  /**
   * Says whether screen specs resize the remote desktop from now on (ResizeRemote, Oriel 107). Turning it
   * off leaves the desktop at its size; after turning it on, send a screen spec to resize it. Before the
   * socket opens, the choice is kept for the handshake.
   */
  setResizeRemote(on: boolean): void {
    this.resizeRemote = on;
    this.connection.send({ type: MessageType.ResizeRemote, mode: on ? RemoteResizeMode.Follow : RemoteResizeMode.Keep });
  }

  /** Asks the server for a new desktop size (ClientScreenSpec, RFD 37 type 1). */
  sendScreenSpec(size: Size): void {
    this.renderer.sendScreenSpec(size);
  }

  sendMouseMove(x: number, y: number): void {
    this.renderer.sendMouseMove(x, y);
  }

  sendMouseButton(button: TdpMouseButton, pressed: boolean): void {
    this.renderer.sendMouseButton(button, pressed);
  }

  sendWheel(step: WheelStep): void {
    this.renderer.sendWheel(step);
  }

  sendKey(action: KeyAction): void {
    this.renderer.sendKey(action);
  }

  /** Sends local clipboard text to the remote side. False when too large or not connected. */
  sendClipboard(text: string): boolean {
    return this.renderer.sendClipboard(text);
  }

  /** What the connection says as the socket opens: who, whether the desktop follows the browser's size, and that size. */
  private handshake(): TdpHandshake {
    return {
      username: this.options.username,
      extensions: [{ type: MessageType.ResizeRemote, mode: this.resizeRemote ? RemoteResizeMode.Follow : RemoteResizeMode.Keep }],
      screen: this.options.screen,
    };
  }

  private setState(state: SessionState, detail: string): void {
    this.current = state;
    this.options.events.stateChanged(state, detail);
  }
}
