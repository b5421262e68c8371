/**
 * Who is watching this desktop session now (docs/live-view.md), for the toolbar's lasting "Being watched" indicator.
 * The gateway tells the watched user of each watcher's start and stop with a TDP Notification (the sentences of
 * `LiveView.Join` / `LiveView.Leave` in the gateway); these arrive in order on the session's own
 * stream, a start always before its stop, and none is dropped, so counting them gives who watches now. One person may
 * watch from two tabs: names are counted, not just collected. A new connection is a new session: {@link reset} then.
 */
export class WatcherTracker {
  private static readonly started = /^(.+) is watching this session \(read-only\)$/;
  private static readonly stopped = /^(.+) stopped watching this session$/;
  private readonly counts = new Map<string, number>();

  /** Takes a notification the session sent; returns true when it was a watch notice (and changed who watches). */
  observe(message: string): boolean {
    const start = WatcherTracker.started.exec(message);
    if (start) {
      const name = start[1]!;
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
      return true;
    }
    const stop = WatcherTracker.stopped.exec(message);
    if (stop) {
      const name = stop[1]!;
      const n = (this.counts.get(name) ?? 0) - 1;
      if (n > 0) {
        this.counts.set(name, n);
      } else {
        this.counts.delete(name);
      }
      return true;
    }
    return false;
  }

  /** The people watching now, in the order they started. */
  get names(): string[] {
    return [...this.counts.keys()];
  }

  /** How many views are open onto the session (one person in two tabs counts twice). */
  get views(): number {
    let total = 0;
    for (const n of this.counts.values()) {
      total += n;
    }
    return total;
  }

  /** The indicator's text, or null when nobody watches. */
  label(): string | null {
    const names = this.names;
    return names.length === 0 ? null : `Being watched: ${names.join(', ')}`;
  }

  reset(): void {
    this.counts.clear();
  }
}
