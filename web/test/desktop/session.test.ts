import { describe, expect, it } from 'vitest';
import type { FrameSurface } from '../../src/desktop/frame-queue';
import { DesktopSession, sessionSocketUrl, type SessionEvents, type SessionState, type SocketLike } from '../../src/desktop/session';
import { decodeMessage, encodeMessage } from '../../src/tdp/codec';
import { MessageType, RemoteResizeMode, type TdpMessage } from '../../src/tdp/messages';

/** A minimal PNG: signature + IEND chunk (enough for the codec; the fake surface never decodes it). */
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82);

class FakeSocket implements SocketLike {
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
    const bytes = encodeMessage(message);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    this.onmessage?.call(undefined as never, { data: buffer } as MessageEvent);
  }

  serverSendsRaw(bytes: Uint8Array): void {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    this.onmessage?.call(undefined as never, { data: buffer } as MessageEvent);
  }

  serverCloses(code: number, reason: string): void {
    this.readyState = 3;
    this.onclose?.call(undefined as never, { code, reason } as CloseEvent);
  }
}

class ImmediateSurface implements FrameSurface<number> {
  readonly log: string[] = [];
  private next = 0;
  readonly types: string[] = [];
  decode(_data: Uint8Array, type: string): Promise<number> {
    this.types.push(type);
    return Promise.resolve(this.next++);
  }
  drawImage(image: number, x: number, y: number): void {
    this.log.push(`draw ${image} @${x},${y}`);
  }
  copyRect(sx: number, sy: number, w: number, h: number, dx: number, dy: number): void {
    this.log.push(`copy ${sx},${sy} ${w}x${h} → ${dx},${dy}`);
  }
  resize(width: number, height: number): void {
    this.log.push(`resize ${width}x${height}`);
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
}

/** Messages the session sends as the socket opens: username, resize remote, screen spec. */
const HANDSHAKE = 3;

function setup(resizeRemote = true) {
  const socket = new FakeSocket();
  const surface = new ImmediateSurface();
  const states: [SessionState, string][] = [];
  const seen = { sizes: [] as string[], acked: [] as number[], clipboard: [] as string[], toasts: [] as string[], cursors: 0 };
  const events: SessionEvents = {
    stateChanged: (s, d) => states.push([s, d]),
    desktopResized: (size) => seen.sizes.push(`${size.width}x${size.height}`),
    framesAcked: (n) => seen.acked.push(n),
    cursorChanged: () => seen.cursors++,
    clipboardReceived: (t) => seen.clipboard.push(t),
    notify: (m) => seen.toasts.push(m),
  };
  let openedUrl = '';
  const session = new DesktopSession({
    url: 'ws://gw/api/sessions/t1/tdp',
    username: 'alice',
    screen: { width: 1280, height: 720 },
    resizeRemote,
    openSocket: (url) => {
      openedUrl = url;
      return socket;
    },
    surface,
    events,
  });
  session.connect();
  return { socket, surface, states, seen, session, openedUrl: () => openedUrl };
}

describe('DesktopSession', () => {
  it('opens the socket in binary mode and sends ClientUsername, ResizeRemote (follow), then ClientScreenSpec', () => {
    const { socket, openedUrl, session } = setup();
    expect(openedUrl()).toBe('ws://gw/api/sessions/t1/tdp');
    expect(socket.binaryType).toBe('arraybuffer');
    expect(session.state).toBe('connecting');
    socket.open();
    expect(socket.sent).toEqual([
      { type: MessageType.ClientUsername, username: 'alice' },
      { type: MessageType.ResizeRemote, mode: RemoteResizeMode.Follow },
      { type: MessageType.ClientScreenSpec, width: 1280, height: 720 },
    ]);
  });

  it('with "Resize remote" off, says so before the screen spec, so the desktop keeps its size as it opens', () => {
    const { socket } = setup(false);
    socket.open();
    expect(socket.sent).toEqual([
      { type: MessageType.ClientUsername, username: 'alice' },
      { type: MessageType.ResizeRemote, mode: RemoteResizeMode.Keep },
      { type: MessageType.ClientScreenSpec, width: 1280, height: 720 },
    ]);
  });

  it('a change of "Resize remote" before the socket opens goes into the handshake; later ones are sent', () => {
    const { socket, session } = setup(true);
    session.setResizeRemote(false);
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent[1]).toEqual({ type: MessageType.ResizeRemote, mode: RemoteResizeMode.Keep });
    session.setResizeRemote(true);
    session.sendScreenSpec({ width: 1024, height: 768 });
    session.setResizeRemote(false);
    expect(socket.sent.slice(HANDSHAKE)).toEqual([
      { type: MessageType.ResizeRemote, mode: RemoteResizeMode.Follow },
      { type: MessageType.ClientScreenSpec, width: 1024, height: 768 },
      { type: MessageType.ResizeRemote, mode: RemoteResizeMode.Keep },
    ]);
  });

  it('is connected on the first server message; draws in order and acks the marker after drawing', async () => {
    const { socket, surface, session, seen } = setup();
    socket.open();
    socket.serverSends({ type: MessageType.DesktopSize, width: 800, height: 600 });
    expect(session.state).toBe('connected');
    socket.serverSends({ type: MessageType.PngFrame, left: 0, top: 0, right: 8, bottom: 8, data: PNG });
    socket.serverSends({ type: MessageType.CopyRect, srcLeft: 0, srcTop: 0, width: 8, height: 8, dstLeft: 16, dstTop: 0 });
    socket.serverSends({ type: MessageType.PngFrame2, left: 32, top: 4, right: 40, bottom: 12, data: PNG });
    socket.serverSends({ type: MessageType.FrameMarker, frameId: 41 });
    expect(socket.sent.filter((m) => m.type === MessageType.FrameAck)).toEqual([]);
    await settle();
    expect(surface.log).toEqual(['resize 800x600', 'draw 0 @0,0', 'copy 0,0 8x8 → 16,0', 'draw 1 @32,4']);
    expect(seen.sizes).toEqual(['800x600']);
    expect(socket.sent.slice(HANDSHAKE)).toEqual([{ type: MessageType.FrameAck, frameId: 41 }]);
    expect(seen.acked).toEqual([1]);
    expect(session.framesAcked).toBe(1);
  });

  it('draws JPEG frames (106) as image/jpeg in order with PNG refinements and acks after both', async () => {
    const { socket, surface } = setup();
    socket.open();
    socket.serverSends({ type: MessageType.DesktopSize, width: 800, height: 600 });
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xd9);
    socket.serverSends({ type: MessageType.JpegFrame, left: 0, top: 0, right: 256, bottom: 256, data: jpeg });
    socket.serverSends({ type: MessageType.FrameMarker, frameId: 1 });
    socket.serverSends({ type: MessageType.PngFrame2, left: 0, top: 0, right: 256, bottom: 256, data: PNG });
    socket.serverSends({ type: MessageType.FrameMarker, frameId: 2 });
    await settle();
    expect(surface.types).toEqual(['image/jpeg', 'image/png']);
    expect(surface.log).toEqual(['resize 800x600', 'draw 0 @0,0', 'draw 1 @0,0']);
    expect(socket.sent.slice(HANDSHAKE)).toEqual([
      { type: MessageType.FrameAck, frameId: 1 },
      { type: MessageType.FrameAck, frameId: 2 },
    ]);
  });

  it('sends input messages with the TDP field names', () => {
    const { socket, session } = setup();
    socket.open();
    session.sendMouseMove(10, 20);
    session.sendMouseButton(2, true);
    session.sendWheel({ axis: 0, delta: -120 });
    session.sendKey({ keysym: 0xe4, keyCode: 0x28, state: 1 });
    session.sendScreenSpec({ width: 1024, height: 768 });
    expect(session.sendClipboard('grüße')).toBe(true);
    expect(socket.sent.slice(HANDSHAKE)).toEqual([
      { type: MessageType.MouseMove, x: 10, y: 20 },
      { type: MessageType.MouseButton, button: 2, state: 1 },
      { type: MessageType.MouseWheel, axis: 0, delta: -120 },
      { type: MessageType.KeysymInput, keysym: 0xe4, keyCode: 0x28, state: 1 },
      { type: MessageType.ClientScreenSpec, width: 1024, height: 768 },
      { type: MessageType.ClipboardData, data: new TextEncoder().encode('grüße') },
    ]);
  });

  it('sends nothing before the socket is open', () => {
    const { socket, session } = setup();
    session.sendMouseMove(1, 1);
    expect(session.sendClipboard('x')).toBe(false);
    expect(socket.sent).toEqual([]);
  });

  it('refuses clipboard text over the codec cap instead of throwing', () => {
    const { socket, session } = setup();
    socket.open();
    expect(session.sendClipboard('x'.repeat(1024 * 1024 + 1))).toBe(false);
    expect(socket.sent).toHaveLength(HANDSHAKE);
  });

  it('passes remote clipboard (UTF-8) and cursor shapes to the view', () => {
    const { socket, seen } = setup();
    socket.open();
    socket.serverSends({ type: MessageType.ClipboardData, data: new TextEncoder().encode('héllo €') });
    socket.serverSends({ type: MessageType.CursorShape, hotspotX: 1, hotspotY: 1, width: 2, height: 2, rgba: new Uint8Array(16) });
    expect(seen.clipboard).toEqual(['héllo €']);
    expect(seen.cursors).toBe(1);
  });

  it('shows info and warning notifications as toasts but ends on severity 2', () => {
    const { socket, seen, session, states } = setup();
    socket.open();
    socket.serverSends({ type: MessageType.Notification, message: 'recording started', severity: 0 });
    socket.serverSends({ type: MessageType.Notification, message: 'idle soon', severity: 1 });
    expect(seen.toasts).toEqual(['recording started', 'idle soon']);
    expect(session.state).toBe('connected');
    socket.serverSends({ type: MessageType.Notification, message: 'access revoked', severity: 2 });
    expect(session.state).toBe('error');
    expect(states.at(-1)).toEqual(['error', 'access revoked']);
    expect(socket.closedWith).not.toBeNull();
    socket.serverCloses(1000, 'bye');
    expect(states.at(-1)).toEqual(['error', 'access revoked']);
  });

  it('an Error message ends the session with its text', () => {
    const { socket, states } = setup();
    socket.open();
    socket.serverSends({ type: MessageType.Error, message: 'wrong VNC password' });
    expect(states.at(-1)).toEqual(['error', 'wrong VNC password']);
  });

  it('a close with a reason ends the session with that reason', () => {
    const { socket, states } = setup();
    socket.open();
    socket.serverCloses(1011, 'target unreachable');
    expect(states.at(-1)).toEqual(['error', 'target unreachable']);
  });

  it('a normal close ends the session (state ended)', () => {
    const { socket, states } = setup();
    socket.open();
    socket.serverSends({ type: MessageType.DesktopSize, width: 8, height: 8 });
    socket.serverCloses(1000, '');
    expect(states.at(-1)).toEqual(['ended', 'The remote session ended']);
  });

  it('a malformed message is a protocol error', () => {
    const { socket, states } = setup();
    socket.open();
    socket.serverSendsRaw(Uint8Array.of(0xee, 1, 2));
    expect(states.at(-1)?.[0]).toBe('error');
    expect(states.at(-1)?.[1]).toMatch(/^protocol error: /);
  });

  it('disconnect closes the socket, ends the session and ignores later events', async () => {
    const { socket, session, states, surface } = setup();
    socket.open();
    session.disconnect();
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'user disconnected' });
    expect(states.at(-1)).toEqual(['ended', 'Disconnected']);
    socket.serverSends({ type: MessageType.PngFrame2, left: 0, top: 0, right: 1, bottom: 1, data: PNG });
    socket.serverCloses(1006, '');
    await settle();
    expect(surface.log).toEqual([]);
    expect(states.at(-1)).toEqual(['ended', 'Disconnected']);
  });
});

describe('sessionSocketUrl', () => {
  it('uses wss on https and escapes the target id', () => {
    expect(sessionSocketUrl({ protocol: 'https:', host: 'gw.example:8443' }, 'a b/c')).toBe('wss://gw.example:8443/api/sessions/a%20b%2Fc/tdp');
    expect(sessionSocketUrl({ protocol: 'http:', host: 'localhost:5000' }, 'vnc1')).toBe('ws://localhost:5000/api/sessions/vnc1/tdp');
  });
});
