import { DesktopRenderer, NO_OUTPUT, type DesktopRendererEvents } from '../desktop/renderer';
import type { FrameSurface } from '../desktop/frame-queue';
import type { TdpMessage } from '../tdp/messages';
import type { PlaybackSink } from './playback';

/**
 * The player's sink: the live client's {@link DesktopRenderer} with {@link NO_OUTPUT} (a recording is never answered:
 * no frame acks, no input). A seek disposes the renderer, so images of the old position still decoding are dropped,
 * and starts a fresh one on the same surface; the keyframe's DesktopSize clears the canvas.
 */
export class RendererSink<TImage> implements PlaybackSink {
  private renderer: DesktopRenderer<TImage>;

  constructor(
    private readonly surface: FrameSurface<TImage>,
    private readonly events: DesktopRendererEvents,
  ) {
    this.renderer = new DesktopRenderer(surface, events, NO_OUTPUT);
  }

  reset(): void {
    this.renderer.dispose();
    this.renderer = new DesktopRenderer(this.surface, this.events, NO_OUTPUT);
  }

  handle(message: TdpMessage): void {
    this.renderer.handle(message);
  }

  idle(): Promise<void> {
    return this.renderer.idle();
  }

  dispose(): void {
    this.renderer.dispose();
  }
}
