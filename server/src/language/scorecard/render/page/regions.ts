// The parts of the page that change with the model. A module of its own with
// no imports: the panel's messages (client/src/preview/messages.ts) carry
// these, and the page's script, type-checked for the browser, imports them.

/** The page's views, in the order of their tabs. */
export const PAGE_VIEWS = ['scorecard', 'agenda', 'reviews', 'processes', 'objectives', 'handoffs', 'owners'] as const;

export type PageView = (typeof PAGE_VIEWS)[number];

/**
 * Each region is the inner HTML of one element of the page, named by its
 * `data-region` attribute (a view's: `view-` and its id); the page's script
 * swaps them on an update.
 */
export interface PageRegions {
  summary: string;
  tabs: string;
  toolbar: string;
  /** Each view's section. */
  views: Record<PageView, string>;
  footer: string;
}

/**
 * A memoized part of a view (a card, a process) stands between these two
 * comments, so that the page can find the n-th part of a view and swap it
 * alone. Comments change neither the layout nor what CSS selects.
 */
export const PART_START_DATA = 'p';
export const PART_END_DATA = '/p';
export const PART_START = `<!--${PART_START_DATA}-->`;
export const PART_END = `<!--${PART_END_DATA}-->`;

/** A part's new HTML (markers included): which part of its view, by position. */
export type PartPatch = [index: number, html: string];

/** Some of the regions: what changed since the content the page shows. */
export interface PageRegionsChange {
  summary?: string;
  tabs?: string;
  toolbar?: string;
  /** Views whose HTML changed, whole. */
  views?: Partial<Record<PageView, string>>;
  /** Views whose parts are the same list as before (the same glue between them) but some parts changed: those parts only. */
  parts?: Partial<Record<PageView, PartPatch[]>>;
  footer?: string;
}
