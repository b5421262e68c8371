import { ByteReader } from './byte-reader';
import { crc32c } from './crc32c';
import { OrecFormat } from './format';
import { RecordingDecodeError } from './recording-error';

/** The file header of a recording (docs/recording.md, section 4). */
export interface OrecHeader {
  readonly major: number;
  readonly minor: number;
  /** When the recording started, Unix time in milliseconds. */
  readonly startUnixMs: number;
  /** `tdp` or `rfb-passthrough`. */
  readonly kind: string;
  readonly sessionId: string;
  readonly targetId: string;
  readonly user: string;
  /** The metadata JSON object, or null when there is none. */
  readonly metadata: Readonly<Record<string, unknown>> | null;
  /** Bytes the header takes: the file offset of the first record (the implicit sync point). */
  readonly length: number;
}

const WHAT = 'recording header';
const KIND_CHARS = /^[a-z0-9.-]+$/;

/**
 * Decodes the header at the start of `bytes` (file offset 0). Returns undefined when more bytes are needed; the
 * prefix is checked first, so a wrong magic or version is refused as soon as 12 bytes are there, and fields_length
 * (at most 65535) is known before the fields are awaited.
 */
export function tryDecodeHeader(bytes: Uint8Array): OrecHeader | undefined {
  const magic = OrecFormat.Magic;
  for (let i = 0; i < magic.length && i < bytes.length; i++) {
    if (bytes[i] !== magic[i]) {
      throw new RecordingDecodeError(WHAT, i, 'not an Oriel recording (wrong magic)');
    }
  }
  if (bytes.length < OrecFormat.HeaderPrefixLength) {
    return undefined;
  }
  const major = bytes[8]!;
  const minor = bytes[9]!;
  if (major !== OrecFormat.Major) {
    throw new RecordingDecodeError(WHAT, 8, `major version ${major} is not supported (this reader reads ${OrecFormat.Major}.x)`);
  }
  const fieldsLength = (bytes[10]! << 8) | bytes[11]!;
  if (fieldsLength < OrecFormat.MinFieldsLength) {
    throw new RecordingDecodeError(WHAT, 10, `fields_length ${fieldsLength} is less than ${OrecFormat.MinFieldsLength}`);
  }
  const total = OrecFormat.HeaderPrefixLength + fieldsLength + 4;
  if (bytes.length < total) {
    return undefined;
  }
  const crcAt = OrecFormat.HeaderPrefixLength + fieldsLength;
  const stored = new DataView(bytes.buffer, bytes.byteOffset + crcAt, 4).getUint32(0);
  const actual = crc32c(bytes.subarray(0, crcAt));
  if (stored !== actual) {
    throw new RecordingDecodeError(WHAT, crcAt, `header CRC ${hex(stored)} does not match ${hex(actual)}`);
  }
  const r = new ByteReader(bytes.subarray(OrecFormat.HeaderPrefixLength, crcAt), WHAT, OrecFormat.HeaderPrefixLength);
  const startUnixMs = r.i64('start_unix_ms');
  const kindAt = r.position;
  const kind = r.str8(OrecFormat.MaxKindBytes, 'kind');
  if (!KIND_CHARS.test(kind)) {
    throw r.error(`kind ${JSON.stringify(kind)} is empty or has characters other than a-z 0-9 - .`, kindAt);
  }
  const sessionId = r.str8(OrecFormat.MaxSessionIdBytes, 'session_id');
  const targetId = r.str8(255, 'target_id');
  const user = r.str8(255, 'user');
  const metadataAt = r.position;
  const metadataLength = r.u16('metadata_length');
  if (metadataLength > OrecFormat.MaxMetadataBytes) {
    throw r.error(`metadata_length ${metadataLength} exceeds the cap of ${OrecFormat.MaxMetadataBytes}`, metadataAt);
  }
  let metadata: Record<string, unknown> | null = null;
  if (metadataLength > 0) {
    const jsonAt = r.position;
    const text = r.utf8(metadataLength, 'metadata');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw r.error('metadata is not JSON', jsonAt);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw r.error('metadata is not one JSON object', jsonAt);
    }
    metadata = parsed as Record<string, unknown>;
  }
  // Bytes after the metadata are fields of a later minor version: skipped.
  return { major, minor, startUnixMs, kind, sessionId, targetId, user, metadata, length: total };
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
