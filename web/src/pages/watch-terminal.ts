import { MessageType, TerminalExitKind, type TdpMessage, type TerminalExitMessage } from '../tdp/messages';

/** The terminal emulator of a terminal watch view, as the feed needs it (xterm.js in the page, a fake in tests). */
export interface WatchTerminal {
  /** The watched terminal's size (113): the emulator takes exactly this grid, so the same bytes lay out the same. */
  resize(columns: number, rows: number): void;
  /** Terminal output (108): bytes of the stream, possibly ending mid-character or mid-sequence. */
  write(data: Uint8Array): void;
}

export interface TerminalWatchListener {
  /** The watched terminal has this size now. */
  sized(columns: number, rows: number): void;
  /** The watched program ended (112): a sentence for the status line. */
  exited(text: string): void;
}

/** True for the messages only a terminal session's watch socket sends: its first one is the size (113). */
export function isTerminalMessage(message: TdpMessage): boolean {
  return message.type === MessageType.TerminalSize || message.type === MessageType.TerminalOutput || message.type === MessageType.TerminalExit;
}

/** The sentence for a terminal exit (112). */
export function describeTerminalExit(exit: TerminalExitMessage): string {
  const why = exit.message === '' ? '' : ` (${exit.message})`;
  switch (exit.kind) {
    case TerminalExitKind.Exited:
      return `The remote program exited with status ${exit.exitStatus}${why}.`;
    case TerminalExitKind.Signaled:
      return `The remote program was ended by signal ${exit.signal}${why}.`;
    default:
      return `The remote program ended${why}.`;
  }
}

/**
 * Feeds a terminal session's watch stream (docs/live-view.md) to a read-only terminal: the size (113) first and on
 * every resize, then output (108) as bytes, in order, and the exit (112). Nothing goes back: a watcher's terminal has no
 * input, and its output needs no acknowledgement (the gateway reads nothing a watcher sends).
 */
export class TerminalWatchFeed {
  constructor(
    private readonly terminal: WatchTerminal,
    private readonly listener: TerminalWatchListener,
  ) {}

  handle(message: TdpMessage): void {
    switch (message.type) {
      case MessageType.TerminalSize:
        this.terminal.resize(message.columns, message.rows);
        this.listener.sized(message.columns, message.rows);
        break;
      case MessageType.TerminalOutput:
        this.terminal.write(message.data);
        break;
      case MessageType.TerminalExit:
        this.listener.exited(describeTerminalExit(message));
        break;
      default:
        break; // nothing else is meant for a terminal's watcher
    }
  }
}
