/** TDP mouse button numbers (RFD 37, message 4): 0 left, 1 middle, 2 right. */
export type TdpMouseButton = 0 | 1 | 2;

/** TDP wheel axis (RFD 37, message 8): 0 vertical, 1 horizontal. */
export type WheelAxis = 0 | 1;

/** Maps `MouseEvent.button` to a TDP button, or null for buttons TDP has no number for. */
export function tdpButtonFromDom(button: number): TdpMouseButton | null {
  switch (button) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return 2;
    default:
      return null;
  }
}

/** The fields of a `WheelEvent` the accumulator reads. */
export interface WheelLike {
  readonly deltaX: number;
  readonly deltaY: number;
  readonly deltaMode: number;
}

/** One MouseWheel message: delta in pixels, positive = up/left (the opposite of DOM deltas). */
export interface WheelStep {
  readonly axis: WheelAxis;
  readonly delta: number;
}

const LINE_PIXELS = 40;
const PAGE_PIXELS = 800;
const INT16_MAX = 32767;

/**
 * Converts DOM wheel events to TDP wheel deltas. Fractional pixel deltas (touchpads,
 * zoomed pages) are carried over to the next event instead of being lost to rounding.
 */
export class WheelAccumulator {
  private restX = 0;
  private restY = 0;

  /** The steps to send for one wheel event: vertical first, then horizontal; zero deltas omitted. */
  push(event: WheelLike): WheelStep[] {
    const scale = event.deltaMode === 1 ? LINE_PIXELS : event.deltaMode === 2 ? PAGE_PIXELS : 1;
    const steps: WheelStep[] = [];
    this.restY += -event.deltaY * scale;
    this.restX += -event.deltaX * scale;
    const y = WheelAccumulator.take(this.restY);
    this.restY -= y;
    const x = WheelAccumulator.take(this.restX);
    this.restX -= x;
    if (y !== 0) {
      steps.push({ axis: 0, delta: y });
    }
    if (x !== 0) {
      steps.push({ axis: 1, delta: x });
    }
    return steps;
  }

  private static take(value: number): number {
    const whole = Math.trunc(value);
    return Math.max(-INT16_MAX - 1, Math.min(INT16_MAX, whole));
  }
}
