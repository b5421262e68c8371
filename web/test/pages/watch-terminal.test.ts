import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/tdp/codec';
import { MessageType, TerminalExitKind, type TdpMessage } from '../../src/tdp/messages';
import { describeTerminalExit, isTerminalMessage, TerminalWatchFeed, type WatchTerminal } from '../../src/pages/watch-terminal';

/** The terminal watch view's feed: the size, then output as bytes in order, and the exit; nothing else is acted on. */

class FakeTerminal implements WatchTerminal {
  readonly calls: string[] = [];
  readonly bytes: number[] = [];
  resize(columns: number, rows: number): void {
    this.calls.push(`resize ${columns}x${rows}`);
  }
  write(data: Uint8Array): void {
    this.calls.push(`write ${data.length}`);
    this.bytes.push(...data);
  }
}

/** As the watch socket delivers them: encoded by the gateway, decoded by the page's connection. */
function wire(message: TdpMessage): TdpMessage {
  return decodeMessage(encodeMessage(message));
}

describe('terminal watch feed', () => {
  it('sizes the terminal, then writes the output bytes in order, a character split across messages included', () => {
    const terminal = new FakeTerminal();
    const sizes: string[] = [];
    const exits: string[] = [];
    const feed = new TerminalWatchFeed(terminal, { sized: (c, r) => sizes.push(`${c}x${r}`), exited: (t) => exits.push(t) });
    const stream: TdpMessage[] = [
      { type: MessageType.TerminalSize, columns: 100, rows: 30 },
      { type: MessageType.TerminalOutput, data: new TextEncoder().encode('\x1b[2J$ echo caf') },
      { type: MessageType.TerminalOutput, data: Uint8Array.of(0xc3) },
      { type: MessageType.TerminalOutput, data: Uint8Array.of(0xa9, 0x0d, 0x0a) },
      { type: MessageType.Notification, message: 'not for the terminal', severity: 0 },
      { type: MessageType.TerminalSize, columns: 120, rows: 40 },
      { type: MessageType.TerminalExit, kind: TerminalExitKind.Exited, exitStatus: 0, signal: '', message: '' },
    ];
    for (const m of stream) {
      feed.handle(wire(m));
    }
    expect(terminal.calls).toEqual(['resize 100x30', 'write 14', 'write 1', 'write 3', 'resize 120x40']);
    expect(new TextDecoder().decode(Uint8Array.from(terminal.bytes))).toBe('\x1b[2J$ echo café\r\n');
    expect(sizes).toEqual(['100x30', '120x40']);
    expect(exits).toEqual(['The remote program exited with status 0.']);
  });

  it('tells a terminal stream from a desktop one by its messages', () => {
    expect(isTerminalMessage({ type: MessageType.TerminalSize, columns: 80, rows: 24 })).toBe(true);
    expect(isTerminalMessage({ type: MessageType.TerminalOutput, data: new Uint8Array() })).toBe(true);
    expect(isTerminalMessage({ type: MessageType.DesktopSize, width: 800, height: 600 })).toBe(false);
    expect(isTerminalMessage({ type: MessageType.Notification, message: 'x', severity: 0 })).toBe(false);
  });

  it('says how the program ended', () => {
    expect(describeTerminalExit({ type: MessageType.TerminalExit, kind: TerminalExitKind.Signaled, exitStatus: 0, signal: 'KILL', message: 'killed' }))
      .toBe('The remote program was ended by signal KILL (killed).');
    expect(describeTerminalExit({ type: MessageType.TerminalExit, kind: TerminalExitKind.Unknown, exitStatus: 0, signal: '', message: '' }))
      .toBe('The remote program ended.');
  });
});
