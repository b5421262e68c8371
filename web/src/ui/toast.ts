import { h } from './dom';

/** Short-lived messages in a corner, announced to screen readers. */
export class Toaster {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
  }

  /** Shows a message for a few seconds. `severity` 1 is a warning. */
  show(message: string, severity = 0, durationMs = 6000): void {
    const toast = h('div', { class: severity >= 1 ? 'toast toast-warning' : 'toast' }, message);
    this.element.append(toast);
    window.setTimeout(() => toast.remove(), durationMs);
  }
}
