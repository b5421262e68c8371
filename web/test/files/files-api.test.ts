import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error';
import { downloadUrl, FilesApi } from '../../src/files/files-api';
import { breadcrumb, joinPath, nameProblem } from '../../src/files/paths';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: unknown) {
  const calls: Call[] = [];
  const fn = (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    return Promise.resolve(new Response(body === null ? null : JSON.stringify(body), { status }));
  };
  return { fn, calls };
}

describe('FilesApi', () => {
  it('lists with the path in the query, the home directory without one', async () => {
    const f = fakeFetch(200, { path: '/home/t', entries: [] });
    const api = new FilesApi('s/1', f.fn, () => '');
    await api.list('');
    await api.list('/tmp/a b&c');
    expect(f.calls.map((c) => c.url)).toEqual(['/api/sessions/live/s%2F1/files', '/api/sessions/live/s%2F1/files?path=%2Ftmp%2Fa%20b%26c']);
    expect(f.calls[0]!.init.method).toBe('GET');
  });

  it('sends a chunk as raw bytes with its offset, final flag and the CSRF header', async () => {
    const f = fakeFetch(200, { path: '/x', written: 4, done: false });
    const api = new FilesApi('s1', f.fn, () => 'oriel_csrf=tok');
    const result = await api.putChunk('/home/t/ü.bin', 4, new Blob([new Uint8Array(4)]), false);
    expect(result).toEqual({ path: '/x', written: 4, done: false });
    const call = f.calls[0]!;
    expect(call.url).toBe('/api/sessions/live/s1/files/upload?path=%2Fhome%2Ft%2F%C3%BC.bin&offset=4&final=0');
    expect(call.init.method).toBe('PUT');
    const headers = call.init.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/octet-stream');
    expect(headers['X-Oriel-Csrf']).toBe('tok');
    expect(call.init.body).toBeInstanceOf(Blob);
  });

  it('posts mkdir, rename and delete as JSON with the CSRF header', async () => {
    const f = fakeFetch(200, {});
    const api = new FilesApi('s1', f.fn, () => 'oriel_csrf=tok');
    await api.mkdir('/d');
    await api.rename('/a', '/b');
    await api.remove('/c');
    expect(f.calls.map((c) => [c.url, c.init.body])).toEqual([
      ['/api/sessions/live/s1/files/mkdir', '{"path":"/d"}'],
      ['/api/sessions/live/s1/files/rename', '{"from":"/a","to":"/b"}'],
      ['/api/sessions/live/s1/files/delete', '{"path":"/c"}'],
    ]);
    expect(f.calls.every((c) => (c.init.headers as Record<string, string>)['X-Oriel-Csrf'] === 'tok')).toBe(true);
  });

  it("fails with the gateway's sentence and status", async () => {
    const f = fakeFetch(403, { error: 'Your role does not allow uploading files to this target.' });
    const api = new FilesApi('s1', f.fn, () => '');
    const error = await api.mkdir('/d').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).message).toBe('Your role does not allow uploading files to this target.');
  });

  it('builds download links', () => {
    expect(downloadUrl('s1', '/home/t/a#b.txt')).toBe('/api/sessions/live/s1/files/download?path=%2Fhome%2Ft%2Fa%23b.txt');
  });
});

describe('paths', () => {
  it('makes a breadcrumb from the root down', () => {
    expect(breadcrumb('/home/tester/src')).toEqual([
      { name: '/', path: '/' },
      { name: 'home', path: '/home' },
      { name: 'tester', path: '/home/tester' },
      { name: 'src', path: '/home/tester/src' },
    ]);
    expect(breadcrumb('/')).toEqual([{ name: '/', path: '/' }]);
  });

  it('joins names to folders', () => {
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/home/t', 'a')).toBe('/home/t/a');
  });

  it('refuses names the gateway refuses, with a sentence', () => {
    expect(nameProblem('report.pdf')).toBeNull();
    expect(nameProblem('résumé ✓.txt')).toBeNull();
    expect(nameProblem('a\u0000b')).toBe('The name contains a NUL character, which file names may not hold.');
    expect(nameProblem('a\u001bb')).toBe('The name contains the control character U+001B, which file names here may not hold.');
    expect(nameProblem('a\u007f')).toContain('U+007F');
    expect(nameProblem('a\u0085')).toContain('U+0085');
    expect(nameProblem('a/b')).toBe('A name cannot contain "/".');
    expect(nameProblem('..')).not.toBeNull();
    expect(nameProblem('é'.repeat(128))).toBe('The name is longer than 255 bytes.');
    expect(nameProblem('n'.repeat(255))).toBeNull();
  });
});

