// A KPI's status (LANGUAGE.md section 4): the latest actual against the
// thresholds or the target, whether that actual is stale, and the trend
// (section 4.2) through the same actuals, so that everything read from one
// KPI's values is computed, cached and invalidated together.
import type { Comparison, KpiDecl } from './ast';
import type { Band } from './objectiveStatus';
import { comparePeriods, isStale, type Day, type Period } from './periods';
import { computeTrend, type Trend } from './trend';

/** One row of a kpi's data file (read by workspace/data.ts). */
export interface DataRow {
  period: Period;
  value: number;
}

export type StatusKind = 'green' | 'amber' | 'red' | 'no-data' | 'unscored';
export type Direction = 'higher' | 'lower' | 'neither';

export interface Measurement {
  period: Period;
  value: number;
  source: 'actual' | 'data';
}

export interface KpiStatus {
  status: StatusKind;
  /** The latest measurement, by period. */
  latest?: Measurement;
  /** Every measurement, oldest first, one per period (a data row wins over an `actual` line). */
  series: Measurement[];
  stale: boolean;
  direction?: Direction;
  /** Why the status is what it is, in one sentence. */
  reason: string;
  /** The line through the latest actuals and where it stands at the end of the next period (section 4.2), when the KPI has one. */
  trend?: Trend;
}

export function directionOf(op: Comparison['op']): Direction {
  if (op === '>' || op === '>=') return 'higher';
  if (op === '<' || op === '<=') return 'lower';
  return 'neither';
}

export function meets(value: number, condition: Comparison): boolean {
  switch (condition.op) {
    case '>=':
      return value >= condition.value;
    case '>':
      return value > condition.value;
    case '<=':
      return value <= condition.value;
    case '<':
      return value < condition.value;
    case '=':
      return value === condition.value;
  }
}

export function describeCondition(label: string, c: Comparison): string {
  return `${label} ${c.op} ${formatNumber(c.value)}`;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}

/** `18.2%`, `4 hours`, `12 INR lakh`. */
export function formatValue(value: number, unit?: string): string {
  const n = formatNumber(value);
  if (!unit) return n;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/** Merges `actual` lines and data rows: one measurement per period, the file winning. */
export function measurements(kpi: KpiDecl, rows: readonly DataRow[]): Measurement[] {
  const byPeriod = new Map<string, Measurement>();
  for (const a of kpi.actuals) byPeriod.set(a.period.text, { period: a.period, value: a.value, source: 'actual' });
  for (const r of rows) byPeriod.set(r.period.text, { period: r.period, value: r.value, source: 'data' });
  return [...byPeriod.values()].sort((a, b) => comparePeriods(a.period, b.period));
}

/** Which way is better: from the numeric target, else from the green band. */
function kpiDirection(kpi: KpiDecl): Direction | undefined {
  const target = kpi.target?.comparison;
  const green = kpi.thresholds?.green;
  return target ? directionOf(target.op) : green ? directionOf(green.op) : undefined;
}

/**
 * Scores a value into a band by the KPI's thresholds (both of them), else by
 * its numeric target (met: green, missed: red); undefined when the KPI has
 * neither, so its values cannot be scored. The status and the projected
 * status both use it, so they can never disagree on where a value falls.
 */
export function classifierOf(kpi: KpiDecl): ((value: number) => Band) | undefined {
  const target = kpi.target?.comparison;
  const green = kpi.thresholds?.green;
  const amber = kpi.thresholds?.amber;
  if (green && amber) return (value) => (meets(value, green) ? 'green' : meets(value, amber) ? 'amber' : 'red');
  if (target) return (value) => (meets(value, target) ? 'green' : 'red');
  return undefined;
}

/** Why the latest value falls in its band, naming the condition it meets or misses. */
function bandReason(kpi: KpiDecl, band: Band, shown: string): string {
  const green = kpi.thresholds?.green;
  const amber = kpi.thresholds?.amber;
  if (green && amber) {
    if (band === 'green') return `${shown} meets ${describeCondition('green', green)}.`;
    if (band === 'amber') return `${shown} misses ${describeCondition('green', green)} but meets ${describeCondition('amber', amber)}.`;
    return `${shown} misses ${describeCondition('amber', amber)}.`;
  }
  // classifierOf scores by the target only when the thresholds are incomplete, so the target is there.
  const goal = describeCondition('target', kpi.target!.comparison!);
  return band === 'green' ? `${shown} meets ${goal}.` : `${shown} misses ${goal}.`;
}

export function computeStatus(kpi: KpiDecl, rows: readonly DataRow[], today: Day): KpiStatus {
  const series = measurements(kpi, rows);
  const latest = series[series.length - 1];
  const direction = kpiDirection(kpi);
  const frequency = kpi.frequency?.value;
  const stale = latest !== undefined && frequency !== undefined && isStale(latest.period, frequency, today);
  const classify = classifierOf(kpi);
  const trend = computeTrend({ series, frequency, classify, stale });
  const base = { series, stale, ...(latest ? { latest } : {}), ...(direction ? { direction } : {}), ...(trend ? { trend } : {}) };
  if (!latest) return { ...base, status: 'no-data', reason: 'There is no actual value yet.' };
  const shown = `${formatNumber(latest.value)} (${latest.period.text})`;
  if (!classify) return { ...base, status: 'unscored', reason: `${shown} cannot be scored without thresholds or a numeric target.` };
  const band = classify(latest.value);
  return { ...base, status: band, reason: bandReason(kpi, band, shown) };
}

/**
 * The status of a kpi whose data file was not read (limited mode, an
 * untrusted workspace). The file wins over `actual` lines and may hold newer
 * periods, so the actual lines alone could show a wrong colour or a false
 * staleness: the status is `no-data`, with no measurements, until the file
 * can be read.
 */
export function unreadStatus(kpi: KpiDecl): KpiStatus {
  const direction = kpiDirection(kpi);
  const file = kpi.data?.value.value ?? '';
  return {
    status: 'no-data',
    series: [],
    stale: false,
    ...(direction ? { direction } : {}),
    reason: `The data file "${file}" is not read because the workspace is not trusted.`,
  };
}
