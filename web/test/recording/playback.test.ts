import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeMessage } from '../../src/tdp/codec';
import { MessageType, type TdpMessage } from '../../src/tdp/messages';
import { RecordingPlayback, type PlaybackSink, type PlaybackState } from '../../src/recording/playback';
import type { RangeRead, RangeSource } from '../../src/recording/range-source';
import type { RecordingTimeline } from '../../src/recording/timeline';
import { TestOrecWriter } from './orec-writer';

/** A minimal PNG: signature + IEND chunk (the sink never decodes it). */
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82);

/** A tile whose position says which second of the recording it belongs to. */
function tile(second: number): Uint8Array {
  return encodeMessage({ type: MessageType.PngFrame, left: second, top: 0, right: second + 1, bottom: 1, data: PNG });
}

/**
 * A tdp recording of `seconds` seconds: a frame (one tile at x = its second) every second, and a keyframe every 5 s
 * (desktop size, then a tile at x = 1000 + its second) written before the frame of that second.
 */
function makeRecording(seconds: number, keyframeEvery = 5): { file: Uint8Array; timeline: RecordingTimeline; headerLength: number } {
  const w = new TestOrecWriter();
  for (let s = 0; s < seconds; s++) {
    const t = s * 1_000_000;
    if (s % keyframeEvery === 0) {
      w.keyframe(t, [encodeMessage({ type: MessageType.DesktopSize, width: 64, height: 48 }), tile(1000 + s)], 1);
    }
    w.serverData(t, tile(s), encodeMessage({ type: MessageType.FrameMarker, frameId: s + 1 }));
  }
  const durationUs = seconds * 1_000_000;
  const file = w.finish(durationUs);
  return { file, headerLength: w.headerLength, timeline: { durationUs, syncPoints: w.syncs, histogram: { bucketUs: durationUs, bytes: [file.length] } } };
}

/** Serves ranges of an in-memory file and remembers each one asked for. */
class MemorySource implements RangeSource {
  readonly reads: { offset: number; length: number }[] = [];
  constructor(private readonly file: Uint8Array) {}
  read(offset: number, length: number): Promise<RangeRead> {
    this.reads.push({ offset, length });
    return Promise.resolve({ bytes: this.file.slice(offset, offset + length), totalLength: this.file.length });
  }
}

/** Records what reaches the screen: "reset", and the x of each tile (keyframe tiles are 1000 + second). */
class LogSink implements PlaybackSink {
  readonly log: string[] = [];
  reset(): void {
    this.log.push('reset');
  }
  handle(message: TdpMessage): void {
    if (message.type === MessageType.PngFrame) this.log.push(String(message.left));
    else if (message.type === MessageType.DesktopSize) this.log.push('size');
  }
  idle(): Promise<void> {
    return Promise.resolve();
  }
}

function playback(file: ReturnType<typeof makeRecording>, chunkBytes: number, now: () => number = () => 0) {
  const source = new MemorySource(file.file);
  const sink = new LogSink();
  const states: PlaybackState[] = [];
  const player = new RecordingPlayback({
    source,
    headerLength: file.headerLength,
    timeline: file.timeline,
    sink,
    chunkBytes,
    now,
    events: { stateChanged: (s) => states.push(s) },
  });
  return { source, sink, states, player };
}

describe('seeking', () => {
  it('starts at the sync point at or before T, draws its keyframe and the frames up to T, and fetches only from there', async () => {
    const rec = makeRecording(7200);
    const sync = rec.timeline.syncPoints.find((p) => p.timeUs === 3_600_000_000)!;
    const { source, sink, player } = playback(rec, 4096);
    await player.seek(3_602_500_000);
    expect(player.state).toBe('paused');
    expect(player.currentTimeUs).toBe(3_602_500_000);
    expect(sink.log).toEqual(['reset', 'size', '4600', '3600', '3601', '3602']);
    expect(source.reads[0]).toEqual({ offset: sync.offset, length: 4096 });
    // A few hundred bytes of records were needed: one chunk, nothing else of a file of half a megabyte.
    expect(source.reads).toHaveLength(1);
    expect(rec.file.length).toBeGreaterThan(500_000);
  });

  it('reads as many bounded chunks as the records up to T need, contiguously', async () => {
    const rec = makeRecording(60);
    const { source, sink, player } = playback(rec, 64);
    await player.seek(14_000_000);
    expect(sink.log).toEqual(['reset', 'size', '1010', '10', '11', '12', '13', '14']);
    const first = rec.timeline.syncPoints.find((p) => p.timeUs === 10_000_000)!.offset;
    expect(source.reads[0]!.offset).toBe(first);
    for (let i = 1; i < source.reads.length; i++) {
      expect(source.reads[i]!.offset).toBe(source.reads[i - 1]!.offset + 64);
    }
    expect(source.reads.every((r) => r.length === 64)).toBe(true);
    const next = rec.timeline.syncPoints.find((p) => p.timeUs === 15_000_000)!.offset;
    expect(source.reads.at(-1)!.offset).toBeLessThan(next);
  });

  it('uses a later keyframe met before T when the index skipped its sync point', async () => {
    const rec = makeRecording(30);
    const sparse = { ...rec, timeline: { ...rec.timeline, syncPoints: rec.timeline.syncPoints.filter((p) => p.timeUs % 10_000_000 === 0) } };
    const { sink, player } = playback(sparse, 1 << 16);
    await player.seek(17_000_000);
    expect(sink.log).toEqual(['reset', 'size', '1015', '15', '16', '17']);
  });

  it('seeks before the first sync point from the implicit one after the header', async () => {
    const rec = makeRecording(12);
    const late = { ...rec, timeline: { ...rec.timeline, syncPoints: rec.timeline.syncPoints.slice(1) } };
    const { source, sink, player } = playback(late, 1 << 16);
    await player.seek(2_000_000);
    expect(source.reads[0]!.offset).toBe(rec.headerLength);
    expect(sink.log).toEqual(['reset', 'size', '1000', '0', '1', '2']);
  });

  it('clamps to the recording and ends at its end', async () => {
    const rec = makeRecording(10);
    const { sink, player } = playback(rec, 1 << 16);
    await player.seek(99_000_000);
    expect(player.currentTimeUs).toBe(10_000_000);
    expect(player.state).toBe('ended');
    expect(sink.log.slice(-2)).toEqual(['8', '9']);
  });

  it('stops with a clear error on damage', async () => {
    const rec = makeRecording(10);
    const damaged = rec.file.slice();
    damaged[rec.timeline.syncPoints[1]!.offset + 30]! ^= 0xff;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const details: string[] = [];
    const player = new RecordingPlayback({
      source: new MemorySource(damaged),
      headerLength: rec.headerLength,
      timeline: rec.timeline,
      sink: new LogSink(),
      events: { stateChanged: (_s, detail) => details.push(detail) },
    });
    await player.seek(6_000_000);
    warn.mockRestore();
    expect(player.state).toBe('error');
    expect(details.at(-1)).toMatch(/^The recording is damaged: record: record CRC .* \(at file offset \d+\)$/);
  });
});

describe('real-time playback on fake timers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function settle(ms: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms);
  }

  it('delivers each second of the recording after one second at 1x', async () => {
    const rec = makeRecording(20);
    const { sink, player } = playback(rec, 1 << 16, () => Date.now());
    await player.seek(0);
    player.play();
    await settle(0);
    expect(sink.log.slice(-1)).toEqual(['0']);
    await settle(999);
    expect(sink.log.slice(-1)).toEqual(['0']);
    await settle(1);
    expect(sink.log.slice(-1)).toEqual(['1']);
    await settle(3000);
    expect(sink.log.slice(-1)).toEqual(['4']);
    expect(player.currentTimeUs).toBe(4_000_000);
  });

  it('skips keyframes while playing linearly', async () => {
    const rec = makeRecording(20);
    const { sink, player } = playback(rec, 1 << 16, () => Date.now());
    await player.seek(3_000_000);
    sink.log.length = 0;
    player.play();
    await settle(4000);
    expect(sink.log).toEqual(['4', '5', '6', '7']);
  });

  it('plays 16x faster at 16x and half as fast at 0.5x, keeping its place when the speed changes', async () => {
    const rec = makeRecording(200);
    const { sink, player } = playback(rec, 1 << 16, () => Date.now());
    await player.seek(0);
    player.setSpeed(16);
    player.play();
    await settle(1000);
    expect(sink.log.at(-1)).toBe('16');
    expect(player.currentTimeUs).toBe(16_000_000);
    player.setSpeed(0.5);
    await settle(1999);
    expect(sink.log.at(-1)).toBe('16');
    await settle(1);
    expect(sink.log.at(-1)).toBe('17');
    expect(player.speed).toBe(0.5);
  });

  it('pauses and resumes where it was', async () => {
    const rec = makeRecording(20);
    const { sink, player } = playback(rec, 1 << 16, () => Date.now());
    await player.seek(0);
    player.play();
    await settle(2500);
    player.pause();
    expect(player.state).toBe('paused');
    expect(player.currentTimeUs).toBe(2_500_000);
    await settle(10_000);
    expect(sink.log.at(-1)).toBe('2');
    player.play();
    await settle(499);
    expect(sink.log.at(-1)).toBe('2');
    await settle(1);
    expect(sink.log.at(-1)).toBe('3');
  });

  it('keeps playing after a seek made while playing, from the new place', async () => {
    const rec = makeRecording(100);
    const { sink, player } = playback(rec, 1 << 16, () => Date.now());
    await player.seek(0);
    player.play();
    await settle(2500);
    expect(sink.log.at(-1)).toBe('2');
    await player.seek(50_500_000);
    expect(player.state).toBe('playing');
    expect(sink.log.slice(sink.log.lastIndexOf('reset'))).toEqual(['reset', 'size', '1050', '50']);
    await settle(499);
    expect(sink.log.at(-1)).toBe('50');
    await settle(1);
    expect(sink.log.at(-1)).toBe('51');
    expect(player.currentTimeUs).toBe(51_000_000);
  });

  it('ends at the end of the recording', async () => {
    const rec = makeRecording(3);
    const { player, states } = playback(rec, 1 << 16, () => Date.now());
    await player.seek(0);
    player.play();
    await settle(5000);
    expect(player.state).toBe('ended');
    expect(states.at(-1)).toBe('ended');
    expect(player.currentTimeUs).toBe(3_000_000);
  });
});
