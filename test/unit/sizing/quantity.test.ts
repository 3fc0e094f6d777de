import {
  formatBytes,
  formatMebibytes,
  formatMillicores,
  parsePercentage,
  parseQuantity,
  QuantityError,
  toBytes,
  toMillicores,
  tryParseQuantity,
} from '../../../lib/sizing/quantity';

describe('parseQuantity', () => {
  it.each([
    ['4Gi', 4 * 1024 ** 3],
    ['1536Mi', 1536 * 1024 ** 2],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['10G', 10e9],
    ['100k', 100_000],
    ['1Ti', 1024 ** 4],
    ['1e3', 1000],
    ['1E3', 1000],
    ['2', 2],
    ['0.5Ki', 512],
  ])('%s is %d bytes', (text, bytes) => expect(toBytes(text)).toBe(bytes));

  it.each([
    ['500m', 500],
    ['2', 2000],
    ['0.1', 100],
    ['1.5', 1500],
    ['250000u', 250],
    ['1n', 1], // rounded up to a whole millicore, as Kubernetes does
  ])('%s is %d millicores', (text, milli) => expect(toMillicores(text)).toBe(milli));

  it('keeps exact values where floats would not (0.1 + 0.2 Gi)', () => {
    const sum = parseQuantity('0.1Gi').nanos + parseQuantity('0.2Gi').nanos;
    expect(sum).toBe(parseQuantity('0.3Gi').nanos);
  });

  it('accepts numbers and a sign', () => {
    expect(toBytes(64)).toBe(64);
    expect(parseQuantity('-1Mi').nanos).toBe(-1048576n * 1_000_000_000n);
  });

  it.each(['', 'Gi', '4GB', '4 Gi', '1.2.3', 'ten', '4gi', '5%', '1e'])('rejects %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(QuantityError);
    expect(tryParseQuantity(text)).toBeUndefined();
  });

  it('names the bad input in the error', () => {
    expect(() => parseQuantity('4GB')).toThrow('"4GB" is not a Kubernetes quantity');
  });
});

describe('formatting', () => {
  it('formats millicores and mebibytes rounding up', () => {
    expect(formatMillicores(90)).toBe('90m');
    expect(formatMillicores(12.5)).toBe('13m');
    expect(formatMebibytes(1024 * 1024)).toBe('1Mi');
    expect(formatMebibytes(1024 * 1024 + 1)).toBe('2Mi');
  });
  it('formats bytes with the largest exact binary suffix', () => {
    expect(formatBytes(4 * 1024 ** 3)).toBe('4Gi');
    expect(formatBytes(1536 * 1024 ** 2)).toBe('1536Mi');
    expect(formatBytes(1000)).toBe('1000');
    expect(formatBytes(0)).toBe('0');
  });
  it('parses percentages', () => {
    expect(parsePercentage('10%')).toBe(10);
    expect(parsePercentage('7.5%')).toBe(7.5);
    expect(parsePercentage('10')).toBeUndefined();
    expect(parsePercentage('%')).toBeUndefined();
  });
});
