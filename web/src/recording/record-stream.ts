import type { RangeSource } from './range-source';
import type { OrecReader, OrecRecord } from './reader';

/** Bytes fetched per Range request while playing or seeking. */
export const DEFAULT_CHUNK_BYTES = 256 * 1024;

/**
 * The records of a recording from one offset on, fetched a bounded chunk at a time: an {@link OrecReader} fed by a
 * {@link RangeSource}. {@link next} fetches only when the reader needs more bytes; {@link prefetch} starts the next
 * fetch early so real-time playback does not stall at chunk boundaries. {@link close} aborts a fetch in flight.
 */
export class RecordStream {
  private fetchOffset: number;
  private pending: Promise<void> | null = null;
  private done = false;
  private readonly abort = new AbortController();
  private readonly pushedBack: OrecRecord[] = [];

  constructor(
    private readonly source: RangeSource,
    private readonly reader: OrecReader,
    startOffset: number,
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    this.fetchOffset = startOffset;
  }

  /** True once the file has ended (End record read, or no bytes left). */
  get ended(): boolean {
    return this.done && this.reader.buffered === 0 && this.pushedBack.length === 0;
  }

  /** The next record, or null at the end of the recording. Throws RecordingDecodeError for damage. */
  async next(): Promise<OrecRecord | null> {
    for (;;) {
      const record = this.nextBuffered();
      if (record !== null) {
        return record;
      }
      if (this.reader.end !== null || (this.done && this.pending === null)) {
        this.reader.finish();
        return this.reader.next();
      }
      await this.fill();
    }
  }

  /** The next record if its bytes are already here; null otherwise (no fetch). */
  nextBuffered(): OrecRecord | null {
    const back = this.pushedBack.pop();
    if (back !== undefined) {
      return back;
    }
    return this.reader.next();
  }

  /** Puts a record taken with {@link next} back in front (a consumer interrupted before it used it). */
  pushBack(record: OrecRecord): void {
    this.pushedBack.push(record);
  }

  /** Starts fetching the next chunk unless one is in flight or the file has ended. */
  prefetch(): void {
    if (this.pending === null && !this.done && this.reader.end === null) {
      this.pending = this.fetchChunk();
      this.pending.catch(() => undefined);
    }
  }

  close(): void {
    this.done = true;
    this.abort.abort();
  }

  private async fill(): Promise<void> {
    this.prefetch();
    const pending = this.pending;
    if (pending !== null) {
      await pending;
    }
  }

  private async fetchChunk(): Promise<void> {
    try {
      const read = await this.source.read(this.fetchOffset, this.chunkBytes, this.abort.signal);
      if (read.bytes.length === 0) {
        this.done = true;
        return;
      }
      this.fetchOffset += read.bytes.length;
      this.reader.push(read.bytes);
      if (this.fetchOffset >= read.totalLength) {
        this.done = true;
      }
    } finally {
      this.pending = null;
    }
  }
}
