import { describe, expect, it } from 'vitest';
import { describeEnd, TdpConnection, type TdpConnectionEnd, type TdpHandshake } from '../../src/tdp/connection';
import { MessageType, RemoteResizeMode, type TdpMessage } from '../../src/tdp/messages';
import { FakeSocket } from './fake-socket';

function setup(handshake: () => TdpHandshake = () => ({ username: 'alice', screen: { width: 1280, height: 720 } })) {
  const socket = new FakeSocket();
  const log: string[] = [];
  const messages: TdpMessage[] = [];
  const ends: TdpConnectionEnd[] = [];
  let openedUrl = '';
  const connection = new TdpConnection({
    url: 'ws://gw/api/sessions/t1/tdp',
    openSocket: (url) => {
      openedUrl = url;
      return socket;
    },
    handshake,
    listener: {
      established: () => log.push('established'),
      message: (m) => {
        log.push(`message ${m.type}`);
        messages.push(m);
      },
      ended: (end) => {
        log.push(`ended ${end.kind}`);
        ends.push(end);
      },
    },
  });
  return { socket, connection, log, messages, ends, openedUrl: () => openedUrl };
}

describe('TdpConnection', () => {
  it('opens the socket in binary mode and sends nothing until it is open', () => {
    const { socket, connection, openedUrl } = setup();
    expect(connection.state).toBe('idle');
    connection.open();
    expect(openedUrl()).toBe('ws://gw/api/sessions/t1/tdp');
    expect(socket.binaryType).toBe('arraybuffer');
    expect(connection.state).toBe('connecting');
    expect(connection.send({ type: MessageType.MouseMove, x: 1, y: 1 })).toBe(false);
    expect(socket.sent).toEqual([]);
  });

  it('sends the handshake in RFD 37 order as the socket opens: username, extensions, then the screen spec', () => {
    const extension: TdpMessage = { type: MessageType.ResizeRemote, mode: RemoteResizeMode.Keep };
    let width = 800;
    const { socket, connection } = setup(() => ({ username: 'bob', screen: { width, height: 600 }, extensions: [extension] }));
    connection.open();
    width = 1024; // a change while connecting goes into the handshake: it is asked for when the socket opens
    socket.open();
    expect(socket.sent).toEqual([
      { type: MessageType.ClientUsername, username: 'bob' },
      extension,
      { type: MessageType.ClientScreenSpec, width: 1024, height: 600 },
    ]);
    expect(connection.send({ type: MessageType.FrameAck, frameId: 3 })).toBe(true);
    expect(socket.sent.at(-1)).toEqual({ type: MessageType.FrameAck, frameId: 3 });
  });

  it('is established on the first gateway message, once, before the message is handed on', () => {
    const { socket, connection, log, messages } = setup();
    connection.open();
    socket.open();
    expect(connection.state).toBe('connecting');
    socket.serverSends({ type: MessageType.DesktopSize, width: 8, height: 8 });
    socket.serverSends({ type: MessageType.FrameMarker, frameId: 1 });
    expect(connection.state).toBe('established');
    expect(log).toEqual(['established', `message ${MessageType.DesktopSize}`, `message ${MessageType.FrameMarker}`]);
    expect(messages[1]).toEqual({ type: MessageType.FrameMarker, frameId: 1 });
  });

  it('reports close codes as typed ends: 1000 and 1001 normal, others not, with the reason', () => {
    const cases: [number, string, TdpConnectionEnd, ReturnType<typeof describeEnd>][] = [
      [1000, 'The target closed the session.', { kind: 'closed', code: 1000, reason: 'The target closed the session.', normal: true }, { state: 'ended', detail: 'The target closed the session.' }],
      [1001, '', { kind: 'closed', code: 1001, reason: '', normal: true }, { state: 'ended', detail: 'The remote session ended' }],
      [1011, 'target unreachable', { kind: 'closed', code: 1011, reason: 'target unreachable', normal: false }, { state: 'error', detail: 'target unreachable' }],
      [1006, '', { kind: 'closed', code: 1006, reason: '', normal: false }, { state: 'error', detail: 'Connection lost (code 1006)' }],
    ];
    for (const [code, reason, end, shown] of cases) {
      const { socket, connection, ends } = setup();
      connection.open();
      socket.open();
      socket.serverCloses(code, reason);
      expect(ends).toEqual([end]);
      expect(describeEnd(ends[0]!)).toEqual(shown);
      expect(connection.state).toBe('ended');
      expect(socket.closedWith).toBeNull(); // closed by the other side: nothing to close
    }
  });

  it('a close before the socket opened (gateway refused the upgrade) is an end too', () => {
    const { socket, connection, ends } = setup();
    connection.open();
    socket.serverCloses(1006, '');
    expect(ends).toEqual([{ kind: 'closed', code: 1006, reason: '', normal: false }]);
    expect(socket.sent).toEqual([]);
  });

  it('Error (9) and a severity-2 Notification end it as server errors and close the socket; lesser notifications pass', () => {
    const { socket, connection, messages, ends } = setup();
    connection.open();
    socket.open();
    socket.serverSends({ type: MessageType.Notification, message: 'idle soon', severity: 1 });
    socket.serverSends({ type: MessageType.Notification, message: 'access revoked', severity: 2 });
    expect(messages).toEqual([{ type: MessageType.Notification, message: 'idle soon', severity: 1 }]);
    expect(ends).toEqual([{ kind: 'server-error', message: 'access revoked' }]);
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'client closing after error' });
    expect(connection.send({ type: MessageType.MouseMove, x: 1, y: 1 })).toBe(false);

    const other = setup();
    other.connection.open();
    other.socket.open();
    other.socket.serverSends({ type: MessageType.Error, message: 'wrong VNC password' });
    expect(other.ends).toEqual([{ kind: 'server-error', message: 'wrong VNC password' }]);
    expect(describeEnd(other.ends[0]!)).toEqual({ state: 'error', detail: 'wrong VNC password' });
    expect(other.messages).toEqual([]);
  });

  it('malformed bytes and text frames are protocol errors, and nothing is delivered after them', () => {
    const { socket, connection, messages, ends } = setup();
    connection.open();
    socket.open();
    socket.serverSendsRaw(Uint8Array.of(0xee, 1, 2));
    expect(ends).toHaveLength(1);
    expect(ends[0]!.kind).toBe('protocol-error');
    expect(describeEnd(ends[0]!).detail).toMatch(/^protocol error: .*unknown message type 238/);
    socket.serverSends({ type: MessageType.DesktopSize, width: 8, height: 8 });
    socket.serverCloses(1000, '');
    expect(messages).toEqual([]);
    expect(ends).toHaveLength(1);

    const text = setup();
    text.connection.open();
    text.socket.open();
    text.socket.serverSendsText('hello');
    expect(text.ends).toEqual([{ kind: 'protocol-error', message: 'text message on a binary channel' }]);
    expect(text.socket.closedWith).toEqual({ code: 1000, reason: 'client closing after error' });
  });

  it('close() ends it locally once, closes the socket normally and ignores what follows', () => {
    const { socket, connection, ends, messages } = setup();
    connection.open();
    socket.open();
    connection.close();
    connection.close();
    expect(ends).toEqual([{ kind: 'local' }]);
    expect(describeEnd(ends[0]!)).toEqual({ state: 'ended', detail: 'Disconnected' });
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'user disconnected' });
    socket.serverSends({ type: MessageType.DesktopSize, width: 8, height: 8 });
    socket.serverCloses(1006, '');
    expect(messages).toEqual([]);
    expect(ends).toEqual([{ kind: 'local' }]);
    connection.open(); // over: not opened again
    expect(connection.state).toBe('ended');
  });
});
