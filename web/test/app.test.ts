import { describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api/client';
import { signedInFrom } from '../src/app';

function meFetch(body: unknown) {
  return (): Promise<Response> => Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
}

describe('signedInFrom', () => {
  it('keeps the forced password change the gateway reports after a reload', async () => {
    const api = new ApiClient(meFetch({ username: 'newbie', isAdmin: false, mustChangePassword: true, scope: null }), () => '');
    expect(signedInFrom(await api.me())).toEqual({ username: 'newbie', isAdmin: false, mustChangePassword: true, scope: null });
  });

  it('needs no change when the gateway says so', async () => {
    const api = new ApiClient(meFetch({ username: 'carol', isAdmin: true, mustChangePassword: false, scope: null }), () => '');
    expect(signedInFrom(await api.me())?.mustChangePassword).toBe(false);
  });

  it('is null when not signed in', async () => {
    const api = new ApiClient(() => Promise.resolve(new Response('', { status: 401 })), () => '');
    expect(signedInFrom(await api.me())).toBeNull();
  });
});
