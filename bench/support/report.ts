/**
 * Benchmark figures and their presentation: percentiles, a readable table, and the one JSON
 * line that ends every benchmark's output.
 */

/** The p-th percentile (0–100) of `values`, nearest-rank; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Prints `rows` as an aligned two-column table under `title`. */
export function printTable(title: string, rows: [label: string, value: string | number][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  console.log('-'.repeat(title.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

/** The last line of a benchmark's output: its figures as one JSON object. */
export function printFigures(figures: Record<string, number>): void {
  console.log(JSON.stringify(figures));
}
