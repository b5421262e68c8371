/**
 * The one error type of the `.orec` reader (docs/recording.md): what was being read, at which file offset, and why
 * it was refused. Every malformed byte of a recording, and every malformed TDP message inside one, ends as this.
 */
export class RecordingDecodeError extends Error {
  readonly what: string;
  readonly offset: number;
  readonly why: string;

  constructor(what: string, offset: number, why: string) {
    super(`${what}: ${why} (at file offset ${offset})`);
    this.name = 'RecordingDecodeError';
    this.what = what;
    this.offset = offset;
    this.why = why;
  }
}
