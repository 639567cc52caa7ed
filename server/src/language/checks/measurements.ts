// Measured values: data files that cannot be read (or, in an untrusted
// workspace, are not read), KPIs with no data, data that is too old for the
// KPI's frequency, and values whose trend is heading for a worse band.
import { formatDay, lastCompletePeriod } from '../model/periods';
import { formatValue } from '../model/status';
import { describeSlope, isAtRisk } from '../model/trend';
import { defineRule } from './definition';

const badDataFile = defineRule({
  code: 'bad-data-file',
  severity: 'error',
  summary: 'A data file is missing, outside the workspace, or has malformed rows.',
  kpi(kpi, ctx, report) {
    if (!kpi.data) return;
    const { problem } = ctx.dataFile(kpi.data.value.value);
    if (problem) report(kpi.data.value.span, problem);
  },
});

/** Limited mode: one note per kpi whose data file was not read, instead of no-data and stale-data guesses. */
const dataNotRead = defineRule({
  code: 'data-not-read',
  severity: 'information',
  summary: 'A data file is not read because the workspace is not trusted.',
  kpi(kpi, ctx, report) {
    if (!kpi.data || !ctx.dataFile(kpi.data.value.value).notRead) return;
    report(
      kpi.data.value.span,
      `"${kpi.data.value.value}" is not read because this workspace is not trusted (restricted mode); the status of ${kpi.name.text} is unknown until you trust the folder.`,
    );
  },
});

const noData = defineRule({
  code: 'no-data',
  severity: 'information',
  summary: 'A kpi with a numeric target has no actual value.',
  kpi(kpi, ctx, report) {
    if (!kpi.target?.comparison) return;
    // An unread data file may well hold values: data-not-read says so instead.
    if (kpi.data && ctx.dataFile(kpi.data.value.value).notRead) return;
    if (ctx.status(ctx.entry(kpi)).series.length === 0) {
      report(kpi.name.span, `${kpi.name.text} has no actual value yet; add \`actual <period> <value>\` or a \`data\` CSV file.`);
    }
  },
});

const staleData = defineRule({
  code: 'stale-data',
  severity: 'warning',
  summary: "The latest actual is older than the kpi's frequency allows.",
  kpi(kpi, ctx, report) {
    if (!kpi.frequency) return;
    const status = ctx.status(ctx.entry(kpi));
    if (!status.latest || !status.stale) return;
    const needed = lastCompletePeriod(kpi.frequency.value, ctx.today);
    report(
      kpi.name.span,
      `The latest actual of ${kpi.name.text} is for ${status.latest.period.text}; a ${kpi.frequency.value} kpi needs a value for the period starting ${formatDay(needed.start)} or later.`,
    );
  },
});

/** Section 4.2: a green or amber KPI whose line lands in a worse band at the end of the next period. */
const atRisk = defineRule({
  code: 'at-risk',
  severity: 'warning',
  summary: 'A green or amber kpi whose trend lands in a worse band by the end of the next period.',
  kpi(kpi, ctx, report) {
    const { status, trend } = ctx.status(ctx.entry(kpi));
    if (!trend || !isAtRisk(status, trend)) return;
    const { projected } = trend;
    const value = formatValue(projected.shown, kpi.unit?.value.value);
    report(
      kpi.name.span,
      `${kpi.name.text} is ${status} now, but ${trend.method} (${describeSlope(trend)}) reaches ${value}, ${projected.status}, by ${projected.period} (${formatDay(projected.date)}); decide in the next review what will turn it around before ${projected.period} closes.`,
    );
  },
});

export const measurementRules = [badDataFile, dataNotRead, noData, staleData, atRisk];
