// The parts of the page that change with the model. A module of its own with
// no imports: the panel's messages (client/src/preview/messages.ts) carry
// these, and the page's script, type-checked for the browser, imports them.

/**
 * Each region is the inner HTML of one element of the page, named by its
 * `data-region` attribute; the page's script swaps them on an update.
 */
export interface PageRegions {
  summary: string;
  tabs: string;
  toolbar: string;
  views: string;
  footer: string;
}
