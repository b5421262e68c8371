import { Limits } from '../tdp/limits';
import { MessageType, Severity, type TdpMessage } from '../tdp/messages';
import type { KeyAction } from '../input/keyboard';
import type { TdpMouseButton, WheelStep } from '../input/mouse';
import type { CursorImage } from './cursor';
import { FrameQueue, type FrameSurface } from './frame-queue';
import type { InputSink } from './input-binding';
import type { Size } from './scaling';

/**
 * Where a renderer's outgoing messages (frame acks, input, clipboard, screen specs) go: a live
 * {@link TdpConnection}, or nowhere for a player ({@link NO_OUTPUT}).
 */
export interface TdpOutput {
  /** Sends one message; false when it was not sent (not connected, over, or nobody to send to). */
  send(message: TdpMessage): boolean;
}

/** The output of a renderer nobody answers (a recording being played): sends nothing. */
export const NO_OUTPUT: TdpOutput = { send: () => false };

/** What the renderer tells the desktop view. */
export interface DesktopRendererEvents {
  desktopResized(size: Size): void;
  framesAcked(count: number): void;
  cursorChanged(shape: CursorImage): void;
  clipboardReceived(text: string): void;
  notify(message: string, severity: number): void;
}

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/**
 * Draws a remote desktop from decoded TDP messages, whatever their source: a live {@link TdpConnection} or a player
 * feeding recorded messages. Frames go through a {@link FrameQueue} (strict order although images decode
 * asynchronously); a frame marker is acknowledged (101) through the output once everything before it is drawn;
 * cursor, clipboard and notifications go to the view. Input captured on the canvas goes out through the same
 * output, so a player that cannot answer simply gives {@link NO_OUTPUT}.
 */
export class DesktopRenderer<TImage> implements InputSink {
  private readonly queue: FrameQueue<TImage>;
  private drawn = 0;
  private acked = 0;

  constructor(
    surface: FrameSurface<TImage>,
    private readonly events: DesktopRendererEvents,
    private readonly output: TdpOutput,
  ) {
    const resizingSurface: FrameSurface<TImage> = {
      decode: (data, type) => surface.decode(data, type),
      drawImage: (image, x, y) => surface.drawImage(image, x, y),
      copyRect: (sx, sy, w, h, dx, dy) => surface.copyRect(sx, sy, w, h, dx, dy),
      resize: (width, height) => {
        surface.resize(width, height);
        events.desktopResized({ width, height });
      },
      release: (image) => surface.release?.(image),
    };
    this.queue = new FrameQueue(resizingSurface, {
      frameDrawn: (frameId) => this.frameDrawn(frameId),
      updateFailed: (error) => {
        console.warn('oriel: desktop update skipped', error);
      },
    });
  }

  /** Frame markers drawn so far (acknowledged or not). */
  get framesDrawn(): number {
    return this.drawn;
  }

  /** Frame markers acknowledged through the output so far. */
  get framesAcked(): number {
    return this.acked;
  }

  /**
   * Takes one message from the server side. Drawing is queued (see {@link idle}); the rest takes effect at once.
   * Client-to-server types and features this client does not offer (MFA) are ignored. An Error (9) reaches the
   * renderer only from a player (a live connection ends on it instead); it is shown like a notification.
   */
  handle(message: TdpMessage): void {
    const events = this.events;
    switch (message.type) {
      case MessageType.PngFrame:
      case MessageType.PngFrame2:
        this.queue.pushImage(message.left, message.top, message.data, 'image/png');
        break;
      case MessageType.JpegFrame:
        this.queue.pushImage(message.left, message.top, message.data, 'image/jpeg');
        break;
      case MessageType.CopyRect:
        this.queue.pushCopyRect(message.srcLeft, message.srcTop, message.width, message.height, message.dstLeft, message.dstTop);
        break;
      case MessageType.DesktopSize:
        this.queue.pushResize(message.width, message.height);
        break;
      case MessageType.FrameMarker:
        this.queue.pushMarker(message.frameId);
        break;
      case MessageType.CursorShape:
        events.cursorChanged(message);
        break;
      case MessageType.ClipboardData:
        events.clipboardReceived(utf8Decoder.decode(message.data));
        break;
      case MessageType.Notification:
        events.notify(message.message, message.severity);
        break;
      case MessageType.Error:
        events.notify(message.message, Severity.Error);
        break;
      default:
        break;
    }
  }

  /** Resolves once everything handled so far has been drawn (a player paces itself with it; so do tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops drawing; images still decoding are released when they arrive. */
  dispose(): void {
    this.queue.dispose();
  }

  /** Asks the server for a new desktop size (ClientScreenSpec, RFD 37 type 1). */
  sendScreenSpec(size: Size): void {
    this.output.send({ type: MessageType.ClientScreenSpec, width: size.width, height: size.height });
  }

  sendMouseMove(x: number, y: number): void {
    this.output.send({ type: MessageType.MouseMove, x, y });
  }

  sendMouseButton(button: TdpMouseButton, pressed: boolean): void {
    this.output.send({ type: MessageType.MouseButton, button, state: pressed ? 1 : 0 });
  }

  sendWheel(step: WheelStep): void {
    this.output.send({ type: MessageType.MouseWheel, axis: step.axis, delta: step.delta });
  }

  sendKey(action: KeyAction): void {
    this.output.send({ type: MessageType.KeysymInput, keysym: action.keysym, keyCode: action.keyCode, state: action.state });
  }

  /** Sends local clipboard text to the remote side. False when too large or not sent. */
  sendClipboard(text: string): boolean {
    const data = utf8Encoder.encode(text);
    if (data.length > Limits.MaxClipboardBytes) {
      return false;
    }
    return this.output.send({ type: MessageType.ClipboardData, data });
  }

  private frameDrawn(frameId: number): void {
    this.drawn++;
    if (this.output.send({ type: MessageType.FrameAck, frameId })) {
      this.acked++;
      this.events.framesAcked(this.acked);
    }
  }
}
