import { describe, expect, it } from 'vitest';
import tdpSmallHex from '../../../tests/vectors/recording/tdp-small.orec.hex?raw';
import { RecordingPlayback, type PlaybackSink } from '../../src/recording/playback';
import type { RangeRead, RangeSource } from '../../src/recording/range-source';
import { OrecReader, type OrecRecord } from '../../src/recording/reader';
import { RecordingDecodeError } from '../../src/recording/recording-error';
import { parseKeyframePart, splitTdpMessages } from '../../src/recording/tdp-payload';
import { MessageType, type TdpMessage } from '../../src/tdp/messages';
import { parseHexVector } from './hex-vector';

/** tests/vectors/recording/tdp-small.orec.hex: a tdp recording (1.1) with a keyframe in two parts, shared with C#. */
const TDP_SMALL = parseHexVector(tdpSmallHex);

function all(reader: OrecReader, bytes: Uint8Array): OrecRecord[] {
  reader.push(bytes);
  reader.finish();
  const out: OrecRecord[] = [];
  let r: OrecRecord | null;
  while ((r = reader.next()) !== null) out.push(r);
  return out;
}

function describeMessage(m: TdpMessage): string {
  switch (m.type) {
    case MessageType.DesktopSize:
      return `size ${m.width}x${m.height}`;
    case MessageType.PngFrame2:
      return `png2 ${m.left},${m.top}-${m.right},${m.bottom}`;
    case MessageType.FrameMarker:
      return `marker ${m.frameId}`;
    case MessageType.CopyRect:
      return `copy ${m.srcLeft},${m.srcTop} ${m.width}x${m.height} → ${m.dstLeft},${m.dstTop}`;
    case MessageType.CursorShape:
      return `cursor ${m.width}x${m.height}`;
    case MessageType.FrameAck:
      return `ack ${m.frameId}`;
    case MessageType.MouseMove:
      return `move ${m.x},${m.y}`;
    default:
      return `type ${m.type}`;
  }
}

describe('tdp-small.orec.hex', () => {
  it('reads the header (1.1, kind tdp) and every record at its documented offset', () => {
    const reader = OrecReader.fromStart();
    const records = all(reader, TDP_SMALL);
    expect(reader.header).toMatchObject({ major: 1, minor: 1, kind: 'tdp', sessionId: 's-2', targetId: 'vnc1', user: 'alice', length: 52 });
    expect(records.map((r) => [r.kind, r.timeUs, r.offset])).toEqual([
      [0x10, 0, 52],
      [0x12, 0, 59],
      [0x02, 1000, 70],
      [0x01, 1500, 273],
      [0x20, 2000, 295],
      [0x80, 2000, 307],
      [0x80, 2000, 415],
      [0x02, 2500, 527],
      [0x13, 2600, 565],
      [0x11, 3000, 609],
      [0x7f, 3000, 622],
    ]);
    expect(reader.end?.index).toEqual([{ fileOffset: 295, timeUs: 2000, recordIndex: 4, clientBytes: 14, serverBytes: 194 }]);
    expect(records[8]!.note).toBe('clipboard: 5 bytes from the browser');
  });

  it('splits ServerData, ClientData and keyframe parts into whole TDP messages', () => {
    const records = all(OrecReader.fromStart(), TDP_SMALL);
    const split = (r: OrecRecord) => splitTdpMessages(r.payload, r.payloadOffset).map(describeMessage);
    expect(split(records[2]!)).toEqual(['size 2x1', 'png2 0,0-1,1', 'png2 1,0-2,1', 'marker 1']);
    expect(split(records[3]!)).toEqual(['ack 1', 'move 1,0']);
    const first = parseKeyframePart(records[5]!.payload, records[5]!.payloadOffset);
    const second = parseKeyframePart(records[6]!.payload, records[6]!.payloadOffset);
    expect([first.last, first.messages.map(describeMessage)]).toEqual([false, ['size 2x1', 'png2 0,0-1,1']]);
    expect([second.last, second.messages.map(describeMessage)]).toEqual([true, ['png2 1,0-2,1', 'cursor 0x0']]);
    expect(split(records[7]!)).toEqual(['copy 0,0 1x1 → 1,0', 'marker 2']);
  });

  it('refuses a ServerData record that ends inside a TDP message, naming the file offset', () => {
    const records = all(OrecReader.fromStart(), TDP_SMALL);
    const r = records[7]!;
    expect(() => splitTdpMessages(r.payload.subarray(0, 10), r.payloadOffset)).toThrow(RecordingDecodeError);
    try {
      splitTdpMessages(r.payload.subarray(0, 10), r.payloadOffset);
    } catch (error) {
      expect((error as RecordingDecodeError).offset).toBe(r.payloadOffset);
    }
  });

  it('seeks to 2.5 ms from the indexed sync point: the two keyframe parts, then the copy rect', async () => {
    const reads: number[] = [];
    const source: RangeSource = {
      read: (offset: number, length: number): Promise<RangeRead> => {
        reads.push(offset);
        return Promise.resolve({ bytes: TDP_SMALL.slice(offset, offset + length), totalLength: TDP_SMALL.length });
      },
    };
    const seen: string[] = [];
    const sink: PlaybackSink = { reset: () => seen.push('reset'), handle: (m) => seen.push(describeMessage(m)), idle: () => Promise.resolve() };
    const player = new RecordingPlayback({
      source,
      headerLength: 52,
      timeline: { durationUs: 3000, syncPoints: [{ offset: 295, timeUs: 2000 }], histogram: { bucketUs: 3000, bytes: [224] } },
      sink,
    });
    await player.seek(2500);
    expect(reads[0]).toBe(295);
    expect(seen).toEqual(['reset', 'size 2x1', 'png2 0,0-1,1', 'png2 1,0-2,1', 'cursor 0x0', 'copy 0,0 1x1 → 1,0', 'marker 2']);
  });
});
