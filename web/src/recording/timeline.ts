/** A place to start playing from: a Sync record's file offset and time (`GET /api/recordings/{id}` timeline). */
export interface SyncPoint {
  readonly offset: number;
  readonly timeUs: number;
}

/** The timeline of a recording as the gateway's metadata endpoint gives it. */
export interface RecordingTimeline {
  readonly durationUs: number;
  /** In file order (so also in time order). */
  readonly syncPoints: readonly SyncPoint[];
  readonly histogram: { readonly bucketUs: number; readonly bytes: readonly number[] };
}

/** The last sync point at or before `timeUs`, or null when there is none (start from the beginning then). */
export function syncPointAtOrBefore(points: readonly SyncPoint[], timeUs: number): SyncPoint | null {
  let lo = 0;
  let hi = points.length - 1;
  let found: SyncPoint | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = points[mid]!;
    if (p.timeUs <= timeUs) {
      found = p;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  // Several sync points may share a time; the binary search lands on the last of them, which is the one to use.
  return found;
}
