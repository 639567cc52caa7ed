// The scorecard as one self-contained HTML document: the VS Code preview panel
// and `kpi scorecard --format html` render with this same function, so they
// never drift. Every view is rendered here as plain HTML (the export shows
// everything with JavaScript off); the page's script (client/media/src/)
// only enhances: tabs, filters, search, click-through to the source, and
// keeping that UI state while the panel's content is updated.
//
// The page is assembled in page/page.ts from one module per view.
export { anchorId } from './page/context';
export { PageRenderer, RenderedPage, renderHtml, renderRegions, type PageAssets, type PageRegions, type RenderHtmlOptions } from './page/page';
