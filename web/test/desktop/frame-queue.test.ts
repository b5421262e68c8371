import { describe, expect, it } from 'vitest';
import { FrameQueue, type FrameSurface, type ImageType } from '../../src/desktop/frame-queue';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
}

/** A surface whose decodes finish only when the test says so; every operation is logged. */
class FakeSurface implements FrameSurface<string> {
  readonly log: string[] = [];
  readonly decodes: Deferred<string>[] = [];

  decode(data: Uint8Array, type: ImageType): Promise<string> {
    const d = deferred<string>();
    this.decodes.push(d);
    this.log.push(type === 'image/png' ? `decode ${data[0]}` : `decode ${data[0]} ${type}`);
    return d.promise;
  }

  drawImage(image: string, x: number, y: number): void {
    this.log.push(`draw ${image} @${x},${y}`);
  }

  copyRect(srcX: number, srcY: number, width: number, height: number, dstX: number, dstY: number): void {
    this.log.push(`copy ${srcX},${srcY} ${width}x${height} → ${dstX},${dstY}`);
  }

  resize(width: number, height: number): void {
    this.log.push(`resize ${width}x${height}`);
  }

  release(image: string): void {
    this.log.push(`release ${image}`);
  }
}

function setup() {
  const surface = new FakeSurface();
  const acks: number[] = [];
  const failures: unknown[] = [];
  const queue = new FrameQueue(surface, {
    frameDrawn: (id) => {
      acks.push(id);
      surface.log.push(`ack ${id}`);
    },
    updateFailed: (e) => failures.push(e),
  });
  return { surface, acks, failures, queue };
}

describe('FrameQueue', () => {
  it('draws a PNG refinement after the JPEG it replaces even when the PNG decodes first', async () => {
    const { surface, acks, queue } = setup();
    queue.pushImage(0, 0, Uint8Array.of(1), 'image/jpeg');
    queue.pushMarker(1);
    queue.pushImage(0, 0, Uint8Array.of(2), 'image/png');
    queue.pushMarker(2);
    expect(surface.log).toEqual(['decode 1 image/jpeg', 'decode 2']);
    surface.decodes[1]!.resolve('exact');
    await settle();
    expect(acks).toEqual([]);
    surface.decodes[0]!.resolve('lossy');
    await settle();
    expect(surface.log.slice(2)).toEqual([
      'draw lossy @0,0',
      'release lossy',
      'ack 1',
      'draw exact @0,0',
      'release exact',
      'ack 2',
    ]);
  });

  it('starts all decodes at once but draws in arrival order', async () => {
    const { surface, queue } = setup();
    queue.pushImage(0, 0, Uint8Array.of(1));
    queue.pushImage(10, 0, Uint8Array.of(2));
    expect(surface.log).toEqual(['decode 1', 'decode 2']);
    surface.decodes[1]!.resolve('B');
    await settle();
    expect(surface.log).toEqual(['decode 1', 'decode 2']); // B waits for A
    surface.decodes[0]!.resolve('A');
    await settle();
    expect(surface.log).toEqual(['decode 1', 'decode 2', 'draw A @0,0', 'release A', 'draw B @10,0', 'release B']);
  });

  it('acks a frame marker only after every earlier image is drawn', async () => {
    const { surface, acks, queue } = setup();
    queue.pushImage(0, 0, Uint8Array.of(1));
    queue.pushMarker(7);
    queue.pushImage(5, 5, Uint8Array.of(2));
    queue.pushMarker(8);
    await settle();
    expect(acks).toEqual([]);
    expect(queue.pending).toBe(4);
    surface.decodes[1]!.resolve('B');
    await settle();
    expect(acks).toEqual([]);
    surface.decodes[0]!.resolve('A');
    await settle();
    expect(acks).toEqual([7, 8]);
    expect(surface.log.filter((l) => !l.startsWith('decode') && !l.startsWith('release'))).toEqual([
      'draw A @0,0',
      'ack 7',
      'draw B @5,5',
      'ack 8',
    ]);
    expect(queue.pending).toBe(0);
  });

  it('runs a CopyRect after the images before it and before the images after it', async () => {
    const { surface, queue } = setup();
    queue.pushImage(0, 0, Uint8Array.of(1));
    queue.pushCopyRect(0, 0, 16, 16, 100, 100);
    queue.pushImage(0, 0, Uint8Array.of(2));
    surface.decodes[1]!.resolve('B');
    await settle();
    expect(surface.log.some((l) => l.startsWith('copy'))).toBe(false);
    surface.decodes[0]!.resolve('A');
    await settle();
    expect(surface.log.filter((l) => l.startsWith('draw') || l.startsWith('copy'))).toEqual([
      'draw A @0,0',
      'copy 0,0 16x16 → 100,100',
      'draw B @0,0',
    ]);
  });

  it('applies a resize in order, before later images', async () => {
    const { surface, queue } = setup();
    queue.pushImage(0, 0, Uint8Array.of(1));
    queue.pushResize(800, 600);
    queue.pushImage(0, 0, Uint8Array.of(2));
    surface.decodes[0]!.resolve('A');
    surface.decodes[1]!.resolve('B');
    await queue.idle();
    expect(surface.log.filter((l) => !l.startsWith('decode') && !l.startsWith('release'))).toEqual(['draw A @0,0', 'resize 800x600', 'draw B @0,0']);
  });

  it('skips an image that fails to decode, reports it, and still acks the frame', async () => {
    const { surface, acks, failures, queue } = setup();
    queue.pushImage(0, 0, Uint8Array.of(1));
    queue.pushImage(0, 0, Uint8Array.of(2));
    queue.pushMarker(1);
    surface.decodes[0]!.reject(new Error('bad png'));
    surface.decodes[1]!.resolve('B');
    await queue.idle();
    expect(failures).toHaveLength(1);
    expect(acks).toEqual([1]);
    expect(surface.log).toContain('draw B @0,0');
  });

  it('after dispose draws and acks nothing but still releases decoded images', async () => {
    const { surface, acks, queue } = setup();
    queue.pushImage(0, 0, Uint8Array.of(1));
    queue.pushMarker(1);
    queue.dispose();
    surface.decodes[0]!.resolve('A');
    await queue.idle();
    expect(acks).toEqual([]);
    expect(surface.log).toEqual(['decode 1', 'release A']);
  });
});
