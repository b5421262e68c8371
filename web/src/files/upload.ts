import type { ChunkResult } from './files-api';

/** The size of the chunks the panel sends (the gateway takes up to 8 MiB). */
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

/** What an upload needs of a file: its size and slices (a `File` or `Blob`). */
export interface UploadSource {
  readonly size: number;
  slice(start: number, end: number): Blob;
}

/** Sends one chunk; resolves with the gateway's answer (see `FilesApi.putChunk`). */
export type ChunkSender = (path: string, offset: number, body: Blob, final: boolean, signal: AbortSignal) => Promise<ChunkResult>;

/** Where an upload stands, for the progress bar. */
export interface UploadProgress {
  readonly sent: number;
  readonly total: number;
}

/** Why an upload stopped early. */
export class UploadCancelled extends Error {
  constructor() {
    super('The upload was cancelled.');
    this.name = 'UploadCancelled';
  }
}

/**
 * The offsets of the chunks of a file of `size` bytes: `[start, end)` pairs of at most `chunk` bytes, the last one
 * marked final. An empty file is one empty, final chunk (it still creates the file).
 */
export function chunkRanges(size: number, chunk: number = UPLOAD_CHUNK_BYTES): { start: number; end: number; final: boolean }[] {
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`size ${size} is not a byte count`);
  }
  if (!Number.isInteger(chunk) || chunk <= 0) {
    throw new RangeError(`chunk ${chunk} is not a positive byte count`);
  }
  if (size === 0) {
    return [{ start: 0, end: 0, final: true }];
  }
  const ranges = [];
  for (let start = 0; start < size; start += chunk) {
    const end = Math.min(size, start + chunk);
    ranges.push({ start, end, final: end === size });
  }
  return ranges;
}

/**
 * One file sent in chunks, one after another (each at the offset where the previous one ended, as the gateway
 * requires), reporting progress after every chunk; `cancel()` aborts the chunk in flight and sends no more. The
 * gateway answers each chunk with the bytes written so far, which must match what was sent: otherwise the upload
 * stops with a sentence rather than leave a file with a hole.
 */
export class ChunkedUpload {
  private readonly abort = new AbortController();
  private sentBytes = 0;

  constructor(
    readonly path: string,
    private readonly source: UploadSource,
    private readonly send: ChunkSender,
    private readonly onProgress: (progress: UploadProgress) => void = () => {},
    private readonly chunkBytes: number = UPLOAD_CHUNK_BYTES,
  ) {}

  get sent(): number {
    return this.sentBytes;
  }

  get total(): number {
    return this.source.size;
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  /** Stops the upload: the chunk in flight is aborted and {@link run} rejects with {@link UploadCancelled}. */
  cancel(): void {
    this.abort.abort();
  }

  /** Sends every chunk; resolves when the final one is written. */
  async run(): Promise<void> {
    this.onProgress({ sent: 0, total: this.total });
    for (const range of chunkRanges(this.total, this.chunkBytes)) {
      if (this.abort.signal.aborted) {
        throw new UploadCancelled();
      }
      let result: ChunkResult;
      try {
        result = await this.send(this.path, range.start, this.source.slice(range.start, range.end), range.final, this.abort.signal);
      } catch (error) {
        if (this.abort.signal.aborted) {
          throw new UploadCancelled();
        }
        throw error;
      }
      if (result.written !== range.end) {
        throw new Error(`The gateway wrote ${result.written} bytes where ${range.end} were sent; the upload stopped.`);
      }
      this.sentBytes = range.end;
      this.onProgress({ sent: this.sentBytes, total: this.total });
    }
  }
}
