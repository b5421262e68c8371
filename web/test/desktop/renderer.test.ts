import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrameSurface } from '../../src/desktop/frame-queue';
import { DesktopRenderer, NO_OUTPUT, type DesktopRendererEvents, type TdpOutput } from '../../src/desktop/renderer';
import { MessageType, type TdpMessage } from '../../src/tdp/messages';
import { TdpPlayer, type RecordedMessage } from '../../src/tdp/player';

/** A minimal PNG: signature + IEND chunk (the fake surface never decodes it). */
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82);
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xd9);

/** Decodes in a random-ish order (later images first) so the renderer's ordering is what is tested. */
class ReorderingSurface implements FrameSurface<string> {
  readonly log: string[] = [];
  private count = 0;
  decode(_data: Uint8Array, type: string): Promise<string> {
    const name = `${type === 'image/jpeg' ? 'jpeg' : 'png'}#${this.count++}`;
    const delay = 5 - (this.count % 5);
    return new Promise((resolve) => {
      let ticks = delay;
      const step = (): void => {
        if (--ticks <= 0) resolve(name);
        else void Promise.resolve().then(step);
      };
      step();
    });
  }
  drawImage(image: string, x: number, y: number): void {
    this.log.push(`draw ${image} @${x},${y}`);
  }
  copyRect(sx: number, sy: number, w: number, h: number, dx: number, dy: number): void {
    this.log.push(`copy ${sx},${sy} ${w}x${h} → ${dx},${dy}`);
  }
  resize(width: number, height: number): void {
    this.log.push(`resize ${width}x${height}`);
  }
}

function recordingEvents() {
  const seen = { sizes: [] as string[], acked: [] as number[], clipboard: [] as string[], toasts: [] as string[], cursors: 0 };
  const events: DesktopRendererEvents = {
    desktopResized: (size) => seen.sizes.push(`${size.width}x${size.height}`),
    framesAcked: (n) => seen.acked.push(n),
    cursorChanged: () => seen.cursors++,
    clipboardReceived: (t) => seen.clipboard.push(t),
    notify: (m, s) => seen.toasts.push(`${s}:${m}`),
  };
  return { seen, events };
}

/** A recorded session: a resize, an update of three rectangles, a JPEG later refined, cursor, clipboard, a notice. */
const SCRIPT: readonly TdpMessage[] = [
  { type: MessageType.DesktopSize, width: 800, height: 600 },
  { type: MessageType.PngFrame, left: 0, top: 0, right: 8, bottom: 8, data: PNG },
  { type: MessageType.CopyRect, srcLeft: 0, srcTop: 0, width: 8, height: 8, dstLeft: 16, dstTop: 0 },
  { type: MessageType.PngFrame2, left: 32, top: 4, right: 40, bottom: 12, data: PNG },
  { type: MessageType.FrameMarker, frameId: 1 },
  { type: MessageType.CursorShape, hotspotX: 0, hotspotY: 0, width: 1, height: 1, rgba: new Uint8Array(4) },
  { type: MessageType.JpegFrame, left: 0, top: 0, right: 256, bottom: 256, data: JPEG },
  { type: MessageType.FrameMarker, frameId: 2 },
  { type: MessageType.ClipboardData, data: new TextEncoder().encode('grüße') },
  { type: MessageType.PngFrame2, left: 0, top: 0, right: 256, bottom: 256, data: PNG },
  { type: MessageType.FrameMarker, frameId: 3 },
  { type: MessageType.Notification, message: 'recording ends', severity: 0 },
];

const EXPECTED_DRAWING = [
  'resize 800x600',
  'draw png#0 @0,0',
  'copy 0,0 8x8 → 16,0',
  'draw png#1 @32,4',
  'draw jpeg#2 @0,0',
  'draw png#3 @0,0',
];

describe('DesktopRenderer driven from a message list (no socket: the player path)', () => {
  it('draws a scripted session in order with an output that sends nothing', async () => {
    const surface = new ReorderingSurface();
    const { seen, events } = recordingEvents();
    const renderer = new DesktopRenderer(surface, events, NO_OUTPUT);
    for (const message of SCRIPT) {
      renderer.handle(message);
    }
    await renderer.idle();
    expect(surface.log).toEqual(EXPECTED_DRAWING);
    expect(seen.sizes).toEqual(['800x600']);
    expect(renderer.framesDrawn).toBe(3);
    expect(renderer.framesAcked).toBe(0);
    expect(seen.acked).toEqual([]);
    expect(seen.cursors).toBe(1);
    expect(seen.clipboard).toEqual(['grüße']);
    expect(seen.toasts).toEqual(['0:recording ends']);
    // Input has nowhere to go: it is dropped, not thrown.
    renderer.sendMouseMove(1, 2);
    renderer.sendKey({ keysym: 0x61, keyCode: 0, state: 1 });
    expect(renderer.sendClipboard('x')).toBe(false);
  });

  it('acknowledges each frame marker through its output only after everything before it is drawn', async () => {
    const surface = new ReorderingSurface();
    const { seen, events } = recordingEvents();
    const out: string[] = [];
    const output: TdpOutput = {
      send: (m) => {
        out.push(m.type === MessageType.FrameAck ? `ack ${m.frameId} after ${surface.log.length} draws` : `type ${m.type}`);
        return true;
      },
    };
    const renderer = new DesktopRenderer(surface, events, output);
    SCRIPT.forEach((m) => renderer.handle(m));
    expect(out).toEqual([]);
    await renderer.idle();
    expect(out).toEqual(['ack 1 after 4 draws', 'ack 2 after 5 draws', 'ack 3 after 6 draws']);
    expect(seen.acked).toEqual([1, 2, 3]);
    expect(renderer.framesAcked).toBe(3);
  });

  it('turns input into TDP messages on its output and refuses clipboard text over the cap', () => {
    const sent: TdpMessage[] = [];
    const renderer = new DesktopRenderer(new ReorderingSurface(), recordingEvents().events, { send: (m) => sent.push(m) > 0 });
    renderer.sendMouseMove(10, 20);
    renderer.sendMouseButton(2, true);
    renderer.sendWheel({ axis: 0, delta: -120 });
    renderer.sendKey({ keysym: 0xe4, keyCode: 0x28, state: 1 });
    renderer.sendScreenSpec({ width: 1024, height: 768 });
    expect(renderer.sendClipboard('grüße')).toBe(true);
    expect(renderer.sendClipboard('x'.repeat(1024 * 1024 + 1))).toBe(false);
    expect(sent).toEqual([
      { type: MessageType.MouseMove, x: 10, y: 20 },
      { type: MessageType.MouseButton, button: 2, state: 1 },
      { type: MessageType.MouseWheel, axis: 0, delta: -120 },
      { type: MessageType.KeysymInput, keysym: 0xe4, keyCode: 0x28, state: 1 },
      { type: MessageType.ClientScreenSpec, width: 1024, height: 768 },
      { type: MessageType.ClipboardData, data: new TextEncoder().encode('grüße') },
    ]);
  });

  it('an Error in a recording is shown, and nothing is drawn once disposed', async () => {
    const surface = new ReorderingSurface();
    const { seen, events } = recordingEvents();
    const renderer = new DesktopRenderer(surface, events, NO_OUTPUT);
    renderer.handle({ type: MessageType.DesktopSize, width: 8, height: 8 });
    renderer.handle({ type: MessageType.Error, message: 'target unreachable' });
    renderer.dispose();
    renderer.handle({ type: MessageType.PngFrame2, left: 0, top: 0, right: 1, bottom: 1, data: PNG });
    await renderer.idle();
    expect(seen.toasts).toEqual(['2:target unreachable']);
    expect(surface.log).toEqual([]);
  });
});

describe('TdpPlayer feeding a renderer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers recorded messages at their timestamps, in order, and the renderer draws them', async () => {
    vi.useFakeTimers();
    const surface = new ReorderingSurface();
    const renderer = new DesktopRenderer(surface, recordingEvents().events, NO_OUTPUT);
    const delivered: number[] = [];
    // Timestamps: the resize at 100 ms, the first update 40 ms later, the rest at 1 s (two at the same instant).
    const times = [100, 140, 140, 140, 140, 1000, 1000, 1000, 1000, 1000, 1000, 1000];
    const recording: RecordedMessage[] = SCRIPT.map((message, i) => ({ atMs: times[i]!, message }));
    const player = new TdpPlayer(recording, (m) => {
      delivered.push(m.type);
      renderer.handle(m);
    });
    let done = false;
    void player.play().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(player.position).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(player.position).toBe(1);
    await vi.advanceTimersByTimeAsync(40);
    expect(player.position).toBe(5);
    await vi.advanceTimersByTimeAsync(859);
    expect(player.position).toBe(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(player.position).toBe(SCRIPT.length);
    expect(done).toBe(true);
    expect(delivered).toEqual(SCRIPT.map((m) => m.type));
    await renderer.idle();
    expect(surface.log).toEqual(EXPECTED_DRAWING);
    expect(renderer.framesDrawn).toBe(3);
  });

  it('stops where it is and resumes from there', async () => {
    vi.useFakeTimers();
    const delivered: TdpMessage[] = [];
    const recording: RecordedMessage[] = SCRIPT.map((message, i) => ({ atMs: i * 10, message }));
    const player = new TdpPlayer(recording, (m) => delivered.push(m));
    const first = player.play();
    await vi.advanceTimersByTimeAsync(25);
    expect(player.position).toBe(3);
    player.stop();
    await first;
    await vi.advanceTimersByTimeAsync(1000);
    expect(delivered).toHaveLength(3);
    const second = player.play();
    await vi.advanceTimersByTimeAsync(1000);
    await second;
    expect(delivered).toEqual(SCRIPT);
  });
});
