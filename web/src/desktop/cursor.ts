/** A cursor image as CursorShape (TDP extension 102) carries it: RGBA, row-major, 4 bytes per pixel. */
export interface CursorImage {
  readonly hotspotX: number;
  readonly hotspotY: number;
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** Browsers ignore cursor images larger than this (Chromium: 128 px per side). */
export const MAX_CURSOR_SIDE = 128;

/**
 * The CSS `cursor` value for a cursor shape. Width or height 0 hides the cursor;
 * an image the browser cannot show, or with a short pixel buffer, falls back to the default.
 * `toDataUrl` turns RGBA pixels into an image URL (a canvas in the browser).
 */
export function cursorCss(shape: CursorImage, toDataUrl: (width: number, height: number, rgba: Uint8Array) => string): string {
  if (shape.width === 0 || shape.height === 0) {
    return 'none';
  }
  if (
    shape.width > MAX_CURSOR_SIDE ||
    shape.height > MAX_CURSOR_SIDE ||
    shape.rgba.length < shape.width * shape.height * 4
  ) {
    return 'default';
  }
  const hx = Math.max(0, Math.min(shape.width - 1, shape.hotspotX));
  const hy = Math.max(0, Math.min(shape.height - 1, shape.hotspotY));
  const url = toDataUrl(shape.width, shape.height, shape.rgba);
  return url === '' ? 'default' : `url("${url}") ${hx} ${hy}, auto`;
}

/** Browser implementation of `toDataUrl` for `cursorCss`: paints the pixels on a canvas. */
export function rgbaToDataUrl(width: number, height: number, rgba: Uint8Array): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) {
    return '';
  }
  const pixels = new Uint8ClampedArray(width * height * 4);
  pixels.set(rgba.subarray(0, pixels.length));
  ctx.putImageData(new ImageData(pixels, width, height), 0, 0);
  return canvas.toDataURL('image/png');
}
