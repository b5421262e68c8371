import type { LiveSessionItem } from '../api/types';

/**
 * Which running session is this page's own, from `GET /api/sessions` (CONTRACTS 12): the user's sessions on this
 * target that were not running before the page connected (`before`: their ids), newest start first. Null when
 * none is listed (yet).
 */
export function pickOwnSession(items: readonly LiveSessionItem[], targetId: string, username: string, before: ReadonlySet<string>): string | null {
  let best: LiveSessionItem | null = null;
  for (const item of items) {
    if (item.targetId !== targetId || item.user !== username || before.has(item.id)) {
      continue;
    }
    if (best === null || Date.parse(item.started) > Date.parse(best.started)) {
      best = item;
    }
  }
  return best?.id ?? null;
}
