/** `GET /api/me` → 200. */
export interface Me {
  readonly username: string;
  readonly isAdmin: boolean;
  /** The password must be changed before anything else (the gateway refuses other API calls with 403). */
  readonly mustChangePassword: boolean;
  /** Set when this sign-in was opened by a Web Desktop link: the one target it may reach. */
  readonly scope?: string | null;
  /** Which recordings the user may list and play: none, their own sessions', or all. */
  readonly recordings?: RecordingsAccess;
}

/** `RecordingsAccess` of the user's roles (CONTRACTS section 2). */
export type RecordingsAccess = 'none' | 'own' | 'all';

/** One entry of `GET /api/recordings`. Times are ISO 8601. */
export interface RecordingItem {
  readonly id: string;
  readonly userId: string;
  readonly user: string;
  readonly targetId: string;
  readonly target: string;
  readonly protocol: string;
  /** The recording's kind: `tdp` or `rfb-passthrough` (a desktop's `.orec`), `asciicast` (a terminal's `.cast`). */
  readonly kind: string;
  readonly started: string;
  readonly ended: string | null;
  readonly durationMs: number;
  readonly sizeBytes: number;
  readonly status: 'recording' | 'complete' | 'incomplete';
  /** Why a recording is incomplete, or null. */
  readonly problem: string | null;
}

/** `GET /api/recordings` → 200: newest first; `next` is the `before` of the following page, or null. */
export interface RecordingPage {
  readonly items: readonly RecordingItem[];
  readonly next: string | null;
}

/** The filters and page of `GET /api/recordings`. */
export interface RecordingFilter {
  readonly user?: string;
  readonly target?: string;
  readonly protocol?: string;
  /** ISO 8601 instants. */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  readonly before?: string;
}

/** The timeline of a desktop recording's playable TDP file. */
export interface RecordingTimeline {
  readonly durationUs: number;
  readonly syncPoints: readonly { readonly offset: number; readonly timeUs: number }[];
  readonly histogram: { readonly bucketUs: number; readonly bytes: readonly number[] };
}

/** `GET /api/recordings/{id}` → 200; `timeline` is null for a terminal recording (kind `asciicast`). */
export interface RecordingDetails extends RecordingItem {
  readonly timeline: RecordingTimeline | null;
}

/** `GET /api/recordings/exports/{jobId}` → 200 (made by the export work). */
export interface ExportJob {
  readonly jobId: string;
  readonly recordingId: string;
  readonly format: 'mp4' | 'webm';
  readonly state: 'queued' | 'running' | 'done' | 'failed';
  readonly progress: number;
  readonly error: string | null;
}

/** `POST /api/auth/signin` → 200. */
export interface SignInResult {
  readonly username: string;
  readonly isAdmin: boolean;
  readonly mustChangePassword: boolean;
  readonly recordings?: RecordingsAccess;
}

/** What the signed-in user may do on a target. */
export interface TargetPermissions {
  /** Remote clipboard may flow to the browser. */
  readonly clipboardRead: boolean;
  /** Browser clipboard may flow to the remote side. */
  readonly clipboardWrite: boolean;
  /** The remote desktop may be resized to the browser window. */
  readonly resize: boolean;
}

/** One entry of `GET /api/targets`. */
export interface Target {
  readonly id: string;
  readonly name: string;
  readonly protocol: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>> | readonly string[];
  readonly permissions: TargetPermissions;
  /**
   * SSH targets: the logins this user may open, the target's own username first (CONTRACTS 3). Absent from older
   * gateways and for other protocols; then the terminal opens with the target's own username.
   */
  readonly logins?: readonly string[];
}

/** One session running on the gateway (`GET /api/sessions`). */
export interface LiveSessionItem {
  readonly id: string;
  readonly userId: string;
  readonly user: string;
  readonly targetId: string;
  readonly target: string;
  readonly protocol: string;
  /** `tdp` (rendered by the gateway) or `passthrough`. */
  readonly kind: string;
  /** What the session shows: a desktop, or a terminal (SSH). */
  readonly medium: 'desktop' | 'terminal';
  readonly started: string;
  readonly bytesToBrowser: number;
  readonly bytesFromTarget: number;
  readonly watchers: number;
  /** The signed-in user may watch it live, read-only. */
  readonly watchable: boolean;
}

/** `GET /api/sessions`: the user's own sessions, or every one for a user who may watch live sessions. */
export interface LiveSessionList {
  readonly items: readonly LiveSessionItem[];
  readonly mayWatch: boolean;
}
