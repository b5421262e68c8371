/** Parses a `.hex` byte vector (the ones under tests/): hex byte pairs separated by white space, `#` comments. */
export function parseHexVector(text: string): Uint8Array {
  const hex = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(' ')
    .split(/\s+/)
    .filter((t) => t !== '');
  return Uint8Array.from(hex.map((t) => parseInt(t, 16)));
}
