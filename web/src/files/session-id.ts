import { ApiClient } from '../api/client';
import type { LiveSessionItem } from '../api/types';

/** What {@link findOwnSessionId} needs of the API (an `ApiClient`). */
export interface SessionLookupApi {
  me(): Promise<{ readonly username: string } | null>;
  liveSessions(): Promise<{ readonly items: readonly LiveSessionItem[] }>;
}

/**
 * The newest of `items` that belongs to `username` and runs on `targetId`, or null (CONTRACTS 12: the terminal page's
 * own session is the user's newest session on its target). A user who may watch live sessions sees everyone's in the
 * list, hence the user check.
 */
export function newestOwnSession(items: readonly LiveSessionItem[], targetId: string, username: string): string | null {
  let best: LiveSessionItem | null = null;
  for (const item of items) {
    if (item.targetId !== targetId || item.user !== username) {
      continue;
    }
    if (best === null || Date.parse(item.started) > Date.parse(best.started)) {
      best = item;
    }
  }
  return best?.id ?? null;
}

/**
 * The id of the signed-in user's newest live session on `targetId`, from `GET /api/sessions`, or null when there is
 * none (or nobody is signed in). The file panel's endpoints take this id.
 */
export async function findOwnSessionId(targetId: string, api: SessionLookupApi = new ApiClient()): Promise<string | null> {
  const me = await api.me();
  if (me === null) {
    return null;
  }
  const list = await api.liveSessions();
  return newestOwnSession(list.items, targetId, me.username);
}
