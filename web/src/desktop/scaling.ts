/** A width and height in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Where an element sits on screen, as `getBoundingClientRect()` reports it. */
export interface ClientRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** "fit": scale to the viewport keeping the aspect ratio; "actual": one remote pixel per CSS pixel, scrollable. */
export type ScaleMode = 'fit' | 'actual';

/** The CSS size to display a remote desktop at. */
export interface DisplayLayout {
  readonly scale: number;
  readonly cssWidth: number;
  readonly cssHeight: number;
}

/** Computes the displayed size of the remote desktop inside a viewport. */
export function layoutDesktop(mode: ScaleMode, remote: Size, viewport: Size): DisplayLayout {
  if (mode === 'actual' || remote.width <= 0 || remote.height <= 0 || viewport.width <= 0 || viewport.height <= 0) {
    return { scale: 1, cssWidth: remote.width, cssHeight: remote.height };
  }
  const scale = Math.min(viewport.width / remote.width, viewport.height / remote.height);
  return {
    scale,
    cssWidth: Math.floor(remote.width * scale),
    cssHeight: Math.floor(remote.height * scale),
  };
}

/**
 * Maps a pointer position (client coordinates) to a remote pixel, given where the canvas
 * is drawn on screen. Works for both modes because the canvas holds remote pixels and
 * CSS only stretches it. The result is clamped to the desktop.
 */
export function clientToRemote(clientX: number, clientY: number, canvas: ClientRect, remote: Size): { x: number; y: number } {
  if (canvas.width <= 0 || canvas.height <= 0 || remote.width <= 0 || remote.height <= 0) {
    return { x: 0, y: 0 };
  }
  const x = Math.floor(((clientX - canvas.left) * remote.width) / canvas.width);
  const y = Math.floor(((clientY - canvas.top) * remote.height) / canvas.height);
  return {
    x: Math.max(0, Math.min(remote.width - 1, x)),
    y: Math.max(0, Math.min(remote.height - 1, y)),
  };
}

/** The screen size to ask the server for: whole CSS pixels, at least 1, at most 8192 per side. */
export function screenSpecFor(viewport: Size): Size {
  const clamp = (v: number): number => Math.max(1, Math.min(8192, Math.floor(v)));
  return { width: clamp(viewport.width), height: clamp(viewport.height) };
}
