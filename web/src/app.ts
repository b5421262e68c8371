import type { ApiClient } from './api/client';
import type { Me } from './api/types';
import { enabledFeatures } from './features';
import { DesktopPage } from './pages/desktop-page';
import type { Page } from './pages/page';
import { PasswordPage } from './pages/password-page';
import { RecordingPlayerPage } from './pages/recording-player-page';
import { RecordingsPage } from './pages/recordings-page';
import { SessionsPage } from './pages/sessions-page';
import { SignInPage } from './pages/signin-page';
import { TargetsPage } from './pages/targets-page';
import { TerminalPage } from './pages/terminal-page';
import { WatchPage } from './pages/watch-page';
import { parseRoute, routeHash, type Route } from './router';
import { h } from './ui/dom';
import { Toaster } from './ui/toast';

interface SignedIn extends Me {
  mustChangePassword: boolean;
}

/**
 * The signed-in user as `GET /api/me` reports it, or null. The gateway still requires the first
 * password change after a reload, so the flag comes from the server, never assumed false.
 */
export function signedInFrom(me: Me | null): SignedIn | null {
  return me === null ? null : { ...me, mustChangePassword: me.mustChangePassword === true };
}

/** The user may open the recordings pages: their roles give them their own recordings or all (the gateway checks again). */
export function mayWatchRecordings(me: Me): boolean {
  return !me.scope && (me.recordings === 'own' || me.recordings === 'all');
}

/**
 * The single-page app: who is signed in, which page the hash names, and the shell around it.
 * Routes are checked after sign-in, so a deep link (`#/desktop/<id>`) opened while signed out
 * leads to the sign-in form and then straight to that desktop.
 */
export class App {
  private readonly header: HTMLElement;
  private readonly userLabel: HTMLElement;
  private readonly main: HTMLElement;
  private readonly passwordLink: HTMLElement;
  private readonly recordingsLink: HTMLElement;
  private readonly sessionsLink: HTMLElement;
  private readonly toaster = new Toaster();
  private user: SignedIn | null = null;
  private page: Page | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: ApiClient,
  ) {
    this.userLabel = h('span', { class: 'user-name' });
    this.recordingsLink = h('a', { class: 'header-link', id: 'nav-recordings', href: routeHash({ name: 'recordings' }), hidden: true }, 'Recordings');
    this.sessionsLink = h('a', { class: 'header-link', id: 'nav-sessions', href: routeHash({ name: 'sessions' }), hidden: true }, 'Sessions');
    this.passwordLink = h('a', { class: 'header-link', id: 'change-password-link', href: routeHash({ name: 'password' }) }, 'Change password');
    this.header = h(
      'header',
      { class: 'app-header' },
      h('a', { class: 'brand', href: routeHash({ name: 'targets' }) }, 'Oriel'),
      this.recordingsLink,
      this.sessionsLink,
      h('span', { class: 'toolbar-spacer' }),
      this.userLabel,
      this.passwordLink,
      h('button', { type: 'button', id: 'signout', class: 'button small', onclick: () => void this.signOut() }, 'Sign out'),
    );
    this.main = h('div', { class: 'app-main' });
  }

  async start(): Promise<void> {
    this.root.replaceChildren(this.header, this.main, this.toaster.element);
    window.addEventListener('hashchange', () => this.render());
    try {
      const me = await this.api.me();
      this.user = signedInFrom(me);
    } catch {
      this.user = null;
      this.toaster.show('Cannot reach the gateway.', 1);
    }
    this.render();
  }

  private render(): void {
    const route = parseRoute(window.location.hash);
    const user = this.user;
    if (user === null) {
      this.show(new SignInPage(this.api, (result) => {
        this.user = { username: result.username, isAdmin: result.isAdmin, mustChangePassword: result.mustChangePassword, recordings: result.recordings ?? 'none' };
        this.render();
      }), false);
      return;
    }
    // A sign-in opened by a Web Desktop link reaches one desktop only; account pages are not for it.
    this.userLabel.textContent = user.scope ? `${user.username} (link to one desktop)` : user.username;
    this.passwordLink.hidden = Boolean(user.scope);
    this.recordingsLink.hidden = !mayWatchRecordings(user);
    this.sessionsLink.hidden = Boolean(user.scope);
    if (user.mustChangePassword) {
      this.show(new PasswordPage(this.api, true, () => {
        user.mustChangePassword = false;
        this.toaster.show('Password changed.');
        this.render();
      }, null), false);
      return;
    }
    this.show(this.pageFor(route, user), route.name !== 'desktop' && route.name !== 'terminal' && route.name !== 'recording' && route.name !== 'watch');
  }

  private pageFor(route: Route, user: SignedIn): Page {
    switch (route.name) {
      case 'targets':
        document.title = 'Targets · Oriel';
        return new TargetsPage(this.api, enabledFeatures().has('novnc'));
      case 'desktop':
        document.title = 'Desktop · Oriel';
        return new DesktopPage(this.api, route.targetId, user.username, this.toaster);
      case 'terminal':
        document.title = 'Terminal · Oriel';
        return new TerminalPage(this.api, route.targetId, route.login, user.username, this.toaster);
      case 'recordings':
        document.title = 'Recordings · Oriel';
        return new RecordingsPage(this.api);
      case 'recording':
        document.title = 'Recording · Oriel';
        return new RecordingPlayerPage(this.api, route.recordingId, this.toaster);
      case 'sessions':
        document.title = 'Sessions · Oriel';
        return new SessionsPage(this.api);
      case 'watch':
        document.title = 'Watching · Oriel';
        return new WatchPage(route.sessionId, user.username, this.toaster);
      case 'password':
        document.title = 'Change password · Oriel';
        return new PasswordPage(this.api, false, () => {
          this.toaster.show('Password changed.');
          window.location.hash = routeHash({ name: 'targets' });
        }, () => {
          window.history.back();
        });
      case 'not-found':
        document.title = 'Not found · Oriel';
        return {
          element: h('main', { class: 'content' }, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: routeHash({ name: 'targets' }) }, 'Go to your targets'))),
          dispose: () => undefined,
        };
    }
  }

  private show(page: Page, withHeader: boolean): void {
    this.page?.dispose();
    this.page = page;
    this.header.hidden = !withHeader || this.user === null;
    this.main.replaceChildren(page.element);
    page.mounted?.();
  }

  private async signOut(): Promise<void> {
    try {
      await this.api.signOut();
    } catch {
      // Signed out locally either way; the cookie expires on its own.
    }
    this.user = null;
    window.history.replaceState(null, '', routeHash({ name: 'targets' }));
    this.render();
  }
}
