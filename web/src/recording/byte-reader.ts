import { OrecFormat } from './format';
import { RecordingDecodeError } from './recording-error';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A varint read from a buffer: its value and the index just after it. */
export interface VarintRead {
  readonly value: number;
  readonly next: number;
}

/**
 * Reads an unsigned LEB128 varint at `pos` (docs/recording.md, section 2): at most 9 bytes, shortest encoding only.
 * Returns undefined when the buffer ends inside it. Values above 2^53 - 1 cannot be told apart in JavaScript and are
 * refused (no recording comes near them). `fileOffset` is the file offset of `bytes[0]`, for the error.
 */
export function tryReadVarint(bytes: Uint8Array, pos: number, what: string, field: string, fileOffset: number): VarintRead | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < OrecFormat.MaxVarintBytes; i++) {
    if (pos + i >= bytes.length) {
      return undefined;
    }
    const b = bytes[pos + i]!;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) {
        throw new RecordingDecodeError(what, fileOffset + pos, `${field} is not the shortest varint encoding`);
      }
      if (value > Number.MAX_SAFE_INTEGER) {
        throw new RecordingDecodeError(what, fileOffset + pos, `${field} ${value} is too large`);
      }
      return { value, next: pos + i + 1 };
    }
    scale *= 128;
  }
  throw new RecordingDecodeError(what, fileOffset + pos, `${field} is a varint longer than ${OrecFormat.MaxVarintBytes} bytes`);
}

/** A strict reader over one complete structure (header fields, a record payload): running out is an error. */
export class ByteReader {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
    /** File offset of `bytes[0]`. */
    private readonly fileOffset: number,
  ) {}

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  error(why: string, at: number = this.pos): RecordingDecodeError {
    return new RecordingDecodeError(this.what, this.fileOffset + at, why);
  }

  private need(count: number, field: string): void {
    if (this.remaining < count) {
      throw this.error(`truncated: ${field} needs ${count} bytes, ${this.remaining} left`);
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = (this.bytes[this.pos]! << 8) | this.bytes[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  /** A big-endian 64-bit integer; refused outside ±(2^53 - 1). */
  i64(field: string): number {
    this.need(8, field);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8);
    const v = view.getBigInt64(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw this.error(`${field} ${v} is out of range`);
    }
    this.pos += 8;
    return Number(v);
  }

  varint(field: string): number {
    const read = tryReadVarint(this.bytes, this.pos, this.what, field, this.fileOffset);
    if (read === undefined) {
      throw this.error(`truncated: ${field} runs past the end`);
    }
    this.pos = read.next;
    return read.value;
  }

  /** A view of the next `count` bytes (no copy). */
  take(count: number, field: string): Uint8Array {
    this.need(count, field);
    const v = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return v;
  }

  skip(count: number, field: string): void {
    this.need(count, field);
    this.pos += count;
  }

  /** UTF-8 of `count` bytes. */
  utf8(count: number, field: string): string {
    const at = this.pos;
    const b = this.take(count, field);
    try {
      return utf8.decode(b);
    } catch {
      throw this.error(`${field} is not valid UTF-8`, at);
    }
  }

  /** str8: a u8 length (checked against `cap`), then UTF-8. */
  str8(cap: number, field: string): string {
    const at = this.pos;
    const n = this.u8(`${field} length`);
    if (n > cap) {
      throw this.error(`${field} length ${n} exceeds the cap of ${cap}`, at);
    }
    return this.utf8(n, field);
  }

  /** text: a varint length (checked against `cap` before anything is read), then UTF-8. */
  text(cap: number, field: string): string {
    const at = this.pos;
    const n = this.varint(`${field} length`);
    if (n > cap) {
      throw this.error(`${field} length ${n} exceeds the cap of ${cap}`, at);
    }
    return this.utf8(n, field);
  }
}
