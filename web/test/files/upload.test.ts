import { describe, expect, it } from 'vitest';
import type { ChunkResult } from '../../src/files/files-api';
import { ChunkedUpload, chunkRanges, UPLOAD_CHUNK_BYTES, UploadCancelled, type UploadProgress } from '../../src/files/upload';

const MiB = 1024 * 1024;

/** A gateway stand-in that checks offsets as the real one does and keeps what it was sent. */
class FakeGateway {
  readonly calls: { path: string; offset: number; size: number; final: boolean }[] = [];
  written = 0;
  bytes: number[] = [];
  /** Answer the n-th call (0-based) with this instead. */
  failAt: number | null = null;
  lie = false;

  readonly send = async (path: string, offset: number, body: Blob, final: boolean, signal: AbortSignal): Promise<ChunkResult> => {
    const index = this.calls.length;
    this.calls.push({ path, offset, size: body.size, final });
    if (signal.aborted) {
      throw new DOMException('aborted', 'AbortError');
    }
    if (index === this.failAt) {
      throw new Error('The upload expected its next chunk at offset 0, not 4.');
    }
    if (offset !== this.written && offset !== 0) {
      throw new Error(`wrong offset ${offset}`);
    }
    if (offset === 0) {
      this.bytes = [];
    }
    this.bytes.push(...new Uint8Array(await body.arrayBuffer()));
    this.written = offset + body.size;
    return { path, written: this.lie ? this.written - 1 : this.written, done: final };
  };
}

function blobOf(size: number): Blob {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    data[i] = (i * 7 + 3) & 0xff;
  }
  return new Blob([data]);
}

describe('chunkRanges', () => {
  it('cuts a file into chunks of at most the chunk size, the last one final', () => {
    expect(chunkRanges(10, 4)).toEqual([
      { start: 0, end: 4, final: false },
      { start: 4, end: 8, final: false },
      { start: 8, end: 10, final: true },
    ]);
    expect(chunkRanges(8, 4)).toEqual([
      { start: 0, end: 4, final: false },
      { start: 4, end: 8, final: true },
    ]);
    expect(chunkRanges(3, 4)).toEqual([{ start: 0, end: 3, final: true }]);
  });

  it('sends an empty file as one empty final chunk, so it is still created', () => {
    expect(chunkRanges(0, 4)).toEqual([{ start: 0, end: 0, final: true }]);
  });

  it('uses 4 MiB chunks by default: a 20 MB file is five of them, under the gateway cap of 8 MiB', () => {
    const ranges = chunkRanges(20_000_000);
    expect(UPLOAD_CHUNK_BYTES).toBe(4 * MiB);
    expect(ranges).toHaveLength(5);
    expect(ranges.every((r) => r.end - r.start <= 4 * MiB)).toBe(true);
    expect(ranges.at(-1)).toEqual({ start: 4 * 4 * MiB, end: 20_000_000, final: true });
  });

  it('refuses sizes that are not byte counts', () => {
    expect(() => chunkRanges(-1, 4)).toThrow(RangeError);
    expect(() => chunkRanges(1.5, 4)).toThrow(RangeError);
    expect(() => chunkRanges(4, 0)).toThrow(RangeError);
  });
});

describe('ChunkedUpload', () => {
  it('sends the chunks in order at the offsets the gateway expects, reporting progress after each', async () => {
    const gateway = new FakeGateway();
    const progress: UploadProgress[] = [];
    const source = blobOf(10);
    const upload = new ChunkedUpload('/home/t/a.bin', source, gateway.send, (p) => progress.push(p), 4);

    await upload.run();

    expect(gateway.calls).toEqual([
      { path: '/home/t/a.bin', offset: 0, size: 4, final: false },
      { path: '/home/t/a.bin', offset: 4, size: 4, final: false },
      { path: '/home/t/a.bin', offset: 8, size: 2, final: true },
    ]);
    expect(progress).toEqual([
      { sent: 0, total: 10 },
      { sent: 4, total: 10 },
      { sent: 8, total: 10 },
      { sent: 10, total: 10 },
    ]);
    expect(gateway.bytes).toEqual([...new Uint8Array(await source.arrayBuffer())]);
    expect(upload.sent).toBe(10);
  });

  it('stops at a failed chunk with the gateway sentence and sends nothing after it', async () => {
    const gateway = new FakeGateway();
    gateway.failAt = 1;
    const upload = new ChunkedUpload('/a', blobOf(12), gateway.send, () => {}, 4);

    await expect(upload.run()).rejects.toThrow('The upload expected its next chunk at offset 0, not 4.');
    expect(gateway.calls).toHaveLength(2);
    expect(upload.sent).toBe(4);
  });

  it('stops when the gateway reports other than what was sent, rather than leave a hole', async () => {
    const gateway = new FakeGateway();
    gateway.lie = true;
    const upload = new ChunkedUpload('/a', blobOf(12), gateway.send, () => {}, 4);

    await expect(upload.run()).rejects.toThrow('The gateway wrote 3 bytes where 4 were sent; the upload stopped.');
    expect(gateway.calls).toHaveLength(1);
  });

  it('cancel aborts the chunk in flight and sends no more', async () => {
    const calls: number[] = [];
    let release: () => void = () => {};
    const send = (_path: string, offset: number, _body: Blob, _final: boolean, signal: AbortSignal): Promise<ChunkResult> => {
      calls.push(offset);
      return new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        release = () => resolve({ path: '/a', written: offset + 4, done: false });
      });
    };
    const upload = new ChunkedUpload('/a', blobOf(12), send, () => {}, 4);
    const running = upload.run();
    await Promise.resolve();
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual([0, 4]);

    upload.cancel();

    await expect(running).rejects.toBeInstanceOf(UploadCancelled);
    expect(calls).toEqual([0, 4]);
    expect(upload.sent).toBe(4);
    expect(upload.cancelled).toBe(true);
  });

  it('a cancelled upload that has not started sends nothing', async () => {
    const gateway = new FakeGateway();
    const upload = new ChunkedUpload('/a', blobOf(5), gateway.send, () => {}, 4);
    upload.cancel();
    await expect(upload.run()).rejects.toBeInstanceOf(UploadCancelled);
    expect(gateway.calls).toHaveLength(0);
  });
});
