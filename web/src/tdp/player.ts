import type { TdpMessage } from './messages';

/** One message of a recording, `atMs` milliseconds after the recording started. */
export interface RecordedMessage {
  readonly atMs: number;
  readonly message: TdpMessage;
}

/** The timer a player waits on: the browser's by default, a fake in tests. */
export interface PlayerTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimer: PlayerTimer = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Feeds recorded server messages to a consumer (a desktop renderer's `handle`) at their recorded pace, the source a
 * renderer uses in place of a live connection. Messages go in recording order; messages of one instant go together,
 * and each later one waits for the time between its timestamp and the one before, so a slow consumer delays what
 * follows rather than reordering it (a timestamp earlier than the one before counts as the same instant).
 */
export class TdpPlayer {
  private next = 0;
  private handle: unknown = null;
  private stopped = false;
  private finished: (() => void) | null = null;

  constructor(
    private readonly recording: readonly RecordedMessage[],
    private readonly consume: (message: TdpMessage) => void,
    private readonly timer: PlayerTimer = browserTimer,
  ) {}

  /** Messages delivered so far. */
  get position(): number {
    return this.next;
  }

  /** Plays from the current position; resolves when the recording has been delivered or {@link stop} was called. */
  play(): Promise<void> {
    if (this.finished !== null) {
      throw new Error('the player is already playing');
    }
    this.stopped = false;
    return new Promise((resolve) => {
      this.finished = resolve;
      const first = this.recording[this.next];
      this.schedule(this.next === 0 && first !== undefined ? Math.max(0, first.atMs) : 0);
    });
  }

  /** Stops after the message being delivered; {@link play} resumes from there. */
  stop(): void {
    this.stopped = true;
    if (this.handle !== null) {
      this.timer.clearTimeout(this.handle);
      this.handle = null;
    }
    this.finish();
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.next >= this.recording.length) {
      this.finish();
      return;
    }
    this.handle = this.timer.setTimeout(() => {
      this.handle = null;
      this.deliver();
    }, delayMs);
  }

  /** Delivers the next message and every one recorded at the same instant (or earlier), then waits for the rest. */
  private deliver(): void {
    let entry: RecordedMessage;
    do {
      if (this.stopped) {
        return;
      }
      entry = this.recording[this.next]!;
      this.next++;
      try {
        this.consume(entry.message);
      } catch (error) {
        this.stop();
        throw error;
      }
    } while (this.next < this.recording.length && this.recording[this.next]!.atMs <= entry.atMs);
    const following = this.recording[this.next];
    this.schedule(following === undefined ? 0 : following.atMs - entry.atMs);
  }

  private finish(): void {
    const finished = this.finished;
    this.finished = null;
    finished?.();
  }
}
