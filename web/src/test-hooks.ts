/** State the end-to-end tests read through `window.__oriel`. Keep these names stable. */
export interface OrielTestHooks {
  lastClipboardFromRemote: string;
}

declare global {
  interface Window {
    __oriel?: OrielTestHooks;
  }
}

/** The hooks object, created on first use. */
export function testHooks(): OrielTestHooks {
  window.__oriel ??= { lastClipboardFromRemote: '' };
  return window.__oriel;
}
