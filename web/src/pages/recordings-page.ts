import type { ApiClient } from '../api/client';
import type { RecordingFilter, RecordingItem } from '../api/types';
import { dateInputToIso, formatBytes, formatDuration } from '../recording/format-display';
import { routeHash } from '../router';
import { h } from '../ui/dom';
import type { Page } from './page';
import { protocolLabel } from './targets-page';

const PAGE_SIZE = 50;

const STATUS_LABELS: Readonly<Record<RecordingItem['status'], string>> = {
  recording: 'Recording',
  complete: 'Complete',
  incomplete: 'Incomplete',
};

/**
 * The recordings the user may see (`#/recordings`): a table (user, target, protocol, start, duration, size, status)
 * newest first, filters (user, target, protocol, date range) and paging by the API's `next` cursor. Each row opens the
 * player (`#/recordings/<id>`). Hooks: `#recordings-table`, rows `[data-recording-id]`, `#recordings-filter`,
 * `#recordings-older`, `#recordings-newest`, `#recordings-status`.
 */
export class RecordingsPage implements Page {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly table: HTMLTableElement;
  private readonly user: HTMLInputElement;
  private readonly target: HTMLInputElement;
  private readonly protocol: HTMLSelectElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly older: HTMLButtonElement;
  private readonly newest: HTMLButtonElement;
  private filter: RecordingFilter = {};
  private next: string | null = null;
  private disposed = false;
  private loadCount = 0;

  constructor(private readonly api: ApiClient) {
    this.user = h('input', { type: 'text', id: 'recordings-user', name: 'user', placeholder: 'user name or id', autocomplete: 'off' });
    this.target = h('input', { type: 'text', id: 'recordings-target', name: 'target', placeholder: 'target id', autocomplete: 'off' });
    this.protocol = h(
      'select',
      { id: 'recordings-protocol', name: 'protocol' },
      h('option', { value: '' }, 'any'),
      h('option', { value: 'vnc' }, 'VNC'),
      h('option', { value: 'rdp' }, 'RDP'),
      h('option', { value: 'ssh' }, 'SSH'),
    );
    this.from = h('input', { type: 'date', id: 'recordings-from', name: 'from' });
    this.to = h('input', { type: 'date', id: 'recordings-to', name: 'to' });
    const form = h(
      'form',
      { id: 'recordings-filter', class: 'recordings-filter card', role: 'search' },
      h('label', {}, 'User', this.user),
      h('label', {}, 'Target', this.target),
      h('label', {}, 'Protocol', this.protocol),
      h('label', {}, 'From', this.from),
      h('label', {}, 'To', this.to),
      h('button', { type: 'submit', class: 'button primary small' }, 'Filter'),
      h('button', { type: 'reset', class: 'button small' }, 'Clear'),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.applyFilter();
    });
    form.addEventListener('reset', () => window.setTimeout(() => this.applyFilter(), 0));
    this.status = h('p', { id: 'recordings-status', class: 'muted', role: 'status' }, 'Loading recordings…');
    this.body = h('tbody');
    this.table = h(
      'table',
      { id: 'recordings-table', class: 'recordings-table' },
      h(
        'thead',
        {},
        h('tr', {}, ...['User', 'Target', 'Protocol', 'Started', 'Duration', 'Size', 'Status', ''].map((label) => h('th', { scope: 'col' }, label))),
      ),
      this.body,
    );
    this.newest = h('button', { type: 'button', id: 'recordings-newest', class: 'button small', onclick: () => void this.load(undefined) }, 'Newest');
    this.older = h('button', { type: 'button', id: 'recordings-older', class: 'button small', onclick: () => void this.load(this.next ?? undefined) }, 'Older →');
    this.element = h(
      'main',
      { class: 'content content-wide' },
      h('h1', {}, 'Recordings'),
      form,
      this.status,
      this.table,
      h('div', { class: 'form-actions recordings-paging' }, this.newest, this.older),
    );
  }

  mounted(): void {
    void this.load(undefined);
  }

  dispose(): void {
    this.disposed = true;
  }

  private applyFilter(): void {
    const from = dateInputToIso(this.from.value, false);
    const to = dateInputToIso(this.to.value, true);
    this.filter = {
      ...(this.user.value.trim() !== '' ? { user: this.user.value.trim() } : {}),
      ...(this.target.value.trim() !== '' ? { target: this.target.value.trim() } : {}),
      ...(this.protocol.value !== '' ? { protocol: this.protocol.value } : {}),
      ...(from !== null ? { from } : {}),
      ...(to !== null ? { to } : {}),
    };
    void this.load(undefined);
  }

  private async load(before: string | undefined): Promise<void> {
    const load = ++this.loadCount;
    this.status.hidden = false;
    this.status.className = 'muted';
    this.status.textContent = 'Loading recordings…';
    try {
      const page = await this.api.recordings({ ...this.filter, limit: PAGE_SIZE, ...(before !== undefined ? { before } : {}) });
      if (this.disposed || load !== this.loadCount) {
        return;
      }
      this.next = page.next;
      this.older.disabled = page.next === null;
      this.newest.disabled = before === undefined;
      this.body.replaceChildren(...page.items.map((item) => this.row(item)));
      this.table.hidden = page.items.length === 0;
      this.status.textContent = page.items.length === 0 ? 'No recordings match.' : '';
      this.status.hidden = page.items.length > 0;
    } catch (error) {
      if (this.disposed || load !== this.loadCount) {
        return;
      }
      this.status.className = 'form-error';
      this.status.textContent = `Could not load recordings: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private row(item: RecordingItem): HTMLElement {
    const started = new Date(item.started);
    const status = h('span', { class: `recording-status status-${item.status}` }, STATUS_LABELS[item.status] ?? item.status);
    if (item.problem !== null) {
      status.title = item.problem;
    }
    return h(
      'tr',
      { 'data-recording-id': item.id },
      h('td', {}, item.user),
      h('td', {}, item.target),
      h('td', {}, h('span', { class: `badge badge-${item.protocol.toLowerCase()}` }, protocolLabel(item.protocol))),
      h('td', {}, h('time', { datetime: item.started }, Number.isNaN(started.getTime()) ? item.started : started.toLocaleString())),
      h('td', {}, formatDuration(item.durationMs)),
      h('td', {}, formatBytes(item.sizeBytes)),
      h('td', {}, status, item.problem !== null ? h('span', { class: 'muted small recording-problem' }, ` ${item.problem}`) : null),
      h('td', {}, h('a', { class: 'button small primary open-recording', href: routeHash({ name: 'recording', recordingId: item.id }) }, 'Play')),
    );
  }
}
