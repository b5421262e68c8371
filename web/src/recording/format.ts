/** Constants of the `.orec` container (docs/recording.md). Must stay equal to Oriel.Recording.StreamRecordingFormat. */
export const OrecFormat = {
  /** `\x89ORC\r\n\x1a\n` (section 4). */
  Magic: Uint8Array.of(0x89, 0x4f, 0x52, 0x43, 0x0d, 0x0a, 0x1a, 0x0a),
  /** The major version this reader implements; every minor of it is accepted. */
  Major: 1,
  /** magic + major + minor + fields_length. */
  HeaderPrefixLength: 12,
  /** The smallest fields_length: every string and the metadata empty. */
  MinFieldsLength: 14,
  MaxKindBytes: 64,
  MaxSessionIdBytes: 128,
  MaxMetadataBytes: 16384,
  /** Record payload cap (section 5). */
  MaxPayloadLength: 1024 * 1024,
  /** End index entries cap (section 6.7). */
  MaxIndexEntries: 16384,
  MaxSessionEndTextBytes: 1024,
  MaxNoteTextBytes: 4096,
  /** A varint is at most 9 bytes (63 bits). */
  MaxVarintBytes: 9,
} as const;

/** Record kinds (section 6). 0x01-0x7F are critical, 0x80-0xFF ancillary. */
export const OrecRecordKind = {
  ClientData: 0x01,
  ServerData: 0x02,
  SessionStart: 0x10,
  SessionEnd: 0x11,
  Resize: 0x12,
  Note: 0x13,
  Sync: 0x20,
  End: 0x7f,
  /** Ancillary: part of a keyframe of a `tdp` recording (flag byte, then whole TDP messages). */
  Keyframe: 0x80,
} as const;

/** Header kinds. */
export const OrecKind = {
  Tdp: 'tdp',
  RfbPassthrough: 'rfb-passthrough',
} as const;
