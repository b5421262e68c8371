/** A mounted page: its root element and what to do when navigating away. */
export interface Page {
  readonly element: HTMLElement;
  /** Called once the element is in the document (focus, measure, connect). */
  mounted?(): void;
  /** Releases sockets, timers and global listeners. */
  dispose(): void;
}
