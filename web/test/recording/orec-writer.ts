/**
 * A small `.orec` writer for tests only, written from docs/recording.md (not from the reader under test): header,
 * framed records with CRC-32C, Sync records with running totals, Keyframe parts, and the End record with its index.
 * It lets the seek and playback tests build `tdp` recordings of any length with known sync point offsets.
 */
import { crc32c } from '../../src/recording/crc32c';

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

function str8(s: string): number[] {
  const b = new TextEncoder().encode(s);
  return [b.length, ...b];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

export interface WrittenSync {
  readonly offset: number;
  readonly timeUs: number;
}

export class TestOrecWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;
  private records = 0;
  private client = 0;
  private server = 0;
  readonly syncs: WrittenSync[] = [];
  readonly headerLength: number;

  constructor(kind = 'tdp', startUnixMs = 1_700_000_000_000) {
    const fields = [
      ...u32(Math.floor(startUnixMs / 2 ** 32)),
      ...u32(startUnixMs >>> 0),
      ...str8(kind),
      ...str8('s1'),
      ...str8('t1'),
      ...str8('alice'),
      0,
      0,
    ];
    const prefix = [0x89, 0x4f, 0x52, 0x43, 0x0d, 0x0a, 0x1a, 0x0a, 1, 1, fields.length >> 8, fields.length & 0xff, ...fields];
    const bytes = Uint8Array.from(prefix);
    this.append(Uint8Array.from([...prefix, ...u32(crc32c(bytes))]));
    this.headerLength = this.length;
  }

  get position(): number {
    return this.length;
  }

  record(kind: number, timeUs: number, payload: Uint8Array): number {
    const at = this.length;
    const frame = Uint8Array.from([kind, ...varint(timeUs), ...varint(payload.length), ...payload]);
    this.append(frame);
    this.append(Uint8Array.from(u32(crc32c(frame))));
    this.records++;
    if (kind === 0x01) this.client += payload.length;
    if (kind === 0x02) this.server += payload.length;
    return at;
  }

  serverData(timeUs: number, ...messages: Uint8Array[]): number {
    return this.record(0x02, timeUs, concat(messages));
  }

  sync(timeUs: number): number {
    const payload = Uint8Array.from([...varint(this.records), ...varint(this.client), ...varint(this.server)]);
    this.syncTotals.push({ offset: this.length, timeUs, records: this.records, client: this.client, server: this.server });
    const at = this.record(0x20, timeUs, payload);
    this.syncs.push({ offset: at, timeUs });
    return at;
  }

  /** Sync, then the keyframe in parts of `perPart` messages. */
  keyframe(timeUs: number, messages: Uint8Array[], perPart = 1000): number {
    const at = this.sync(timeUs);
    for (let i = 0; i < messages.length; i += perPart) {
      const last = i + perPart >= messages.length;
      this.record(0x80, timeUs, concat([Uint8Array.of(last ? 1 : 0), ...messages.slice(i, i + perPart)]));
    }
    return at;
  }

  /** Appends the End record and returns the whole file. */
  finish(durationUs: number): Uint8Array {
    const at = this.length;
    const index: number[] = [];
    let prev = { offset: 0, timeUs: 0, records: 0, client: 0, server: 0 };
    for (const s of this.syncTotals) {
      index.push(...varint(s.offset - prev.offset), ...varint(s.timeUs - prev.timeUs), ...varint(s.records - prev.records), ...varint(s.client - prev.client), ...varint(s.server - prev.server));
      prev = s;
    }
    const payload = [...varint(this.records), ...varint(this.client), ...varint(this.server), ...varint(this.syncTotals.length), ...index, ...u32(Math.floor(at / 2 ** 32)), ...u32(at >>> 0)];
    const frame = Uint8Array.from([0x7f, ...varint(durationUs), ...varint(payload.length), ...payload]);
    this.append(frame);
    this.append(Uint8Array.from(u32(crc32c(frame))));
    return concat(this.parts);
  }

  /** The file so far (an incomplete recording: no End record). */
  bytes(): Uint8Array {
    return concat(this.parts);
  }

  private readonly syncTotals: { offset: number; timeUs: number; records: number; client: number; server: number }[] = [];

  private append(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
