import { describe, expect, it } from 'vitest';
import { HttpRangeSource } from '../../src/recording/range-source';

const FILE = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);

/** A fetch that answers Range requests from FILE like the gateway does (206 + Content-Range), and logs them. */
function rangeServer(log: string[], mode: 'ranges' | 'whole' = 'ranges') {
  return (_url: string, init: RequestInit): Promise<Response> => {
    const range = (init.headers as Record<string, string>)['Range']!;
    log.push(range);
    if (mode === 'whole') {
      return Promise.resolve(new Response(FILE, { status: 200 }));
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(range)!;
    const start = Number(m[1]);
    if (start >= FILE.length) {
      return Promise.resolve(new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${FILE.length}` } }));
    }
    const end = Math.min(Number(m[2]), FILE.length - 1);
    return Promise.resolve(new Response(FILE.slice(start, end + 1), { status: 206, headers: { 'Content-Range': `bytes ${start}-${end}/${FILE.length}` } }));
  };
}

describe('HttpRangeSource', () => {
  it('asks for exactly the bytes it needs and learns the file length', async () => {
    const log: string[] = [];
    const source = new HttpRangeSource('/api/recordings/x/tdp', rangeServer(log));
    const read = await source.read(100, 50);
    expect(log).toEqual(['bytes=100-149']);
    expect(read.totalLength).toBe(1000);
    expect(Array.from(read.bytes)).toEqual(Array.from(FILE.slice(100, 150)));
    const tail = await source.read(990, 50);
    expect(tail.bytes.length).toBe(10);
    expect((await source.read(1000, 50)).bytes.length).toBe(0);
    expect(log).toHaveLength(2);
  });

  it('reads past the end as empty (416)', async () => {
    const source = new HttpRangeSource('/r', rangeServer([]));
    expect((await source.read(5000, 10)).bytes.length).toBe(0);
  });

  it('refuses a server that ignores Range and sends the whole file', async () => {
    const source = new HttpRangeSource('/r', rangeServer([], 'whole'));
    await expect(source.read(0, 10)).rejects.toThrow(/does not support range requests/);
  });
});
