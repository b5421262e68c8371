import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import type { ApiClient } from '../api/client';
import type { TargetPermissions } from '../api/types';
import { routeHash } from '../router';
import { terminalPanels, type TerminalPanel } from '../terminal/extensions';
import { pickOwnSession } from '../terminal/own-session';
import { clampFontSize, DEFAULT_FONT_SIZE, loadTerminalPrefs, saveTerminalPrefs } from '../terminal/prefs';
import { terminalShortcut, type TerminalShortcut } from '../terminal/shortcuts';
import { InlineStyleBridge, routeStyleAttributesThroughCssom } from '../terminal/style-bridge';
import {
  binaryStringBytes,
  describeExit,
  TerminalSession,
  terminalSocketUrl,
  type TerminalSize,
  type TerminalState,
} from '../terminal/terminal-session';
import type { TerminalExitMessage } from '../tdp/messages';
import { testHooks } from '../test-hooks';
import { h } from '../ui/dom';
import type { Toaster } from '../ui/toast';
import type { Page } from './page';

/** Selecting with the mouse fires many selection changes; the clipboard gets the selection it settles on. */
const COPY_ON_SELECT_DELAY_MS = 120;
/** How often and how long the page looks for its session in `GET /api/sessions` (for side panels). */
const SESSION_LOOKUP_INTERVAL_MS = 500;
const SESSION_LOOKUP_ATTEMPTS = 20;
/** The list of sessions running before connecting is asked for at most this long (it only serves side panels). */
const SESSION_SNAPSHOT_TIMEOUT_MS = 2000;

const SEARCH_DECORATIONS: NonNullable<ISearchOptions['decorations']> = {
  matchBackground: '#5a4a00',
  matchOverviewRuler: '#d7ba7d',
  activeMatchBackground: '#b58900',
  activeMatchColorOverviewRuler: '#ffcc00',
};

/** One side panel of the page (registered through terminal/extensions.ts), its button, and for which session it is drawn. */
interface PanelSlot {
  readonly panel: TerminalPanel;
  readonly toggle: HTMLButtonElement;
  readonly container: HTMLElement;
  mountedFor: string | null;
}

/**
 * The terminal of an SSH target (`#/terminal/<id>?login=<name>`): xterm.js 6 with the fit, web-links, unicode11 and
 * search addons on a {@link TerminalSession}. Copy on select, Ctrl+Shift+C / Ctrl+Shift+V and Copy / Paste buttons,
 * font size (Ctrl+= / Ctrl+-, kept in this browser), a search bar (Ctrl+Shift+F), 10 000 lines of scrollback, a
 * status line, the exit of the remote program and the end of the session, and the side panels other modules
 * register (the file panel). State for tests is on `#terminal`: `data-state` (connecting|connected|ended|error),
 * `data-size` (COLSxROWS last sent to the gateway), `data-exit`, `data-font-size`, `data-session-id`.
 */
export class TerminalPage implements Page {
  readonly element: HTMLElement;
  private readonly screen: HTMLElement;
  private readonly status: HTMLElement;
  private readonly title: HTMLElement;
  private readonly loginLabel: HTMLElement;
  private readonly stateLabel: HTMLElement;
  private readonly sizeLabel: HTMLElement;
  private readonly exitLabel: HTMLElement;
  private readonly fontSizeLabel: HTMLElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly pasteButton: HTMLButtonElement;
  private readonly disconnectButton: HTMLButtonElement;
  private readonly searchToggle: HTMLButtonElement;
  private readonly searchBar: HTMLElement;
  private readonly searchInput: HTMLInputElement;
  private readonly searchCase: HTMLInputElement;
  private readonly searchCount: HTMLElement;
  private readonly ended: HTMLElement;
  private readonly endedTitle: HTMLElement;
  private readonly endedReason: HTMLElement;
  private readonly panels: PanelSlot[];
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly search = new SearchAddon();
  private readonly prefs = loadTerminalPrefs(storage());
  private readonly abort = new AbortController();
  private styles: InlineStyleBridge | null = null;
  private session: TerminalSession | null = null;
  private sessionId: string | null = null;
  private targetName: string;
  private defaultLogin: string | null = null;
  private permissions: TargetPermissions = { clipboardRead: true, clipboardWrite: true, resize: true };
  private resizeObserver: ResizeObserver | null = null;
  private fitFrame = 0;
  private copyTimer: number | undefined;
  private lookupTimer: number | undefined;
  private connectSerial = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly targetId: string,
    private readonly login: string | null,
    private readonly username: string,
    private readonly toaster: Toaster,
  ) {
    this.targetName = targetId;
    this.screen = h('div', { id: 'terminal-screen', class: 'terminal-screen' });
    this.status = h('span', { id: 'terminal-status', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
    this.title = h('span', { id: 'terminal-title', class: 'desktop-title' }, targetId);
    this.fontSizeLabel = h('span', { id: 'terminal-font-size', class: 'tool-value', 'aria-live': 'polite' });
    this.copyButton = h('button', { type: 'button', class: 'tool', id: 'terminal-copy', title: 'Copy the selection (Ctrl+Shift+C; selecting copies too)', onclick: () => void this.copySelection(true) }, 'Copy');
    this.pasteButton = h('button', { type: 'button', class: 'tool', id: 'terminal-paste', title: 'Paste from the clipboard (Ctrl+Shift+V)', onclick: () => void this.pasteClipboard() }, 'Paste');
    this.searchToggle = h('button', { type: 'button', class: 'tool', id: 'terminal-search-toggle', 'aria-controls': 'terminal-search', 'aria-expanded': 'false', title: 'Search the scrollback (Ctrl+Shift+F)', onclick: () => this.toggleSearch() }, 'Search');
    this.disconnectButton = h('button', { type: 'button', class: 'tool tool-danger', id: 'terminal-disconnect', onclick: () => this.session?.disconnect() }, 'Disconnect');

    this.panels = terminalPanels().map((panel) => {
      const container = h('aside', { id: `terminal-panel-${panel.name}`, class: 'terminal-side-panel', 'data-panel': panel.name, 'aria-label': panel.label, hidden: true });
      const toggle = h('button', { type: 'button', class: 'tool', id: `terminal-panel-${panel.name}-toggle`, 'aria-controls': container.id, 'aria-expanded': 'false' }, panel.label);
      const slot: PanelSlot = { panel, toggle, container, mountedFor: null };
      toggle.addEventListener('click', () => this.togglePanel(slot));
      return slot;
    });

    const toolbar = h(
      'div',
      { class: 'desktop-toolbar terminal-toolbar', role: 'toolbar', 'aria-label': 'Terminal controls' },
      h('a', { class: 'tool tool-back', href: routeHash({ name: 'targets' }) }, '← Targets'),
      this.title,
      h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
      this.status,
      h('span', { class: 'toolbar-spacer' }),
      this.searchToggle,
      h('button', { type: 'button', class: 'tool', id: 'terminal-font-smaller', title: 'Smaller text (Ctrl+-)', 'aria-label': 'Smaller text', onclick: () => this.setFontSize(this.prefs.fontSize - 1) }, 'A−'),
      this.fontSizeLabel,
      h('button', { type: 'button', class: 'tool', id: 'terminal-font-larger', title: 'Larger text (Ctrl+=)', 'aria-label': 'Larger text', onclick: () => this.setFontSize(this.prefs.fontSize + 1) }, 'A+'),
      this.copyButton,
      this.pasteButton,
      ...this.panels.map((p) => p.toggle),
      this.disconnectButton,
    );

    this.searchInput = h('input', { type: 'search', id: 'terminal-search-input', placeholder: 'Search', 'aria-label': 'Search the terminal', spellcheck: false, autocomplete: 'off' });
    this.searchCase = h('input', { type: 'checkbox', id: 'terminal-search-case' });
    this.searchCount = h('span', { id: 'terminal-search-count', class: 'search-count', 'aria-live': 'polite' });
    this.searchBar = h(
      'div',
      { id: 'terminal-search', class: 'terminal-search', role: 'search', hidden: true },
      this.searchInput,
      h('button', { type: 'button', class: 'tool', id: 'terminal-search-prev', title: 'Previous match (Shift+Enter)', onclick: () => this.find(false) }, '↑ Previous'),
      h('button', { type: 'button', class: 'tool', id: 'terminal-search-next', title: 'Next match (Enter)', onclick: () => this.find(true) }, '↓ Next'),
      h('label', { class: 'tool tool-check', for: 'terminal-search-case' }, this.searchCase, 'Match case'),
      this.searchCount,
      h('span', { class: 'toolbar-spacer' }),
      h('button', { type: 'button', class: 'tool', id: 'terminal-search-close', 'aria-label': 'Close search', onclick: () => this.closeSearch() }, '✕'),
    );

    this.endedTitle = h('strong', { id: 'terminal-overlay-title' }, 'Session ended');
    this.endedReason = h('span', { id: 'terminal-overlay-reason', class: 'overlay-reason' });
    this.ended = h(
      'div',
      { id: 'terminal-ended', class: 'terminal-ended', role: 'alert', hidden: true },
      h('div', { class: 'terminal-ended-text' }, this.endedTitle, this.endedReason),
      h('a', { class: 'button', href: routeHash({ name: 'targets' }) }, 'Back to targets'),
      h('button', { type: 'button', class: 'button primary', id: 'terminal-reconnect', onclick: () => void this.connect() }, 'Reconnect'),
    );

    this.loginLabel = h('span', { id: 'terminal-login' });
    this.stateLabel = h('span', { id: 'terminal-state' }, 'connecting');
    this.sizeLabel = h('span', { id: 'terminal-size' });
    this.exitLabel = h('span', { id: 'terminal-exit', hidden: true });
    const statusLine = h('div', { id: 'terminal-statusline', class: 'terminal-statusline' }, this.loginLabel, this.stateLabel, this.sizeLabel, this.exitLabel);

    this.element = h(
      'div',
      { id: 'terminal', class: 'terminal-page', 'data-state': 'connecting' },
      toolbar,
      this.searchBar,
      h('div', { class: 'terminal-body' }, h('div', { class: 'terminal-stage' }, this.screen, this.ended), ...this.panels.map((p) => p.container)),
      statusLine,
    );

    this.term = new Terminal({
      allowProposedApi: true, // `term.unicode` (unicode11) is a proposed API
      scrollback: 10_000,
      fontSize: this.prefs.fontSize,
      fontFamily: "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace",
      cursorBlink: true,
      theme: { background: '#0b0e13', foreground: '#e6e9ef', cursor: '#e6e9ef', selectionBackground: '#35507a' },
    });
    this.showLogin();
    this.showFontSize();
  }

  mounted(): void {
    const signal = this.abort.signal;
    // Before xterm inserts its <style> elements and styles its cells, so that none is missed (see style-bridge.ts).
    routeStyleAttributesThroughCssom();
    this.styles = new InlineStyleBridge(this.screen);
    const term = this.term;
    term.loadAddon(this.fit);
    term.loadAddon(this.search);
    term.loadAddon(new Unicode11Addon());
    term.loadAddon(new WebLinksAddon((event, uri) => this.openLink(event, uri)));
    term.unicode.activeVersion = '11';
    term.open(this.screen);
    term.attachCustomKeyEventHandler((ev) => this.keyEvent(ev));
    term.onData((data) => this.session?.sendText(data));
    term.onBinary((data) => this.session?.sendBytes(binaryStringBytes(data)));
    term.onSelectionChange(() => this.selectionChanged());
    this.search.onDidChangeResults((r) => this.showSearchResults(r.resultIndex, r.resultCount));
    // Pastes through the browser (middle click, the context menu) are refused where the role forbids pasting.
    term.textarea?.addEventListener('paste', (ev) => {
      if (!this.permissions.clipboardWrite) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        this.toaster.show('Pasting to this target is not allowed by policy.', 1);
      }
    }, { capture: true, signal });

    this.searchInput.addEventListener('input', () => this.find(true, true), { signal });
    this.searchInput.addEventListener('keydown', (ev) => this.searchKey(ev), { signal });
    this.searchCase.addEventListener('change', () => this.find(true, true), { signal });
    this.resizeObserver = new ResizeObserver(() => this.scheduleFit());
    this.resizeObserver.observe(this.screen);
    this.fitNow();
    testHooks().terminal = {
      text: () => this.bufferText(),
      screen: () => this.screenRows(),
      selection: () => term.getSelection(),
      bufferType: () => term.buffer.active.type,
      size: () => ({ cols: term.cols, rows: term.rows }),
      find: (text) => this.findOnScreen(text),
      cells: (row) => {
        const line = term.buffer.active.getLine(term.buffer.active.viewportY + row);
        const cells: string[] = [];
        for (let x = 0; line !== undefined && x < term.cols; x++) {
          cells.push(line.getCell(x)?.getChars() ?? '');
        }
        return cells;
      },
    };
    void this.loadTarget();
    void this.connect();
  }

  dispose(): void {
    this.connectSerial++;
    this.abort.abort();
    this.resizeObserver?.disconnect();
    cancelAnimationFrame(this.fitFrame);
    window.clearTimeout(this.copyTimer);
    window.clearTimeout(this.lookupTimer);
    this.session?.disconnect();
    this.session = null;
    this.term.dispose();
    this.styles?.dispose();
    if (testHooks().terminal !== undefined) {
      testHooks().terminal = null;
    }
  }

  /** Opens a new session (also Reconnect): a clean screen, the handshake with the fitted size. */
  private async connect(): Promise<void> {
    const serial = ++this.connectSerial;
    this.session?.disconnect();
    this.session = null;
    this.ended.hidden = true;
    this.exitLabel.hidden = true;
    delete this.element.dataset['exit'];
    this.setSessionId(null);
    this.term.reset();
    this.term.options.cursorBlink = true;
    this.fitNow();
    // Sessions on this target already running are not this page's (several tabs may be open): remember them.
    let before = new Set<string>();
    if (this.panels.length > 0) {
      try {
        const list = await withTimeout(this.api.liveSessions(), SESSION_SNAPSHOT_TIMEOUT_MS);
        before = new Set(list.items.map((s) => s.id));
      } catch {
        // A failed or slow request: side panels then take the newest session on this target.
      }
    }
    if (serial !== this.connectSerial) {
      return;
    }
    const session = new TerminalSession({
      url: terminalSocketUrl(window.location, this.targetId, this.login),
      username: this.username,
      openSocket: (url) => new WebSocket(url),
      size: this.currentSize(),
      sink: { write: (data, consumed) => this.term.write(data, consumed) },
      events: {
        stateChanged: (state, detail) => {
          if (this.session === session) this.stateChanged(state, detail, before);
        },
        exited: (exit) => {
          if (this.session === session) this.exited(exit);
        },
        notify: (message, severity) => this.toaster.show(message, severity),
        resized: (size) => {
          if (this.session === session) this.showSize(size);
        },
      },
    });
    this.session = session;
    session.connect();
  }

  private stateChanged(state: TerminalState, detail: string, before: ReadonlySet<string>): void {
    this.element.dataset['state'] = state;
    this.status.textContent = detail;
    this.stateLabel.textContent = state === 'connected' ? 'connected' : state === 'connecting' ? 'connecting' : 'ended';
    const over = state === 'ended' || state === 'error';
    this.disconnectButton.disabled = over;
    this.pasteButton.disabled = over || !this.permissions.clipboardWrite;
    if (state === 'connected') {
      this.term.focus();
      this.lookUpSession(before, SESSION_LOOKUP_ATTEMPTS);
    } else if (over) {
      window.clearTimeout(this.lookupTimer);
      this.term.options.cursorBlink = false;
      this.endedTitle.textContent = 'Session ended';
      this.endedReason.textContent = detail;
      this.ended.classList.toggle('overlay-error', state === 'error');
      this.ended.hidden = false;
    }
  }

  private exited(exit: TerminalExitMessage): void {
    const sentence = describeExit(exit);
    // Reset attributes first: the program may have ended in the middle of coloured output.
    this.term.write(`\x1b[0m\r\n\x1b[2m[${sentence}]\x1b[0m\r\n`);
    this.element.dataset['exit'] = exit.kind === 0 ? `status ${exit.exitStatus}` : exit.kind === 1 ? `signal ${exit.signal}` : 'unknown';
    this.exitLabel.textContent = sentence;
    this.exitLabel.hidden = false;
  }

  /** Finds this page's session id for the side panels, retrying while the gateway lists it not yet. */
  private lookUpSession(before: ReadonlySet<string>, attempts: number): void {
    window.clearTimeout(this.lookupTimer);
    if (this.panels.length === 0 || attempts <= 0) {
      return;
    }
    const serial = this.connectSerial;
    void this.api
      .liveSessions()
      .then((list) => pickOwnSession(list.items, this.targetId, this.username, before))
      .catch(() => null)
      .then((id) => {
        if (serial !== this.connectSerial || this.session?.state !== 'connected') {
          return;
        }
        if (id !== null) {
          this.setSessionId(id);
        } else {
          this.lookupTimer = window.setTimeout(() => this.lookUpSession(before, attempts - 1), SESSION_LOOKUP_INTERVAL_MS);
        }
      });
  }

  private setSessionId(id: string | null): void {
    this.sessionId = id;
    if (id === null) {
      delete this.element.dataset['sessionId'];
    } else {
      this.element.dataset['sessionId'] = id;
    }
    for (const slot of this.panels) {
      this.mountPanel(slot);
    }
  }

  private togglePanel(slot: PanelSlot): void {
    slot.container.hidden = !slot.container.hidden;
    slot.toggle.setAttribute('aria-expanded', String(!slot.container.hidden));
    this.mountPanel(slot);
    this.scheduleFit();
  }

  /** Draws a shown panel for the current session (again after a reconnect); a note while the session is not known. */
  private mountPanel(slot: PanelSlot): void {
    if (slot.container.hidden || slot.mountedFor === this.sessionId) {
      return;
    }
    slot.container.replaceChildren();
    slot.mountedFor = this.sessionId;
    if (this.sessionId === null) {
      slot.container.append(h('p', { class: 'muted small' }, 'Available once the session is open.'));
      return;
    }
    try {
      slot.panel.mount(slot.container, this.sessionId);
    } catch (error) {
      slot.container.replaceChildren(h('p', { class: 'form-error' }, `${slot.panel.label} could not be shown: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  private async loadTarget(): Promise<void> {
    try {
      const target = (await this.api.targets()).find((t) => t.id === this.targetId);
      if (target !== undefined) {
        this.targetName = target.name;
        this.title.textContent = target.name;
        document.title = `${target.name} · Oriel`;
        this.defaultLogin = target.logins?.[0] ?? null;
        this.permissions = target.permissions;
        this.applyPermissions();
        this.showLogin();
      }
    } catch {
      // The title stays the id; the gateway enforces permissions anyway.
    }
  }

  private applyPermissions(): void {
    this.copyButton.disabled = !this.permissions.clipboardRead;
    if (!this.permissions.clipboardRead) this.copyButton.title = 'Copying from this target is not allowed by policy.';
    this.pasteButton.disabled = !this.permissions.clipboardWrite || this.session?.state === 'ended' || this.session?.state === 'error';
    if (!this.permissions.clipboardWrite) this.pasteButton.title = 'Pasting to this target is not allowed by policy.';
  }

  private showLogin(): void {
    const login = this.login ?? this.defaultLogin;
    this.loginLabel.textContent = login !== null ? `${login}@${this.targetName}` : this.targetName;
    this.element.dataset['login'] = login ?? '';
  }

  private showSize(size: TerminalSize): void {
    this.element.dataset['size'] = `${size.columns}x${size.rows}`;
    this.sizeLabel.textContent = `${size.columns}×${size.rows}`;
  }

  private showFontSize(): void {
    this.fontSizeLabel.textContent = `${this.prefs.fontSize} px`;
    this.element.dataset['fontSize'] = String(this.prefs.fontSize);
  }

  private setFontSize(size: number): void {
    const next = clampFontSize(size);
    if (next === this.prefs.fontSize) {
      return;
    }
    this.prefs.fontSize = next;
    saveTerminalPrefs(storage(), this.prefs);
    this.term.options.fontSize = next;
    this.showFontSize();
    this.fitNow();
  }

  /** The emulator's size now, in cells and in pixels of its screen (for 110 and the screen spec). */
  private currentSize(): TerminalSize {
    const screen = this.term.element?.querySelector<HTMLElement>('.xterm-screen') ?? this.screen;
    return { columns: this.term.cols, rows: this.term.rows, widthPx: screen.clientWidth, heightPx: screen.clientHeight };
  }

  private scheduleFit(): void {
    cancelAnimationFrame(this.fitFrame);
    this.fitFrame = requestAnimationFrame(() => this.fitNow());
  }

  /** Fits the emulator to its box and tells the session (which sends 110 once resizes settle, if it changed). */
  private fitNow(): void {
    if (this.screen.clientWidth === 0 || this.screen.clientHeight === 0) {
      return; // not laid out (hidden): keep the size
    }
    try {
      this.fit.fit();
    } catch {
      return; // the renderer is not ready yet; the next resize fits
    }
    this.session?.resize(this.currentSize());
  }

  /** xterm's key hook: the page's shortcuts are taken out of the terminal's input. */
  private keyEvent(ev: KeyboardEvent): boolean {
    const shortcut = terminalShortcut(ev);
    if (shortcut === null) {
      return true;
    }
    ev.preventDefault();
    this.runShortcut(shortcut);
    return false;
  }

  private runShortcut(shortcut: TerminalShortcut): void {
    switch (shortcut) {
      case 'copy':
        void this.copySelection(true);
        break;
      case 'paste':
        void this.pasteClipboard();
        break;
      case 'search':
        this.openSearch();
        break;
      case 'font-larger':
        this.setFontSize(this.prefs.fontSize + 1);
        break;
      case 'font-smaller':
        this.setFontSize(this.prefs.fontSize - 1);
        break;
      case 'font-reset':
        this.setFontSize(DEFAULT_FONT_SIZE);
        break;
    }
  }

  private selectionChanged(): void {
    window.clearTimeout(this.copyTimer);
    if (!this.term.hasSelection()) {
      return;
    }
    this.copyTimer = window.setTimeout(() => void this.copySelection(false), COPY_ON_SELECT_DELAY_MS);
  }

  /** Puts the selection on the system clipboard; `explicit` (a key or the button) says so, or why not. */
  private async copySelection(explicit: boolean): Promise<void> {
    const text = this.term.getSelection();
    if (!this.permissions.clipboardRead) {
      if (explicit) this.toaster.show('Copying from this target is not allowed by policy.', 1);
      return;
    }
    if (text === '') {
      if (explicit) this.toaster.show('Select text in the terminal first.', 1);
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      if (explicit) this.toaster.show('Copied to the clipboard.');
    } catch {
      if (explicit) this.toaster.show('The browser did not allow writing to the clipboard.', 1);
    }
    if (explicit) this.term.focus();
  }

  /** Reads the system clipboard and pastes it as xterm does (bracketed when the remote program asked for it). */
  private async pasteClipboard(): Promise<void> {
    if (!this.permissions.clipboardWrite) {
      this.toaster.show('Pasting to this target is not allowed by policy.', 1);
      return;
    }
    if (this.session?.state !== 'connected') {
      this.toaster.show('Not connected.', 1);
      return;
    }
    let text: string;
    try {
      text = await navigator.clipboard.readText();
    } catch {
      this.toaster.show('The browser did not allow reading the clipboard. Paste with the browser instead (middle click or its menu).', 1);
      return;
    }
    if (text !== '') {
      this.term.paste(text);
    }
    this.term.focus();
  }

  private openLink(event: MouseEvent, uri: string): void {
    event.preventDefault();
    // Only web addresses leave the page, in a new tab that cannot reach back to this one.
    if (/^https?:\/\//i.test(uri)) {
      window.open(uri, '_blank', 'noopener,noreferrer');
    }
  }

  private toggleSearch(): void {
    if (this.searchBar.hidden) {
      this.openSearch();
    } else {
      this.closeSearch();
    }
  }

  private openSearch(): void {
    this.searchBar.hidden = false;
    this.searchToggle.setAttribute('aria-expanded', 'true');
    const selection = this.term.getSelection();
    if (selection !== '' && !selection.includes('\n')) {
      this.searchInput.value = selection;
    }
    this.searchInput.focus();
    this.searchInput.select();
    this.scheduleFit();
  }

  private closeSearch(): void {
    this.searchBar.hidden = true;
    this.searchToggle.setAttribute('aria-expanded', 'false');
    this.search.clearDecorations();
    this.searchCount.textContent = '';
    this.term.focus();
    this.scheduleFit();
  }

  private searchKey(ev: KeyboardEvent): void {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      this.find(!ev.shiftKey);
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      this.closeSearch();
    }
  }

  private find(forward: boolean, incremental = false): void {
    const term = this.searchInput.value;
    if (term === '') {
      this.search.clearDecorations();
      this.searchCount.textContent = '';
      return;
    }
    const options: ISearchOptions = { caseSensitive: this.searchCase.checked, incremental, decorations: SEARCH_DECORATIONS };
    const found = forward ? this.search.findNext(term, options) : this.search.findPrevious(term, options);
    if (!found) {
      this.searchCount.textContent = 'No matches';
    }
  }

  private showSearchResults(index: number, count: number): void {
    this.searchCount.textContent = count === 0 ? 'No matches' : index >= 0 ? `${index + 1} of ${count}` : `${count} matches`;
  }

  private bufferText(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    }
    return lines.join('\n').replace(/\n+$/, '');
  }

  private screenRows(): string[] {
    const buffer = this.term.buffer.active;
    const rows: string[] = [];
    for (let r = 0; r < this.term.rows; r++) {
      rows.push(buffer.getLine(buffer.viewportY + r)?.translateToString(true) ?? '');
    }
    return rows;
  }

  private findOnScreen(text: string): { row: number; col: number } | null {
    const rows = this.screenRows();
    for (let row = 0; row < rows.length; row++) {
      const col = rows[row]?.indexOf(text) ?? -1;
      if (col >= 0) {
        return { row, col };
      }
    }
    return null;
  }
}

/** `promise`, or a rejection after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        window.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        window.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
