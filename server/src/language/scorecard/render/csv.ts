// The scorecard as CSV: one row per KPI, RFC 4180 (CRLF line ends, fields
// with a comma, quote or line break quoted, quotes doubled). Text cells that a
// spreadsheet would run as a formula (starting with = + - @, tab or carriage
// return) get a leading apostrophe; numbers are written as plain numbers, so
// a negative value stays numeric. A UTF-8 byte-order mark goes in front, in
// `kpi scorecard` and the panel's export alike: Excel reads a CSV without one
// in the system's legacy code page, so "Zufriedenheit ≥ 90 %" or "Über" would
// come out garbled, and the CSV is the spreadsheet's format (a program reads
// the JSON). `--no-bom` leaves it out for a program that does not skip it.
import { atRiskOf } from '../agenda';
import { PERSPECTIVE_LABELS, type KpiCard, type ScorecardModel } from '../model';
import { conditionText, formatNumber } from './text';

export const CSV_COLUMNS = [
  'name',
  'title',
  'perspective',
  'scorecards',
  'owner',
  'owner function',
  'target',
  'unit',
  'green',
  'amber',
  'latest period',
  'latest value',
  'status',
  'stale',
  'frequency',
  'indicator',
  'steps',
  'file',
  // The trend (LANGUAGE.md 4.2), appended so that the columns above keep their places in existing sheets; empty for a KPI without one.
  'trend per period',
  'trend method',
  'projected period',
  'projected date',
  'projected value',
  'projected status',
  'at risk',
] as const;

/** U+FEFF, which UTF-8 writes as EF BB BF: how Excel tells a UTF-8 CSV from one in the legacy code page. */
export const UTF8_BYTE_ORDER_MARK = '\uFEFF';

type Cell = string | number | undefined;

const PLAIN_NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell that cannot start a formula: `=cmd` → `'=cmd`; a plain number such as `-3.5` is left alone. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One field, quoted when RFC 4180 requires it. */
export function csvField(cell: Cell): string {
  let text: string;
  if (cell === undefined) text = '';
  else if (typeof cell === 'number') text = Number.isFinite(cell) ? formatNumber(cell) : '';
  else text = neutraliseFormula(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',');
}

function kpiRow(model: ScorecardModel, kpi: KpiCard, atRisk: boolean): Cell[] {
  const scorecardTitle = (name: string) => model.scorecards.find((s) => s.name === name)?.title ?? name;
  const placements = [...new Set(kpi.placements.map((p) => scorecardTitle(p.scorecard)))];
  const perspective = kpi.perspective ?? kpi.placements[0]?.perspective;
  return [
    kpi.name,
    kpi.title,
    perspective ? PERSPECTIVE_LABELS[perspective] ?? perspective : '',
    placements.join('; '),
    kpi.owner?.title,
    kpi.owner?.function?.title,
    kpi.target ? conditionText(kpi.target) : kpi.targetText,
    kpi.unit,
    conditionText(kpi.thresholds?.green),
    conditionText(kpi.thresholds?.amber),
    kpi.latest?.period,
    kpi.latest?.value,
    kpi.status,
    kpi.stale ? 'yes' : 'no',
    kpi.frequency,
    kpi.indicator,
    kpi.steps.map((s) => `${s.process}.${s.step}`).join('; '),
    kpi.where.file,
    // Numbers unrounded, as `latest value` is: a spreadsheet rounds for display; the method names how many actuals the line used.
    kpi.trend?.slopePerPeriod,
    kpi.trend?.method,
    kpi.trend?.projected.period,
    kpi.trend?.projected.date,
    kpi.trend?.projected.value,
    kpi.trend?.projected.status,
    atRisk ? 'yes' : 'no',
  ];
}

export interface RenderCsvOptions {
  /** Start with UTF8_BYTE_ORDER_MARK, for Excel: true unless set to false (`kpi scorecard --no-bom`). */
  byteOrderMark?: boolean;
}

/** The KPIs of the model as CSV, a header and one row per KPI, each line ended by CRLF. */
export function renderCsv(model: ScorecardModel, options: RenderCsvOptions = {}): string {
  const atRisk = atRiskOf(model.kpis);
  const lines = [row([...CSV_COLUMNS]), ...model.kpis.map((k) => row(kpiRow(model, k, atRisk.has(k.name))))];
  return (options.byteOrderMark === false ? '' : UTF8_BYTE_ORDER_MARK) + lines.map((l) => `${l}\r\n`).join('');
}
