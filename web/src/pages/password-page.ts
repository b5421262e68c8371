import { ApiError } from '../api/api-error';
import type { ApiClient } from '../api/client';
import { h } from '../ui/dom';
import type { Page } from './page';

/** Change-password form; `forced` when the gateway requires a new password before anything else. */
export class PasswordPage implements Page {
  readonly element: HTMLElement;
  private readonly current: HTMLInputElement;
  private readonly next: HTMLInputElement;
  private readonly confirm: HTMLInputElement;
  private readonly button: HTMLButtonElement;
  private readonly error: HTMLElement;

  constructor(
    private readonly api: ApiClient,
    forced: boolean,
    private readonly onChanged: () => void,
    onCancel: (() => void) | null,
  ) {
    this.current = h('input', { id: 'current-password', type: 'password', autocomplete: 'current-password', required: true });
    this.next = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true });
    this.confirm = h('input', { id: 'confirm-password', type: 'password', autocomplete: 'new-password', required: true });
    this.button = h('button', { id: 'change-password', type: 'submit', class: 'button primary' }, 'Change password');
    this.error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = h(
      'form',
      { class: 'card auth-card', 'aria-labelledby': 'password-title', novalidate: true },
      h('h1', { id: 'password-title' }, forced ? 'Choose a new password' : 'Change password'),
      forced ? h('p', { class: 'muted' }, 'Your password must be changed before you continue.') : null,
      h('label', { for: 'current-password' }, 'Current password'),
      this.current,
      h('label', { for: 'new-password' }, 'New password'),
      this.next,
      h('label', { for: 'confirm-password' }, 'Repeat new password'),
      this.confirm,
      this.error,
      h(
        'div',
        { class: 'form-actions' },
        onCancel !== null ? h('button', { type: 'button', class: 'button', onclick: () => onCancel() }, 'Cancel') : null,
        this.button,
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.submit();
    });
    this.element = h('main', { class: 'auth-page' }, form);
  }

  mounted(): void {
    this.current.focus();
  }

  dispose(): void {}

  private async submit(): Promise<void> {
    if (this.next.value === '' || this.current.value === '') {
      this.showError('Fill in both the current and the new password.');
      return;
    }
    if (this.next.value !== this.confirm.value) {
      this.showError('The new passwords do not match.');
      return;
    }
    this.button.disabled = true;
    try {
      await this.api.changePassword(this.current.value, this.next.value);
      this.onChanged();
    } catch (error) {
      this.showError(
        error instanceof ApiError
          ? error.isUnauthorized
            ? 'The current password is wrong.'
            : error.message
          : 'Cannot reach the gateway. Try again.',
      );
    } finally {
      this.button.disabled = false;
    }
  }

  private showError(text: string): void {
    this.error.textContent = text;
    this.error.hidden = false;
  }
}
