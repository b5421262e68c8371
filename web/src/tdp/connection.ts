import { decodeMessage, encodeMessage, TdpDecodeError } from './codec';
import { MessageType, Severity, type TdpMessage } from './messages';

/** The part of `WebSocket` a TDP connection uses, so tests can pass a fake. */
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

/**
 * What the browser says as the socket opens (RFD 37: client username, then client screen spec). `extensions` are
 * Oriel messages that must reach the gateway after the username and before the first screen spec, in order;
 * `afterScreen` are sent right after the screen spec, in the same turn (a terminal's size, 110, so the remote
 * pseudo-terminal opens at the right size).
 */
export interface TdpHandshake {
  readonly username: string;
  readonly screen: { readonly width: number; readonly height: number };
  readonly extensions?: readonly TdpMessage[];
  readonly afterScreen?: readonly TdpMessage[];
}

/**
 * How a connection ended, as a value a view can show:
 * - `local`: this side closed it (`close()`, the user's Disconnect);
 * - `closed`: the socket closed under us, with the WebSocket close code and reason the gateway (or the browser, 1006)
 *   gave; `normal` for 1000 (normal closure) and 1001 (going away);
 * - `server-error`: the gateway sent Error (9) or a Notification of severity 2 (the session is ending), with its text;
 * - `protocol-error`: the gateway sent something this client refuses (a text frame, bytes the codec rejects).
 */
export type TdpConnectionEnd =
  | { readonly kind: 'local' }
  | { readonly kind: 'closed'; readonly code: number; readonly reason: string; readonly normal: boolean }
  | { readonly kind: 'server-error'; readonly message: string }
  | { readonly kind: 'protocol-error'; readonly message: string };

/** What a connection tells its owner. */
export interface TdpConnectionListener {
  /** The first message from the gateway arrived: the handshake was accepted and the session runs. */
  established(): void;
  /** One decoded message from the gateway (never Error, nor a Notification of severity 2: those end the connection). */
  message(message: TdpMessage): void;
  /** The connection is over; called once, and nothing is delivered after it. */
  ended(end: TdpConnectionEnd): void;
}

/** Everything a connection needs; the browser passes `new WebSocket(url)`, tests a fake. */
export interface TdpConnectionOptions {
  readonly url: string;
  readonly openSocket: (url: string) => SocketLike;
  /** Asked when the socket opens, so a choice made while connecting still goes into the handshake. */
  readonly handshake: () => TdpHandshake;
  readonly listener: TdpConnectionListener;
}

/** Lifecycle of a connection: not opened yet, socket opening or open, first gateway message seen, over. */
export type TdpConnectionState = 'idle' | 'connecting' | 'established' | 'ended';

const OPEN = 1;

/**
 * One TDP WebSocket (docs/tdp.md): opens it in binary mode, sends the handshake when it opens, decodes each binary
 * message with the codec and hands it on, encodes what the owner sends, and reports how it ended as a
 * {@link TdpConnectionEnd}. It draws nothing and knows no desktop: a desktop renderer, a terminal or a test consumes
 * the messages.
 */
export class TdpConnection {
  private socket: SocketLike | null = null;
  private current: TdpConnectionState = 'idle';

  constructor(private readonly options: TdpConnectionOptions) {}

  get state(): TdpConnectionState {
    return this.current;
  }

  /** Opens the socket (once). */
  open(): void {
    if (this.current !== 'idle') {
      return;
    }
    this.current = 'connecting';
    const socket = this.options.openSocket(this.options.url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.opened();
    socket.onmessage = (ev: MessageEvent) => this.received(ev.data);
    socket.onclose = (ev: CloseEvent) => this.closed(ev.code, ev.reason);
    socket.onerror = () => undefined; // a close event follows and carries what we can know
    this.socket = socket;
  }

  /** Ends the connection from this side (normal closure); reports `local`. */
  close(): void {
    if (this.current === 'ended') {
      return;
    }
    this.end({ kind: 'local' }, 'user disconnected');
  }

  /** Sends one message. False when the socket is not open or the connection is over. */
  send(message: TdpMessage): boolean {
    const socket = this.socket;
    if (socket === null || socket.readyState !== OPEN || this.current === 'ended') {
      return false;
    }
    socket.send(encodeMessage(message));
    return true;
  }

  private opened(): void {
    const handshake = this.options.handshake();
    this.send({ type: MessageType.ClientUsername, username: handshake.username });
    for (const message of handshake.extensions ?? []) {
      this.send(message);
    }
    this.send({ type: MessageType.ClientScreenSpec, width: handshake.screen.width, height: handshake.screen.height });
    for (const message of handshake.afterScreen ?? []) {
      this.send(message);
    }
  }

  private received(data: unknown): void {
    if (this.current === 'ended') {
      return;
    }
    if (!(data instanceof ArrayBuffer)) {
      this.end({ kind: 'protocol-error', message: 'text message on a binary channel' }, 'client closing after error');
      return;
    }
    let message: TdpMessage;
    try {
      message = decodeMessage(new Uint8Array(data));
    } catch (error) {
      if (error instanceof TdpDecodeError) {
        this.end({ kind: 'protocol-error', message: error.message }, 'client closing after error');
        return;
      }
      throw error;
    }
    if (this.current === 'connecting') {
      this.current = 'established';
      this.options.listener.established();
    }
    if (message.type === MessageType.Error || (message.type === MessageType.Notification && message.severity >= Severity.Error)) {
      this.end({ kind: 'server-error', message: message.message }, 'client closing after error');
      return;
    }
    this.options.listener.message(message);
  }

  private closed(code: number, reason: string): void {
    if (this.current === 'ended') {
      return;
    }
    this.end({ kind: 'closed', code, reason, normal: code === 1000 || code === 1001 }, null);
  }

  /** Marks the connection over, tells the listener, then closes the socket with `closeReason` (unless it is closed). */
  private end(end: TdpConnectionEnd, closeReason: string | null): void {
    this.current = 'ended';
    this.options.listener.ended(end);
    if (closeReason !== null) {
      this.socket?.close(1000, closeReason);
    }
  }
}

/**
 * The state and sentence a view shows for an end: `ended` for the user's own close and a normal closure, `error`
 * for everything else; the gateway's reason when it gave one.
 */
export function describeEnd(end: TdpConnectionEnd): { readonly state: 'ended' | 'error'; readonly detail: string } {
  switch (end.kind) {
    case 'local':
      return { state: 'ended', detail: 'Disconnected' };
    case 'closed':
      if (end.normal) {
        return { state: 'ended', detail: end.reason !== '' ? end.reason : 'The remote session ended' };
      }
      return { state: 'error', detail: end.reason !== '' ? end.reason : `Connection lost (code ${end.code})` };
    case 'server-error':
      return { state: 'error', detail: end.message };
    case 'protocol-error':
      return { state: 'error', detail: `protocol error: ${end.message}` };
  }
}
