/** One step of the breadcrumb: a directory's name and its full path. */
export interface Crumb {
  readonly name: string;
  readonly path: string;
}

/** The breadcrumb of an absolute path: "/" first, then each directory down to the path itself. */
export function breadcrumb(path: string): Crumb[] {
  const crumbs: Crumb[] = [{ name: '/', path: '/' }];
  let current = '';
  for (const part of path.split('/')) {
    if (part === '') {
      continue;
    }
    current += `/${part}`;
    crumbs.push({ name: part, path: current });
  }
  return crumbs;
}

/** `name` inside the directory `dir`. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** True for C0 controls, DEL and C1 controls: characters the gateway refuses in names. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * Why a new name (mkdir, rename, an uploaded file's name) cannot be used, as a sentence; null when it can. The
 * gateway checks again (and also the path's length); this only answers early, before anything is sent.
 */
export function nameProblem(name: string): string | null {
  if (name === '' || name === '.' || name === '..') {
    return 'Give a name other than "", "." or "..".';
  }
  if (name.includes('/')) {
    return 'A name cannot contain "/".';
  }
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0) {
      return 'The name contains a NUL character, which file names may not hold.';
    }
    if (isControl(code)) {
      return `The name contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}, which file names here may not hold.`;
    }
  }
  if (new TextEncoder().encode(name).length > 255) {
    return 'The name is longer than 255 bytes.';
  }
  return null;
}
