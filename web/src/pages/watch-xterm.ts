import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { WatchTerminal } from './watch-terminal';

/** The font size a watched terminal is drawn at when it fits; smaller when the watched grid is larger than the view. */
const FONT_SIZE = 14;
const MIN_FONT_SIZE = 6;

/**
 * xterm.js as a read-only watch terminal: no input at all (`disableStdin`, and nothing listens to its data), the exact
 * grid of the watched terminal (never the view's own size, which would lay the same bytes out differently), and a font
 * made smaller until that grid fits the view, as the desktop watch view scales the picture to fit.
 */
export class XtermWatchTerminal implements WatchTerminal {
  private readonly terminal: Terminal;
  private readonly fit = new FitAddon();
  private columns = 80;
  private rows = 24;

  constructor(container: HTMLElement) {
    this.terminal = new Terminal({
      disableStdin: true,
      cursorBlink: false,
      fontSize: FONT_SIZE,
      scrollback: 1000,
      cols: this.columns,
      rows: this.rows,
    });
    this.terminal.loadAddon(this.fit);
    this.terminal.open(container);
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.terminal.resize(columns, rows);
    this.scale();
  }

  /** The grid xterm.js has now, `COLSxROWS`. */
  get grid(): string {
    return `${this.terminal.cols}x${this.terminal.rows}`;
  }

  write(data: Uint8Array): void {
    this.terminal.write(data);
  }

  /** Picks the font size at which the watched grid fits the view (the container's size), from the fit addon's measure. */
  scale(): void {
    const current = this.terminal.options.fontSize ?? FONT_SIZE;
    const fits = this.fit.proposeDimensions();
    if (fits === undefined || !(fits.cols > 0) || !(fits.rows > 0)) {
      return;
    }
    const factor = Math.min(fits.cols / this.columns, fits.rows / this.rows);
    const size = Math.max(MIN_FONT_SIZE, Math.min(FONT_SIZE, Math.floor(current * factor)));
    if (size !== current) {
      this.terminal.options.fontSize = size;
      this.terminal.resize(this.columns, this.rows);
    }
  }

  dispose(): void {
    this.terminal.dispose();
  }
}
