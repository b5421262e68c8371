/**
 * Hard caps of the TDP codec (docs/tdp.md, "Caps"). Every length field is checked against its cap
 * before any byte of the payload is looked at. Must stay equal to Oriel.Tdp.TdpLimits in C#.
 */
export const Limits = {
  /** Client username (7), UTF-8 bytes. */
  MaxUsernameBytes: 256,
  /** Clipboard data (6), bytes. */
  MaxClipboardBytes: 1024 * 1024,
  /** PNG data of a PNG frame (2, 27), bytes. */
  MaxPngBytes: 64 * 1024 * 1024,
  /** JPEG data of a JPEG frame (106), bytes. */
  MaxJpegBytes: 64 * 1024 * 1024,
  /** Error (9) and notification (28) text, UTF-8 bytes. */
  MaxTextBytes: 64 * 1024,
  /** MFA (10) JSON, UTF-8 bytes. */
  MaxMfaJsonBytes: 64 * 1024,
  /** Cursor shape (102) width and height, pixels. */
  MaxCursorSide: 256,
  /** Cursor shape (102) RGBA data, bytes (MaxCursorSide² × 4). */
  MaxCursorBytes: 256 * 256 * 4,
  /** Screen spec (1), desktop size (103) and copy rect (104) extent, pixels. */
  MaxScreenSide: 16384,
  /** Terminal output (108) data, bytes per message. */
  MaxTerminalOutputBytes: 64 * 1024,
  /** Terminal input (109) data, bytes per message. */
  MaxTerminalInputBytes: 64 * 1024,
  /** Terminal resize (110) columns and rows (1..this). */
  MaxTerminalCells: 4096,
  /** Terminal exit (112) signal name, ASCII bytes. */
  MaxSignalNameBytes: 32,
} as const;
