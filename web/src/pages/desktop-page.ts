import type { ApiClient } from '../api/client';
import type { TargetPermissions } from '../api/types';
import { CanvasSurface } from '../desktop/canvas-surface';
import { ClipboardSync } from '../desktop/clipboard-sync';
import { cursorCss, rgbaToDataUrl } from '../desktop/cursor';
import { InputBinding } from '../desktop/input-binding';
import { layoutDesktop, screenSpecFor, type ScaleMode, type Size } from '../desktop/scaling';
import { DesktopSession, sessionSocketUrl, type SessionState } from '../desktop/session';
import { Keysym } from '../input/keysym';
import { keyCodeFromCode } from '../input/keycode';
import { routeHash } from '../router';
import { testHooks } from '../test-hooks';
import { h } from '../ui/dom';
import type { Toaster } from '../ui/toast';
import { WatcherTracker } from '../desktop/watchers';
import type { Page } from './page';

const RESIZE_DEBOUNCE_MS = 300;
const PREFS_KEY = 'oriel.desktop';

interface DesktopPrefs {
  scale: ScaleMode;
  resizeRemote: boolean;
  clipboardPanel: boolean;
}

function loadPrefs(): DesktopPrefs {
  const prefs: DesktopPrefs = { scale: 'fit', resizeRemote: true, clipboardPanel: true };
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(PREFS_KEY) ?? '{}');
    if (typeof stored === 'object' && stored !== null) {
      const s = stored as Partial<Record<keyof DesktopPrefs, unknown>>;
      if (s.scale === 'fit' || s.scale === 'actual') prefs.scale = s.scale;
      if (typeof s.resizeRemote === 'boolean') prefs.resizeRemote = s.resizeRemote;
      if (typeof s.clipboardPanel === 'boolean') prefs.clipboardPanel = s.clipboardPanel;
    }
  } catch {
    // Unreadable preferences: use the defaults.
  }
  return prefs;
}

function savePrefs(prefs: DesktopPrefs): void {
  try {
    window.localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Storage may be disabled; preferences then last for this page only.
  }
}

/** Chromium's Keyboard Lock API, used in fullscreen so Esc, Alt+Tab etc. reach the remote side. */
interface KeyboardLock {
  lock?(codes?: string[]): Promise<void>;
  unlock?(): void;
}

/**
 * The desktop view: toolbar, the remote desktop canvas (`#desktop-canvas`, remote resolution),
 * the clipboard panel and the end-of-session overlay. While someone watches the session (docs/live-view.md), the toolbar
 * shows `#desktop-watched` ("Being watched: bea"). State for tests is on `#desktop`:
 * `data-state`, `data-desktop-size`, `data-requested-size` (the size last asked of the server; absent while
 * nothing is asked, as when "Resize remote" is off),
 * `data-frames`.
 */
export class DesktopPage implements Page {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly viewport: HTMLElement;
  private readonly status: HTMLElement;
  private readonly title: HTMLElement;
  private readonly scaleButton: HTMLButtonElement;
  private readonly resizeCheckbox: HTMLInputElement;
  private readonly clipboardButton: HTMLButtonElement;
  private readonly clipboardPanel: HTMLElement;
  private readonly clipboardText: HTMLTextAreaElement;
  private readonly clipboardSend: HTMLButtonElement;
  private readonly clipboardNote: HTMLElement;
  private readonly fullscreenButton: HTMLButtonElement;
  private readonly sessionButtons: HTMLButtonElement[];
  private readonly overlay: HTMLElement;
  private readonly overlayTitle: HTMLElement;
  private readonly overlayReason: HTMLElement;
  private readonly surface: CanvasSurface;
  private readonly prefs = loadPrefs();
  private readonly abort = new AbortController();
  private session: DesktopSession<ImageBitmap> | null = null;
  private input: InputBinding | null = null;
  private remote: Size = { width: 0, height: 0 };
  private permissions: TargetPermissions = { clipboardRead: true, clipboardWrite: true, resize: true };
  private resizeObserver: ResizeObserver | null = null;
  private resizeTimer: number | undefined;
  private lastScreenSpec: Size | null = null;
  private readonly clipboard = new ClipboardSync();
  private readonly watchers = new WatcherTracker();
  private readonly watchedBadge: HTMLElement;

  constructor(
    private readonly api: ApiClient,
    private readonly targetId: string,
    private readonly username: string,
    private readonly toaster: Toaster,
  ) {
    this.canvas = h('canvas', { id: 'desktop-canvas', tabindex: 0, 'aria-label': 'Remote desktop. Keyboard and mouse input go to the remote machine while focused.' });
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.surface = new CanvasSurface(this.canvas);
    this.viewport = h('div', { class: 'desktop-viewport' }, this.canvas);

    this.status = h('span', { id: 'desktop-status', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
    this.title = h('span', { class: 'desktop-title' }, targetId);
    this.watchedBadge = h('span', { id: 'desktop-watched', class: 'watched-badge', role: 'status', hidden: true });
    this.scaleButton = h('button', { type: 'button', class: 'tool', id: 'desktop-scale', onclick: () => this.toggleScale() });
    this.resizeCheckbox = h('input', { type: 'checkbox', id: 'desktop-resize-remote' });
    this.resizeCheckbox.checked = this.prefs.resizeRemote;
    this.resizeCheckbox.addEventListener('change', () => this.setResizeRemote(this.resizeCheckbox.checked));
    this.clipboardButton = h('button', { type: 'button', class: 'tool', id: 'clipboard-toggle', 'aria-controls': 'clipboard-panel', onclick: () => this.toggleClipboardPanel() }, 'Clipboard');
    this.fullscreenButton = h('button', { type: 'button', class: 'tool', id: 'desktop-fullscreen', onclick: () => void this.toggleFullscreen() }, 'Fullscreen');

    this.sessionButtons = [
      h('button', { type: 'button', class: 'tool', id: 'desktop-ctrl-alt-del', onclick: () => this.sendCtrlAltDel() }, 'Ctrl+Alt+Del'),
      h('button', { type: 'button', class: 'tool tool-danger', id: 'desktop-disconnect', onclick: () => this.session?.disconnect() }, 'Disconnect'),
    ];
    const [ctrlAltDel, disconnect] = this.sessionButtons;
    const toolbar = h(
      'div',
      { class: 'desktop-toolbar', role: 'toolbar', 'aria-label': 'Desktop controls' },
      h('a', { class: 'tool tool-back', href: routeHash({ name: 'targets' }) }, '← Targets'),
      this.title,
      h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
      this.status,
      this.watchedBadge,
      h('span', { class: 'toolbar-spacer' }),
      this.scaleButton,
      h('label', { class: 'tool tool-check', for: 'desktop-resize-remote' }, this.resizeCheckbox, 'Resize remote'),
      this.clipboardButton,
      ctrlAltDel,
      this.fullscreenButton,
      disconnect,
    );

    this.clipboardText = h('textarea', { id: 'clipboard-text', rows: 8, spellcheck: false, 'aria-describedby': 'clipboard-note' });
    this.clipboardSend = h('button', { type: 'button', id: 'clipboard-send', class: 'button primary', onclick: () => this.sendPanelClipboard() }, 'Send to remote');
    this.clipboardNote = h('p', { id: 'clipboard-note', class: 'muted small' }, 'Text copied on the remote machine appears here. Edit it and press Send to paste it remotely.');
    this.clipboardPanel = h(
      'aside',
      { id: 'clipboard-panel', class: 'clipboard-panel', 'aria-label': 'Clipboard' },
      h('label', { for: 'clipboard-text', class: 'panel-title' }, 'Clipboard'),
      this.clipboardText,
      this.clipboardSend,
      this.clipboardNote,
    );

    this.overlayTitle = h('h2', { id: 'desktop-overlay-title' }, 'Session ended');
    this.overlayReason = h('p', { id: 'desktop-overlay-reason', class: 'overlay-reason' });
    this.overlay = h(
      'div',
      { class: 'desktop-overlay', hidden: true, role: 'alertdialog', 'aria-labelledby': 'desktop-overlay-title', 'aria-describedby': 'desktop-overlay-reason' },
      h(
        'div',
        { class: 'overlay-card' },
        this.overlayTitle,
        this.overlayReason,
        h(
          'div',
          { class: 'form-actions' },
          h('a', { class: 'button', href: routeHash({ name: 'targets' }) }, 'Back to targets'),
          h('button', { type: 'button', class: 'button primary', id: 'desktop-reconnect', onclick: () => this.connect() }, 'Reconnect'),
        ),
      ),
    );

    this.element = h(
      'div',
      { id: 'desktop', class: 'desktop', 'data-state': 'connecting', 'data-frames': '0' },
      toolbar,
      h('div', { class: 'desktop-body' }, h('div', { class: 'desktop-stage' }, this.viewport, this.overlay), this.clipboardPanel),
    );
    this.applyScaleMode();
    this.applyClipboardPanel();
  }

  mounted(): void {
    const signal = this.abort.signal;
    this.resizeObserver = new ResizeObserver(() => this.viewportResized());
    this.resizeObserver.observe(this.viewport);
    document.addEventListener('fullscreenchange', () => this.fullscreenChanged(), { signal });
    this.canvas.addEventListener('focus', () => void this.syncLocalClipboard(), { signal });
    void this.loadTarget();
    this.connect();
  }

  dispose(): void {
    this.abort.abort();
    this.resizeObserver?.disconnect();
    window.clearTimeout(this.resizeTimer);
    this.input?.dispose();
    this.session?.disconnect();
    if (document.fullscreenElement === this.element) {
      void document.exitFullscreen();
    }
  }

  private connect(): void {
    this.input?.dispose();
    this.session?.disconnect();
    this.overlay.hidden = true;
    this.watchers.reset(); // a new connection is a new session, with no watchers yet
    this.showWatchers();
    this.setFrames(0);
    const screen = screenSpecFor(this.viewportSize());
    // The handshake always carries the browser's size; with "Resize remote" off, ResizeRemote (107) tells the
    // gateway that it is only the view's size, and nothing has been asked of the server.
    if (this.prefs.resizeRemote) {
      this.setRequestedSize(screen);
    } else {
      this.clearRequestedSize();
    }
    // Until the server announces the desktop size (103), assume it honours the request.
    this.surface.resize(screen.width, screen.height);
    this.remote = screen;
    delete this.element.dataset['desktopSize'];
    this.layout();
    const session = new DesktopSession<ImageBitmap>({
      url: sessionSocketUrl(window.location, this.targetId),
      username: this.username,
      screen,
      resizeRemote: this.prefs.resizeRemote,
      openSocket: (url) => new WebSocket(url),
      surface: this.surface,
      events: {
        stateChanged: (state, detail) => this.stateChanged(state, detail),
        desktopResized: (size) => this.desktopResized(size),
        framesAcked: (count) => this.setFrames(count),
        cursorChanged: (shape) => {
          this.canvas.style.cursor = cursorCss(shape, rgbaToDataUrl);
        },
        clipboardReceived: (text) => void this.remoteClipboard(text),
        notify: (message, severity) => {
          this.toaster.show(message, severity);
          if (this.watchers.observe(message)) {
            this.showWatchers();
          }
        },
      },
    });
    this.session = session;
    this.input = new InputBinding(this.canvas, session, () => this.remote, (text) => this.sendClipboard(text, false));
    session.connect();
  }

  /** The lasting "Being watched" indicator: shown while at least one live view is open onto this session. */
  private showWatchers(): void {
    const label = this.watchers.label();
    this.watchedBadge.hidden = label === null;
    this.watchedBadge.textContent = label ?? '';
    this.watchedBadge.title = label === null ? '' : `${label} (read-only; ${this.watchers.views} open view${this.watchers.views === 1 ? '' : 's'})`;
  }

  private async loadTarget(): Promise<void> {
    try {
      const target = (await this.api.targets()).find((t) => t.id === this.targetId);
      if (target !== undefined) {
        this.title.textContent = target.name;
        document.title = `${target.name} · Oriel`;
        this.permissions = target.permissions;
        this.applyPermissions();
      }
    } catch {
      // The title stays the id; the gateway enforces permissions anyway.
    }
  }

  private applyPermissions(): void {
    const canWrite = this.permissions.clipboardWrite;
    this.clipboardSend.disabled = !canWrite;
    if (!canWrite) {
      this.clipboardNote.textContent = 'Pasting to this target is not allowed by policy.';
    } else if (!this.permissions.clipboardRead) {
      this.clipboardNote.textContent = 'Copying from this target is not allowed by policy.';
    }
    this.resizeCheckbox.disabled = !this.permissions.resize;
  }

  private stateChanged(state: SessionState, detail: string): void {
    this.element.dataset['state'] = state;
    this.status.textContent = detail;
    const over = state === 'ended' || state === 'error';
    for (const button of this.sessionButtons) {
      button.disabled = over;
    }
    if (over) {
      this.input?.dispose();
      this.input = null;
      this.overlayTitle.textContent = 'Session ended';
      this.overlayReason.textContent = detail;
      this.overlay.classList.toggle('overlay-error', state === 'error');
      this.overlay.hidden = false;
      this.canvas.style.cursor = '';
      this.watchers.reset(); // the session's end ends its watchers' views
      this.showWatchers();
    } else if (state === 'connected') {
      this.canvas.focus({ preventScroll: true });
      // A window resize, or "Resize remote" turned on, while connecting was not sent: catch up.
      this.requestRemoteResize();
    }
  }

  private desktopResized(size: Size): void {
    this.remote = size;
    this.element.dataset['desktopSize'] = `${size.width}x${size.height}`;
    this.layout();
  }

  private setFrames(count: number): void {
    this.element.dataset['frames'] = String(count);
  }

  private viewportSize(): Size {
    return { width: this.viewport.clientWidth, height: this.viewport.clientHeight };
  }

  private layout(): void {
    const remote = this.remote.width > 0 ? this.remote : { width: this.canvas.width, height: this.canvas.height };
    const display = layoutDesktop(this.prefs.scale, remote, this.viewportSize());
    this.canvas.style.width = `${display.cssWidth}px`;
    this.canvas.style.height = `${display.cssHeight}px`;
  }

  private viewportResized(): void {
    this.layout();
    window.clearTimeout(this.resizeTimer);
    this.resizeTimer = window.setTimeout(() => this.requestRemoteResize(), RESIZE_DEBOUNCE_MS);
  }

  private requestRemoteResize(): void {
    if (!this.prefs.resizeRemote || !this.permissions.resize || this.session?.state !== 'connected') {
      return;
    }
    const spec = screenSpecFor(this.viewportSize());
    if (this.lastScreenSpec !== null && spec.width === this.lastScreenSpec.width && spec.height === this.lastScreenSpec.height) {
      return;
    }
    this.setRequestedSize(spec);
    this.session.sendScreenSpec(spec);
  }

  private setRequestedSize(size: Size): void {
    this.lastScreenSpec = size;
    this.element.dataset['requestedSize'] = `${size.width}x${size.height}`;
  }

  private clearRequestedSize(): void {
    this.lastScreenSpec = null;
    delete this.element.dataset['requestedSize'];
  }

  private toggleScale(): void {
    this.prefs.scale = this.prefs.scale === 'fit' ? 'actual' : 'fit';
    savePrefs(this.prefs);
    this.applyScaleMode();
  }

  private applyScaleMode(): void {
    const fit = this.prefs.scale === 'fit';
    this.scaleButton.textContent = fit ? 'Scale: Fit' : 'Scale: 1:1';
    this.scaleButton.setAttribute('aria-label', fit ? 'Scaling: fit to window. Switch to 1:1.' : 'Scaling: 1:1. Switch to fit to window.');
    this.viewport.classList.toggle('scale-fit', fit);
    this.viewport.classList.toggle('scale-actual', !fit);
    this.layout();
  }

  private setResizeRemote(on: boolean): void {
    this.prefs.resizeRemote = on;
    savePrefs(this.prefs);
    this.session?.setResizeRemote(on);
    if (on) {
      // Ask again even for the size last asked: the desktop may have kept another one meanwhile.
      this.clearRequestedSize();
      this.requestRemoteResize();
    }
  }

  private toggleClipboardPanel(): void {
    this.prefs.clipboardPanel = !this.prefs.clipboardPanel;
    savePrefs(this.prefs);
    this.applyClipboardPanel();
  }

  private applyClipboardPanel(): void {
    this.clipboardPanel.hidden = !this.prefs.clipboardPanel;
    this.clipboardButton.setAttribute('aria-expanded', String(this.prefs.clipboardPanel));
  }

  private async toggleFullscreen(): Promise<void> {
    try {
      if (document.fullscreenElement !== null) {
        await document.exitFullscreen();
      } else {
        await this.element.requestFullscreen();
      }
    } catch {
      this.toaster.show('Fullscreen is not available here.', 1);
    }
  }

  private fullscreenChanged(): void {
    const on = document.fullscreenElement === this.element;
    this.fullscreenButton.textContent = on ? 'Exit fullscreen' : 'Fullscreen';
    this.fullscreenButton.setAttribute('aria-pressed', String(on));
    const keyboard = (navigator as Navigator & { keyboard?: KeyboardLock }).keyboard;
    if (on) {
      keyboard?.lock?.().catch(() => undefined);
    } else {
      keyboard?.unlock?.();
    }
  }

  private sendCtrlAltDel(): void {
    this.input?.sendChord([
      { keysym: Keysym.Control_L, keyCode: keyCodeFromCode('ControlLeft') },
      { keysym: Keysym.Alt_L, keyCode: keyCodeFromCode('AltLeft') },
      { keysym: Keysym.Delete, keyCode: keyCodeFromCode('Delete') },
    ]);
    this.canvas.focus({ preventScroll: true });
  }

  private async remoteClipboard(text: string): Promise<void> {
    testHooks().lastClipboardFromRemote = text;
    this.clipboard.remoteCopied(text);
    this.clipboardText.value = text;
    if (!this.permissions.clipboardRead || navigator.clipboard === undefined) {
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      this.clipboard.localWritten(text);
    } catch {
      // Not allowed right now (page not focused, permission denied): the panel has the text.
    }
  }

  private sendPanelClipboard(): void {
    this.sendClipboard(this.clipboardText.value, true);
    this.canvas.focus({ preventScroll: true });
  }

  /** Sends local text to the remote clipboard unless it is what the two sides already share. */
  private sendClipboard(text: string, explicit: boolean): void {
    if (!this.permissions.clipboardWrite || this.session === null) {
      return;
    }
    if (!this.clipboard.shouldSend(text, explicit)) {
      return;
    }
    if (this.session.sendClipboard(text)) {
      this.clipboard.sent(text);
      if (explicit) {
        this.toaster.show('Clipboard sent to the remote machine.');
      }
    } else if (explicit) {
      this.toaster.show(this.session.state === 'connected' ? 'The clipboard text is too large to send.' : 'Not connected.', 1);
    }
  }

  /**
   * On focus, picks up text copied locally meanwhile, where the browser allows reading it silently.
   * Text the page has already seen there (its own write of the remote clipboard, or the same old
   * local text when the panel's Send hands focus back) is not sent again: see ClipboardSync.
   */
  private async syncLocalClipboard(): Promise<void> {
    if (!this.permissions.clipboardWrite || navigator.clipboard === undefined || navigator.permissions === undefined) {
      return;
    }
    try {
      const permission = await navigator.permissions.query({ name: 'clipboard-read' as PermissionName });
      if (permission.state !== 'granted') {
        return;
      }
      const copied = this.clipboard.localRead(await navigator.clipboard.readText());
      if (copied !== null) {
        this.sendClipboard(copied, false);
      }
    } catch {
      // Reading the clipboard is not supported or not allowed; the panel and paste still work.
    }
  }
}
