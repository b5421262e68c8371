/** `h:mm:ss` (or `m:ss` under an hour) of a duration in milliseconds, for lists and the player's clock. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** A byte count in B, KiB, MiB or GiB with one decimal above bytes. */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  let value = bytes;
  let unit = '';
  for (const u of units) {
    value /= 1024;
    unit = u;
    if (value < 1024) {
      break;
    }
  }
  return `${value.toFixed(1)} ${unit}`;
}

/**
 * The start of a day picked in a date input (`YYYY-MM-DD`, local time) as an ISO instant; with `endOfDay`, the start of
 * the next day (so "to" includes the whole day). Null for an empty or invalid value.
 */
export function dateInputToIso(value: string, endOfDay: boolean): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m === null) {
    return null;
  }
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (endOfDay ? 1 : 0));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
