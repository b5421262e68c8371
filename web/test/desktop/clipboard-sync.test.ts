import { describe, expect, it } from 'vitest';
import { ClipboardSync } from '../../src/desktop/clipboard-sync';

describe('ClipboardSync', () => {
  it('sends what the user copied locally before opening the desktop', () => {
    const sync = new ClipboardSync();
    expect(sync.localRead('copied before')).toBe('copied before');
    sync.sent('copied before');
    expect(sync.localRead('copied before')).toBeNull();
  });

  it('sends nothing for an empty browser clipboard', () => {
    expect(new ClipboardSync().localRead('')).toBeNull();
  });

  it('does not send back the remote text it wrote into the browser clipboard', () => {
    const sync = new ClipboardSync();
    expect(sync.localRead('')).toBeNull();
    sync.remoteCopied('remote text');
    sync.localWritten('remote text');
    expect(sync.localRead('remote text')).toBeNull();
  });

  it("keeps the panel's text after Send to remote: the old browser clipboard read on focus is not sent", () => {
    const sync = new ClipboardSync();
    expect(sync.localRead('')).toBeNull();
    // The remote side copies; the page shows it and writes it into the browser clipboard.
    sync.remoteCopied('old remote text');
    sync.localWritten('old remote text');
    // The user edits the panel and presses Send; the desktop then gets focus and reads the clipboard.
    expect(sync.shouldSend('typed in the panel', true)).toBe(true);
    sync.sent('typed in the panel');
    expect(sync.localRead('old remote text')).toBeNull();
  });

  it('does not send an old local clipboard over newer remote text the browser would not let it write', () => {
    const sync = new ClipboardSync();
    expect(sync.localRead('local text')).toBe('local text');
    sync.sent('local text');
    sync.remoteCopied('remote text'); // writing it to the browser clipboard failed
    expect(sync.localRead('local text')).toBeNull();
  });

  it('sends text copied locally later', () => {
    const sync = new ClipboardSync();
    sync.remoteCopied('remote text');
    sync.localWritten('remote text');
    expect(sync.localRead('copied locally')).toBe('copied locally');
    sync.sent('copied locally');
    expect(sync.localRead('copied locally')).toBeNull();
  });

  it('sends implicit text (paste) only when the remote side does not hold it already', () => {
    const sync = new ClipboardSync();
    sync.remoteCopied('same');
    expect(sync.shouldSend('same', false)).toBe(false);
    expect(sync.shouldSend('same', true)).toBe(true);
    expect(sync.shouldSend('other', false)).toBe(true);
  });
});
