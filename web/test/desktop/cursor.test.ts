import { describe, expect, it } from 'vitest';
import { cursorCss } from '../../src/desktop/cursor';

const fakeUrl = (w: number, h: number, rgba: Uint8Array) => `data:image/png;fake,${w}x${h}:${rgba.length}`;

describe('cursorCss', () => {
  it('builds url(...) hx hy, auto from the RGBA image', () => {
    const shape = { hotspotX: 3, hotspotY: 4, width: 16, height: 16, rgba: new Uint8Array(16 * 16 * 4) };
    expect(cursorCss(shape, fakeUrl)).toBe('url("data:image/png;fake,16x16:1024") 3 4, auto');
  });

  it('width 0 hides the cursor', () => {
    expect(cursorCss({ hotspotX: 0, hotspotY: 0, width: 0, height: 0, rgba: new Uint8Array(0) }, fakeUrl)).toBe('none');
  });

  it('falls back to the default cursor for images browsers refuse or short pixel data', () => {
    expect(cursorCss({ hotspotX: 0, hotspotY: 0, width: 200, height: 200, rgba: new Uint8Array(200 * 200 * 4) }, fakeUrl)).toBe('default');
    expect(cursorCss({ hotspotX: 0, hotspotY: 0, width: 8, height: 8, rgba: new Uint8Array(10) }, fakeUrl)).toBe('default');
  });

  it('clamps a hotspot outside the image', () => {
    const shape = { hotspotX: 40, hotspotY: 2, width: 8, height: 8, rgba: new Uint8Array(256) };
    expect(cursorCss(shape, fakeUrl)).toBe('url("data:image/png;fake,8x8:256") 7 2, auto');
  });
});
