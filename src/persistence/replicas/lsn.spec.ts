import { formatLsn, parseLsn } from './lsn';

describe(parseLsn.name, () => {
  it.each([
    ['0/0', 0],
    ['0/16B3748', 0x16b3748],
    ['1/0', 2 ** 32],
    ['A/FFFFFFFF', 10 * 2 ** 32 + 0xffffffff],
  ])('should read %s as a byte position', (text, expected) => {
    expect(parseLsn(text)).toBe(expected);
  });

  it('should order positions across the 32-bit boundary', () => {
    expect(parseLsn('1/0')!).toBeGreaterThan(parseLsn('0/FFFFFFFF')!);
  });

  it.each([null, undefined, '', 'garbage', '1/2/3'])('should be undefined for %p', (text) => {
    expect(parseLsn(text)).toBeUndefined();
  });

  it('should format back to the text form', () => {
    expect(formatLsn(parseLsn('3/1A2B')!)).toBe('3/1A2B');
  });
});
