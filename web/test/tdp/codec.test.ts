import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, TdpDecodeError, tryGetMessageLength } from '../../src/tdp/codec';
import { Limits } from '../../src/tdp/limits';
import { MessageType, type TdpMessage } from '../../src/tdp/messages';
import vectorsJson from '../../../tests/vectors/tdp.json';

interface Vectors {
  valid: { name: string; hex: string; message: Record<string, unknown>; stream?: boolean }[];
  invalid: { name: string; hex: string; error: string }[];
}

const vectors = vectorsJson as Vectors;

const BYTE_FIELDS = new Set(['data', 'rgba']);

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The JSON form of a vector's message → a TdpMessage (hex strings → Uint8Array). */
function fromJson(m: Record<string, unknown>): TdpMessage {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    out[k] = BYTE_FIELDS.has(k) ? fromHex(v as string) : v;
  }
  return out as unknown as TdpMessage;
}

/** A TdpMessage → its JSON form, for deep comparison. */
function toJson(m: TdpMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    out[k] = v instanceof Uint8Array ? toHex(v) : v;
  }
  return out;
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

describe('shared vectors (tests/vectors/tdp.json)', () => {
  it('covers every message type', () => {
    const seen = new Set(vectors.valid.map((v) => v.message.type));
    for (const t of Object.values(MessageType)) {
      expect(seen.has(t), `type ${t}`).toBe(true);
    }
  });

  describe.each(vectors.valid)('valid: $name', ({ hex, message, stream }) => {
    it('decodes to the fields', () => {
      expect(toJson(decodeMessage(fromHex(hex)))).toEqual(message);
    });
    it('encodes to the same bytes', () => {
      expect(toHex(encodeMessage(fromJson(message)))).toBe(hex);
    });
    it('frames as exactly one message, and needs every byte', () => {
      const bytes = fromHex(hex);
      if (stream === false) {
        // A PNG frame (2) without a whole PNG: framing can never find its end.
        expect(tryGetMessageLength(bytes)).toBeUndefined();
        return;
      }
      expect(tryGetMessageLength(bytes)).toBe(bytes.length);
      const withNext = new Uint8Array(bytes.length + 3);
      withNext.set(bytes);
      withNext.set([3, 0, 0], bytes.length);
      expect(tryGetMessageLength(withNext)).toBe(bytes.length);
      expect(tryGetMessageLength(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    });
  });

  describe.each(vectors.invalid)('invalid: $name', ({ hex, error }) => {
    it('is refused with a readable reason', () => {
      expect(decodeError(fromHex(hex)).message).toContain(error);
    });
  });
});

describe('decoding', () => {
  it('returns PNG data as a view into the input, not a copy', () => {
    const v = vectors.valid.find((x) => x.message.type === MessageType.PngFrame2 && x.hex.length > 42)!;
    const bytes = fromHex(v.hex);
    const m = decodeMessage(bytes);
    if (m.type !== MessageType.PngFrame2) throw new Error('wrong type');
    expect(m.data.buffer).toBe(bytes.buffer);
    expect(m.data.byteOffset).toBe(21);
  });

  it('returns JPEG data (106) as a view into the input and frames it by its length', () => {
    const v = vectors.valid.find((x) => x.message.type === MessageType.JpegFrame && x.hex.length > 100)!;
    const bytes = fromHex(v.hex);
    const m = decodeMessage(bytes);
    if (m.type !== MessageType.JpegFrame) throw new Error('wrong type');
    expect(m.data.buffer).toBe(bytes.buffer);
    expect(m.data.byteOffset).toBe(21);
    expect(m.data[0]).toBe(0xff);
    expect(m.data[1]).toBe(0xd8);
    expect(tryGetMessageLength(bytes)).toBe(bytes.length);
    expect(tryGetMessageLength(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(() => encodeMessage({ ...m, data: new Uint8Array(Limits.MaxJpegBytes + 1) })).toThrow(RangeError);
  });

  it('decodes from a subarray with a nonzero byteOffset', () => {
    const inner = fromHex('0300000001ffffffff');
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    expect(decodeMessage(outer.subarray(5))).toEqual({ type: 3, x: 1, y: 0xffffffff });
  });

  it('keeps a leading byte order mark in text', () => {
    const m = decodeMessage(fromHex('0700000003efbbbf'));
    expect(m).toEqual({ type: 7, username: '\ufeff' });
  });

  it('random and mutated input yields a message or TdpDecodeError, nothing else', () => {
    let seed = 0x2545f491;
    const rand = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const seeds = vectors.valid.map((v) => fromHex(v.hex));
    for (let i = 0; i < 20000; i++) {
      let input: Uint8Array;
      if (i % 2 === 0) {
        input = new Uint8Array(rand(40));
        for (let j = 0; j < input.length; j++) input[j] = rand(256);
        if (input.length > 0 && i % 4 === 0) input[0] = Object.values(MessageType)[rand(18)]!;
      } else {
        const base = seeds[rand(seeds.length)]!;
        input = base.slice(0, Math.max(0, base.length - rand(3)));
        for (let k = rand(4); k >= 0 && input.length > 0; k--) input[rand(input.length)] = rand(256);
      }
      let decoded: TdpMessage | undefined;
      for (const f of [decodeMessage, tryGetMessageLength]) {
        try {
          const r = f(input);
          if (typeof r === 'object') decoded = r;
        } catch (e) {
          if (!(e instanceof TdpDecodeError)) {
            throw new Error(`input ${toHex(input)}: ${String(e)}`);
          }
        }
      }
      if (decoded !== undefined) {
        // What decodes re-encodes to the same bytes.
        expect(toHex(encodeMessage(decoded))).toBe(toHex(input));
      }
    }
  });
});

describe('stream framing', () => {
  it('rejects an over-cap length before the payload is buffered', () => {
    expect(() => tryGetMessageLength(fromHex('1b04000001'))).toThrow(TdpDecodeError);
    expect(() => tryGetMessageLength(fromHex('0700000101'))).toThrow(/exceeds the cap of 256/);
  });

  it('rejects an unknown type from the first byte', () => {
    expect(() => tryGetMessageLength(fromHex('0b'))).toThrow(/unknown message type 11/);
  });

  it('needs more bytes for an empty buffer or a partial header', () => {
    expect(tryGetMessageLength(new Uint8Array(0))).toBeUndefined();
    expect(tryGetMessageLength(fromHex('0600'))).toBeUndefined();
    expect(tryGetMessageLength(fromHex('020000000000000000000000000000000089504e'))).toBeUndefined();
  });

  it('refuses a PNG frame (2) whose data is not a PNG', () => {
    expect(() => tryGetMessageLength(fromHex('020000000000000000000000000000000000'))).toThrow(/PNG signature/);
  });

  it('splits a concatenated stream into the original messages', () => {
    const framable = vectors.valid.filter((v) => v.stream !== false);
    const parts = framable.map((v) => fromHex(v.hex));
    const stream = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      stream.set(p, at);
      at += p.length;
    }
    const out: string[] = [];
    let rest = stream;
    for (;;) {
      const n = tryGetMessageLength(rest);
      if (n === undefined) break;
      out.push(toHex(rest.subarray(0, n)));
      decodeMessage(rest.subarray(0, n));
      rest = rest.subarray(n);
    }
    expect(rest.length).toBe(0);
    expect(out).toEqual(framable.map((v) => v.hex));
  });
});

describe('encoding refuses what a peer would refuse', () => {
  const cases: [string, TdpMessage][] = [
    ['screen 0 wide', { type: 1, width: 0, height: 1 }],
    ['uint32 overflow', { type: 3, x: 2 ** 32, y: 0 }],
    ['negative', { type: 3, x: -1, y: 0 }],
    ['fraction', { type: 100, frameId: 1.5 }],
    ['button 3', { type: 4, button: 3, state: 0 }],
    ['delta 32768', { type: 8, axis: 0, delta: 32768 }],
    ['username over cap', { type: 7, username: 'é'.repeat(129) }],
    ['mfa type', { type: 10, mfaType: 'x', json: '{}' }],
    ['clipboard invalid UTF-8', { type: 6, data: new Uint8Array([0xff]) }],
    ['cursor rgba mismatch', { type: 102, hotspotX: 0, hotspotY: 0, width: 1, height: 1, rgba: new Uint8Array(3) }],
    ['cursor over cap', { type: 102, hotspotX: 0, hotspotY: 0, width: 257, height: 1, rgba: new Uint8Array(257 * 4) }],
    ['resize remote mode 2', { type: 107, mode: 2 }],
    ['copy rect outside', { type: 104, srcLeft: 0, srcTop: 0, width: Limits.MaxScreenSide + 1, height: 1, dstLeft: 0, dstTop: 0 }],
  ];
  it.each(cases)('%s', (_name, m) => {
    expect(() => encodeMessage(m)).toThrow(RangeError);
  });
});
