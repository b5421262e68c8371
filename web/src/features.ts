/**
 * Feature flags for parts of the UI that a user or an operator can switch on or off.
 * Set them with `localStorage['oriel.features'] = 'novnc,other'` or `?features=novnc`; `-name` switches
 * off one that is on by default (see DEFAULT_ON).
 */
export type Feature = 'novnc';

const KNOWN: readonly Feature[] = ['novnc'];

/** Features on unless switched off with `-name` (the noVNC viewer is served by the gateway; docs/passthrough.md). */
const DEFAULT_ON: readonly Feature[] = ['novnc'];

/** The features named in a comma- or space-separated list; unknown names are ignored. */
export function parseFeatures(list: string | null | undefined): ReadonlySet<Feature> {
  const enabled = new Set<Feature>();
  for (const name of (list ?? '').split(/[\s,]+/)) {
    const known = KNOWN.find((f) => f === name.trim().toLowerCase());
    if (known !== undefined) {
      enabled.add(known);
    }
  }
  return enabled;
}

/** Features enabled in this browser. */
export function enabledFeatures(): ReadonlySet<Feature> {
  let stored: string | null = null;
  try {
    stored = window.localStorage.getItem('oriel.features');
  } catch {
    stored = null;
  }
  const query = new URLSearchParams(window.location.search).get('features');
  const list = [stored ?? '', query ?? ''].join(',');
  const enabled = new Set<Feature>([...DEFAULT_ON, ...parseFeatures(list)]);
  for (const name of list.split(/[\s,]+/)) {
    const off = KNOWN.find((f) => `-${f}` === name.trim().toLowerCase());
    if (off !== undefined) {
      enabled.delete(off);
    }
  }
  return enabled;
}
