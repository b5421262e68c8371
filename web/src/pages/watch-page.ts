import { watchSocketUrl } from '../api/client';
import { CanvasSurface } from '../desktop/canvas-surface';
import { cursorCss, rgbaToDataUrl } from '../desktop/cursor';
import { DesktopRenderer, NO_OUTPUT } from '../desktop/renderer';
import { layoutDesktop, type Size } from '../desktop/scaling';
import { routeHash } from '../router';
import { describeEnd, TdpConnection } from '../tdp/connection';
import { h } from '../ui/dom';
import type { Toaster } from '../ui/toast';
import type { Page } from './page';
import { isTerminalMessage, TerminalWatchFeed } from './watch-terminal';
import { XtermWatchTerminal } from './watch-xterm';

/**
 * Watching a running session, read-only (`#/sessions/<id>`): a live {@link TdpConnection} to the watch socket drawn by
 * the desktop renderer with {@link NO_OUTPUT}, like the recording player, and no input binding: nothing typed or
 * clicked here is sent, and the gateway discards anything a watcher sends anyway. A terminal session's stream begins
 * with its size (TDP 113) instead of a desktop size: the view then shows a read-only xterm.js terminal of that size fed
 * with the output ({@link TerminalWatchFeed}). State for tests on `#watch`: `data-state`
 * (connecting|watching|ended|error), `data-medium` (desktop|terminal), `data-desktop-size`, `data-terminal-size`
 * (COLSxROWS, the terminal's grid); the canvas is `#watch-canvas`, the terminal `#watch-terminal`, the reason the view ended `#watch-status`,
 * the stop button `#watch-stop`.
 */
export class WatchPage implements Page {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly viewport: HTMLElement;
  private readonly status: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly surface: CanvasSurface;
  private renderer: DesktopRenderer<ImageBitmap> | null = null;
  private connection: TdpConnection | null = null;
  private remote: Size = { width: 0, height: 0 };
  private resizeObserver: ResizeObserver | null = null;
  private terminal: XtermWatchTerminal | null = null;
  private terminalFeed: TerminalWatchFeed | null = null;
  private readonly stage: HTMLElement;

  constructor(
    private readonly sessionId: string,
    private readonly username: string,
    private readonly toaster: Toaster,
  ) {
    this.canvas = h('canvas', { id: 'watch-canvas', 'aria-label': 'Watched desktop (read-only)' });
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.surface = new CanvasSurface(this.canvas);
    this.viewport = h('div', { class: 'desktop-viewport scale-fit' }, this.canvas);
    this.status = h('span', { id: 'watch-status', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
    this.stopButton = h('button', { type: 'button', class: 'tool tool-danger', id: 'watch-stop', onclick: () => this.stop() }, 'Stop watching');
    const toolbar = h(
      'div',
      { class: 'desktop-toolbar', role: 'toolbar', 'aria-label': 'Watch controls' },
      h('a', { class: 'tool tool-back', href: routeHash({ name: 'sessions' }) }, '← Sessions'),
      h('span', { class: 'desktop-title' }, `Watching ${sessionId} (read-only)`),
      h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
      this.status,
      h('span', { class: 'toolbar-spacer' }),
      this.stopButton,
    );
    this.stage = h('div', { class: 'desktop-stage' }, this.viewport);
    this.element = h(
      'div',
      { id: 'watch', class: 'desktop watch', 'data-state': 'connecting', 'data-medium': 'desktop' },
      toolbar,
      h('div', { class: 'desktop-body' }, this.stage),
    );
  }

  mounted(): void {
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.viewport);
    const renderer = new DesktopRenderer<ImageBitmap>(
      this.surface,
      {
        desktopResized: (size) => {
          this.remote = size;
          this.element.dataset['desktopSize'] = `${size.width}x${size.height}`;
          this.layout();
        },
        framesAcked: () => undefined,
        cursorChanged: (shape) => {
          this.canvas.style.cursor = cursorCss(shape, rgbaToDataUrl);
        },
        clipboardReceived: () => undefined,
        notify: (message, severity) => this.toaster.show(message, severity),
      },
      NO_OUTPUT,
    );
    this.renderer = renderer;
    const connection = new TdpConnection({
      url: watchSocketUrl(window.location, this.sessionId),
      openSocket: (url) => new WebSocket(url),
      // The gateway reads and discards this (a watcher has no say in the session); the socket speaks TDP all the same.
      handshake: () => ({ username: this.username, screen: { width: Math.max(1, this.canvas.width), height: Math.max(1, this.canvas.height) } }),
      listener: {
        established: () => this.setState('watching', 'Watching (read-only)'),
        message: (message) => {
          if (this.terminalFeed === null && isTerminalMessage(message)) {
            this.showTerminal();
          }
          if (this.terminalFeed !== null) {
            this.terminalFeed.handle(message);
          } else {
            renderer.handle(message);
          }
        },
        ended: (end) => {
          const { state, detail } = describeEnd(end);
          this.setState(state, end.kind === 'local' ? 'Stopped watching' : detail);
          this.stopButton.disabled = true;
        },
      },
    });
    this.connection = connection;
    connection.open();
  }

  dispose(): void {
    this.resizeObserver?.disconnect();
    this.connection?.close();
    this.renderer?.dispose();
    this.terminal?.dispose();
  }

  /** The watched session is a terminal: a read-only terminal takes the canvas's place. */
  private showTerminal(): void {
    const container = h('div', { id: 'watch-terminal', class: 'watch-terminal', 'aria-label': 'Watched terminal (read-only)' });
    this.viewport.hidden = true;
    this.stage.append(container);
    this.element.dataset['medium'] = 'terminal';
    const terminal = new XtermWatchTerminal(container);
    this.terminal = terminal;
    this.resizeObserver?.observe(container);
    this.terminalFeed = new TerminalWatchFeed(terminal, {
      sized: () => {
        this.element.dataset['terminalSize'] = terminal.grid; // the grid the emulator took, as the gateway said
      },
      exited: (text) => this.setState('watching', text),
    });
  }

  private stop(): void {
    this.connection?.close();
  }

  private setState(state: string, detail: string): void {
    this.element.dataset['state'] = state;
    this.status.textContent = detail;
  }

  private layout(): void {
    if (this.terminal !== null) {
      this.terminal.scale();
      return;
    }
    const remote = this.remote.width > 0 ? this.remote : { width: this.canvas.width, height: this.canvas.height };
    const display = layoutDesktop('fit', remote, { width: this.viewport.clientWidth, height: this.viewport.clientHeight });
    this.canvas.style.width = `${display.cssWidth}px`;
    this.canvas.style.height = `${display.cssHeight}px`;
  }
}
