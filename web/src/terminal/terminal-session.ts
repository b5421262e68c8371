import { describeEnd, TdpConnection, type SocketLike, type TdpHandshake } from '../tdp/connection';
import { Limits } from '../tdp/limits';
import { MessageType, type TdpMessage, type TerminalExitMessage, type TerminalResizeMessage } from '../tdp/messages';

/** Lifecycle of a terminal session, as shown in `#terminal[data-state]`: the same four as a desktop's. */
export type TerminalState = 'connecting' | 'connected' | 'ended' | 'error';

/** The terminal's size: character cells, and pixels (0 = not known), as terminal resize (110) carries it. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

/**
 * The terminal emulator as the session sees it: xterm.js's `write(data, callback)`. `consumed` is called once the
 * emulator has parsed `data` (xterm's write callback); only then is the output acknowledged to the gateway.
 */
export interface TerminalSink {
  write(data: Uint8Array, consumed: () => void): void;
}

/** What the session tells the terminal page. */
export interface TerminalSessionEvents {
  stateChanged(state: TerminalState, detail: string): void;
  /** The remote program ended (terminal exit, 112); the gateway closes the session right after. */
  exited(exit: TerminalExitMessage): void;
  /** A notification (28) below severity 2: a toast. */
  notify(message: string, severity: number): void;
  /** A terminal resize (110) went to the gateway with this size. */
  resized?(size: TerminalSize): void;
}

/** Timers, so tests can run the resize debounce without waiting. */
export interface TerminalTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Everything a terminal session needs; the page passes the real WebSocket and xterm, tests fakes. */
export interface TerminalSessionOptions {
  readonly url: string;
  /** The signed-in user, for client username (7); the login on the target is in the URL, not here. */
  readonly username: string;
  readonly openSocket: (url: string) => SocketLike;
  readonly sink: TerminalSink;
  readonly events: TerminalSessionEvents;
  /** The size as the session opens (the fit addon's proposal); {@link TerminalSession.resize} updates it. */
  readonly size: TerminalSize;
  /** How long resizes settle before one terminal resize (110) is sent (default {@link RESIZE_DEBOUNCE_MS}). */
  readonly resizeDebounceMs?: number;
  readonly timers?: TerminalTimers;
}

/** A window being dragged fires many resizes; the remote side gets the one it settles on. */
export const RESIZE_DEBOUNCE_MS = 150;

/**
 * Consumed output is acknowledged when xterm has nothing more queued, or once this many bytes are consumed while
 * more is queued, so that the gateway's window (256 KiB by default) refills before xterm runs dry.
 */
export const ACK_THRESHOLD_BYTES = 32 * 1024;

const MAX_ACK = 0xffff_ffff;

const defaultTimers: TerminalTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** Clamps a size into what terminal resize (110) may carry: 1..4096 cells, 0..16384 pixels, whole numbers. */
export function clampSize(size: TerminalSize): TerminalSize {
  const cells = (n: number): number => Math.min(Limits.MaxTerminalCells, Math.max(1, Math.floor(Number.isFinite(n) ? n : 1)));
  const px = (n: number): number => Math.min(Limits.MaxScreenSide, Math.max(0, Math.round(Number.isFinite(n) ? n : 0)));
  return { columns: cells(size.columns), rows: cells(size.rows), widthPx: px(size.widthPx), heightPx: px(size.heightPx) };
}

function sameSize(a: TerminalSize | null, b: TerminalSize): boolean {
  return a !== null && a.columns === b.columns && a.rows === b.rows && a.widthPx === b.widthPx && a.heightPx === b.heightPx;
}

/** Splits bytes into pieces of at most `max` bytes (terminal input, 109, carries 64 KiB at most). */
export function splitBytes(bytes: Uint8Array, max: number = Limits.MaxTerminalInputBytes): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += max) {
    pieces.push(bytes.subarray(offset, Math.min(bytes.length, offset + max)));
  }
  return pieces;
}

/** xterm's `onBinary` data: a string whose UTF-16 code units are bytes (0-255), as mouse reports in X10 mode send. */
export function binaryStringBytes(data: string): Uint8Array {
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    bytes[i] = data.charCodeAt(i) & 0xff;
  }
  return bytes;
}

/**
 * A sentence for how the remote program ended (terminal exit, 112): for the terminal, the status line and the page.
 * The gateway's `message` is text for the user (Oriel's gateway sends a whole sentence, such as "The remote shell
 * exited with status 3."); it is shown as it is when it names the status or the signal, else the status or signal
 * is said first and the message follows.
 */
export function describeExit(exit: TerminalExitMessage): string {
  const detail = exit.message.trim();
  const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);
  switch (exit.kind) {
    case 0:
      if (detail !== '' && detail.includes(String(exit.exitStatus))) return sentence(detail);
      return sentence(`The program exited with status ${exit.exitStatus}${detail !== '' ? `: ${detail}` : ''}`);
    case 1:
      if (detail !== '' && detail.includes(exit.signal)) return sentence(detail);
      return sentence(`The program was ended by signal ${exit.signal}${detail !== '' ? `: ${detail}` : ''}`);
    default:
      return detail !== '' ? sentence(detail) : 'The program ended.';
  }
}

/**
 * One terminal session over a {@link TdpConnection} (docs/tdp.md, "Terminal flow control" and 108-112): the
 * handshake (client username, a screen spec of the terminal's pixel size, then terminal resize 110 at once), output
 * written to the emulator as bytes (never decoded per message, since a message may end inside a character) and
 * acknowledged (111) only from the emulator's write callback, coalesced; input (109) split at 64 KiB; resizes
 * debounced; the exit (112) and notifications handed to the page; the end described as for desktops.
 */
export class TerminalSession {
  private readonly connection: TdpConnection;
  private readonly timers: TerminalTimers;
  private readonly encoder = new TextEncoder();
  private current: TerminalState = 'connecting';
  private size: TerminalSize;
  private lastSentSize: TerminalSize | null = null;
  private resizeTimer: unknown = null;
  private writesInFlight = 0;
  private consumedUnacked = 0;
  private bytesAcked = 0;
  private exit: TerminalExitMessage | null = null;

  constructor(private readonly options: TerminalSessionOptions) {
    this.timers = options.timers ?? defaultTimers;
    this.size = clampSize(options.size);
    this.connection = new TdpConnection({
      url: options.url,
      openSocket: options.openSocket,
      handshake: () => this.handshake(),
      listener: {
        established: () => this.setState('connected', 'Connected'),
        message: (message) => this.handle(message),
        ended: (end) => {
          this.cancelResize();
          const shown = describeEnd(end);
          this.setState(shown.state, shown.detail);
        },
      },
    });
  }

  get state(): TerminalState {
    return this.current;
  }

  /** The remote program's exit, once told (112). */
  get exited(): TerminalExitMessage | null {
    return this.exit;
  }

  /** Output bytes acknowledged to the gateway so far (for tests and the status line). */
  get acknowledged(): number {
    return this.bytesAcked;
  }

  /** Opens the WebSocket (once). */
  connect(): void {
    if (this.connection.state !== 'idle') {
      return;
    }
    this.setState('connecting', 'Connecting…');
    this.connection.open();
  }

  /** Ends the session at the user's request. */
  disconnect(): void {
    this.cancelResize();
    this.connection.close();
  }

  /**
   * The terminal has a new size (the fit addon fitted it to the window). Before the socket opens it only changes
   * the size the handshake will carry; afterwards one terminal resize (110) goes out once resizes settle, unless
   * the size is the one last sent.
   */
  resize(size: TerminalSize): void {
    this.size = clampSize(size);
    if (this.connection.state === 'idle' || this.connection.state === 'ended') {
      return;
    }
    this.cancelResize();
    this.resizeTimer = this.timers.setTimeout(() => {
      this.resizeTimer = null;
      this.sendSize();
    }, this.options.resizeDebounceMs ?? RESIZE_DEBOUNCE_MS);
  }

  /** Sends what the terminal emulator produced for the remote input (xterm's onData: text, sent as UTF-8). */
  sendText(data: string): boolean {
    return this.sendBytes(this.encoder.encode(data));
  }

  /** Sends bytes for the remote input as terminal input (109), in pieces of at most 64 KiB. False if not sent. */
  sendBytes(bytes: Uint8Array): boolean {
    if (this.exit !== null || bytes.length === 0) {
      return false;
    }
    for (const piece of splitBytes(bytes)) {
      if (!this.connection.send({ type: MessageType.TerminalInput, data: piece })) {
        return false;
      }
    }
    return true;
  }

  private handshake(): TdpHandshake {
    const size = this.size;
    this.lastSentSize = size;
    this.options.events.resized?.(size);
    return {
      username: this.options.username,
      screen: { width: Math.max(1, size.widthPx), height: Math.max(1, size.heightPx) },
      afterScreen: [this.resizeMessage(size)],
    };
  }

  private resizeMessage(size: TerminalSize): TerminalResizeMessage {
    return { type: MessageType.TerminalResize, ...size };
  }

  private sendSize(): void {
    const size = this.size;
    if (sameSize(this.lastSentSize, size)) {
      return;
    }
    if (this.connection.send(this.resizeMessage(size))) {
      this.lastSentSize = size;
      this.options.events.resized?.(size);
    }
  }

  private cancelResize(): void {
    if (this.resizeTimer !== null) {
      this.timers.clearTimeout(this.resizeTimer);
      this.resizeTimer = null;
    }
  }

  private handle(message: TdpMessage): void {
    switch (message.type) {
      case MessageType.TerminalOutput:
        this.output(message.data);
        break;
      case MessageType.TerminalExit:
        this.exit = message;
        this.cancelResize();
        this.options.events.exited(message);
        break;
      case MessageType.Notification:
        this.options.events.notify(message.message, message.severity);
        break;
      default:
        // Desktop messages have no meaning on a terminal; the gateway sends none.
        break;
    }
  }

  private output(data: Uint8Array): void {
    if (data.length === 0) {
      return;
    }
    this.writesInFlight++;
    const length = data.length;
    this.options.sink.write(data, () => this.consumed(length));
  }

  /** One write was parsed: credit it, and acknowledge when nothing more is queued or enough has gathered. */
  private consumed(length: number): void {
    this.writesInFlight--;
    this.consumedUnacked += length;
    if (this.writesInFlight === 0 || this.consumedUnacked >= ACK_THRESHOLD_BYTES) {
      this.flushAck();
    }
  }

  private flushAck(): void {
    while (this.consumedUnacked > 0) {
      const bytes = Math.min(this.consumedUnacked, MAX_ACK);
      if (!this.connection.send({ type: MessageType.TerminalAck, bytes })) {
        return; // over: the window does not matter any more
      }
      this.consumedUnacked -= bytes;
      this.bytesAcked += bytes;
    }
  }

  private setState(state: TerminalState, detail: string): void {
    this.current = state;
    this.options.events.stateChanged(state, detail);
  }
}

/** The URL of a terminal's TDP WebSocket on the page's own origin, with the login chosen on the target list. */
export function terminalSocketUrl(location: { protocol: string; host: string }, targetId: string, login: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const base = `${scheme}//${location.host}/api/sessions/${encodeURIComponent(targetId)}/tdp`;
  return login === null ? base : `${base}?${new URLSearchParams({ login }).toString()}`;
}
