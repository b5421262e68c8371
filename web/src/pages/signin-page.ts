import { ApiError } from '../api/api-error';
import type { ApiClient } from '../api/client';
import type { SignInResult } from '../api/types';
import { h } from '../ui/dom';
import type { Page } from './page';

/** Text for a failed sign-in: bad credentials, throttling with the wait, or anything else. */
export function signInErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.isUnauthorized) {
      return 'Wrong username or password.';
    }
    if (error.isThrottled) {
      const wait = error.retryAfterSeconds;
      return wait !== null && wait > 0
        ? `Too many sign-in attempts. Try again in ${formatWait(wait)}.`
        : 'Too many sign-in attempts. Try again later.';
    }
    return `Sign-in failed: ${error.message}`;
  }
  return 'Cannot reach the gateway. Check your connection and try again.';
}

function formatWait(seconds: number): string {
  if (seconds < 60) {
    return seconds === 1 ? '1 second' : `${seconds} seconds`;
  }
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The sign-in form (`#username`, `#password`, `#signin`). */
export class SignInPage implements Page {
  readonly element: HTMLElement;
  private readonly username: HTMLInputElement;
  private readonly password: HTMLInputElement;
  private readonly button: HTMLButtonElement;
  private readonly error: HTMLElement;
  private retryTimer: number | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly onSignedIn: (result: SignInResult) => void,
  ) {
    this.username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', required: true, autofocus: true });
    this.password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    this.button = h('button', { id: 'signin', type: 'submit', class: 'button primary' }, 'Sign in');
    this.error = h('p', { id: 'signin-error', class: 'form-error', role: 'alert', hidden: true });
    const form = h(
      'form',
      { class: 'card auth-card', 'aria-labelledby': 'signin-title', novalidate: true },
      h('h1', { id: 'signin-title' }, 'Sign in to Oriel'),
      h('label', { for: 'username' }, 'Username'),
      this.username,
      h('label', { for: 'password' }, 'Password'),
      this.password,
      this.error,
      this.button,
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.submit();
    });
    this.element = h('main', { class: 'auth-page' }, form);
  }

  mounted(): void {
    this.username.focus();
  }

  dispose(): void {
    window.clearTimeout(this.retryTimer);
  }

  private async submit(): Promise<void> {
    const username = this.username.value.trim();
    const password = this.password.value;
    if (username === '' || password === '') {
      this.showError('Enter your username and password.');
      return;
    }
    this.button.disabled = true;
    this.error.hidden = true;
    try {
      const result = await this.api.signIn(username, password);
      this.onSignedIn(result);
    } catch (error) {
      this.showError(signInErrorText(error));
      this.password.value = '';
      this.password.focus();
      const wait = error instanceof ApiError && error.isThrottled ? (error.retryAfterSeconds ?? 0) : 0;
      this.retryTimer = window.setTimeout(() => {
        this.button.disabled = false;
      }, wait * 1000);
    }
  }

  private showError(text: string): void {
    this.error.textContent = text;
    this.error.hidden = false;
  }
}
