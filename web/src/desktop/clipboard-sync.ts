/**
 * Decides which local clipboard text goes to the remote side, so that the two sides meet without
 * echoes. Where the page may read the browser clipboard silently (clipboard-read granted), it reads it
 * whenever the desktop gets focus; only text that changed there since the page last read or wrote it
 * is something the user copied locally. Everything else — the remote text the page itself wrote into
 * the browser clipboard, or an old local clipboard read again when "Send to remote" in the clipboard
 * panel hands focus back to the desktop — must not be sent, or it would overwrite what the remote
 * side holds (for the panel: the text the user has just sent).
 */
export class ClipboardSync {
  /** The text both sides hold as far as the page knows: the last sent or received. */
  private shared = '';
  /** The browser clipboard as the page last read or wrote it; null before the first read. */
  private local: string | null = null;

  /** Remote text arrived (it is shown in the panel and offered to the browser clipboard). */
  remoteCopied(text: string): void {
    this.shared = text;
  }

  /** The page wrote `text` into the browser clipboard. */
  localWritten(text: string): void {
    this.local = text;
  }

  /** Whether `text` should be sent: always when the user asked explicitly, otherwise only when it is new to the remote side. */
  shouldSend(text: string, explicit: boolean): boolean {
    return explicit || text !== this.shared;
  }

  /** `text` went to the remote side. */
  sent(text: string): void {
    this.shared = text;
  }

  /**
   * The browser clipboard, read when the desktop got focus. Returns the text to send (something the
   * user copied locally since the last read or write) or null.
   */
  localRead(text: string): string | null {
    const changed = text !== this.local;
    this.local = text;
    if (!changed || text === '' || text === this.shared) {
      return null;
    }
    return text;
  }
}
