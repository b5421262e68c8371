/**
 * Panels beside the terminal that other parts of the client contribute (the SFTP file panel, `web/src/files/`),
 * without the terminal page importing them: a module registers itself when it is loaded (imported once from
 * `main.ts`), and the terminal page shows a toggle button and a container for every registered panel, and mounts
 * the panel into its container once the live session's id is known.
 */

/** Draws a panel into `container` for the live session `sessionId` (the id `GET /api/sessions` gives). */
export type TerminalPanelMount = (container: HTMLElement, sessionId: string) => void;

/** A registered panel: `name` is part of its element ids (`#terminal-panel-<name>`), `label` is its button's text. */
export interface TerminalPanel {
  readonly name: string;
  readonly label: string;
  readonly mount: TerminalPanelMount;
}

const panels = new Map<string, TerminalPanel>();

/**
 * Registers a panel for terminal pages opened from now on; a second registration under the same name replaces the
 * first. `name` is lower-case letters, digits and '-' (it becomes part of element ids).
 */
export function registerTerminalPanel(name: string, mount: TerminalPanelMount, label?: string): void {
  if (!/^[a-z0-9-]{1,32}$/.test(name)) {
    throw new RangeError(`terminal panel name '${name}' must be 1-32 lower-case letters, digits or '-'`);
  }
  panels.set(name, { name, label: label ?? name.charAt(0).toUpperCase() + name.slice(1), mount });
}

/** The registered panels, in registration order. */
export function terminalPanels(): readonly TerminalPanel[] {
  return [...panels.values()];
}

/** Forgets every registration (tests). */
export function clearTerminalPanels(): void {
  panels.clear();
}
