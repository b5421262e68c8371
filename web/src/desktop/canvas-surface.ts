import type { FrameSurface, ImageType } from './frame-queue';

/**
 * The browser FrameSurface: PNGs and JPEGs are decoded off the main thread with `createImageBitmap`
 * and drawn 1:1 onto the desktop canvas, which always has the remote resolution.
 */
export class CanvasSurface implements FrameSurface<ImageBitmap> {
  private readonly ctx: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (ctx === null) {
      throw new Error('This browser cannot draw on a 2D canvas.');
    }
    this.ctx = ctx;
    this.ctx.imageSmoothingEnabled = false;
  }

  decode(data: Uint8Array, type: ImageType): Promise<ImageBitmap> {
    // Copy into a plain ArrayBuffer: the view may sit in a larger (or shared) buffer.
    const bytes = new Uint8Array(data.length);
    bytes.set(data);
    return createImageBitmap(new Blob([bytes.buffer], { type }));
  }

  drawImage(image: ImageBitmap, x: number, y: number): void {
    this.ctx.drawImage(image, x, y);
  }

  copyRect(srcX: number, srcY: number, width: number, height: number, dstX: number, dstY: number): void {
    if (width <= 0 || height <= 0) {
      return;
    }
    this.ctx.drawImage(this.canvas, srcX, srcY, width, height, dstX, dstY, width, height);
  }

  resize(width: number, height: number): void {
    // Assigning the size clears the canvas (to opaque black, as the context has no alpha).
    this.canvas.width = width;
    this.canvas.height = height;
    this.ctx.imageSmoothingEnabled = false;
  }

  release(image: ImageBitmap): void {
    image.close();
  }
}
