import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, TdpDecodeError, tryGetMessageLength } from '../../src/tdp/codec';
import { Limits } from '../../src/tdp/limits';
import { MessageType, type TdpMessage } from '../../src/tdp/messages';
import vectorsJson from '../../../tests/vectors/tdp.json';

/** Terminal messages 108-113 (docs/tdp.md) beyond the shared vectors: truncations, caps, encode refusals. */

interface Vectors {
  valid: { name: string; hex: string; message: { type: number } }[];
}

const TERMINAL_TYPES = [
  MessageType.TerminalOutput,
  MessageType.TerminalInput,
  MessageType.TerminalResize,
  MessageType.TerminalAck,
  MessageType.TerminalExit,
  MessageType.TerminalSize,
] as number[];

const terminalVectors = (vectorsJson as Vectors).valid.filter((v) => TERMINAL_TYPES.includes(v.message.type));

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function decodeError(bytes: Uint8Array): TdpDecodeError {
  try {
    decodeMessage(bytes);
  } catch (e) {
    if (e instanceof TdpDecodeError) {
      return e;
    }
    throw e;
  }
  throw new Error('decoded without error');
}

describe('terminal messages', () => {
  it('have vectors for each type', () => {
    expect(new Set(terminalVectors.map((v) => v.message.type))).toEqual(new Set(TERMINAL_TYPES));
  });

  it.each(terminalVectors)('refuses every truncation of $name', ({ hex }) => {
    const bytes = fromHex(hex);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(decodeError(bytes.subarray(0, cut)).message).toContain('truncated');
    }
  });

  it.each([
    [MessageType.TerminalOutput, Limits.MaxTerminalOutputBytes],
    [MessageType.TerminalInput, Limits.MaxTerminalInputBytes],
  ] as const)('type %i: data at the cap round trips, one past is refused', (type, cap) => {
    const data = Uint8Array.from({ length: cap }, (_, i) => (i * 7) & 0xff);
    const bytes = encodeMessage({ type, data } as TdpMessage);
    expect(bytes.length).toBe(5 + cap);
    const m = decodeMessage(bytes) as { data: Uint8Array };
    expect(m.data).toEqual(data);
    expect(tryGetMessageLength(bytes)).toBe(bytes.length);
    expect(() => encodeMessage({ type, data: new Uint8Array(cap + 1) } as TdpMessage)).toThrow(RangeError);
    for (const n of [cap + 1, 0xffffffff]) {
      const header = new Uint8Array(5);
      header[0] = type;
      new DataView(header.buffer).setUint32(1, n);
      expect(decodeError(header).message).toContain(`length ${n} exceeds the cap of ${cap}`);
      expect(() => tryGetMessageLength(header)).toThrow(TdpDecodeError);
    }
  });

  it('lets output end inside a UTF-8 character that the next message continues', () => {
    const a = decodeMessage(fromHex('6c00000001c3')) as { data: Uint8Array };
    const b = decodeMessage(fromHex('6c00000001a9')) as { data: Uint8Array };
    const decoder = new TextDecoder('utf-8', { fatal: true });
    expect(decoder.decode(a.data, { stream: true }) + decoder.decode(b.data)).toBe('é');
  });

  it('frames a stream of terminal messages', () => {
    const parts = terminalVectors.map((v) => fromHex(v.hex));
    const stream = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      stream.set(p, at);
      at += p.length;
    }
    at = 0;
    for (const p of parts) {
      const length = tryGetMessageLength(stream.subarray(at));
      expect(length).toBe(p.length);
      expect(encodeMessage(decodeMessage(stream.subarray(at, at + length!)))).toEqual(p);
      at += length!;
    }
    expect(at).toBe(stream.length);
  });

  const refused: [string, TdpMessage][] = [
    ['columns 0', { type: 110, columns: 0, rows: 24, widthPx: 0, heightPx: 0 }],
    ['rows 4097', { type: 110, columns: 80, rows: 4097, widthPx: 0, heightPx: 0 }],
    ['width_px 16385', { type: 110, columns: 80, rows: 24, widthPx: 16385, heightPx: 0 }],
    ['height_px not uint16', { type: 110, columns: 80, rows: 24, widthPx: 0, heightPx: 65536 }],
    ['columns fraction', { type: 110, columns: 80.5, rows: 24, widthPx: 0, heightPx: 0 }],
    ['size columns 0', { type: 113, columns: 0, rows: 24 }],
    ['size rows 4097', { type: 113, columns: 80, rows: 4097 }],
    ['size columns fraction', { type: 113, columns: 80.5, rows: 24 }],
    ['ack 0', { type: 111, bytes: 0 }],
    ['ack over uint32', { type: 111, bytes: 2 ** 32 }],
    ['exit signal kind without a signal', { type: 112, kind: 1, exitStatus: 0, signal: '', message: '' }],
    ['exit status kind with a signal', { type: 112, kind: 0, exitStatus: 0, signal: 'KILL', message: '' }],
    ['exit unknown kind with a status', { type: 112, kind: 2, exitStatus: 1, signal: '', message: '' }],
    ['exit signal not printable', { type: 112, kind: 1, exitStatus: 0, signal: 'K L', message: '' }],
    ['exit signal not ASCII', { type: 112, kind: 1, exitStatus: 0, signal: 'TÖTEN', message: '' }],
    ['exit signal over cap', { type: 112, kind: 1, exitStatus: 0, signal: 'A'.repeat(33), message: '' }],
    ['exit kind 3', { type: 112, kind: 3, exitStatus: 0, signal: '', message: '' }],
    ['exit message over cap', { type: 112, kind: 2, exitStatus: 0, signal: '', message: 'é'.repeat(32769) }],
  ];
  it.each(refused)('encoder refuses %s', (_name, m) => {
    expect(() => encodeMessage(m)).toThrow(RangeError);
  });
});
