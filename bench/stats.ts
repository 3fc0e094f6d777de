/** Small statistics and formatting helpers of the benchmark report. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Time factor per doubling of the object count between two measurements: 2.0 is linear,
 * above 2 superlinear. Undefined when the sizes are equal.
 */
export function growthPerDoubling(objectsA: number, secondsA: number, objectsB: number, secondsB: number): number | undefined {
  const doublings = Math.log2(objectsB / objectsA);
  if (!(doublings > 0) || !(secondsA > 0)) return undefined;
  return Math.pow(2, Math.log2(secondsB / secondsA) / doublings);
}

/** Renders rows as a fixed-width text table (numbers right-aligned). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
