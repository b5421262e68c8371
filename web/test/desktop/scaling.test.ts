import { describe, expect, it } from 'vitest';
import { clientToRemote, layoutDesktop, screenSpecFor } from '../../src/desktop/scaling';

describe('layoutDesktop', () => {
  it('fit scales down keeping the aspect ratio (width-bound)', () => {
    expect(layoutDesktop('fit', { width: 1920, height: 1080 }, { width: 960, height: 900 })).toEqual({ scale: 0.5, cssWidth: 960, cssHeight: 540 });
  });

  it('fit scales down keeping the aspect ratio (height-bound)', () => {
    expect(layoutDesktop('fit', { width: 1600, height: 1200 }, { width: 1600, height: 600 })).toEqual({ scale: 0.5, cssWidth: 800, cssHeight: 600 });
  });

  it('fit scales a small desktop up to the viewport', () => {
    expect(layoutDesktop('fit', { width: 800, height: 600 }, { width: 1600, height: 1300 })).toEqual({ scale: 2, cssWidth: 1600, cssHeight: 1200 });
  });

  it('actual is 1:1 whatever the viewport', () => {
    expect(layoutDesktop('actual', { width: 1920, height: 1080 }, { width: 800, height: 600 })).toEqual({ scale: 1, cssWidth: 1920, cssHeight: 1080 });
  });

  it('degenerate sizes do not divide by zero', () => {
    expect(layoutDesktop('fit', { width: 0, height: 0 }, { width: 800, height: 600 })).toEqual({ scale: 1, cssWidth: 0, cssHeight: 0 });
    expect(layoutDesktop('fit', { width: 800, height: 600 }, { width: 0, height: 0 })).toEqual({ scale: 1, cssWidth: 800, cssHeight: 600 });
  });
});

describe('clientToRemote', () => {
  const remote = { width: 1920, height: 1080 };

  it('maps back through a half-size fit canvas offset in the page', () => {
    const canvas = { left: 100, top: 50, width: 960, height: 540 };
    expect(clientToRemote(100, 50, canvas, remote)).toEqual({ x: 0, y: 0 });
    expect(clientToRemote(580, 320, canvas, remote)).toEqual({ x: 960, y: 540 });
    expect(clientToRemote(100.75, 50.75, canvas, remote)).toEqual({ x: 1, y: 1 });
  });

  it('is the identity (minus offset) at 1:1, including a scrolled canvas', () => {
    const canvas = { left: -300, top: -200, width: 1920, height: 1080 };
    expect(clientToRemote(0, 0, canvas, remote)).toEqual({ x: 300, y: 200 });
  });

  it('clamps points outside the canvas (pointer capture while dragging)', () => {
    const canvas = { left: 0, top: 0, width: 960, height: 540 };
    expect(clientToRemote(-50, -50, canvas, remote)).toEqual({ x: 0, y: 0 });
    expect(clientToRemote(5000, 5000, canvas, remote)).toEqual({ x: 1919, y: 1079 });
    expect(clientToRemote(960, 540, canvas, remote)).toEqual({ x: 1919, y: 1079 });
  });

  it('an empty canvas maps to 0,0', () => {
    expect(clientToRemote(10, 10, { left: 0, top: 0, width: 0, height: 0 }, remote)).toEqual({ x: 0, y: 0 });
  });
});

describe('screenSpecFor', () => {
  it('uses whole CSS pixels within 1..8192', () => {
    expect(screenSpecFor({ width: 1280.7, height: 719.2 })).toEqual({ width: 1280, height: 719 });
    expect(screenSpecFor({ width: 0, height: -5 })).toEqual({ width: 1, height: 1 });
    expect(screenSpecFor({ width: 20000, height: 9000 })).toEqual({ width: 8192, height: 8192 });
  });
});
