// Measured values: data files that cannot be read (or, in an untrusted
// workspace, are not read), KPIs with no data, and data that is too old for
// the KPI's frequency.
import { formatDay, lastCompletePeriod } from '../model/periods';
import type { Rule } from '../analysis/rule';

const badDataFile: Rule = {
  code: 'bad-data-file',
  kpi(kpi, ctx, report) {
    if (!kpi.data) return;
    const { problem } = ctx.dataFile(kpi.data.value.value);
    if (problem) report(kpi.data.value.span, problem);
  },
};

/** Limited mode: one note per kpi whose data file was not read, instead of no-data and stale-data guesses. */
const dataNotRead: Rule = {
  code: 'data-not-read',
  kpi(kpi, ctx, report) {
    if (!kpi.data || !ctx.dataFile(kpi.data.value.value).notRead) return;
    report(
      kpi.data.value.span,
      `"${kpi.data.value.value}" is not read because this workspace is not trusted (restricted mode); the status of ${kpi.name.text} is unknown until you trust the folder.`,
    );
  },
};

const noData: Rule = {
  code: 'no-data',
  kpi(kpi, ctx, report) {
    if (!kpi.target?.comparison) return;
    // An unread data file may well hold values: data-not-read says so instead.
    if (kpi.data && ctx.dataFile(kpi.data.value.value).notRead) return;
    if (ctx.status(ctx.entry(kpi)).series.length === 0) {
      report(kpi.name.span, `${kpi.name.text} has no actual value yet; add \`actual <period> <value>\` or a \`data\` CSV file.`);
    }
  },
};

const staleData: Rule = {
  code: 'stale-data',
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
};

export const measurementRules: Rule[] = [badDataFile, dataNotRead, noData, staleData];
