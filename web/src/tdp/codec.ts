/**
 * TDP codec: one TDP message ⇄ bytes (docs/tdp.md). Decoding treats the input as untrusted: every
 * length is checked against its cap (limits.ts) before it is used, and every malformed input throws
 * TdpDecodeError — nothing else. Encoding refuses values the peer would refuse (RangeError), so we
 * never send what we would not accept. Mirrors Oriel.Tdp.TdpCodec in C#; both are tested against
 * tests/vectors/tdp.json.
 */
import { Limits } from './limits';
import { MessageType, MfaType, TerminalExitKind, type TdpMessage } from './messages';

/** The one error type for malformed TDP input: what was decoded, at which byte, and why it was refused. */
export class TdpDecodeError extends Error {
  readonly what: string;
  readonly offset: number;
  readonly why: string;

  constructor(what: string, offset: number, why: string) {
    super(`${what}: ${why} (at byte ${offset})`);
    this.name = 'TdpDecodeError';
    this.what = what;
    this.offset = offset;
    this.why = why;
  }
}

const NAMES: Readonly<Record<number, string>> = {
  1: 'TDP client screen spec (1)',
  2: 'TDP PNG frame (2)',
  3: 'TDP mouse move (3)',
  4: 'TDP mouse button (4)',
  5: 'TDP keyboard input (5)',
  6: 'TDP clipboard data (6)',
  7: 'TDP client username (7)',
  8: 'TDP mouse wheel (8)',
  9: 'TDP error (9)',
  10: 'TDP MFA (10)',
  27: 'TDP PNG frame 2 (27)',
  28: 'TDP notification (28)',
  100: 'TDP frame marker (100)',
  101: 'TDP frame ack (101)',
  102: 'TDP cursor shape (102)',
  103: 'TDP desktop size (103)',
  104: 'TDP copy rect (104)',
  105: 'TDP keysym input (105)',
  106: 'TDP JPEG frame (106)',
  107: 'TDP resize remote (107)',
  108: 'TDP terminal output (108)',
  109: 'TDP terminal input (109)',
  110: 'TDP terminal resize (110)',
  111: 'TDP terminal ack (111)',
  112: 'TDP terminal exit (112)',
  113: 'TDP terminal size (113)',
};

/** PNG file signature (PNG spec 5.2). */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

class Reader {
  private pos = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  error(why: string, at: number = this.pos): TdpDecodeError {
    return new TdpDecodeError(this.what, at, why);
  }

  private need(count: number, field: string): void {
    if (this.bytes.length - this.pos < count) {
      throw this.error(`truncated: ${field} needs ${count} bytes, ${this.remaining} left`);
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  i16(field: string): number {
    this.need(2, field);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  length32(cap: number, field: string): number {
    const start = this.pos;
    const n = this.u32(field);
    if (n > cap) {
      throw this.error(`${field} ${n} exceeds the cap of ${cap}`, start);
    }
    return n;
  }

  /** A view of the next `count` bytes (no copy). */
  take(count: number, field: string): Uint8Array {
    this.need(count, field);
    const s = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return s;
  }

  utf8(bytes: Uint8Array, field: string, at: number): string {
    try {
      return utf8Decoder.decode(bytes);
    } catch {
      throw this.error(`${field} is not valid UTF-8`, at);
    }
  }

  string32(cap: number, field: string): string {
    const n = this.length32(cap, field);
    const start = this.pos;
    return this.utf8(this.take(n, field), field, start);
  }

  enumByte(max: number, field: string): number {
    const start = this.pos;
    const v = this.u8(field);
    if (v > max) {
      throw this.error(`invalid ${field} ${v}`, start);
    }
    return v;
  }

  ensureEnd(): void {
    if (this.remaining !== 0) {
      throw this.error(`${this.remaining} unexpected trailing bytes`);
    }
  }
}

function range16(r: Reader, min: number, max: number, field: string): number {
  const start = r.position;
  const v = r.u16(field);
  if (v < min || v > max) {
    throw r.error(`${field} ${v} is outside ${min}..${max}`, start);
  }
  return v;
}

function screenSide(r: Reader, field: string): number {
  const start = r.position;
  const v = r.u32(field);
  if (v < 1 || v > Limits.MaxScreenSide) {
    throw r.error(`${field} ${v} is outside 1..${Limits.MaxScreenSide}`, start);
  }
  return v;
}

/**
 * Decodes exactly one whole TDP message. Byte payloads (PNG data, clipboard data, cursor RGBA) are
 * views into `bytes`, not copies: copy them if `bytes` is reused.
 * @throws TdpDecodeError on empty input, unknown type, truncation, over-cap length, invalid UTF-8,
 * invalid enum value, out-of-range size, or trailing bytes.
 */
export function decodeMessage(bytes: Uint8Array): TdpMessage {
  if (bytes.length === 0) {
    throw new TdpDecodeError('TDP message', 0, 'empty message');
  }
  const type = bytes[0]!;
  const what = NAMES[type];
  if (what === undefined) {
    throw new TdpDecodeError('TDP message', 0, `unknown message type ${type}`);
  }
  const r = new Reader(bytes, what);
  r.u8('message type');
  const m = decodeBody(type, r);
  r.ensureEnd();
  return m;
}

function decodeBody(type: number, r: Reader): TdpMessage {
  switch (type) {
    case MessageType.ClientScreenSpec: {
      const width = screenSide(r, 'width');
      const height = screenSide(r, 'height');
      return { type, width, height };
    }
    case MessageType.PngFrame: {
      const left = r.u32('left');
      const top = r.u32('top');
      const right = r.u32('right');
      const bottom = r.u32('bottom');
      if (r.remaining > Limits.MaxPngBytes) {
        throw r.error(`data ${r.remaining} exceeds the cap of ${Limits.MaxPngBytes}`);
      }
      const data = r.take(r.remaining, 'data');
      return { type, left, top, right, bottom, data };
    }
    case MessageType.MouseMove:
      return { type, x: r.u32('x'), y: r.u32('y') };
    case MessageType.MouseButton: {
      const button = r.enumByte(2, 'button');
      const state = r.enumByte(1, 'state');
      return { type, button, state };
    }
    case MessageType.KeyboardInput: {
      const keyCode = r.u32('key_code');
      const state = r.enumByte(1, 'state');
      return { type, keyCode, state };
    }
    case MessageType.ClipboardData: {
      const n = r.length32(Limits.MaxClipboardBytes, 'length');
      const start = r.position;
      const data = r.take(n, 'data');
      r.utf8(data, 'data', start);
      return { type, data };
    }
    case MessageType.ClientUsername:
      return { type, username: r.string32(Limits.MaxUsernameBytes, 'username_length') };
    case MessageType.MouseWheel: {
      const axis = r.enumByte(1, 'axis');
      const delta = r.i16('delta');
      return { type, axis, delta };
    }
    case MessageType.Error:
      return { type, message: r.string32(Limits.MaxTextBytes, 'message_length') };
    case MessageType.Mfa: {
      const start = r.position;
      const t = r.u8('mfa_type');
      if (t !== MfaType.WebAuthn.charCodeAt(0) && t !== MfaType.U2F.charCodeAt(0)) {
        throw r.error(`invalid mfa_type ${t}`, start);
      }
      const json = r.string32(Limits.MaxMfaJsonBytes, 'length');
      return { type, mfaType: String.fromCharCode(t), json };
    }
    case MessageType.PngFrame2: {
      const n = r.length32(Limits.MaxPngBytes, 'png_length');
      const left = r.u32('left');
      const top = r.u32('top');
      const right = r.u32('right');
      const bottom = r.u32('bottom');
      const data = r.take(n, 'data');
      return { type, left, top, right, bottom, data };
    }
    case MessageType.Notification: {
      const message = r.string32(Limits.MaxTextBytes, 'message_length');
      const severity = r.enumByte(2, 'severity');
      return { type, message, severity };
    }
    case MessageType.FrameMarker:
      return { type, frameId: r.u32('frame_id') };
    case MessageType.FrameAck:
      return { type, frameId: r.u32('frame_id') };
    case MessageType.CursorShape:
      return decodeCursorShape(r);
    case MessageType.DesktopSize: {
      const width = screenSide(r, 'width');
      const height = screenSide(r, 'height');
      return { type, width, height };
    }
    case MessageType.CopyRect: {
      const srcLeft = r.u32('src_left');
      const srcTop = r.u32('src_top');
      const width = r.u32('width');
      const height = r.u32('height');
      const dstLeft = r.u32('dst_left');
      const dstTop = r.u32('dst_top');
      const max = Limits.MaxScreenSide;
      if (srcLeft + width > max || srcTop + height > max) {
        throw r.error(`source rectangle exceeds the ${max}x${max} canvas`);
      }
      if (dstLeft + width > max || dstTop + height > max) {
        throw r.error(`destination rectangle exceeds the ${max}x${max} canvas`);
      }
      return { type, srcLeft, srcTop, width, height, dstLeft, dstTop };
    }
    case MessageType.KeysymInput: {
      const keysym = r.u32('keysym');
      const keyCode = r.u32('key_code');
      const state = r.enumByte(1, 'state');
      return { type, keysym, keyCode, state };
    }
    case MessageType.JpegFrame: {
      const n = r.length32(Limits.MaxJpegBytes, 'jpeg_length');
      const left = r.u32('left');
      const top = r.u32('top');
      const right = r.u32('right');
      const bottom = r.u32('bottom');
      const data = r.take(n, 'data');
      return { type, left, top, right, bottom, data };
    }
    case MessageType.ResizeRemote:
      return { type, mode: r.enumByte(1, 'mode') };
    case MessageType.TerminalOutput:
      return { type, data: r.take(r.length32(Limits.MaxTerminalOutputBytes, 'length'), 'data') };
    case MessageType.TerminalInput:
      return { type, data: r.take(r.length32(Limits.MaxTerminalInputBytes, 'length'), 'data') };
    case MessageType.TerminalResize: {
      const columns = range16(r, 1, Limits.MaxTerminalCells, 'columns');
      const rows = range16(r, 1, Limits.MaxTerminalCells, 'rows');
      const widthPx = range16(r, 0, Limits.MaxScreenSide, 'width_px');
      const heightPx = range16(r, 0, Limits.MaxScreenSide, 'height_px');
      return { type, columns, rows, widthPx, heightPx };
    }
    case MessageType.TerminalAck: {
      const start = r.position;
      const bytes = r.u32('bytes');
      if (bytes === 0) {
        throw r.error('bytes 0 is outside 1..4294967295', start);
      }
      return { type, bytes };
    }
    case MessageType.TerminalExit:
      return decodeTerminalExit(r);
    case MessageType.TerminalSize: {
      const columns = range16(r, 1, Limits.MaxTerminalCells, 'columns');
      const rows = range16(r, 1, Limits.MaxTerminalCells, 'rows');
      return { type, columns, rows };
    }
    default:
      throw r.error(`unknown message type ${type}`, 0);
  }
}

/** Why a terminal exit's kind, status and signal length do not fit together, or undefined when they do. */
function terminalExitRule(kind: number, status: number, signalLength: number): string | undefined {
  if (kind === TerminalExitKind.Signaled && signalLength === 0) {
    return 'signal_length is 0 with kind 1 (signal)';
  }
  if (kind !== TerminalExitKind.Signaled && signalLength !== 0) {
    return `signal_length ${signalLength} with kind ${kind}: only kind 1 has a signal`;
  }
  if (kind !== TerminalExitKind.Exited && status !== 0) {
    return `exit_status ${status} with kind ${kind}: only kind 0 has a status`;
  }
  return undefined;
}

function decodeTerminalExit(r: Reader): TdpMessage {
  const kind = r.enumByte(2, 'kind');
  const exitStatus = r.u32('exit_status');
  const signalLength = r.length32(Limits.MaxSignalNameBytes, 'signal_length');
  const messageLength = r.length32(Limits.MaxTextBytes, 'message_length');
  const broken = terminalExitRule(kind, exitStatus, signalLength);
  if (broken !== undefined) {
    throw r.error(broken);
  }
  const signalAt = r.position;
  const signalBytes = r.take(signalLength, 'signal');
  if (signalBytes.some((x) => x < 0x21 || x > 0x7e)) {
    throw r.error('signal is not printable ASCII', signalAt);
  }
  const signal = String.fromCharCode(...signalBytes);
  const messageAt = r.position;
  const message = r.utf8(r.take(messageLength, 'message'), 'message', messageAt);
  return { type: MessageType.TerminalExit, kind, exitStatus, signal, message };
}

function decodeCursorShape(r: Reader): TdpMessage {
  const hotspotX = r.u16('hotspot_x');
  const hotspotY = r.u16('hotspot_y');
  const widthAt = r.position;
  const width = r.u16('width');
  const height = r.u16('height');
  const cap = Limits.MaxCursorSide;
  if (width > cap) {
    throw r.error(`width ${width} exceeds the cap of ${cap}`, widthAt);
  }
  if (height > cap) {
    throw r.error(`height ${height} exceeds the cap of ${cap}`, widthAt + 2);
  }
  if ((width === 0) !== (height === 0)) {
    throw r.error('width and height must both be zero (hide) or both nonzero', widthAt);
  }
  if (width !== 0 && (hotspotX >= width || hotspotY >= height)) {
    throw r.error(`hotspot (${hotspotX},${hotspotY}) is outside the ${width}x${height} cursor`, widthAt - 4);
  }
  const lengthAt = r.position;
  const n = r.length32(Limits.MaxCursorBytes, 'data_length');
  const expected = width * height * 4;
  if (n !== expected) {
    throw r.error(`data_length ${n} does not equal width*height*4 = ${expected}`, lengthAt);
  }
  const rgba = r.take(n, 'rgba');
  return { type: MessageType.CursorShape, hotspotX, hotspotY, width, height, rgba };
}

/**
 * Stream framing: the length of the message at the start of `buffer`, or undefined when more bytes
 * are needed to know it. Throws TdpDecodeError on an unknown type or an over-cap length as soon as
 * the header shows it, before the payload is buffered. A PNG frame (2) has no length field: its
 * length is found by walking the PNG chunks up to IEND.
 */
export function tryGetMessageLength(buffer: Uint8Array): number | undefined {
  if (buffer.length === 0) {
    return undefined;
  }
  const type = buffer[0]!;
  const what = NAMES[type];
  if (what === undefined) {
    throw new TdpDecodeError('TDP message', 0, `unknown message type ${type}`);
  }
  const prefixed = (at: number, cap: number, field: string, fixed: number): number | undefined => {
    if (buffer.length < at + 4) {
      return undefined;
    }
    const n = new DataView(buffer.buffer, buffer.byteOffset + at, 4).getUint32(0);
    if (n > cap) {
      throw new TdpDecodeError(what, at, `${field} ${n} exceeds the cap of ${cap}`);
    }
    return fixed + n;
  };
  let length: number | undefined;
  switch (type) {
    case MessageType.ClientScreenSpec:
    case MessageType.MouseMove:
    case MessageType.DesktopSize:
    case MessageType.TerminalResize:
      length = 9;
      break;
    case MessageType.PngFrame:
      return pngFrameLength(buffer, what);
    case MessageType.MouseButton:
      length = 3;
      break;
    case MessageType.ResizeRemote:
      length = 2;
      break;
    case MessageType.KeyboardInput:
      length = 6;
      break;
    case MessageType.ClipboardData:
      length = prefixed(1, Limits.MaxClipboardBytes, 'length', 5);
      break;
    case MessageType.ClientUsername:
      length = prefixed(1, Limits.MaxUsernameBytes, 'username_length', 5);
      break;
    case MessageType.MouseWheel:
      length = 4;
      break;
    case MessageType.Error:
      length = prefixed(1, Limits.MaxTextBytes, 'message_length', 5);
      break;
    case MessageType.Mfa:
      length = prefixed(2, Limits.MaxMfaJsonBytes, 'length', 6);
      break;
    case MessageType.PngFrame2:
      length = prefixed(1, Limits.MaxPngBytes, 'png_length', 21);
      break;
    case MessageType.Notification:
      length = prefixed(1, Limits.MaxTextBytes, 'message_length', 6);
      break;
    case MessageType.FrameMarker:
    case MessageType.FrameAck:
    case MessageType.TerminalAck:
    case MessageType.TerminalSize:
      length = 5;
      break;
    case MessageType.TerminalExit: {
      const signal = prefixed(6, Limits.MaxSignalNameBytes, 'signal_length', 0);
      const message = prefixed(10, Limits.MaxTextBytes, 'message_length', 0);
      length = signal !== undefined && message !== undefined ? 14 + signal + message : undefined;
      break;
    }
    case MessageType.TerminalOutput:
      length = prefixed(1, Limits.MaxTerminalOutputBytes, 'length', 5);
      break;
    case MessageType.TerminalInput:
      length = prefixed(1, Limits.MaxTerminalInputBytes, 'length', 5);
      break;
    case MessageType.CursorShape:
      length = prefixed(9, Limits.MaxCursorBytes, 'data_length', 13);
      break;
    case MessageType.CopyRect:
      length = 25;
      break;
    case MessageType.KeysymInput:
      length = 10;
      break;
    case MessageType.JpegFrame:
      length = prefixed(1, Limits.MaxJpegBytes, 'jpeg_length', 21);
      break;
  }
  return length !== undefined && buffer.length >= length ? length : undefined;
}

function pngFrameLength(buffer: Uint8Array, what: string): number | undefined {
  const dataStart = 17;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) {
    if (buffer.length <= dataStart + i) {
      return undefined;
    }
    if (buffer[dataStart + i] !== PNG_SIGNATURE[i]) {
      throw new TdpDecodeError(what, dataStart + i, 'data does not start with the PNG signature');
    }
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let at = dataStart + PNG_SIGNATURE.length;
  for (;;) {
    if (buffer.length < at + 8) {
      return undefined;
    }
    const n = view.getUint32(at);
    const end = at + 12 + n;
    if (n > 0x7fffffff || end - dataStart > Limits.MaxPngBytes) {
      throw new TdpDecodeError(what, at, `data exceeds the cap of ${Limits.MaxPngBytes}`);
    }
    const isEnd =
      buffer[at + 4] === 0x49 && buffer[at + 5] === 0x45 && buffer[at + 6] === 0x4e && buffer[at + 7] === 0x44;
    if (isEnd) {
      return buffer.length >= end ? end : undefined;
    }
    at = end;
  }
}

// ---------------------------------------------------------------- encoding

function checkUint(v: number, bits: 8 | 16 | 32, field: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 2 ** bits - 1) {
    throw new RangeError(`TDP encode: ${field} ${v} is not a uint${bits}`);
  }
}

function checkMax(v: number, max: number, field: string): void {
  checkUint(v, 8, field);
  if (v > max) {
    throw new RangeError(`TDP encode: invalid ${field} ${v}`);
  }
}

function checkRange16(v: number, min: number, max: number, field: string): void {
  checkUint(v, 16, field);
  if (v < min || v > max) {
    throw new RangeError(`TDP encode: ${field} ${v} is outside ${min}..${max}`);
  }
}

function checkCap(n: number, cap: number, field: string): void {
  if (n > cap) {
    throw new RangeError(`TDP encode: ${field} ${n} exceeds the cap of ${cap}`);
  }
}

function checkScreen(v: number, field: string): void {
  checkUint(v, 32, field);
  if (v < 1 || v > Limits.MaxScreenSide) {
    throw new RangeError(`TDP encode: ${field} ${v} is outside 1..${Limits.MaxScreenSide}`);
  }
}

class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private pos = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(v: number): this {
    this.view.setUint8(this.pos, v);
    this.pos += 1;
    return this;
  }

  u16(v: number): this {
    this.view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  i16(v: number): this {
    this.view.setInt16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  raw(b: Uint8Array): this {
    this.bytes.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  done(): Uint8Array {
    if (this.pos !== this.bytes.length) {
      throw new Error(`TDP encode: wrote ${this.pos} of ${this.bytes.length} bytes`);
    }
    return this.bytes;
  }
}

function utf8Bytes(s: string, cap: number, field: string): Uint8Array {
  const b = utf8Encoder.encode(s);
  checkCap(b.length, cap, field);
  return b;
}

/**
 * Encodes one TDP message into a new Uint8Array.
 * @throws RangeError if a field is out of range or over its cap (a caller bug: the peer would refuse it).
 */
export function encodeMessage(m: TdpMessage): Uint8Array {
  switch (m.type) {
    case MessageType.ClientScreenSpec:
    case MessageType.DesktopSize:
      checkScreen(m.width, 'width');
      checkScreen(m.height, 'height');
      return new Writer(9).u8(m.type).u32(m.width).u32(m.height).done();
    case MessageType.PngFrame:
      checkUint(m.left, 32, 'left');
      checkUint(m.top, 32, 'top');
      checkUint(m.right, 32, 'right');
      checkUint(m.bottom, 32, 'bottom');
      checkCap(m.data.length, Limits.MaxPngBytes, 'data');
      return new Writer(17 + m.data.length)
        .u8(m.type).u32(m.left).u32(m.top).u32(m.right).u32(m.bottom).raw(m.data).done();
    case MessageType.MouseMove:
      checkUint(m.x, 32, 'x');
      checkUint(m.y, 32, 'y');
      return new Writer(9).u8(m.type).u32(m.x).u32(m.y).done();
    case MessageType.MouseButton:
      checkMax(m.button, 2, 'button');
      checkMax(m.state, 1, 'state');
      return new Writer(3).u8(m.type).u8(m.button).u8(m.state).done();
    case MessageType.KeyboardInput:
      checkUint(m.keyCode, 32, 'key_code');
      checkMax(m.state, 1, 'state');
      return new Writer(6).u8(m.type).u32(m.keyCode).u8(m.state).done();
    case MessageType.ClipboardData: {
      checkCap(m.data.length, Limits.MaxClipboardBytes, 'length');
      try {
        utf8Decoder.decode(m.data);
      } catch {
        throw new RangeError('TDP encode: clipboard data is not valid UTF-8');
      }
      return new Writer(5 + m.data.length).u8(m.type).u32(m.data.length).raw(m.data).done();
    }
    case MessageType.ClientUsername: {
      const b = utf8Bytes(m.username, Limits.MaxUsernameBytes, 'username_length');
      return new Writer(5 + b.length).u8(m.type).u32(b.length).raw(b).done();
    }
    case MessageType.MouseWheel:
      checkMax(m.axis, 1, 'axis');
      if (!Number.isInteger(m.delta) || m.delta < -32768 || m.delta > 32767) {
        throw new RangeError(`TDP encode: delta ${m.delta} is not an int16`);
      }
      return new Writer(4).u8(m.type).u8(m.axis).i16(m.delta).done();
    case MessageType.Error: {
      const b = utf8Bytes(m.message, Limits.MaxTextBytes, 'message_length');
      return new Writer(5 + b.length).u8(m.type).u32(b.length).raw(b).done();
    }
    case MessageType.Mfa: {
      if (m.mfaType !== MfaType.WebAuthn && m.mfaType !== MfaType.U2F) {
        throw new RangeError(`TDP encode: invalid mfa_type ${JSON.stringify(m.mfaType)}`);
      }
      const b = utf8Bytes(m.json, Limits.MaxMfaJsonBytes, 'length');
      return new Writer(6 + b.length).u8(m.type).u8(m.mfaType.charCodeAt(0)).u32(b.length).raw(b).done();
    }
    case MessageType.PngFrame2:
      checkUint(m.left, 32, 'left');
      checkUint(m.top, 32, 'top');
      checkUint(m.right, 32, 'right');
      checkUint(m.bottom, 32, 'bottom');
      checkCap(m.data.length, Limits.MaxPngBytes, 'png_length');
      return new Writer(21 + m.data.length)
        .u8(m.type).u32(m.data.length).u32(m.left).u32(m.top).u32(m.right).u32(m.bottom).raw(m.data).done();
    case MessageType.Notification: {
      checkMax(m.severity, 2, 'severity');
      const b = utf8Bytes(m.message, Limits.MaxTextBytes, 'message_length');
      return new Writer(6 + b.length).u8(m.type).u32(b.length).raw(b).u8(m.severity).done();
    }
    case MessageType.FrameMarker:
    case MessageType.FrameAck:
      checkUint(m.frameId, 32, 'frame_id');
      return new Writer(5).u8(m.type).u32(m.frameId).done();
    case MessageType.CursorShape: {
      const cap = Limits.MaxCursorSide;
      checkUint(m.hotspotX, 16, 'hotspot_x');
      checkUint(m.hotspotY, 16, 'hotspot_y');
      checkUint(m.width, 16, 'width');
      checkUint(m.height, 16, 'height');
      checkCap(m.width, cap, 'width');
      checkCap(m.height, cap, 'height');
      if ((m.width === 0) !== (m.height === 0)) {
        throw new RangeError('TDP encode: width and height must both be zero (hide) or both nonzero');
      }
      if (m.width !== 0 && (m.hotspotX >= m.width || m.hotspotY >= m.height)) {
        throw new RangeError(`TDP encode: hotspot (${m.hotspotX},${m.hotspotY}) is outside the cursor`);
      }
      if (m.rgba.length !== m.width * m.height * 4) {
        throw new RangeError(`TDP encode: rgba length ${m.rgba.length} does not equal width*height*4`);
      }
      return new Writer(13 + m.rgba.length)
        .u8(m.type).u16(m.hotspotX).u16(m.hotspotY).u16(m.width).u16(m.height).u32(m.rgba.length).raw(m.rgba)
        .done();
    }
    case MessageType.CopyRect: {
      checkUint(m.srcLeft, 32, 'src_left');
      checkUint(m.srcTop, 32, 'src_top');
      checkUint(m.width, 32, 'width');
      checkUint(m.height, 32, 'height');
      checkUint(m.dstLeft, 32, 'dst_left');
      checkUint(m.dstTop, 32, 'dst_top');
      const max = Limits.MaxScreenSide;
      if (m.srcLeft + m.width > max || m.srcTop + m.height > max || m.dstLeft + m.width > max || m.dstTop + m.height > max) {
        throw new RangeError(`TDP encode: copy rect exceeds the ${max}x${max} canvas`);
      }
      return new Writer(25)
        .u8(m.type).u32(m.srcLeft).u32(m.srcTop).u32(m.width).u32(m.height).u32(m.dstLeft).u32(m.dstTop).done();
    }
    case MessageType.KeysymInput:
      checkUint(m.keysym, 32, 'keysym');
      checkUint(m.keyCode, 32, 'key_code');
      checkMax(m.state, 1, 'state');
      return new Writer(10).u8(m.type).u32(m.keysym).u32(m.keyCode).u8(m.state).done();
    case MessageType.JpegFrame:
      checkUint(m.left, 32, 'left');
      checkUint(m.top, 32, 'top');
      checkUint(m.right, 32, 'right');
      checkUint(m.bottom, 32, 'bottom');
      checkCap(m.data.length, Limits.MaxJpegBytes, 'jpeg_length');
      return new Writer(21 + m.data.length)
        .u8(m.type).u32(m.data.length).u32(m.left).u32(m.top).u32(m.right).u32(m.bottom).raw(m.data).done();
    case MessageType.ResizeRemote:
      checkMax(m.mode, 1, 'mode');
      return new Writer(2).u8(m.type).u8(m.mode).done();
    case MessageType.TerminalOutput:
      checkCap(m.data.length, Limits.MaxTerminalOutputBytes, 'length');
      return new Writer(5 + m.data.length).u8(m.type).u32(m.data.length).raw(m.data).done();
    case MessageType.TerminalInput:
      checkCap(m.data.length, Limits.MaxTerminalInputBytes, 'length');
      return new Writer(5 + m.data.length).u8(m.type).u32(m.data.length).raw(m.data).done();
    case MessageType.TerminalResize:
      checkRange16(m.columns, 1, Limits.MaxTerminalCells, 'columns');
      checkRange16(m.rows, 1, Limits.MaxTerminalCells, 'rows');
      checkRange16(m.widthPx, 0, Limits.MaxScreenSide, 'width_px');
      checkRange16(m.heightPx, 0, Limits.MaxScreenSide, 'height_px');
      return new Writer(9).u8(m.type).u16(m.columns).u16(m.rows).u16(m.widthPx).u16(m.heightPx).done();
    case MessageType.TerminalAck:
      checkUint(m.bytes, 32, 'bytes');
      if (m.bytes === 0) {
        throw new RangeError('TDP encode: bytes must be at least 1');
      }
      return new Writer(5).u8(m.type).u32(m.bytes).done();
    case MessageType.TerminalSize:
      checkRange16(m.columns, 1, Limits.MaxTerminalCells, 'columns');
      checkRange16(m.rows, 1, Limits.MaxTerminalCells, 'rows');
      return new Writer(5).u8(m.type).u16(m.columns).u16(m.rows).done();
    case MessageType.TerminalExit: {
      checkMax(m.kind, 2, 'kind');
      checkUint(m.exitStatus, 32, 'exit_status');
      if (!/^[\x21-\x7e]*$/.test(m.signal)) {
        throw new RangeError('TDP encode: signal is not printable ASCII');
      }
      checkCap(m.signal.length, Limits.MaxSignalNameBytes, 'signal_length');
      const broken = terminalExitRule(m.kind, m.exitStatus, m.signal.length);
      if (broken !== undefined) {
        throw new RangeError(`TDP encode: ${broken}`);
      }
      const signal = utf8Encoder.encode(m.signal);
      const message = utf8Bytes(m.message, Limits.MaxTextBytes, 'message_length');
      return new Writer(14 + signal.length + message.length)
        .u8(m.type).u8(m.kind).u32(m.exitStatus).u32(signal.length).u32(message.length).raw(signal).raw(message).done();
    }
    default: {
      const never: never = m;
      throw new RangeError(`TDP encode: unknown message ${JSON.stringify(never)}`);
    }
  }
}
