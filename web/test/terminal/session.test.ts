import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Limits } from '../../src/tdp/limits';
import { MessageType, Severity, TerminalExitKind, type TdpMessage, type TerminalExitMessage } from '../../src/tdp/messages';
import {
  ACK_THRESHOLD_BYTES,
  binaryStringBytes,
  clampSize,
  describeExit,
  RESIZE_DEBOUNCE_MS,
  splitBytes,
  TerminalSession,
  terminalSocketUrl,
  type TerminalSize,
  type TerminalState,
} from '../../src/terminal/terminal-session';
import { FakeSocket } from '../tdp/fake-socket';

/** xterm.js as the session sees it: keeps each write and its callback, so a test decides when xterm has parsed it. */
class FakeSink {
  readonly writes: Uint8Array[] = [];
  private readonly queued: (() => void)[] = [];

  write(data: Uint8Array, consumed: () => void): void {
    this.writes.push(data);
    this.queued.push(consumed);
  }

  get pending(): number {
    return this.queued.length;
  }

  /** xterm parses the oldest queued write and calls its callback. */
  parseNext(): void {
    const consumed = this.queued.shift();
    if (consumed === undefined) {
      throw new Error('nothing queued');
    }
    consumed();
  }

  parseAll(): void {
    while (this.pending > 0) this.parseNext();
  }
}

const SIZE: TerminalSize = { columns: 80, rows: 24, widthPx: 720, heightPx: 408 };

function setup(size: TerminalSize = SIZE) {
  const socket = new FakeSocket();
  const sink = new FakeSink();
  const states: [TerminalState, string][] = [];
  const exits: TerminalExitMessage[] = [];
  const notes: [string, number][] = [];
  const resized: TerminalSize[] = [];
  const session = new TerminalSession({
    url: 'ws://gw/api/sessions/box/tdp',
    username: 'carol',
    openSocket: () => socket,
    sink,
    size,
    events: {
      stateChanged: (s, d) => states.push([s, d]),
      exited: (e) => exits.push(e),
      notify: (m, s) => notes.push([m, s]),
      resized: (s) => resized.push(s),
    },
  });
  return { socket, sink, states, exits, notes, resized, session };
}

/** Connects, opens the socket and has the gateway answer, then forgets what the handshake sent. */
function connected(size: TerminalSize = SIZE) {
  const t = setup(size);
  t.session.connect();
  t.socket.open();
  t.socket.serverSends({ type: MessageType.TerminalOutput, data: new Uint8Array(0) });
  t.socket.sent.length = 0;
  t.resized.length = 0;
  return t;
}

const output = (data: Uint8Array): TdpMessage => ({ type: MessageType.TerminalOutput, data });
const acks = (sent: TdpMessage[]): number[] => sent.flatMap((m) => (m.type === MessageType.TerminalAck ? [m.bytes] : []));
const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * seed + 7) & 0xff);

describe('TerminalSession handshake', () => {
  it('sends username, a screen spec of the pixel size, then terminal resize with the fitted size, in one turn', () => {
    const { socket, session, states, resized } = setup();
    session.connect();
    expect(states).toEqual([['connecting', 'Connecting…']]);
    socket.open();
    expect(socket.binaryType).toBe('arraybuffer');
    expect(socket.sent).toEqual([
      { type: MessageType.ClientUsername, username: 'carol' },
      { type: MessageType.ClientScreenSpec, width: 720, height: 408 },
      { type: MessageType.TerminalResize, columns: 80, rows: 24, widthPx: 720, heightPx: 408 },
    ]);
    expect(resized).toEqual([SIZE]);
    socket.serverSends(output(new Uint8Array(0)));
    expect(states.at(-1)).toEqual(['connected', 'Connected']);
  });

  it('carries the latest size when the window changed before the socket opened', () => {
    const { socket, session } = setup();
    session.connect();
    session.resize({ columns: 100, rows: 30, widthPx: 900, heightPx: 510 });
    socket.open();
    expect(socket.sent.at(-1)).toEqual({ type: MessageType.TerminalResize, columns: 100, rows: 30, widthPx: 900, heightPx: 510 });
    expect(socket.sent[1]).toEqual({ type: MessageType.ClientScreenSpec, width: 900, height: 510 });
  });

  it('gives the screen spec at least one pixel when the size in pixels is not known', () => {
    const { socket, session } = setup({ columns: 80, rows: 24, widthPx: 0, heightPx: 0 });
    session.connect();
    socket.open();
    expect(socket.sent[1]).toEqual({ type: MessageType.ClientScreenSpec, width: 1, height: 1 });
    expect(socket.sent[2]).toEqual({ type: MessageType.TerminalResize, columns: 80, rows: 24, widthPx: 0, heightPx: 0 });
  });

  it('builds the socket URL with the login chosen on the target list', () => {
    expect(terminalSocketUrl({ protocol: 'https:', host: 'gw:8443' }, 'lab box', null)).toBe('wss://gw:8443/api/sessions/lab%20box/tdp');
    expect(terminalSocketUrl({ protocol: 'http:', host: 'gw' }, 'box', 'root&x')).toBe('ws://gw/api/sessions/box/tdp?login=root%26x');
  });
});

describe('TerminalSession output and flow control', () => {
  it('writes each output to the terminal as the same bytes and acknowledges only in the write callback', () => {
    const { socket, sink } = connected();
    const data = bytes(1000);
    socket.serverSends(output(data));
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]).toBeInstanceOf(Uint8Array);
    expect(sink.writes[0]).toEqual(data);
    expect(acks(socket.sent)).toEqual([]); // not parsed yet: no credit
    sink.parseNext();
    expect(acks(socket.sent)).toEqual([1000]);
  });

  it('passes a UTF-8 character split over two messages through untouched, never decoding one message alone', () => {
    const { socket, sink } = connected();
    const euro = new TextEncoder().encode('€'); // e2 82 ac
    socket.serverSends(output(Uint8Array.of(0x41, euro[0] ?? 0)));
    socket.serverSends(output(Uint8Array.of(euro[1] ?? 0, euro[2] ?? 0, 0x42)));
    expect(sink.writes.map((w) => Array.from(w))).toEqual([[0x41, 0xe2], [0x82, 0xac, 0x42]]);
  });

  it('coalesces the acks of writes parsed together into one, sent when xterm has nothing more queued', () => {
    const { socket, sink } = connected();
    for (const n of [100, 200, 300]) {
      socket.serverSends(output(bytes(n)));
    }
    sink.parseNext();
    sink.parseNext();
    expect(acks(socket.sent)).toEqual([]); // one write is still queued in xterm
    sink.parseNext();
    expect(acks(socket.sent)).toEqual([600]);
  });

  it('acknowledges once the threshold is consumed even while more is queued, so the window refills', () => {
    const { socket, sink } = connected();
    const chunk = Limits.MaxTerminalOutputBytes;
    for (let i = 0; i < 4; i++) {
      socket.serverSends(output(bytes(chunk, i + 2)));
    }
    expect(chunk).toBeGreaterThanOrEqual(ACK_THRESHOLD_BYTES);
    sink.parseNext();
    expect(acks(socket.sent)).toEqual([chunk]);
    sink.parseNext();
    sink.parseNext();
    sink.parseNext();
    expect(acks(socket.sent)).toEqual([chunk, chunk, chunk, chunk]);
  });

  it('acknowledges exactly the bytes received, in total, across many small writes', () => {
    const { socket, sink, session } = connected();
    let total = 0;
    for (let i = 1; i <= 50; i++) {
      socket.serverSends(output(bytes(i * 37)));
      total += i * 37;
      if (i % 7 === 0) {
        sink.parseAll();
      }
    }
    sink.parseAll();
    expect(acks(socket.sent).reduce((a, b) => a + b, 0)).toBe(total);
    expect(session.acknowledged).toBe(total);
    expect(acks(socket.sent).every((n) => n >= 1)).toBe(true);
  });

  it('writes and acknowledges nothing for an empty output', () => {
    const { socket, sink } = connected();
    socket.serverSends(output(new Uint8Array(0)));
    expect(sink.writes).toHaveLength(0);
    expect(acks(socket.sent)).toEqual([]);
  });

  it('sends no ack for writes parsed after the session ended', () => {
    const { socket, sink } = connected();
    socket.serverSends(output(bytes(10)));
    socket.serverCloses(1000, 'The SSH session ended.');
    sink.parseNext();
    expect(acks(socket.sent)).toEqual([]);
  });
});

describe('TerminalSession resize', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends one terminal resize with the size the window settles on', () => {
    const { socket, session, resized } = connected();
    session.resize({ columns: 90, rows: 24, widthPx: 810, heightPx: 408 });
    vi.advanceTimersByTime(RESIZE_DEBOUNCE_MS - 1);
    session.resize({ columns: 100, rows: 30, widthPx: 900, heightPx: 510 });
    vi.advanceTimersByTime(RESIZE_DEBOUNCE_MS - 1);
    expect(socket.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(socket.sent).toEqual([{ type: MessageType.TerminalResize, columns: 100, rows: 30, widthPx: 900, heightPx: 510 }]);
    expect(resized).toEqual([{ columns: 100, rows: 30, widthPx: 900, heightPx: 510 }]);
  });

  it('sends nothing when the size is the one last sent', () => {
    const { socket, session } = connected();
    session.resize(SIZE);
    vi.advanceTimersByTime(RESIZE_DEBOUNCE_MS);
    expect(socket.sent).toEqual([]);
    session.resize({ ...SIZE, rows: 25 });
    vi.advanceTimersByTime(RESIZE_DEBOUNCE_MS);
    session.resize({ ...SIZE, rows: 25 });
    vi.advanceTimersByTime(RESIZE_DEBOUNCE_MS);
    expect(socket.sent).toEqual([{ type: MessageType.TerminalResize, columns: 80, rows: 25, widthPx: 720, heightPx: 408 }]);
  });

  it('clamps sizes into what terminal resize carries', () => {
    expect(clampSize({ columns: 0, rows: 5000, widthPx: -3, heightPx: 20000.4 })).toEqual({ columns: 1, rows: 4096, widthPx: 0, heightPx: 16384 });
    expect(clampSize({ columns: 80.9, rows: Number.NaN, widthPx: 100.6, heightPx: Number.POSITIVE_INFINITY })).toEqual({ columns: 80, rows: 1, widthPx: 101, heightPx: 0 });
    const { socket, session } = connected();
    session.resize({ columns: 9000, rows: 0, widthPx: 99999, heightPx: 10 });
    vi.advanceTimersByTime(RESIZE_DEBOUNCE_MS);
    expect(socket.sent).toEqual([{ type: MessageType.TerminalResize, columns: 4096, rows: 1, widthPx: 16384, heightPx: 10 }]);
  });

  it('drops a pending resize when the session ends', () => {
    const { socket, session } = connected();
    session.resize({ ...SIZE, columns: 120 });
    socket.serverCloses(1000, 'bye');
    vi.advanceTimersByTime(RESIZE_DEBOUNCE_MS * 2);
    expect(socket.sent.filter((m) => m.type === MessageType.TerminalResize)).toEqual([]);
  });
});

describe('TerminalSession input', () => {
  it('sends typed text as UTF-8 terminal input', () => {
    const { socket, session } = connected();
    expect(session.sendText('ls -l ü€\r')).toBe(true);
    expect(socket.sent).toEqual([{ type: MessageType.TerminalInput, data: new TextEncoder().encode('ls -l ü€\r') }]);
  });

  it('splits a paste over 64 KiB into messages of at most 64 KiB, in order, losing nothing', () => {
    const { socket, session } = connected();
    const paste = 'ä'.repeat(80_000) + 'end'; // 160 003 bytes of UTF-8, split inside characters
    expect(session.sendText(paste)).toBe(true);
    const pieces = socket.sent.map((m) => (m.type === MessageType.TerminalInput ? m.data : new Uint8Array(0)));
    expect(pieces.map((p) => p.length)).toEqual([65536, 65536, 28931]);
    const joined = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) {
      joined.set(p, at);
      at += p.length;
    }
    expect(new TextDecoder().decode(joined)).toBe(paste);
  });

  it('splits exactly at the cap', () => {
    expect(splitBytes(bytes(65536)).map((p) => p.length)).toEqual([65536]);
    expect(splitBytes(bytes(65537)).map((p) => p.length)).toEqual([65536, 1]);
    expect(splitBytes(new Uint8Array(0))).toEqual([]);
  });

  it("sends xterm's binary data (one byte per character) as those bytes", () => {
    expect(Array.from(binaryStringBytes('\x1b[M\xff\x80'))).toEqual([0x1b, 0x5b, 0x4d, 0xff, 0x80]);
    const { socket, session } = connected();
    session.sendBytes(binaryStringBytes('\x1b[M \xe0!'));
    expect(socket.sent).toEqual([{ type: MessageType.TerminalInput, data: Uint8Array.of(0x1b, 0x5b, 0x4d, 0x20, 0xe0, 0x21) }]);
  });

  it('sends nothing before the socket is open or after the session ended', () => {
    const { socket, session } = setup();
    session.connect();
    expect(session.sendText('early')).toBe(false);
    socket.open();
    socket.sent.length = 0;
    socket.serverCloses(1006, '');
    expect(session.sendText('late')).toBe(false);
    expect(socket.sent).toEqual([]);
  });
});

describe('TerminalSession exit and end', () => {
  it('hands the exit to the page, stops input, then shows the gateway\'s closing sentence', () => {
    const { socket, session, exits, states } = connected();
    const exit: TerminalExitMessage = { type: MessageType.TerminalExit, kind: TerminalExitKind.Exited, exitStatus: 3, signal: '', message: '' };
    socket.serverSends(exit);
    expect(exits).toEqual([exit]);
    expect(session.exited).toEqual(exit);
    expect(session.sendText('x')).toBe(false);
    expect(socket.sent.filter((m) => m.type === MessageType.TerminalInput)).toEqual([]);
    socket.serverCloses(1000, 'The remote program exited with status 3.');
    expect(states.at(-1)).toEqual(['ended', 'The remote program exited with status 3.']);
    expect(session.state).toBe('ended');
  });

  it('describes each kind of exit', () => {
    const exit = (kind: number, exitStatus: number, signal: string, message: string): TerminalExitMessage => ({ type: MessageType.TerminalExit, kind, exitStatus, signal, message });
    expect(describeExit(exit(0, 0, '', ''))).toBe('The program exited with status 0.');
    expect(describeExit(exit(0, 130, '', ''))).toBe('The program exited with status 130.');
    expect(describeExit(exit(1, 0, 'KILL', ''))).toBe('The program was ended by signal KILL.');
    expect(describeExit(exit(1, 0, 'SEGV', 'core dumped'))).toBe('The program was ended by signal SEGV: core dumped.');
    expect(describeExit(exit(0, 3, '', 'The remote shell exited with status 3.'))).toBe('The remote shell exited with status 3.');
    expect(describeExit(exit(1, 0, 'TERM', 'The remote shell was ended by signal TERM'))).toBe('The remote shell was ended by signal TERM.');
    expect(describeExit(exit(2, 0, '', 'The connection to the target was lost.'))).toBe('The connection to the target was lost.');
    expect(describeExit(exit(2, 0, '', 'Connection reset'))).toBe('Connection reset.');
    expect(describeExit(exit(2, 0, '', ''))).toBe('The program ended.');
  });

  it('shows notifications as toasts, and ends on an error notification with its text', () => {
    const { socket, notes, states } = connected();
    socket.serverSends({ type: MessageType.Notification, message: 'bea is watching', severity: Severity.Info });
    socket.serverSends({ type: MessageType.Notification, message: 'recording failed', severity: Severity.Warning });
    expect(notes).toEqual([['bea is watching', 0], ['recording failed', 1]]);
    socket.serverSends({ type: MessageType.Notification, message: "The server's host key has changed", severity: Severity.Error });
    expect(states.at(-1)).toEqual(['error', "The server's host key has changed"]);
    expect(socket.closedWith?.code).toBe(1000);
  });

  it('reports a lost connection as an error with its code', () => {
    const { socket, states } = connected();
    socket.serverCloses(1006, '');
    expect(states.at(-1)).toEqual(['error', 'Connection lost (code 1006)']);
  });

  it('ends locally on disconnect', () => {
    const { socket, session, states } = connected();
    session.disconnect();
    expect(states.at(-1)).toEqual(['ended', 'Disconnected']);
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'user disconnected' });
  });
});
