import { tryReadVarint } from './byte-reader';
import { crc32c } from './crc32c';
import { OrecFormat, OrecRecordKind } from './format';
import { hex, tryDecodeHeader, type OrecHeader } from './header';
import {
  decodeEnd,
  decodeNote,
  decodeResize,
  decodeSessionEnd,
  decodeSync,
  type EndMarker,
  type ResizeMarker,
  type SessionEndMarker,
  type SyncMarker,
} from './markers';
import { RecordingDecodeError } from './recording-error';

/** One checked record. `payload` is a copy the caller may keep. Known marker kinds come decoded. */
export interface OrecRecord {
  readonly kind: number;
  readonly timeUs: number;
  /** File offset of the record's first byte. */
  readonly offset: number;
  readonly payload: Uint8Array;
  /** File offset of the payload's first byte (for errors inside it). */
  readonly payloadOffset: number;
  readonly sync?: SyncMarker;
  readonly end?: EndMarker;
  readonly sessionEnd?: SessionEndMarker;
  readonly resize?: ResizeMarker;
  readonly note?: string;
}

/** Running totals a reader keeps and Sync/End records must equal (section 6.6). */
export interface RecordTotals {
  readonly recordIndex: number;
  readonly clientBytes: number;
  readonly serverBytes: number;
}

const ZERO: RecordTotals = { recordIndex: 0, clientBytes: 0, serverBytes: 0 };

/**
 * An incremental reader of the `.orec` container (docs/recording.md) over byte chunks in file order, as a player
 * gets them from HTTP Range requests: {@link push} bytes, take records with {@link next} until it returns null (more
 * bytes needed). It checks what section 7 lists: header, kind ≠ 0, well-formed varints, length ≤ 1 MiB before the
 * payload is awaited, the CRC, times not decreasing, known payloads well-formed, data not empty, critical kinds known,
 * Sync and End totals, End's own offset, nothing after End. Everything malformed throws {@link RecordingDecodeError}.
 *
 * Made with {@link fromStart} (reads the header first) or {@link atSyncPoint} (resumes at a Sync record's offset
 * for a seek; the totals are taken from that Sync record, or given, as for the implicit sync point after the header).
 */
export class OrecReader {
  private buffer = new Uint8Array(0);
  /** Index in `buffer` of the next unread byte. */
  private pos = 0;
  /** File offset of `buffer[0]`. */
  private bufferOffset: number;
  private headerValue: OrecHeader | null = null;
  private needHeader: boolean;
  private totals: RecordTotals | null;
  private lastTime = 0;
  private endValue: EndMarker | null = null;
  private eof = false;

  private constructor(offset: number, needHeader: boolean, totals: RecordTotals | null) {
    this.bufferOffset = offset;
    this.needHeader = needHeader;
    this.totals = totals;
  }

  /** A reader of a whole file from byte 0. */
  static fromStart(): OrecReader {
    return new OrecReader(0, true, ZERO);
  }

  /**
   * A reader starting at `offset`, the offset of a Sync record (its totals are adopted, then checked from there on),
   * or with `totals` given (the implicit sync point right after the header: all zero). `minTimeUs`: the sync
   * point's time, the least time a record may have.
   */
  static atSyncPoint(offset: number, minTimeUs = 0, totals: RecordTotals | null = null): OrecReader {
    const reader = new OrecReader(offset, false, totals);
    reader.lastTime = minTimeUs;
    return reader;
  }

  /** The header, once read (always null for a reader made with {@link atSyncPoint}). */
  get header(): OrecHeader | null {
    return this.headerValue;
  }

  /** The End record, once read: the file is complete. */
  get end(): EndMarker | null {
    return this.endValue;
  }

  /** File offset of the next unread byte. */
  get position(): number {
    return this.bufferOffset + this.pos;
  }

  /** Bytes pushed but not yet consumed. */
  get buffered(): number {
    return this.buffer.length - this.pos;
  }

  /** Appends the next bytes of the file (they must follow the ones pushed before). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) {
      return;
    }
    if (this.endValue !== null) {
      throw new RecordingDecodeError('recording', this.position, 'bytes follow the End record');
    }
    const rest = this.buffer.length - this.pos;
    const merged = new Uint8Array(rest + chunk.length);
    merged.set(this.buffer.subarray(this.pos), 0);
    merged.set(chunk, rest);
    this.bufferOffset += this.pos;
    this.buffer = merged;
    this.pos = 0;
  }

  /** Says that no more bytes will come: {@link next} then refuses a partial record instead of waiting. */
  finish(): void {
    this.eof = true;
  }

  /** The header if complete. Null when more bytes are needed. */
  readHeader(): OrecHeader | null {
    if (!this.needHeader) {
      return this.headerValue;
    }
    const header = tryDecodeHeader(this.buffer.subarray(this.pos));
    if (header === undefined) {
      if (this.eof) {
        throw new RecordingDecodeError('recording header', this.position, 'truncated: the file ends inside the header');
      }
      return null;
    }
    this.pos += header.length;
    this.headerValue = header;
    this.needHeader = false;
    return header;
  }

  /**
   * The next record, or null when more bytes are needed, or after the End record. After {@link finish}, null means
   * the file ended cleanly between records (an incomplete recording: no End record); a partial record throws.
   */
  next(): OrecRecord | null {
    if (this.needHeader && this.readHeader() === null) {
      return null;
    }
    if (this.endValue !== null) {
      if (this.pos < this.buffer.length) {
        throw new RecordingDecodeError('recording', this.position, 'bytes follow the End record');
      }
      return null;
    }
    const frame = this.tryFrame();
    if (frame === null) {
      if (this.eof && this.pos < this.buffer.length) {
        throw new RecordingDecodeError('record', this.position, 'truncated: the file ends inside a record');
      }
      return null;
    }
    return frame;
  }

  private tryFrame(): OrecRecord | null {
    const b = this.buffer;
    const start = this.pos;
    const offset = this.bufferOffset + start;
    if (start >= b.length) {
      return null;
    }
    const kind = b[start]!;
    if (kind === 0) {
      throw new RecordingDecodeError('record', offset, 'record kind 0 (a zero-filled tail or damage)');
    }
    const time = tryReadVarint(b, start + 1, 'record', 'time_us', this.bufferOffset);
    if (time === undefined) {
      return null;
    }
    const length = tryReadVarint(b, time.next, 'record', 'length', this.bufferOffset);
    if (length === undefined) {
      return null;
    }
    if (length.value > OrecFormat.MaxPayloadLength) {
      throw new RecordingDecodeError('record', this.bufferOffset + time.next, `length ${length.value} exceeds the cap of ${OrecFormat.MaxPayloadLength}`);
    }
    const payloadAt = length.next;
    const crcAt = payloadAt + length.value;
    if (b.length < crcAt + 4) {
      return null;
    }
    const stored = ((b[crcAt]! << 24) | (b[crcAt + 1]! << 16) | (b[crcAt + 2]! << 8) | b[crcAt + 3]!) >>> 0;
    const actual = crc32c(b.subarray(start, crcAt));
    if (stored !== actual) {
      throw new RecordingDecodeError('record', this.bufferOffset + crcAt, `record CRC ${hex(stored)} does not match ${hex(actual)}`);
    }
    if (time.value < this.lastTime) {
      throw new RecordingDecodeError('record', offset, `time ${time.value} us is before the previous record's ${this.lastTime} us`);
    }
    const payload = b.slice(payloadAt, crcAt);
    const payloadOffset = this.bufferOffset + payloadAt;
    const record = this.interpret(kind, time.value, offset, payload, payloadOffset);
    this.lastTime = time.value;
    this.pos = crcAt + 4;
    return record;
  }

  private interpret(kind: number, timeUs: number, offset: number, payload: Uint8Array, payloadOffset: number): OrecRecord {
    const base = { kind, timeUs, offset, payload, payloadOffset };
    const totals = this.totals;
    const count = (client: number, server: number): void => {
      if (this.totals !== null) {
        const t = this.totals;
        this.totals = { recordIndex: t.recordIndex + 1, clientBytes: t.clientBytes + client, serverBytes: t.serverBytes + server };
      }
    };
    switch (kind) {
      case OrecRecordKind.ClientData:
      case OrecRecordKind.ServerData:
        if (payload.length === 0) {
          throw new RecordingDecodeError('record', offset, 'empty data record');
        }
        count(kind === OrecRecordKind.ClientData ? payload.length : 0, kind === OrecRecordKind.ServerData ? payload.length : 0);
        return base;
      case OrecRecordKind.SessionStart:
        count(0, 0);
        return base;
      case OrecRecordKind.SessionEnd: {
        const sessionEnd = decodeSessionEnd(payload, payloadOffset);
        count(0, 0);
        return { ...base, sessionEnd };
      }
      case OrecRecordKind.Resize: {
        const resize = decodeResize(payload, payloadOffset);
        count(0, 0);
        return { ...base, resize };
      }
      case OrecRecordKind.Note: {
        const note = decodeNote(payload, payloadOffset);
        count(0, 0);
        return { ...base, note };
      }
      case OrecRecordKind.Sync: {
        const sync = decodeSync(payload, payloadOffset);
        if (totals === null) {
          this.totals = sync;
        } else if (sync.recordIndex !== totals.recordIndex || sync.clientBytes !== totals.clientBytes || sync.serverBytes !== totals.serverBytes) {
          throw new RecordingDecodeError(
            'Sync',
            offset,
            `sync point (record ${sync.recordIndex}, client ${sync.clientBytes}, server ${sync.serverBytes}) disagrees with the records before it (record ${totals.recordIndex}, client ${totals.clientBytes}, server ${totals.serverBytes})`,
          );
        }
        count(0, 0);
        return { ...base, sync };
      }
      case OrecRecordKind.End: {
        const end = decodeEnd(payload, payloadOffset, timeUs);
        if (end.endOffset !== offset) {
          throw new RecordingDecodeError('End', offset, `end_offset ${end.endOffset} does not name this record's offset ${offset}`);
        }
        if (totals !== null && (end.recordCount !== totals.recordIndex || end.clientBytes !== totals.clientBytes || end.serverBytes !== totals.serverBytes)) {
          throw new RecordingDecodeError(
            'End',
            offset,
            `totals (records ${end.recordCount}, client ${end.clientBytes}, server ${end.serverBytes}) disagree with the file (records ${totals.recordIndex}, client ${totals.clientBytes}, server ${totals.serverBytes})`,
          );
        }
        this.endValue = end;
        return { ...base, end };
      }
      default:
        if (kind < 0x80) {
          throw new RecordingDecodeError('record', offset, `unknown critical record kind 0x${kind.toString(16).padStart(2, '0')}`);
        }
        // Ancillary (Keyframe, or a kind of a later minor version): checked, counted, handed on; a player skips what it does not know.
        count(0, 0);
        return base;
    }
  }
}
