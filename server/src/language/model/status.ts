// A KPI's status (LANGUAGE.md section 4): the latest actual against the
// thresholds or the target, and whether that actual is stale.
import type { Comparison, KpiDecl } from './ast';
import { comparePeriods, isStale, type Day, type Period } from './periods';

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

export function computeStatus(kpi: KpiDecl, rows: readonly DataRow[], today: Day): KpiStatus {
  const series = measurements(kpi, rows);
  const latest = series[series.length - 1];
  const target = kpi.target?.comparison;
  const green = kpi.thresholds?.green;
  const amber = kpi.thresholds?.amber;
  const direction = kpiDirection(kpi);
  const stale = latest !== undefined && kpi.frequency !== undefined && isStale(latest.period, kpi.frequency.value, today);
  const base = { series, stale, ...(latest ? { latest } : {}), ...(direction ? { direction } : {}) };
  if (!latest) return { ...base, status: 'no-data', reason: 'There is no actual value yet.' };
  const shown = `${formatNumber(latest.value)} (${latest.period.text})`;
  if (green && amber) {
    if (meets(latest.value, green)) return { ...base, status: 'green', reason: `${shown} meets ${describeCondition('green', green)}.` };
    if (meets(latest.value, amber)) {
      return { ...base, status: 'amber', reason: `${shown} misses ${describeCondition('green', green)} but meets ${describeCondition('amber', amber)}.` };
    }
    return { ...base, status: 'red', reason: `${shown} misses ${describeCondition('amber', amber)}.` };
  }
  if (target) {
    const goal = describeCondition('target', target);
    return meets(latest.value, target)
      ? { ...base, status: 'green', reason: `${shown} meets ${goal}.` }
      : { ...base, status: 'red', reason: `${shown} misses ${goal}.` };
  }
  return { ...base, status: 'unscored', reason: `${shown} cannot be scored without thresholds or a numeric target.` };
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
