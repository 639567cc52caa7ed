// The scorecard renderers: one model, four outputs. The VS Code panel and
// `kpi scorecard --format html` both call renderHtml, so they never drift.
import type { ScorecardModel } from '../model';

export { renderHtml, type RenderHtmlOptions } from './html';
export { renderCsv } from './csv';
export { renderMarkdown } from './markdown';
export { sparkline, sparklineLabel, type SparklineOptions, type SparkPoint } from './sparkline';

/** The model as pretty JSON (two-space indent), ending with a newline. */
export function renderJson(model: ScorecardModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
