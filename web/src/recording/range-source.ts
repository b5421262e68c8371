/** Bytes of a file read at an offset, and the file's whole length as the server reported it. */
export interface RangeRead {
  readonly bytes: Uint8Array;
  readonly totalLength: number;
}

/** Where a recording's bytes come from: always a bounded range, never the whole file. */
export interface RangeSource {
  /** Reads up to `length` bytes at `offset` (fewer at the end of the file; none past it). */
  read(offset: number, length: number, signal?: AbortSignal): Promise<RangeRead>;
}

type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

/**
 * Reads a file over HTTP with `Range: bytes=a-b` (RFC 9110 section 14). The server must answer 206 with a
 * Content-Range naming the range asked for; a 200 (the whole file) is refused and its body cancelled, so a server
 * that ignores Range never makes the player download a two-hour recording. 416 past the end reads as empty.
 */
export class HttpRangeSource implements RangeSource {
  private total: number | null = null;

  constructor(
    private readonly url: string,
    private readonly fetchFn: FetchFn = (input, init) => fetch(input, init),
  ) {}

  /** The file's length, once a response has told it. */
  get totalLength(): number | null {
    return this.total;
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<RangeRead> {
    if (length <= 0 || (this.total !== null && offset >= this.total)) {
      return { bytes: new Uint8Array(0), totalLength: this.total ?? offset };
    }
    const last = offset + length - 1;
    const init: RequestInit = { method: 'GET', headers: { Range: `bytes=${offset}-${last}` }, credentials: 'same-origin' };
    if (signal !== undefined) {
      init.signal = signal;
    }
    const response = await this.fetchFn(this.url, init);
    if (response.status === 416) {
      await response.body?.cancel();
      const m = /\/(\d+)$/.exec(response.headers.get('Content-Range') ?? '');
      if (m !== null) {
        this.total = Number(m[1]);
      }
      return { bytes: new Uint8Array(0), totalLength: this.total ?? offset };
    }
    if (response.status !== 206) {
      await response.body?.cancel();
      throw new Error(response.status === 200 ? 'the server does not support range requests' : `the recording could not be read (${response.status} ${response.statusText})`.trim());
    }
    const range = CONTENT_RANGE.exec(response.headers.get('Content-Range') ?? '');
    if (range === null || Number(range[1]) !== offset || Number(range[2]) > last) {
      await response.body?.cancel();
      throw new Error('the server answered with another range than the one asked for');
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length !== Number(range[2]) - offset + 1) {
      throw new Error('the server sent fewer bytes than its Content-Range says');
    }
    this.total = Number(range[3]);
    return { bytes, totalLength: this.total };
  }
}
