// Small statistics shared by the benchmark's modules.

/** The p-th percentile of `values` (nearest rank; p in 0–100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
