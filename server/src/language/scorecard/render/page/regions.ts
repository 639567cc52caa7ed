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

/**
 * One run of parts replaced, put into a view or taken out of it (a card
 * added, removed or moved): the parts numbered `at` to `at + remove - 1` on
 * the page give way to `insert`. A run that removes nothing is put just
 * before the part numbered `at` (`next`) or just after the part before it
 * (`previous`): the side where a part, not other text, borders it.
 */
export type PartSplice = [at: number, remove: number, insert: string[], anchor: 'next' | 'previous'];

/** Some of the regions: what changed since the content the page shows. */
export interface PageRegionsChange {
  summary?: string;
  tabs?: string;
  toolbar?: string;
  /** Views whose HTML changed, whole. */
  views?: Partial<Record<PageView, string>>;
  /** Views whose parts are the same list as before (the same glue between them) but some parts changed: those parts only. */
  parts?: Partial<Record<PageView, PartPatch[]>>;
  /** Views whose parts changed, with parts added or taken away, and nothing else: the runs of parts, in order, numbered as on the page. */
  splices?: Partial<Record<PageView, PartSplice[]>>;
  footer?: string;
}
