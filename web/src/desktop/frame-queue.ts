/** The image formats of frame messages: PNG (2, 27, exact) and JPEG (106, approximate until refined). */
export type ImageType = 'image/png' | 'image/jpeg';

/**
 * The drawing operations the frame queue needs. The browser implementation decodes
 * PNG and JPEG images with `createImageBitmap` and draws on a 2D canvas; tests use fakes.
 */
export interface FrameSurface<TImage> {
  /** Starts decoding one image file of `type`; may resolve in any order relative to other decodes. */
  decode(data: Uint8Array, type: ImageType): Promise<TImage>;
  /** Draws a decoded image with its top-left corner at (x, y). */
  drawImage(image: TImage, x: number, y: number): void;
  /** Copies a rectangle of the surface onto itself. */
  copyRect(srcX: number, srcY: number, width: number, height: number, dstX: number, dstY: number): void;
  /** Resizes the surface; its content is cleared. */
  resize(width: number, height: number): void;
  /** Frees a decoded image after drawing (or when it is dropped). */
  release?(image: TImage): void;
}

/** Callbacks from the queue to the session. */
export interface FrameQueueListener {
  /** Everything received before marker `frameId` has been drawn. */
  frameDrawn(frameId: number): void;
  /** An update could not be applied (undecodable image, draw error); the queue skipped it and went on. */
  updateFailed(error: unknown): void;
}

/**
 * Applies drawing updates strictly in arrival order although image decoding is
 * asynchronous. Decodes start at once (so they run in parallel); each step waits for
 * the one before it, so a CopyRect or a frame marker never overtakes an earlier image.
 */
export class FrameQueue<TImage> {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private disposed = false;

  constructor(
    private readonly surface: FrameSurface<TImage>,
    private readonly listener: FrameQueueListener,
  ) {}

  /** Updates received but not yet applied. */
  get pending(): number {
    return this.queued;
  }

  /**
   * Queues an image for (x, y): a PNG, or a JPEG (106). Both follow the same ordering rules: a later
   * PNG refining a JPEG is drawn after it even when its decode finishes first.
   */
  pushImage(x: number, y: number, data: Uint8Array, type: ImageType = 'image/png'): void {
    const decoded = this.surface.decode(data, type);
    // The rejection is handled when the step runs; keep it from being reported as unhandled meanwhile.
    decoded.catch(() => undefined);
    this.enqueue(async () => {
      let image: TImage;
      try {
        image = await decoded;
      } catch (error) {
        if (!this.disposed) {
          this.listener.updateFailed(error);
        }
        return;
      }
      if (this.disposed) {
        this.surface.release?.(image);
        return;
      }
      try {
        this.surface.drawImage(image, x, y);
      } finally {
        this.surface.release?.(image);
      }
    });
  }

  /** Queues a copy of a rectangle of the surface onto itself. */
  pushCopyRect(srcX: number, srcY: number, width: number, height: number, dstX: number, dstY: number): void {
    this.enqueue(() => {
      if (!this.disposed) {
        this.surface.copyRect(srcX, srcY, width, height, dstX, dstY);
      }
    });
  }

  /** Queues a resize (which clears the surface). */
  pushResize(width: number, height: number): void {
    this.enqueue(() => {
      if (!this.disposed) {
        this.surface.resize(width, height);
      }
    });
  }

  /** Queues a frame marker: the listener hears of it once everything before has been drawn. */
  pushMarker(frameId: number): void {
    this.enqueue(() => {
      if (!this.disposed) {
        this.listener.frameDrawn(frameId);
      }
    });
  }

  /** Resolves once everything queued so far has been applied. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Stops applying updates; images still decoding are released when they arrive. */
  dispose(): void {
    this.disposed = true;
  }

  private enqueue(step: () => void | Promise<void>): void {
    this.queued++;
    this.tail = this.tail.then(async () => {
      try {
        await step();
      } catch (error) {
        if (!this.disposed) {
          this.listener.updateFailed(error);
        }
      } finally {
        this.queued--;
      }
    });
  }
}
