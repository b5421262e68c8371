import type { ApiClient } from '../api/client';
import type { Target } from '../api/types';
import { h } from '../ui/dom';
import { routeHash } from '../router';
import type { Page } from './page';

/** Display label of a protocol badge. */
export function protocolLabel(protocol: string): string {
  const p = protocol.toLowerCase();
  return p === 'vnc' || p === 'rdp' || p === 'ssh' ? p.toUpperCase() : protocol;
}

/** The list of targets the user may open (`[data-target-id]` items with an `.open-target` button). */
export class TargetsPage implements Page {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;
  private disposed = false;

  constructor(
    private readonly api: ApiClient,
    private readonly showNoVnc: boolean,
  ) {
    this.status = h('p', { class: 'muted', role: 'status' }, 'Loading targets…');
    this.list = h('ul', { class: 'target-list', 'aria-label': 'Targets' });
    this.element = h('main', { class: 'content' }, h('h1', {}, 'Targets'), this.status, this.list);
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.disposed = true;
  }

  private async load(): Promise<void> {
    let targets: Target[];
    try {
      targets = await this.api.targets();
    } catch (error) {
      if (!this.disposed) {
        this.status.textContent = `Could not load targets: ${error instanceof Error ? error.message : String(error)}`;
        this.status.className = 'form-error';
      }
      return;
    }
    if (this.disposed) {
      return;
    }
    this.status.textContent = targets.length === 0 ? 'No targets are available to you yet. Ask an administrator for access.' : '';
    this.status.hidden = targets.length > 0;
    this.list.replaceChildren(...targets.map((t) => this.item(t)));
  }

  private item(target: Target): HTMLElement {
    const protocol = target.protocol.toLowerCase();
    const isVnc = protocol === 'vnc';
    const isSsh = protocol === 'ssh';
    const open = h('a', { class: 'button primary open-target', href: isSsh ? terminalHref(target.id, null) : routeHash({ name: 'desktop', targetId: target.id }) }, 'Open');
    open.setAttribute('aria-label', `Open ${target.name}`);
    return h(
      'li',
      { class: 'target card', 'data-target-id': target.id, 'data-protocol': protocol },
      h(
        'div',
        { class: 'target-main' },
        h('div', { class: 'target-title' }, h('span', { class: 'target-name' }, target.name), h('span', { class: `badge badge-${protocol}` }, protocolLabel(target.protocol))),
        target.description !== '' ? h('p', { class: 'target-description' }, target.description) : null,
      ),
      h(
        'div',
        { class: 'target-actions' },
        isVnc && this.showNoVnc ? h('a', { class: 'button link open-novnc', href: `/novnc/?target=${encodeURIComponent(target.id)}` }, 'Open with noVNC') : null,
        isSsh ? this.loginPicker(target, open) : null,
        open,
      ),
    );
  }

  /**
   * The login choice of an SSH target when the user may use more than one (`logins` from the gateway, the target's
   * own username first): choosing one points Open at `#/terminal/<id>?login=<name>`. Null with one login or none
   * listed: the terminal then opens with the target's own username.
   */
  private loginPicker(target: Target, open: HTMLAnchorElement): HTMLElement | null {
    const logins = target.logins ?? [];
    if (logins.length < 2) {
      return null;
    }
    const select = h('select', { class: 'login-select', id: `login-${target.id}`, 'aria-label': `Login on ${target.name}` });
    for (const login of logins) {
      select.append(h('option', { value: login }, login));
    }
    select.addEventListener('change', () => {
      // The first is the target's own username: no login in the URL, the gateway's default.
      open.href = terminalHref(target.id, select.value === logins[0] ? null : select.value);
    });
    return h('label', { class: 'login-picker' }, h('span', { class: 'muted small' }, 'Login'), select);
  }
}

/** The terminal page of an SSH target, with the chosen login (null: the target's own). */
export function terminalHref(targetId: string, login: string | null): string {
  return routeHash({ name: 'terminal', targetId, login });
}
