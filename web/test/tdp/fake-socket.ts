import type { SocketLike } from '../../src/tdp/connection';
import { decodeMessage, encodeMessage } from '../../src/tdp/codec';
import type { TdpMessage } from '../../src/tdp/messages';

/** A WebSocket stand-in: records what is sent (decoded) and lets a test play the gateway's side. */
export class FakeSocket implements SocketLike {
  binaryType: BinaryType = 'blob';
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  readonly sent: TdpMessage[] = [];
  closedWith: { code?: number; reason?: string } | null = null;

  send(data: Uint8Array): void {
    this.sent.push(decodeMessage(data));
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.call(undefined as never, {} as Event);
  }

  serverSends(message: TdpMessage): void {
    this.serverSendsRaw(encodeMessage(message));
  }

  serverSendsRaw(bytes: Uint8Array): void {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    this.onmessage?.call(undefined as never, { data: buffer } as MessageEvent);
  }

  serverSendsText(text: string): void {
    this.onmessage?.call(undefined as never, { data: text } as MessageEvent);
  }

  /** The socket errors, then closes (as a browser reports a lost connection). */
  serverCloses(code: number, reason: string): void {
    this.readyState = 3;
    this.onerror?.call(undefined as never, {} as Event);
    this.onclose?.call(undefined as never, { code, reason } as CloseEvent);
  }
}
