import { ApiError } from './api-error';
import type { ExportJob, LiveSessionList, Me, RecordingDetails, RecordingFilter, RecordingPage, SignInResult, Target } from './types';

/** Name of the double-submit CSRF cookie and of the header that must echo it. */
export const CSRF_COOKIE = 'oriel_csrf';
export const CSRF_HEADER = 'X-Oriel-Csrf';

/** The value of one cookie in a `document.cookie` string, or null. */
export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      continue;
    }
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), or null. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') {
    return null;
  }
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** The gateway's HTTP API, as the browser client uses it. Same origin, cookie session. */
export class ApiClient {
  constructor(
    private readonly fetchFn: FetchFn = (input, init) => fetch(input, init),
    private readonly cookies: () => string = () => document.cookie,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The signed-in user, or null when not signed in. */
  async me(): Promise<Me | null> {
    try {
      return await this.request<Me>('GET', '/api/me');
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthorized) {
        return null;
      }
      throw error;
    }
  }

  signIn(username: string, password: string): Promise<SignInResult> {
    return this.request<SignInResult>('POST', '/api/auth/signin', { username, password });
  }

  async signOut(): Promise<void> {
    await this.request<unknown>('POST', '/api/auth/signout', {});
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.request<unknown>('POST', '/api/auth/password', { currentPassword, newPassword });
  }

  targets(): Promise<Target[]> {
    return this.request<Target[]>('GET', '/api/targets');
  }

  /** The sessions running now that the user may see (their own, or all when they may watch live sessions). */
  liveSessions(): Promise<LiveSessionList> {
    return this.request<LiveSessionList>('GET', '/api/sessions');
  }

  /** A page of recordings the user may see, newest first. */
  recordings(filter: RecordingFilter = {}): Promise<RecordingPage> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '') {
        query.set(key, String(value));
      }
    }
    const qs = query.toString();
    return this.request<RecordingPage>('GET', qs === '' ? '/api/recordings' : `/api/recordings?${qs}`);
  }

  /** One recording with its timeline (opening it is audited as `recording.view`). */
  recording(id: string): Promise<RecordingDetails> {
    return this.request<RecordingDetails>('GET', `/api/recordings/${encodeURIComponent(id)}`);
  }

  /** Starts a video export of a recording. */
  startExport(id: string, format: 'mp4' | 'webm'): Promise<{ jobId: string }> {
    return this.request<{ jobId: string }>('POST', `/api/recordings/${encodeURIComponent(id)}/exports`, { format });
  }

  exportJob(jobId: string): Promise<ExportJob> {
    return this.request<ExportJob>('GET', `/api/recordings/exports/${encodeURIComponent(jobId)}`);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET') {
      const csrf = readCookie(this.cookies(), CSRF_COOKIE);
      if (csrf !== null) {
        headers[CSRF_HEADER] = csrf;
      }
    }
    const response = await this.fetchFn(path, init);
    const text = await response.text();
    let json: unknown = null;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!response.ok) {
      const message =
        typeof json === 'object' && json !== null && 'error' in json && typeof json.error === 'string'
          ? json.error
          : `${response.status} ${response.statusText}`.trim();
      throw new ApiError(response.status, message, parseRetryAfter(response.headers.get('Retry-After'), this.now()));
    }
    return json as T;
  }
}

/** Where a recording's own file is read: a terminal's asciicast (`.cast`), a desktop's `.orec`. */
export function recordingOwnFileUrl(id: string): string {
  return `/api/recordings/${encodeURIComponent(id)}/file`;
}

/** Where the playable TDP recording of `id` is read with Range requests. */
export function recordingFileUrl(id: string): string {
  return `/api/recordings/${encodeURIComponent(id)}/tdp`;
}

/** Where a finished export's video is downloaded. */
export function exportFileUrl(jobId: string): string {
  return `/api/recordings/exports/${encodeURIComponent(jobId)}/file`;
}

/** The read-only WebSocket onto a running session (`/api/sessions/live/<id>/watch`). */
export function watchSocketUrl(location: { protocol: string; host: string }, sessionId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/sessions/live/${encodeURIComponent(sessionId)}/watch`;
}
