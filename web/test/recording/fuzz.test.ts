import { describe, expect, it } from 'vitest';
import smallHex from '../../../tests/Oriel.Recording.Tests/vectors/small.orec.hex?raw';
import tdpSmallHex from '../../../tests/vectors/recording/tdp-small.orec.hex?raw';
import { crc32c } from '../../src/recording/crc32c';
import { OrecRecordKind } from '../../src/recording/format';
import { OrecReader, type OrecRecord } from '../../src/recording/reader';
import { RecordingDecodeError } from '../../src/recording/recording-error';
import { parseKeyframePart, splitTdpMessages } from '../../src/recording/tdp-payload';
import { parseHexVector } from './hex-vector';

/** xorshift32: the same inputs on every run, so a failure is reproducible from the seed in its name. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Reads `bytes` in chunks of random sizes and splits every data and keyframe payload, as the player does. */
function readEverything(bytes: Uint8Array, next: () => number): void {
  const reader = OrecReader.fromStart();
  const tdp = (): boolean => reader.header?.kind === 'tdp';
  const use = (r: OrecRecord): void => {
    if (!tdp()) return;
    if (r.kind === OrecRecordKind.ServerData || r.kind === OrecRecordKind.ClientData) splitTdpMessages(r.payload, r.payloadOffset);
    if (r.kind === OrecRecordKind.Keyframe) parseKeyframePart(r.payload, r.payloadOffset);
  };
  let at = 0;
  while (at < bytes.length) {
    const n = 1 + (next() % 97);
    reader.push(bytes.subarray(at, at + n));
    at += n;
    let r: OrecRecord | null;
    while ((r = reader.next()) !== null) use(r);
  }
  reader.finish();
  let r: OrecRecord | null;
  while ((r = reader.next()) !== null) use(r);
}

const VECTORS: Record<string, Uint8Array> = { 'small.orec': parseHexVector(smallHex), 'tdp-small.orec': parseHexVector(tdpSmallHex) };

describe('the .orec reader on mutated and random input throws RecordingDecodeError or nothing', () => {
  for (const [name, vector] of Object.entries(VECTORS)) {
    it(`${name}: 3000 mutations (flipped, replaced, inserted, removed bytes; truncations)`, () => {
      const next = rng(name.length * 7919);
      let refused = 0;
      for (let i = 0; i < 3000; i++) {
        let bytes = vector.slice();
        const edits = 1 + (next() % 4);
        for (let e = 0; e < edits; e++) {
          const at = next() % bytes.length;
          switch (next() % 5) {
            case 0:
              bytes[at]! ^= 1 << (next() % 8);
              break;
            case 1:
              bytes[at] = next() & 0xff;
              break;
            case 2:
              bytes = Uint8Array.from([...bytes.subarray(0, at), next() & 0xff, ...bytes.subarray(at)]);
              break;
            case 3:
              bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
              break;
            default:
              bytes = bytes.subarray(0, at);
          }
        }
        try {
          readEverything(bytes, next);
        } catch (error) {
          if (!(error instanceof RecordingDecodeError)) {
            throw new Error(`mutation ${i} of ${name} threw ${String(error)}`);
          }
          refused++;
        }
      }
      // Nearly every mutation is caught by a CRC; the rest read as a shorter or equal recording.
      expect(refused).toBeGreaterThan(2500);
    });
  }

  it('random bytes after a valid header', () => {
    const next = rng(12345);
    const header = VECTORS['tdp-small.orec']!.subarray(0, 52);
    for (let i = 0; i < 500; i++) {
      const body = Uint8Array.from({ length: next() % 300 }, () => next() & 0xff);
      try {
        readEverything(Uint8Array.from([...header, ...body]), next);
      } catch (error) {
        expect(error).toBeInstanceOf(RecordingDecodeError);
      }
    }
  });

  it('records with valid frames and CRCs but random payloads reach every payload decoder', () => {
    const next = rng(777);
    const header = VECTORS['tdp-small.orec']!.subarray(0, 52);
    const kinds = [0x01, 0x02, 0x10, 0x11, 0x12, 0x13, 0x20, 0x7f, 0x80, 0x81];
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const kind = kinds[next() % kinds.length]!;
      const payload = Uint8Array.from({ length: next() % 40 }, () => (next() % 4 === 0 ? [0x02, 0x1b, 0x64, 0x67, 0x68][next() % 5]! : next() & 0xff));
      const frame = Uint8Array.from([kind, 0x05, payload.length, ...payload]);
      const crc = crc32c(frame);
      const record = [...frame, crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff];
      try {
        readEverything(Uint8Array.from([...header, ...record]), next);
      } catch (error) {
        if (!(error instanceof RecordingDecodeError)) {
          throw new Error(`record ${i} (kind 0x${kind.toString(16)}) threw ${String(error)}`);
        }
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
