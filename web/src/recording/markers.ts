import { ByteReader } from './byte-reader';
import { OrecFormat } from './format';

/** Sync payload (section 6.6): the running totals before this record. */
export interface SyncMarker {
  readonly recordIndex: number;
  readonly clientBytes: number;
  readonly serverBytes: number;
}

/** One End index entry: a Sync record's offset, time and totals. */
export interface IndexEntry extends SyncMarker {
  readonly fileOffset: number;
  readonly timeUs: number;
}

/** End payload (section 6.7); the frame time is the duration. */
export interface EndMarker {
  readonly recordCount: number;
  readonly clientBytes: number;
  readonly serverBytes: number;
  readonly durationUs: number;
  readonly index: readonly IndexEntry[];
  readonly endOffset: number;
}

/** SessionEnd payload (section 6.3). */
export interface SessionEndMarker {
  readonly reason: number;
  readonly text: string;
}

/** Resize payload (section 6.4). */
export interface ResizeMarker {
  readonly width: number;
  readonly height: number;
}

export function decodeSync(payload: Uint8Array, fileOffset: number): SyncMarker {
  const r = new ByteReader(payload, 'Sync', fileOffset);
  return { recordIndex: r.varint('record_index'), clientBytes: r.varint('client_bytes'), serverBytes: r.varint('server_bytes') };
}

export function decodeSessionEnd(payload: Uint8Array, fileOffset: number): SessionEndMarker {
  const r = new ByteReader(payload, 'SessionEnd', fileOffset);
  const reason = r.u8('reason');
  return { reason, text: r.text(OrecFormat.MaxSessionEndTextBytes, 'text') };
}

export function decodeResize(payload: Uint8Array, fileOffset: number): ResizeMarker {
  const r = new ByteReader(payload, 'Resize', fileOffset);
  const width = r.u16('width');
  const height = r.u16('height');
  if (width < 1 || height < 1) {
    throw r.error(`size ${width}x${height} is empty`, 0);
  }
  return { width, height };
}

export function decodeNote(payload: Uint8Array, fileOffset: number): string {
  return new ByteReader(payload, 'Note', fileOffset).text(OrecFormat.MaxNoteTextBytes, 'text');
}

/** The smallest index entry: five one-byte varints. */
const MIN_ENTRY_LENGTH = 5;

export function decodeEnd(payload: Uint8Array, fileOffset: number, timeUs: number): EndMarker {
  const r = new ByteReader(payload, 'End', fileOffset);
  const recordCount = r.varint('record_count');
  const clientBytes = r.varint('client_bytes');
  const serverBytes = r.varint('server_bytes');
  const countAt = r.position;
  const count = r.varint('index_count');
  if (count > OrecFormat.MaxIndexEntries) {
    throw r.error(`index_count ${count} exceeds the cap of ${OrecFormat.MaxIndexEntries}`, countAt);
  }
  if (count * MIN_ENTRY_LENGTH + 8 > r.remaining) {
    throw r.error(`index_count ${count} does not fit in the ${r.remaining} bytes left`, countAt);
  }
  const index: IndexEntry[] = [];
  let offset = 0;
  let time = 0;
  let records = 0;
  let client = 0;
  let server = 0;
  for (let i = 0; i < count; i++) {
    const at = r.position;
    const d = r.varint('offset_delta');
    if (d === 0) {
      throw r.error('index offsets must increase', at);
    }
    offset += d;
    time += r.varint('time_delta');
    records += r.varint('record_index_delta');
    client += r.varint('client_delta');
    server += r.varint('server_delta');
    if (Math.max(offset, time, records, client, server) > Number.MAX_SAFE_INTEGER) {
      throw r.error('index value overflows', at);
    }
    index.push({ fileOffset: offset, timeUs: time, recordIndex: records, clientBytes: client, serverBytes: server });
  }
  if (r.remaining < 8) {
    throw r.error('end_offset is missing');
  }
  r.skip(r.remaining - 8, 'extension');
  const endOffset = r.i64('end_offset');
  if (endOffset < 0) {
    throw r.error('end_offset is negative');
  }
  return { recordCount, clientBytes, serverBytes, durationUs: timeUs, index, endOffset };
}
