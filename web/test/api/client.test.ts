import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error';
import { ApiClient, parseRetryAfter, readCookie } from '../../src/api/client';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: string, headers: Record<string, string> = {}) {
  const calls: Call[] = [];
  const fn = (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    return Promise.resolve(new Response(body === '' ? null : body, { status, headers }));
  };
  return { fn, calls };
}

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('a=1; oriel_csrf=abc%3D%3D; b=2', 'oriel_csrf')).toBe('abc==');
    expect(readCookie('oriel_csrf=x', 'oriel_csrf')).toBe('x');
    expect(readCookie('xoriel_csrf=1', 'oriel_csrf')).toBeNull();
    expect(readCookie('', 'oriel_csrf')).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', 0)).toBe(30);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60);
    expect(parseRetryAfter(null, 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});

describe('ApiClient', () => {
  it('signs in with JSON and the CSRF header from the cookie', async () => {
    const f = fakeFetch(200, JSON.stringify({ username: 'alice', isAdmin: false, mustChangePassword: true }));
    const api = new ApiClient(f.fn, () => 'oriel_csrf=tok123');
    const result = await api.signIn('alice', 'pw');
    expect(result).toEqual({ username: 'alice', isAdmin: false, mustChangePassword: true });
    expect(f.calls).toHaveLength(1);
    const call = f.calls[0]!;
    expect(call.url).toBe('/api/auth/signin');
    expect(call.init.method).toBe('POST');
    expect(call.init.body).toBe(JSON.stringify({ username: 'alice', password: 'pw' }));
    const headers = call.init.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['X-Oriel-Csrf']).toBe('tok123');
  });

  it('omits the CSRF header when there is no cookie, and on GET', async () => {
    const post = fakeFetch(200, '');
    await new ApiClient(post.fn, () => '').signOut();
    expect((post.calls[0]!.init.headers as Record<string, string>)['X-Oriel-Csrf']).toBeUndefined();
    const get = fakeFetch(200, '[]');
    await new ApiClient(get.fn, () => 'oriel_csrf=t').targets();
    expect((get.calls[0]!.init.headers as Record<string, string>)['X-Oriel-Csrf']).toBeUndefined();
  });

  it('401 on sign-in is an ApiError with the server message', async () => {
    const f = fakeFetch(401, JSON.stringify({ error: 'invalid credentials' }));
    const error = await new ApiClient(f.fn, () => '').signIn('a', 'b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isUnauthorized).toBe(true);
    expect((error as ApiError).message).toBe('invalid credentials');
  });

  it('429 carries Retry-After seconds', async () => {
    const f = fakeFetch(429, JSON.stringify({ error: 'too many attempts' }), { 'Retry-After': '42' });
    const error = (await new ApiClient(f.fn, () => '').signIn('a', 'b').catch((e: unknown) => e)) as ApiError;
    expect(error.isThrottled).toBe(true);
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('me() is null when signed out', async () => {
    const f = fakeFetch(401, '');
    expect(await new ApiClient(f.fn, () => '').me()).toBeNull();
  });

  it('a non-JSON error body still gives a readable message', async () => {
    const f = fakeFetch(500, '<html>oops</html>');
    const error = (await new ApiClient(f.fn, () => '').targets().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/^500/);
  });
});
