import { describe, expect, it } from 'vitest';
import { wholeLines } from '../../src/recording/cast-lines';

const header = '{"version": 2, "width": 80, "height": 24}\n';

describe('the lines of an asciicast file a player is given', () => {
  it('keeps a file that ends with its newline as it is', () => {
    const text = `${header}[0.000000, "o", "$ "]\n[0.500000, "r", "100x30"]\n`;
    expect(wholeLines(text)).toBe(text);
  });

  it('drops a last line cut off while it was written', () => {
    const whole = `${header}[0.000000, "o", "$ "]\n`;
    expect(wholeLines(`${whole}[0.500000, "o", "hel`)).toBe(whole);
    expect(wholeLines(`${whole}[0.5`)).toBe(whole);
    expect(wholeLines(header.slice(0, 10))).toBe('');
  });

  it('keeps a last line without its newline when it is a whole value', () => {
    const text = `${header}[0.000000, "o", "$ "]`;
    expect(wholeLines(text)).toBe(text);
    expect(wholeLines(`${header}  `)).toBe(`${header}  `);
  });
});
