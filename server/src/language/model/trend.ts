// A KPI's trend and projection (LANGUAGE.md section 4.2) and the `at-risk`
// decision built on them. Pure arithmetic over plain values: the caller
// passes the KPI's merged actuals, its frequency, a function that scores a
// value into a band (the KPI's thresholds or numeric target) and whether its
// latest actual is stale, so this module needs nothing from the workspace or
// from how a status is computed.
import { isWorseBand, type Band, type KpiStatusKind } from './objectiveStatus';
import { cadencePeriodContaining, KIND_OF_CADENCE, type Cadence, type Day, type Period } from './periods';

/** At most this many of the latest actuals make the line: older ones describe another situation. */
export const MAX_TREND_ACTUALS = 6;
/** Two points always make a line; a trend needs one more actual to be more than a difference. */
export const MIN_TREND_ACTUALS = 3;
/** An objective shows a key result's projection at its `due` day up to this many periods ahead. */
export const DUE_HORIZON_PERIODS = 3;

/** One actual of a KPI: its period and its value (a data row or an `actual` line). */
export interface MeasuredValue {
  period: Period;
  value: number;
}

export interface TrendInput {
  /**
   * The KPI's actuals as section 4 merges them: one per period (a data row
   * wins over an `actual` line on the same period), no invalid periods,
   * ordered oldest first as in section 7 (by the day the period ends, then
   * by the day it starts), so the latest actual is the last one.
   */
  series: readonly MeasuredValue[];
  frequency: Cadence | undefined;
  /** Scores a value by the KPI's thresholds or numeric target; undefined when it has neither. */
  classify: ((value: number) => Band) | undefined;
  /** Whether the latest actual is stale (section 4). */
  stale: boolean;
}

/** The line's value on one day, scored. */
export interface Projection {
  /** The period of the KPI's frequency that holds `date`, as a user writes it (`2026-11`, `2026-W48`). */
  period: string;
  date: Day;
  /** Unrounded. */
  value: number;
  /** `value` as people read it: rounded, with the digits it takes to stay in its band (0.9969 against `>= 1` reads 0.997, not 1). */
  shown: number;
  status: Band;
}

export interface Trend {
  /** How the line was made, for people: "a straight line through the latest 5 actuals". */
  method: string;
  /** How many actuals the line goes through (3 to 6). */
  actuals: number;
  frequency: Cadence;
  /** The line's change per day. */
  slopePerDay: number;
  /**
   * The line's change over one period of the KPI's frequency, taken as the
   * period projected for: `slopePerDay` times the number of days of that
   * period (November: 30, a week: 7, 2027-Q1: 90). For the usual case, where
   * the latest actual is for a whole period of the frequency, the projected
   * value is the line at the end of the latest period plus this slope.
   */
  slopePerPeriod: number;
  /** A point the line passes through: the mean day (possibly fractional) and the mean value of its actuals. */
  through: { day: number; value: number };
  /** The last day of the latest actual's period: where the data ends and the projection starts. */
  lastDay: Day;
  /** The line's value on the last day of the next period of the frequency. */
  projected: Projection;
}

/**
 * The KPI's trend, or undefined when it has none: it needs a frequency, a
 * way to score values, at least 3 actuals whose periods end on at least two
 * different days, and a latest actual that is not stale. The line is the
 * least-squares line through the latest 6 actuals at most, x the last day of
 * each actual's period and y its value.
 */
export function computeTrend(input: TrendInput): Trend | undefined {
  const { frequency, classify, stale } = input;
  if (frequency === undefined || classify === undefined || stale) return undefined;
  const used = input.series.slice(-MAX_TREND_ACTUALS);
  if (used.length < MIN_TREND_ACTUALS) return undefined;
  // Any 6 different periods end on at least two days (one period of each of
  // the five kinds can share a last day), so testing the actuals used is the
  // same as testing all of the KPI's actuals, and it keeps the line defined.
  const lastDay = used[used.length - 1]!.period.end;
  if (used.every((a) => a.period.end === lastDay)) return undefined;
  const line = leastSquares(used.map((a) => ({ x: a.period.end - lastDay, y: a.value })));
  if (!line) return undefined;
  const through = { day: lastDay + line.meanX, value: line.meanY };
  const partial = { frequency, slopePerDay: line.slope, through, lastDay };
  const next = cadencePeriodContaining(frequency, lastDay + 1);
  const projected = projectAt(partial, next.end, classify);
  const slopePerPeriod = line.slope * (next.end - next.start + 1);
  if (!Number.isFinite(projected.value) || !Number.isFinite(slopePerPeriod)) return undefined;
  return {
    method: `a straight line through the latest ${used.length} actuals`,
    actuals: used.length,
    ...partial,
    slopePerPeriod,
    projected,
  };
}

/**
 * The least-squares line through the points: the slope is the sum of
 * (x − mean x)(y − mean y) over the sum of (x − mean x)², and the line passes
 * through (mean x, mean y). Undefined when the x values are all equal or a
 * value is too large to compute with.
 */
function leastSquares(points: readonly { x: number; y: number }[]): { slope: number; meanX: number; meanY: number } | undefined {
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let products = 0;
  let squares = 0;
  for (const p of points) {
    products += (p.x - meanX) * (p.y - meanY);
    squares += (p.x - meanX) ** 2;
  }
  const slope = products / squares;
  return squares > 0 && Number.isFinite(slope) && Number.isFinite(meanY) ? { slope, meanX, meanY } : undefined;
}

type Line = Pick<Trend, 'frequency' | 'slopePerDay' | 'through'>;

/** The line's value on `day` (unrounded). */
export function trendValueAt(line: Pick<Trend, 'slopePerDay' | 'through'>, day: Day): number {
  return line.through.value + line.slopePerDay * (day - line.through.day);
}

/** The line's value on `day`, scored, with the period of the KPI's frequency that holds the day. */
export function projectAt(line: Line, day: Day, classify: (value: number) => Band): Projection {
  const value = trendValueAt(line, day);
  const status = classify(value);
  return { period: cadencePeriodContaining(line.frequency, day).text, date: day, value, shown: roundInBand(value, status, classify), status };
}

/** `value` rounded for people, or with more significant digits where rounding would carry it across a band's edge. */
export function roundInBand(value: number, band: Band, classify: (value: number) => Band): number {
  let shown = roundForPeople(value);
  for (let digits = 2; classify(shown) !== band && digits <= 15; digits++) shown = Number(value.toPrecision(digits));
  return classify(shown) === band ? shown : value;
}

/**
 * Whether `day` falls after `lastDay` and no later than the end of the
 * `count`-th period of `cadence` after it, the first being the period that
 * holds the day after `lastDay` (the projected period). Monthly, data to
 * 2026-10-31, three periods: November, December and January, so up to
 * 2027-01-31.
 */
export function isWithinPeriodsAfter(cadence: Cadence, lastDay: Day, day: Day, count: number): boolean {
  if (day <= lastDay) return false;
  let end = lastDay;
  for (let i = 0; i < count; i++) end = cadencePeriodContaining(cadence, end + 1).end;
  return day <= end;
}

/**
 * A key result's projection at its objective's `due` day, when the day is
 * within three periods of the key result's frequency after its latest actual
 * (nearer days only: a straight line drawn further says little).
 */
export function projectionAtDue(trend: Trend, due: Day, classify: (value: number) => Band): Projection | undefined {
  return isWithinPeriodsAfter(trend.frequency, trend.lastDay, due, DUE_HORIZON_PERIODS) ? projectAt(trend, due, classify) : undefined;
}

/**
 * The `at-risk` decision: a green or amber KPI whose trend lands in a worse
 * band at the end of the next period. A red KPI is not at risk — it is
 * already red, and `at-risk` would only repeat that.
 */
export function isAtRisk(status: KpiStatusKind, trend: Trend | undefined): boolean {
  if (trend === undefined || (status !== 'green' && status !== 'amber')) return false;
  return isWorseBand(trend.projected.status, status);
}

/**
 * A trend's number as people read it: one decimal from 1 up (19.48 → 19.5,
 * −1.57 → −1.6), two significant digits below (−0.0523 → −0.052), so a slow
 * slope does not read as 0. Comparisons always use the exact value.
 */
export function roundForPeople(value: number): number {
  const rounded = Math.abs(value) >= 1 ? Math.round(value * 10) / 10 : Number(value.toPrecision(2));
  // A flat line's slope can be −0: make it a plain 0, so that no caller tells the two apart.
  return rounded === 0 ? 0 : rounded;
}

/** The slope per period for people: `-1.6 a month`, `2 a week`. */
export function describeSlope(trend: Pick<Trend, 'slopePerPeriod' | 'frequency'>): string {
  return `${roundForPeople(trend.slopePerPeriod)} a ${KIND_OF_CADENCE[trend.frequency]}`;
}
