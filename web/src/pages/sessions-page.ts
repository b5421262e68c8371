import type { ApiClient } from '../api/client';
import type { LiveSessionItem } from '../api/types';
import { formatBytes } from '../recording/format-display';
import { routeHash } from '../router';
import { h } from '../ui/dom';
import type { Page } from './page';
import { protocolLabel } from './targets-page';

const REFRESH_MS = 5000;

/**
 * The sessions running now (`#/sessions`): the user's own, or every one for a user who may watch live sessions (a role
 * with WatchLive, or an administrator). A rendered session that may be watched has a Watch button opening the read-only
 * view (`#/sessions/<id>`). Refreshed every few seconds. Hooks: `#sessions-table`, rows `[data-session-id]` (with `data-medium`),
 * `.watch-session`, `#sessions-status`, `#sessions-refresh`.
 */
export class SessionsPage implements Page {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly table: HTMLTableElement;
  private readonly note: HTMLElement;
  private timer: number | undefined;
  private disposed = false;

  constructor(private readonly api: ApiClient) {
    this.status = h('p', { id: 'sessions-status', class: 'muted', role: 'status' }, 'Loading sessions…');
    this.note = h('p', { class: 'muted small' });
    this.body = h('tbody');
    this.table = h(
      'table',
      { id: 'sessions-table', class: 'recordings-table', hidden: true },
      h('thead', {}, h('tr', {}, ...['User', 'Target', 'Protocol', 'Shows', 'Kind', 'Started', 'Sent', 'Watchers', ''].map((label) => h('th', { scope: 'col' }, label)))),
      this.body,
    );
    this.element = h(
      'main',
      { class: 'content content-wide' },
      h('h1', {}, 'Live sessions'),
      this.note,
      h('div', { class: 'form-actions' }, h('button', { type: 'button', id: 'sessions-refresh', class: 'button small', onclick: () => void this.load() }, 'Refresh')),
      this.status,
      this.table,
    );
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    window.clearTimeout(this.timer);
    try {
      const list = await this.api.liveSessions();
      if (this.disposed) {
        return;
      }
      this.note.textContent = list.mayWatch
        ? 'Every session on this gateway. Watching is read-only, and the user is told you are watching.'
        : 'Your own sessions on this gateway.';
      this.body.replaceChildren(...list.items.map((item) => this.row(item)));
      this.table.hidden = list.items.length === 0;
      this.status.className = 'muted';
      this.status.textContent = list.items.length === 0 ? 'No sessions are running.' : '';
      this.status.hidden = list.items.length > 0;
    } catch (error) {
      if (this.disposed) {
        return;
      }
      this.status.hidden = false;
      this.status.className = 'form-error';
      this.status.textContent = `Could not load sessions: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.timer = window.setTimeout(() => void this.load(), REFRESH_MS);
  }

  private row(item: LiveSessionItem): HTMLElement {
    const started = new Date(item.started);
    return h(
      'tr',
      { 'data-session-id': item.id, 'data-user': item.user, 'data-medium': item.medium },
      h('td', {}, item.user),
      h('td', {}, item.target),
      h('td', {}, h('span', { class: `badge badge-${item.protocol.toLowerCase()}` }, protocolLabel(item.protocol))),
      h('td', { class: 'session-medium' }, item.medium === 'terminal' ? 'Terminal' : 'Desktop'),
      h('td', {}, item.kind === 'tdp' ? 'Rendered' : 'Passthrough'),
      h('td', {}, h('time', { datetime: item.started }, Number.isNaN(started.getTime()) ? item.started : started.toLocaleString())),
      h('td', {}, formatBytes(item.bytesToBrowser)),
      h('td', { class: 'session-watchers' }, String(item.watchers)),
      h(
        'td',
        {},
        item.watchable
          ? h('a', { class: 'button small primary watch-session', href: routeHash({ name: 'watch', sessionId: item.id }) }, 'Watch')
          : null,
      ),
    );
  }
}
