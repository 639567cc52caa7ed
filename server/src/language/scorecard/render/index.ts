// The scorecard renderers: one model, four outputs. The VS Code panel and
// `kpi scorecard --format html` both call renderHtml, so they never drift.
import type { ScorecardModel } from '../model';
import { renderCsv } from './csv';
import { renderHtml, type PageAssets } from './html';
import { renderMarkdown } from './markdown';

export { PageRenderer, RenderedPage, renderHtml, renderRegions, type PageAssets, type PageRegions, type RenderHtmlOptions } from './html';
export { renderCsv } from './csv';
export { renderMarkdown } from './markdown';
export { sparkline, sparklineLabel, type SparklineOptions, type SparkPoint } from './sparkline';

/** The model as pretty JSON (two-space indent), ending with a newline. */
export function renderJson(model: ScorecardModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

export type ReportFormat = 'html' | 'json' | 'csv' | 'markdown';

/**
 * One report in a given format; HTML is the self-contained export (the page's
 * `assets` inlined, under a CSP with `nonce`).
 */
export function renderReport(format: ReportFormat, model: ScorecardModel, options: { nonce: string; assets: PageAssets; title?: string }): string {
  switch (format) {
    case 'html':
      return renderHtml(model, { mode: 'export', nonce: options.nonce, assets: options.assets, ...(options.title ? { title: options.title } : {}) });
    case 'json':
      return renderJson(model);
    case 'csv':
      return renderCsv(model);
    case 'markdown':
      return renderMarkdown(model);
  }
}
