import { ApiError } from '../api/api-error';
import { CSRF_COOKIE, CSRF_HEADER, parseRetryAfter, readCookie } from '../api/client';

/** One entry of a directory listing. */
export interface FileEntry {
  readonly name: string;
  /** The full path on the server. */
  readonly path: string;
  readonly kind: 'file' | 'directory' | 'link' | 'other';
  readonly size: number;
  /** ISO 8601. */
  readonly modified: string;
  /** Unix permission bits, 0 when the server did not say. */
  readonly mode: number;
}

/** `GET /api/sessions/live/<id>/files?path=`: a directory and what the role allows. */
export interface FileListing {
  readonly path: string;
  readonly home: string;
  /** Null at "/". */
  readonly parent: string | null;
  readonly mayDownload: boolean;
  readonly mayUpload: boolean;
  /** Largest upload chunk the gateway takes. */
  readonly maxChunkBytes: number;
  readonly total: number;
  readonly truncated: boolean;
  readonly entries: readonly FileEntry[];
}

/** The answer to one upload chunk. */
export interface ChunkResult {
  readonly path: string;
  /** Bytes of the upload written so far (the next chunk's offset). */
  readonly written: number;
  readonly done: boolean;
}

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** The base of a session's file endpoints. */
export function filesBase(sessionId: string): string {
  return `/api/sessions/live/${encodeURIComponent(sessionId)}/files`;
}

/** Where a file is downloaded from (a plain link: the gateway answers with an attachment). */
export function downloadUrl(sessionId: string, path: string): string {
  return `${filesBase(sessionId)}/download?path=${encodeURIComponent(path)}`;
}

/**
 * The SSH file panel's HTTP API (`/api/sessions/live/<id>/files`, see docs/ssh-files.md): same origin, the session
 * cookie, and the CSRF header on every state-changing call. Failures are {@link ApiError}s carrying the gateway's
 * sentence.
 */
export class FilesApi {
  constructor(
    readonly sessionId: string,
    private readonly fetchFn: FetchFn = (input, init) => fetch(input, init),
    private readonly cookies: () => string = () => document.cookie,
  ) {}

  /** A directory; the login's home directory when `path` is empty. */
  list(path: string): Promise<FileListing> {
    const query = path === '' ? '' : `?path=${encodeURIComponent(path)}`;
    return this.send<FileListing>('GET', `${filesBase(this.sessionId)}${query}`);
  }

  mkdir(path: string): Promise<unknown> {
    return this.send('POST', `${filesBase(this.sessionId)}/mkdir`, JSON.stringify({ path }), 'application/json');
  }

  rename(from: string, to: string): Promise<unknown> {
    return this.send('POST', `${filesBase(this.sessionId)}/rename`, JSON.stringify({ from, to }), 'application/json');
  }

  remove(path: string): Promise<unknown> {
    return this.send('POST', `${filesBase(this.sessionId)}/delete`, JSON.stringify({ path }), 'application/json');
  }

  /** Writes one chunk of an upload at `offset` (0 starts the file); `final` completes it. */
  putChunk(path: string, offset: number, body: Blob, final: boolean, signal?: AbortSignal): Promise<ChunkResult> {
    const url = `${filesBase(this.sessionId)}/upload?path=${encodeURIComponent(path)}&offset=${offset}&final=${final ? 1 : 0}`;
    return this.send<ChunkResult>('PUT', url, body, 'application/octet-stream', signal);
  }

  private async send<T>(method: 'GET' | 'POST' | 'PUT', url: string, body?: BodyInit, contentType?: string, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) {
      init.body = body;
    }
    if (contentType !== undefined) {
      headers['Content-Type'] = contentType;
    }
    if (signal !== undefined) {
      init.signal = signal;
    }
    if (method !== 'GET') {
      const csrf = readCookie(this.cookies(), CSRF_COOKIE);
      if (csrf !== null) {
        headers[CSRF_HEADER] = csrf;
      }
    }
    const response = await this.fetchFn(url, init);
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
          : `The gateway answered ${response.status} ${response.statusText}`.trim() + '.';
      throw new ApiError(response.status, message, parseRetryAfter(response.headers.get('Retry-After'), Date.now()));
    }
    return json as T;
  }
}
