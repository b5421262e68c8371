import smallHex from '../../../tests/Oriel.Recording.Tests/vectors/small.orec.hex?raw';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/recording/crc32c';
import { tryReadVarint } from '../../src/recording/byte-reader';
import { OrecRecordKind } from '../../src/recording/format';
import { OrecReader, type OrecRecord } from '../../src/recording/reader';
import { RecordingDecodeError } from '../../src/recording/recording-error';
import { parseHexVector } from './hex-vector';

const SMALL = parseHexVector(smallHex);

function readAll(reader: OrecReader, bytes: Uint8Array, chunk: number): OrecRecord[] {
  const records: OrecRecord[] = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    reader.push(bytes.subarray(i, i + chunk));
    let r: OrecRecord | null;
    while ((r = reader.next()) !== null) records.push(r);
  }
  reader.finish();
  let r: OrecRecord | null;
  while ((r = reader.next()) !== null) records.push(r);
  return records;
}

function expectDecodeError(f: () => unknown, offset: number, why: RegExp): void {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(RecordingDecodeError);
    const e = error as RecordingDecodeError;
    expect(e.offset).toBe(offset);
    expect(e.why).toMatch(why);
    return;
  }
  throw new Error('no RecordingDecodeError was thrown');
}

describe('CRC-32C and varints (docs/recording.md section 2)', () => {
  it('has the check value of "123456789"', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('reads the documented examples and refuses non-shortest and over-long encodings', () => {
    const cases: [number[], number][] = [[[0x00], 0], [[0x7f], 127], [[0x80, 0x01], 128], [[0xe8, 0x07], 1000], [[0xb8, 0x17], 3000]];
    for (const [bytes, value] of cases) {
      expect(tryReadVarint(Uint8Array.from(bytes), 0, 'v', 'v', 0)).toEqual({ value, next: bytes.length });
    }
    expect(tryReadVarint(Uint8Array.of(0x80), 0, 'v', 'v', 0)).toBeUndefined();
    expectDecodeError(() => tryReadVarint(Uint8Array.of(0x80, 0x00), 0, 'v', 'v', 0), 0, /shortest/);
    expectDecodeError(() => tryReadVarint(new Uint8Array(10).fill(0x81), 0, 'v', 'v', 0), 0, /longer than 9/);
  });
});

describe('OrecReader on small.orec.hex', () => {
  for (const chunk of [1, 7, 64, 4096]) {
    it(`reads every record with its offset and payload, ${chunk}-byte chunks`, () => {
      const reader = OrecReader.fromStart();
      const records = readAll(reader, SMALL, chunk);
      expect(reader.header).toMatchObject({ major: 1, minor: 0, startUnixMs: 1700000000000, kind: 'rfb-passthrough', sessionId: 's-1', targetId: 'vnc1', user: 'alice', metadata: { v: 1 }, length: 64 });
      expect(records.map((r) => [r.kind, r.timeUs, r.offset])).toEqual([
        [0x10, 0, 64],
        [0x02, 1000, 71],
        [0x01, 1500, 91],
        [0x12, 2000, 111],
        [0x13, 2500, 123],
        [0x20, 3000, 134],
        [0x11, 4000, 145],
        [0x7f, 4000, 158],
      ]);
      expect(new TextDecoder().decode(records[1]!.payload)).toBe('RFB 003.008\n');
      expect(records[3]!.resize).toEqual({ width: 1024, height: 768 });
      expect(records[4]!.note).toBe('hi');
      expect(records[5]!.sync).toEqual({ recordIndex: 5, clientBytes: 12, serverBytes: 12 });
      expect(records[6]!.sessionEnd).toEqual({ reason: 1, text: 'bye' });
      expect(reader.end).toEqual({
        recordCount: 7,
        clientBytes: 12,
        serverBytes: 12,
        durationUs: 4000,
        index: [{ fileOffset: 134, timeUs: 3000, recordIndex: 5, clientBytes: 12, serverBytes: 12 }],
        endOffset: 158,
      });
    });
  }

  it('resumes at the sync point of the index (offset 134), adopting its totals', () => {
    const reader = OrecReader.atSyncPoint(134, 3000);
    const records = readAll(reader, SMALL.subarray(134), 5);
    expect(records.map((r) => r.kind)).toEqual([OrecRecordKind.Sync, OrecRecordKind.SessionEnd, OrecRecordKind.End]);
    expect(reader.end?.durationUs).toBe(4000);
  });

  it('waits for more bytes rather than failing while a record is partial', () => {
    const reader = OrecReader.fromStart();
    reader.push(SMALL.subarray(0, 80));
    expect(reader.next()?.kind).toBe(OrecRecordKind.SessionStart);
    expect(reader.next()).toBeNull();
    expect(reader.position).toBe(71);
  });

  it('returns nothing more for a file cut between records (an incomplete recording)', () => {
    const reader = OrecReader.fromStart();
    const records = readAll(reader, SMALL.subarray(0, 145), 16);
    expect(records).toHaveLength(6);
    expect(reader.end).toBeNull();
  });
});

describe('OrecReader refuses malformed input with RecordingDecodeError', () => {
  const mutate = (at: number, value: number): Uint8Array => {
    const copy = SMALL.slice();
    copy[at] = value;
    return copy;
  };
  const run = (bytes: Uint8Array) => () => readAll(OrecReader.fromStart(), bytes, 13);

  it('a wrong magic, at once', () => expectDecodeError(run(mutate(1, 0x50)), 1, /magic/));
  it('another major version', () => expectDecodeError(run(mutate(8, 2)), 8, /major version 2/));
  it('a header whose CRC does not match', () => expectDecodeError(run(mutate(30, 0x41)), 60, /header CRC/));
  it('a record whose CRC does not match', () => expectDecodeError(run(mutate(80, 0x41)), 87, /record CRC/));
  it('record kind 0 (a zero-filled tail)', () => expectDecodeError(run(Uint8Array.from([...SMALL.subarray(0, 145), 0, 0, 0, 0])), 145, /kind 0/));
  it('a file cut inside a record', () => expectDecodeError(run(SMALL.subarray(0, 150)), 145, /truncated/));
  it('bytes after the End record', () => expectDecodeError(run(Uint8Array.from([...SMALL, 0x10])), 185, /after the End record|follow the End/));

  it('a payload length over 1 MiB, before any payload byte arrives', () => {
    const reader = OrecReader.fromStart();
    reader.push(SMALL.subarray(0, 64));
    // ServerData, t=0, length 1 MiB + 1 (varint 81 80 40) and nothing after it.
    reader.push(Uint8Array.of(0x02, 0x00, 0x81, 0x80, 0x40));
    expectDecodeError(() => reader.next(), 66, /exceeds the cap/);
  });

  it('a Sync record whose totals disagree with the records before it', () => {
    // Rebuild the Sync record at 134 with record_index 4 and a fresh CRC.
    const frame = Uint8Array.of(0x20, 0xb8, 0x17, 0x03, 0x04, 0x0c, 0x0c);
    const crc = crc32c(frame);
    const bytes = Uint8Array.from([...SMALL.subarray(0, 134), ...frame, crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff]);
    expectDecodeError(run(bytes), 134, /disagrees/);
  });

  it('an unknown critical record kind, and skips an unknown ancillary one', () => {
    const record = (kind: number): number[] => {
      const frame = [kind, 0xa0, 0x1f, 0x01, 0x55];
      const crc = crc32c(Uint8Array.from(frame));
      return [...frame, crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff];
    };
    expectDecodeError(run(Uint8Array.from([...SMALL.subarray(0, 145), ...record(0x30)])), 145, /unknown critical record kind 0x30/);
    const records = readAll(OrecReader.fromStart(), Uint8Array.from([...SMALL.subarray(0, 145), ...record(0x9a)]), 9);
    expect(records.at(-1)?.kind).toBe(0x9a);
  });
});
