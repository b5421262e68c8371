import type { TdpMessage } from '../tdp/messages';
import { TdpPlayer, type PlayerTimer, type RecordedMessage } from '../tdp/player';
import { OrecRecordKind } from './format';
import type { RangeSource } from './range-source';
import { OrecReader, type OrecRecord } from './reader';
import { DEFAULT_CHUNK_BYTES, RecordStream } from './record-stream';
import { RecordingDecodeError } from './recording-error';
import { parseKeyframePart, splitTdpMessages } from './tdp-payload';
import { syncPointAtOrBefore, type RecordingTimeline } from './timeline';

/** Where played messages go: a desktop renderer in the page, a fake in tests. */
export interface PlaybackSink {
  /** Forgets what was drawn: a seek starts over from a keyframe. */
  reset(): void;
  handle(message: TdpMessage): void;
  /** Resolves once everything handled so far is drawn. */
  idle(): Promise<void>;
}

export type PlaybackState = 'loading' | 'seeking' | 'playing' | 'paused' | 'ended' | 'error';

export interface PlaybackEvents {
  stateChanged(state: PlaybackState, detail: string): void;
}

/** The speeds the player offers. */
export const PLAYBACK_SPEEDS: readonly number[] = [0.5, 1, 2, 4, 8, 16];

export interface RecordingPlaybackOptions {
  readonly source: RangeSource;
  /** File offset of the first record (the header's length): the implicit sync point at time 0. */
  readonly headerLength: number;
  readonly timeline: RecordingTimeline;
  readonly sink: PlaybackSink;
  readonly events?: PlaybackEvents;
  readonly timer?: PlayerTimer;
  /** Wall clock in milliseconds (performance.now by default). */
  readonly now?: () => number;
  readonly chunkBytes?: number;
}

interface TimedMessage {
  readonly timeUs: number;
  readonly message: TdpMessage;
}

/** Messages one batch hands to a {@link TdpPlayer} at most (a batch is what is buffered; this bounds a speed change's rework). */
const MAX_BATCH = 2000;

const browserTimer: PlayerTimer = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Plays a `tdp` recording (CONTRACTS section 1) from bounded Range reads: the ServerData messages go to the sink in
 * real time times the speed, through {@link TdpPlayer}; keyframes met while playing are skipped.
 *
 * Seeking to T: the last sync point at or before T from the timeline; records are read from its offset on (one
 * chunk at a time); the keyframe after the Sync record and the ServerData after it up to T are handed to the sink
 * at once (a later keyframe at or before T, if the index skipped its Sync, replaces what was gathered); once the sink
 * has drawn them, playback goes on from T. Nothing is ever sent anywhere: the sink only draws.
 *
 * A media clock maps wall time to recording time: `anchorUs + (now - anchorWall) × speed` while playing.
 */
export class RecordingPlayback {
  private readonly timer: PlayerTimer;
  private readonly now: () => number;
  private readonly chunkBytes: number;
  private stateValue: PlaybackState = 'loading';
  private speedValue = 1;
  private wantPlay = false;
  private anchorUs = 0;
  private anchorWall = 0;
  private generation = 0;
  private stream: RecordStream | null = null;
  private carry: TimedMessage[] = [];
  private batch: { readonly player: TdpPlayer; readonly entries: readonly TimedMessage[] } | null = null;
  private loop: Promise<void> = Promise.resolve();
  private seeking: Promise<void> = Promise.resolve();

  constructor(private readonly options: RecordingPlaybackOptions) {
    this.timer = options.timer ?? browserTimer;
    this.now = options.now ?? (() => performance.now());
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  get state(): PlaybackState {
    return this.stateValue;
  }

  get speed(): number {
    return this.speedValue;
  }

  get durationUs(): number {
    return this.options.timeline.durationUs;
  }

  /** Where playback is, in microseconds since the recording's start. */
  get currentTimeUs(): number {
    if (this.stateValue !== 'playing') {
      return this.anchorUs;
    }
    const t = this.anchorUs + (this.now() - this.anchorWall) * 1000 * this.speedValue;
    return Math.min(Math.max(t, this.anchorUs), this.durationUs);
  }

  /** Seeks to `timeUs` (clamped to the recording); resolves once that moment is drawn. Keeps playing if it was. */
  seek(timeUs: number): Promise<void> {
    const g = ++this.generation;
    this.stopBatch(false);
    this.carry = [];
    this.stream?.close();
    this.stream = null;
    const target = Math.min(Math.max(0, Math.round(timeUs)), this.durationUs);
    this.anchorUs = target;
    this.setState('seeking', '');
    this.seeking = this.fastForward(g, target).catch((error: unknown) => this.fail(g, error));
    return this.seeking;
  }

  play(): void {
    if (this.stateValue === 'error') {
      return;
    }
    this.wantPlay = true;
    if (this.stateValue === 'ended') {
      void this.seek(0);
      return;
    }
    if (this.stateValue === 'paused') {
      this.startLoop();
    }
  }

  pause(): void {
    this.wantPlay = false;
    if (this.stateValue === 'playing') {
      this.anchorUs = this.currentTimeUs;
      this.generation++;
      this.stopBatch(true);
      this.setState('paused', '');
    }
  }

  /** Sets the speed (0.5x-16x); a playing recording keeps its place and goes on at the new pace. */
  setSpeed(speed: number): void {
    const s = Math.min(16, Math.max(0.5, speed));
    if (s === this.speedValue) {
      return;
    }
    if (this.stateValue === 'playing') {
      this.anchorUs = this.currentTimeUs;
      this.generation++;
      this.stopBatch(true);
      this.speedValue = s;
      this.startLoop();
    } else {
      this.speedValue = s;
    }
  }

  /** Stops everything; fetches in flight are aborted. */
  dispose(): void {
    this.generation++;
    this.wantPlay = false;
    this.stopBatch(false);
    this.stream?.close();
    this.stream = null;
  }

  private async fastForward(g: number, target: number): Promise<void> {
    const sp = syncPointAtOrBefore(this.options.timeline.syncPoints, target);
    // No sync point yet, or the one right after the header: start at the implicit sync point, all totals zero.
    const fromStart = sp === null || sp.offset <= this.options.headerLength;
    const offset = fromStart ? this.options.headerLength : sp.offset;
    const reader = fromStart
      ? OrecReader.atSyncPoint(offset, 0, { recordIndex: 0, clientBytes: 0, serverBytes: 0 })
      : OrecReader.atSyncPoint(offset, sp.timeUs);
    const stream = new RecordStream(this.options.source, reader, offset, this.chunkBytes);
    this.stream = stream;
    let gathered: TdpMessage[] = [];
    let inKeyframe = false;
    for (;;) {
      const record = await stream.next();
      if (g !== this.generation) {
        return;
      }
      if (record === null) {
        break;
      }
      if (record.timeUs > target) {
        stream.pushBack(record);
        break;
      }
      if (record.kind === OrecRecordKind.Keyframe) {
        const part = parseKeyframePart(record.payload, record.payloadOffset);
        if (!inKeyframe) {
          gathered = [];
        }
        gathered.push(...part.messages);
        inKeyframe = !part.last;
      } else if (record.kind === OrecRecordKind.ServerData) {
        gathered.push(...splitTdpMessages(record.payload, record.payloadOffset));
      }
    }
    const sink = this.options.sink;
    sink.reset();
    for (const message of gathered) {
      sink.handle(message);
    }
    await sink.idle();
    if (g !== this.generation) {
      return;
    }
    this.anchorUs = target;
    if (stream.ended && this.stream === stream && target >= this.durationUs) {
      this.setState('ended', '');
      return;
    }
    if (this.wantPlay) {
      this.startLoop();
    } else {
      this.setState('paused', '');
    }
  }

  private startLoop(): void {
    const g = ++this.generation;
    const previous = this.loop;
    this.anchorWall = this.now();
    this.setState('playing', '');
    this.loop = previous.then(() => this.run(g)).catch((error: unknown) => this.fail(g, error));
  }

  /** Plays batches of messages in real time until paused, seeking, or at the end. */
  private async run(g: number): Promise<void> {
    for (;;) {
      if (g !== this.generation) {
        return;
      }
      const stream = this.stream;
      if (stream === null) {
        return;
      }
      let entries = this.carry;
      this.carry = [];
      if (entries.length === 0) {
        const record = await stream.next();
        if (g !== this.generation) {
          if (record !== null) {
            stream.pushBack(record);
          }
          return;
        }
        if (record === null) {
          this.anchorUs = this.durationUs;
          this.wantPlay = false;
          this.setState('ended', '');
          return;
        }
        entries = messagesOf(record);
        let more: OrecRecord | null;
        while (entries.length < MAX_BATCH && (more = stream.nextBuffered()) !== null) {
          entries.push(...messagesOf(more));
        }
        stream.prefetch();
      }
      if (entries.length === 0) {
        continue;
      }
      const base = this.currentTimeUs;
      const speed = this.speedValue;
      const recorded: RecordedMessage[] = entries.map((e) => ({ atMs: Math.max(0, (e.timeUs - base) / 1000 / speed), message: e.message }));
      const sink = this.options.sink;
      const player = new TdpPlayer(recorded, (message) => sink.handle(message), this.timer);
      this.batch = { player, entries };
      await player.play();
      if (g !== this.generation) {
        return;
      }
      this.batch = null;
    }
  }

  /** Stops the batch being played; with `keep`, what it had not delivered yet is kept for the next loop. */
  private stopBatch(keep: boolean): void {
    const batch = this.batch;
    this.batch = null;
    if (batch === null) {
      return;
    }
    const delivered = batch.player.position;
    batch.player.stop();
    if (keep) {
      this.carry = batch.entries.slice(delivered);
    }
  }

  private fail(g: number, error: unknown): void {
    if (g !== this.generation) {
      return;
    }
    this.generation++;
    this.stopBatch(false);
    this.stream?.close();
    this.wantPlay = false;
    const detail = error instanceof RecordingDecodeError ? `The recording is damaged: ${error.message}` : error instanceof Error ? error.message : String(error);
    console.warn('oriel: playback stopped', error);
    this.setState('error', detail);
  }

  private setState(state: PlaybackState, detail: string): void {
    this.stateValue = state;
    this.options.events?.stateChanged(state, detail);
  }
}

/** The TDP messages of a record a linear player shows: ServerData only (keyframes, client input and markers skipped). */
function messagesOf(record: OrecRecord): TimedMessage[] {
  if (record.kind !== OrecRecordKind.ServerData) {
    return [];
  }
  return splitTdpMessages(record.payload, record.payloadOffset).map((message) => ({ timeUs: record.timeUs, message }));
}
