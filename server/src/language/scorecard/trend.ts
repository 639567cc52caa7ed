// A KPI's trend as the scorecard model carries it and as people read it. The
// sentences are written here once, so the KPI card, the objective card and
// the hover say the same words about the same line (LANGUAGE.md section 4.2:
// the projection is always shown with its method and the number of actuals).
import type { Band } from '../model/objectiveStatus';
import { CADENCE_ORDER, formatDay, type Cadence, type Day } from '../model/periods';
import { formatValue } from '../model/status';
import { describeSlope, projectionAtDue, roundForPeople, type Projection, type Trend } from '../model/trend';
import type { DueProjection, KpiTrend, ProjectedValue } from './model';

function projectedValue(projection: Projection): ProjectedValue {
  return { period: projection.period, date: formatDay(projection.date), value: projection.value, shown: projection.shown, status: projection.status };
}

/** The trend as plain data for the scorecard model (the JSON export). */
export function kpiTrend(trend: Trend): KpiTrend {
  return { method: trend.method, actuals: trend.actuals, slopePerPeriod: trend.slopePerPeriod, projected: projectedValue(trend.projected) };
}

/** A key result's line read at its objective's `due` day, when the day is near enough to say something. */
export function dueProjection(kpi: string, trend: Trend, due: Day, classify: (value: number) => Band): DueProjection | undefined {
  const projection = projectionAtDue(trend, due, classify);
  return projection ? { kpi, ...projectedValue(projection) } : undefined;
}

/** A projected value as people read it: rounded within its band, with the KPI's unit (`19.5%`). */
export function projectedText(projected: Pick<ProjectedValue, 'shown'>, unit: string | undefined): string {
  return formatValue(projected.shown, unit);
}

/** "Projected 19.5% by the end of 2026-11 (2026-11-30): amber." */
export function projectionSentence(trend: KpiTrend, unit: string | undefined): string {
  const { projected } = trend;
  return `Projected ${projectedText(projected, unit)} by the end of ${projected.period} (${projected.date}): ${projected.status}.`;
}

function isCadence(frequency: string | undefined): frequency is Cadence {
  return frequency !== undefined && Object.hasOwn(CADENCE_ORDER, frequency);
}

/**
 * "Trend -1.6 a month (a straight line through the latest 4 actuals)." The
 * frequency comes from the model, which a page may receive from anywhere: an
 * unknown one reads "a period".
 */
export function trendSentence(trend: KpiTrend, frequency: string | undefined): string {
  return `Trend ${slopeText(trend, frequency)} (${trend.method}).`;
}

/** "-1.6 a month"; an unknown frequency reads "a period". */
export function slopeText(trend: KpiTrend, frequency: string | undefined): string {
  return isCadence(frequency) ? describeSlope({ slopePerPeriod: trend.slopePerPeriod, frequency }) : `${roundForPeople(trend.slopePerPeriod)} a period`;
}

/** "Projected 17.9% at due 2026-12-31 (2026-12): amber, by a straight line through the latest 4 actuals." */
export function dueProjectionSentence(projection: ProjectedValue, unit: string | undefined, method: string | undefined): string {
  const how = method ? `, by ${method}` : '';
  return `Projected ${projectedText(projection, unit)} at due ${projection.date} (${projection.period}): ${projection.status}${how}.`;
}
