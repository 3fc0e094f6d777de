/**
 * Kubernetes resource quantities (`500m`, `4Gi`, `1.5`, `10G`, `1e3`), parsed exactly.
 *
 * No maintained npm package parses quantities on its own (the only one that does, the
 * Kubernetes client, is a large dependency for one function), so this is a small exact parser:
 * values are kept as a BigInt count of nano-units, the finest scale Kubernetes itself keeps,
 * so that `0.1Gi + 0.2Gi` is exact and no float rounding reaches a rendered config.
 */

const NANO = 1_000_000_000n;

/** Binary suffixes: powers of 1024. */
const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
/** Decimal suffixes as powers of ten (n = 10^-9 ... E = 10^18). */
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const SHAPE = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

/** An exact quantity: `nanos` × 10^-9 units (bytes for memory and storage, cores for CPU). */
export interface Quantity {
  readonly nanos: bigint;
}

export class QuantityError extends Error {
  constructor(readonly input: string) {
    super(`"${input}" is not a Kubernetes quantity (examples: "500m", "4Gi", "1.5", "10G")`);
    this.name = 'QuantityError';
  }
}

function pow10(exp: number): bigint {
  return 10n ** BigInt(exp);
}

/**
 * Parsed quantities by text: a fleet repeats the same few ("8", "32Gi", "500m") thousands of times,
 * and a Quantity is immutable. Bounded so that a fleet of unique values cannot grow it without end.
 */
const parsed = new Map<string, Quantity>();
const PARSED_MAX = 4096;

/** Parses a quantity; throws QuantityError on anything Kubernetes would reject. */
export function parseQuantity(input: string | number): Quantity {
  const key = String(input);
  const known = parsed.get(key);
  if (known) return known;
  const q = parseQuantityText(key.trim());
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(key, q);
  return q;
}

function parseQuantityText(text: string): Quantity {
  const match = SHAPE.exec(text);
  if (!match) throw new QuantityError(text);
  const [, sign, number, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  // digits as an integer, scaled down by the fraction's length
  const digits = BigInt((whole || '0') + fraction);
  let nanos: bigint;
  if (suffix in BINARY) {
    nanos = (digits * BINARY[suffix] * NANO) / pow10(fraction.length);
  } else {
    const exp = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
    if (!Number.isFinite(exp) || Math.abs(exp) > 30) throw new QuantityError(text);
    const shift = exp + 9 - fraction.length;
    nanos = shift >= 0 ? digits * pow10(shift) : digits / pow10(-shift);
  }
  return Object.freeze({ nanos: sign === '-' ? -nanos : nanos });
}

/** The quantity, or undefined when the text is not one. */
export function tryParseQuantity(input: string | number): Quantity | undefined {
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

function divCeil(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** Whole units, rounded up (bytes for memory; cores for CPU). */
export function toUnits(q: Quantity): number {
  return Number(divCeil(q.nanos, NANO));
}

/** Milli-units, rounded up as Kubernetes does (millicores for CPU). */
export function toMilli(q: Quantity): number {
  return Number(divCeil(q.nanos, 1_000_000n));
}

/** Bytes of a memory/storage quantity (rounded up to a whole byte). */
export function toBytes(input: string | number): number {
  return toUnits(parseQuantity(input));
}

/** Millicores of a CPU quantity. */
export function toMillicores(input: string | number): number {
  return toMilli(parseQuantity(input));
}

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** `"1234m"`: CPU as millicores (rounded up). */
export function formatMillicores(millicores: number): string {
  return `${Math.ceil(millicores)}m`;
}

/** `"3646Mi"`: bytes as whole mebibytes (rounded up, so a reservation never shrinks). */
export function formatMebibytes(bytes: number): string {
  return `${Math.ceil(bytes / MiB)}Mi`;
}

/** Bytes with the largest binary suffix that represents them exactly (`"4Gi"`, `"1536Mi"`, `"100"`). */
export function formatBytes(bytes: number): string {
  const n = BigInt(Math.ceil(bytes));
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BINARY[suffix];
    if (n !== 0n && n % unit === 0n) return `${n / unit}${suffix}`;
  }
  return n.toString();
}

/** A `"10%"` percentage threshold, as a number 0-100; undefined when the text is not a percentage. */
export function parsePercentage(input: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)%$/.exec(input.trim());
  return match ? Number(match[1]) : undefined;
}
