import { decodeMessage, tryGetMessageLength, TdpDecodeError } from '../tdp/codec';
import type { TdpMessage } from '../tdp/messages';
import { RecordingDecodeError } from './recording-error';

/** A Keyframe record's payload (CONTRACTS section 1): one flag byte (bit 0: the last part), then whole TDP messages. */
export interface KeyframePart {
  readonly last: boolean;
  readonly messages: readonly TdpMessage[];
}

/** Parses a Keyframe (0x80) payload found at file offset `payloadOffset`. */
export function parseKeyframePart(payload: Uint8Array, payloadOffset: number): KeyframePart {
  if (payload.length < 1) {
    throw new RecordingDecodeError('Keyframe', payloadOffset, 'the payload has no flag byte');
  }
  return { last: (payload[0]! & 1) === 1, messages: splitTdpMessages(payload.subarray(1), payloadOffset + 1, 'Keyframe') };
}

/**
 * Splits a payload of whole TDP messages (a ServerData record of a `tdp` recording, or a keyframe part) into decoded
 * messages. A message cut at the end of the payload, or any malformed message, is a {@link RecordingDecodeError}
 * carrying the TDP codec's reason and the file offset. Image data are views into `payload`.
 */
export function splitTdpMessages(payload: Uint8Array, payloadOffset: number, what = 'ServerData'): TdpMessage[] {
  const messages: TdpMessage[] = [];
  let pos = 0;
  while (pos < payload.length) {
    const rest = payload.subarray(pos);
    try {
      const length = tryGetMessageLength(rest);
      if (length === undefined || length > rest.length) {
        throw new RecordingDecodeError(what, payloadOffset + pos, 'a TDP message runs past the end of the record');
      }
      messages.push(decodeMessage(rest.subarray(0, length)));
      pos += length;
    } catch (error) {
      if (error instanceof TdpDecodeError) {
        throw new RecordingDecodeError(what, payloadOffset + pos + error.offset, error.message);
      }
      throw error;
    }
  }
  return messages;
}
