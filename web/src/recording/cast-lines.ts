/**
 * The part of an asciicast v2 file a player can read: every complete line. A file still being written, or cut off by a
 * stop, may end inside a line; that unfinished line is left out (docs/asciicast.md: the gateway appends whole lines, so
 * only the last one can be cut). A last line without its newline is kept when it is a whole JSON value.
 */
export function wholeLines(text: string): string {
  const end = text.lastIndexOf('\n');
  const last = text.slice(end + 1);
  if (last.trim() === '') {
    return text;
  }
  try {
    JSON.parse(last);
    return text;
  } catch {
    return text.slice(0, end + 1);
  }
}
