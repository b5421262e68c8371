/**
 * TDP messages: RFD 37 types 1-10, 27, 28 and Oriel's extensions 100-113 (docs/tdp.md).
 * Field names are the camelCase of the names in the spec. All numbers are plain JS numbers;
 * byte payloads are Uint8Array. Mirrors Oriel.Tdp in C#.
 */

export const MessageType = {
  ClientScreenSpec: 1,
  PngFrame: 2,
  MouseMove: 3,
  MouseButton: 4,
  KeyboardInput: 5,
  ClipboardData: 6,
  ClientUsername: 7,
  MouseWheel: 8,
  Error: 9,
  Mfa: 10,
  PngFrame2: 27,
  Notification: 28,
  FrameMarker: 100,
  FrameAck: 101,
  CursorShape: 102,
  DesktopSize: 103,
  CopyRect: 104,
  KeysymInput: 105,
  JpegFrame: 106,
  ResizeRemote: 107,
  TerminalOutput: 108,
  TerminalInput: 109,
  TerminalResize: 110,
  TerminalAck: 111,
  TerminalExit: 112,
  TerminalSize: 113,
} as const;

export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];

/** Mouse button (4) `button`. */
export const MouseButton = { Left: 0, Middle: 1, Right: 2 } as const;
/** Mouse button (4) `state`. */
export const ButtonState = { Released: 0, Pressed: 1 } as const;
/** Keyboard input (5) and keysym input (105) `state`. */
export const KeyState = { Released: 0, Pressed: 1 } as const;
/** Mouse wheel (8) `axis`. */
export const WheelAxis = { Vertical: 0, Horizontal: 1 } as const;
/** Notification (28) `severity`. */
export const Severity = { Info: 0, Warning: 1, Error: 2 } as const;
/** Resize remote (107) `mode`: keep the remote desktop's size, or resize it to each screen spec. */
export const RemoteResizeMode = { Keep: 0, Follow: 1 } as const;
/** Terminal exit (112) `kind`: exited with a status, ended by a signal, or ended without either. */
export const TerminalExitKind = { Exited: 0, Signaled: 1, Unknown: 2 } as const;
/** MFA (10) `mfaType`. */
export const MfaType = { WebAuthn: 'n', U2F: 'u' } as const;

/** 1 - client screen spec, client → server. */
export interface ClientScreenSpecMessage {
  readonly type: typeof MessageType.ClientScreenSpec;
  readonly width: number;
  readonly height: number;
}

/** 2 - PNG frame, server → client. `data` runs to the end of the message. */
export interface PngFrameMessage {
  readonly type: typeof MessageType.PngFrame;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly data: Uint8Array;
}

/** 3 - mouse move, client → server. */
export interface MouseMoveMessage {
  readonly type: typeof MessageType.MouseMove;
  readonly x: number;
  readonly y: number;
}

/** 4 - mouse button, client → server. */
export interface MouseButtonMessage {
  readonly type: typeof MessageType.MouseButton;
  readonly button: number;
  readonly state: number;
}

/** 5 - keyboard input (RFD 37 key_code of the physical key), client → server. */
export interface KeyboardInputMessage {
  readonly type: typeof MessageType.KeyboardInput;
  readonly keyCode: number;
  readonly state: number;
}

/** 6 - clipboard data (UTF-8 text), either direction. */
export interface ClipboardDataMessage {
  readonly type: typeof MessageType.ClipboardData;
  readonly data: Uint8Array;
}

/** 7 - client username, client → server, first message. */
export interface ClientUsernameMessage {
  readonly type: typeof MessageType.ClientUsername;
  readonly username: string;
}

/** 8 - mouse wheel scroll, client → server. `delta` is a signed 16-bit number. */
export interface MouseWheelMessage {
  readonly type: typeof MessageType.MouseWheel;
  readonly axis: number;
  readonly delta: number;
}

/** 9 - error, server → client. */
export interface ErrorMessage {
  readonly type: typeof MessageType.Error;
  readonly message: string;
}

/** 10 - MFA challenge (server → client) or response (client → server). */
export interface MfaMessage {
  readonly type: typeof MessageType.Mfa;
  /** One character: 'n' (WebAuthn) or 'u' (U2F). */
  readonly mfaType: string;
  readonly json: string;
}

/** 27 - PNG frame 2 (length-prefixed PNG), server → client. */
export interface PngFrame2Message {
  readonly type: typeof MessageType.PngFrame2;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly data: Uint8Array;
}

/** 28 - notification, server → client. Severity 2 means the session is ending. */
export interface NotificationMessage {
  readonly type: typeof MessageType.Notification;
  readonly message: string;
  readonly severity: number;
}

/** 100 - frame marker (Oriel), server → client: ends one update; answer with 101. */
export interface FrameMarkerMessage {
  readonly type: typeof MessageType.FrameMarker;
  readonly frameId: number;
}

/** 101 - frame ack (Oriel), client → server: everything up to that marker is drawn. */
export interface FrameAckMessage {
  readonly type: typeof MessageType.FrameAck;
  readonly frameId: number;
}

/** 102 - cursor shape (Oriel), server → client. width = height = 0 hides the cursor. */
export interface CursorShapeMessage {
  readonly type: typeof MessageType.CursorShape;
  readonly hotspotX: number;
  readonly hotspotY: number;
  readonly width: number;
  readonly height: number;
  /** Straight (non-premultiplied) RGBA, row-major, width × height × 4 bytes. */
  readonly rgba: Uint8Array;
}

/** 103 - desktop size (Oriel), server → client. */
export interface DesktopSizeMessage {
  readonly type: typeof MessageType.DesktopSize;
  readonly width: number;
  readonly height: number;
}

/** 104 - copy rect (Oriel), server → client: copy pixels already on the canvas. */
export interface CopyRectMessage {
  readonly type: typeof MessageType.CopyRect;
  readonly srcLeft: number;
  readonly srcTop: number;
  readonly width: number;
  readonly height: number;
  readonly dstLeft: number;
  readonly dstTop: number;
}

/** 105 - keysym input (Oriel), client → server. */
export interface KeysymInputMessage {
  readonly type: typeof MessageType.KeysymInput;
  readonly keysym: number;
  /** RFD 37 key_code of the physical key, 0 if unknown. */
  readonly keyCode: number;
  readonly state: number;
}

/**
 * 106 - JPEG frame (Oriel), server → client: the layout of 27 with a JPEG instead of a PNG. The pixels
 * are approximate; the server sends the area again as a PNG (27) once it stops changing.
 */
export interface JpegFrameMessage {
  readonly type: typeof MessageType.JpegFrame;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly data: Uint8Array;
}

/**
 * 107 - resize remote (Oriel), client → server: whether screen specs (1) resize the remote desktop. Sent
 * between username and the first screen spec so the user's choice holds as the session opens, and again
 * when it changes; a client that never sends it gets `Follow`.
 */
export interface ResizeRemoteMessage {
  readonly type: typeof MessageType.ResizeRemote;
  readonly mode: number;
}

/**
 * 108 - terminal output (Oriel), server → client: the next bytes the remote terminal wrote. A slice of a
 * byte stream: not checked as UTF-8, it may end inside a character or an escape sequence that the next
 * message continues (feed it to the terminal as bytes, or through a streaming TextDecoder). Its length
 * counts against the flow-control window: acknowledge it with terminal ack (111) once consumed.
 */
export interface TerminalOutputMessage {
  readonly type: typeof MessageType.TerminalOutput;
  readonly data: Uint8Array;
}

/** 109 - terminal input (Oriel), client → server: bytes the terminal emulator produced for the remote input. */
export interface TerminalInputMessage {
  readonly type: typeof MessageType.TerminalInput;
  readonly data: Uint8Array;
}

/**
 * 110 - terminal resize (Oriel), client → server: the terminal's size in character cells (1..4096 each),
 * and in pixels (0..16384 each, 0 = not known).
 */
export interface TerminalResizeMessage {
  readonly type: typeof MessageType.TerminalResize;
  readonly columns: number;
  readonly rows: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

/**
 * 111 - terminal ack (Oriel), client → server: the terminal has consumed `bytes` more bytes of terminal
 * output (108) data (a credit added to the earlier ones, at least 1). See "Terminal flow control" in docs/tdp.md.
 */
export interface TerminalAckMessage {
  readonly type: typeof MessageType.TerminalAck;
  readonly bytes: number;
}

/**
 * 112 - terminal exit (Oriel), server → client: the remote program ended. `kind` 0: `exitStatus` is its exit
 * status; 1: `signal` is the SSH signal name without "SIG" (printable ASCII, 1..32 bytes); 2: neither is known.
 * `exitStatus` is 0 and `signal` empty where they do not apply. `message` is text for the user (may be empty).
 */
export interface TerminalExitMessage {
  readonly type: typeof MessageType.TerminalExit;
  readonly kind: number;
  readonly exitStatus: number;
  readonly signal: string;
  readonly message: string;
}

/**
 * 113 - terminal size (Oriel), server → client: the watched terminal has `columns` × `rows` cells (each 1..4096).
 * A live-view watcher of a terminal session gets it before the screen's output and on every resize.
 */
export interface TerminalSizeMessage {
  readonly type: typeof MessageType.TerminalSize;
  readonly columns: number;
  readonly rows: number;
}

export type TdpMessage =
  | ClientScreenSpecMessage
  | PngFrameMessage
  | MouseMoveMessage
  | MouseButtonMessage
  | KeyboardInputMessage
  | ClipboardDataMessage
  | ClientUsernameMessage
  | MouseWheelMessage
  | ErrorMessage
  | MfaMessage
  | PngFrame2Message
  | NotificationMessage
  | FrameMarkerMessage
  | FrameAckMessage
  | CursorShapeMessage
  | DesktopSizeMessage
  | CopyRectMessage
  | KeysymInputMessage
  | JpegFrameMessage
  | ResizeRemoteMessage
  | TerminalOutputMessage
  | TerminalInputMessage
  | TerminalResizeMessage
  | TerminalAckMessage
  | TerminalExitMessage
  | TerminalSizeMessage;
