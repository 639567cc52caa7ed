// The page's decisions that need no DOM: the saved UI state, what a filter
// matches, what the result count says, where to scroll to show a card. Unit-
// tested in test/preview-logic.test.ts; main.ts applies them to the page.

export const FILTER_KEYS = ['perspective', 'owner', 'function', 'status', 'scorecard'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const VIEW_IDS = ['scorecard', 'agenda', 'reviews', 'processes', 'objectives', 'handoffs', 'owners'] as const;
export const DEFAULT_VIEW_ID = 'scorecard';

/** What the reader chose, kept by the webview across reloads and content updates. */
export interface UiState {
  view: string;
  filters: Partial<Record<FilterKey, string>>;
  search: string;
  /** The document's scroll position per view, so that a tab shows where the reader left it. */
  scroll: Record<string, number>;
}

export function defaultUiState(): UiState {
  return { view: DEFAULT_VIEW_ID, filters: {}, search: '', scroll: {} };
}

/** Reads a saved state defensively: it may come from an older version, or be anything. */
export function parseUiState(saved: unknown): UiState {
  const state = defaultUiState();
  if (typeof saved !== 'object' || saved === null) return state;
  const { view, filters, search, scroll } = saved as Record<string, unknown>;
  if (typeof view === 'string' && (VIEW_IDS as readonly string[]).includes(view)) state.view = view;
  if (typeof filters === 'object' && filters !== null) {
    for (const key of FILTER_KEYS) {
      const value = (filters as Record<string, unknown>)[key];
      if (typeof value === 'string' && value !== '') state.filters[key] = value;
    }
  }
  if (typeof search === 'string') state.search = search;
  if (typeof scroll === 'object' && scroll !== null) {
    for (const [key, value] of Object.entries(scroll)) if (typeof value === 'number' && Number.isFinite(value) && value >= 0) state.scroll[key] = value;
  }
  return state;
}

/** The lower-case words of a search; every one must occur in an item's text. */
export function searchTerms(query: string): string[] {
  const trimmed = query.trim().toLowerCase();
  return trimmed ? trimmed.split(/\s+/) : [];
}

/** What an item offers to the filters: per key its values (null: the filter does not apply to it), and its search text. */
export interface FilterableItem {
  values(key: FilterKey): readonly string[] | null;
  search: string | null;
}

/** Whether an item passes the chosen filters and every search term. */
export function matchesFilters(item: FilterableItem, filters: UiState['filters'], terms: readonly string[]): boolean {
  for (const key of FILTER_KEYS) {
    const want = filters[key];
    if (!want) continue;
    const have = item.values(key);
    if (have !== null && !have.includes(want)) return false;
  }
  if (terms.length && item.search !== null) return terms.every((term) => item.search!.includes(term));
  return true;
}

export function filtersActive(state: UiState): boolean {
  return FILTER_KEYS.some((key) => Boolean(state.filters[key])) || searchTerms(state.search).length > 0;
}

/** The items each view counts, and their name. */
export const VIEW_ITEMS: Record<string, { selector: string; one: string; many: string }> = {
  scorecard: { selector: 'article.kpi', one: 'KPI card', many: 'KPI cards' },
  agenda: { selector: '.agenda-item', one: 'agenda item', many: 'agenda items' },
  reviews: { selector: '.review', one: 'joint review', many: 'joint reviews' },
  processes: { selector: 'article.step', one: 'step', many: 'steps' },
  objectives: { selector: 'article.objective', one: 'objective', many: 'objectives' },
  handoffs: { selector: 'g.map-node.function', one: 'function', many: 'functions' },
  owners: { selector: 'article.owner-card', one: 'owner', many: 'owners' },
};

/** "Showing 2 of 7 steps" for the current view; empty when nothing is filtered. */
export function resultCountText(view: string, shown: number, total: number, active: boolean): string {
  if (!active) return '';
  const items = VIEW_ITEMS[view] ?? VIEW_ITEMS[DEFAULT_VIEW_ID]!;
  return `Showing ${shown} of ${total} ${total === 1 ? items.one : items.many}`;
}

/**
 * How far to scroll the page's own document so that a card is in view: 0 when
 * it is wholly visible already, else the distance that centres it (or puts its
 * top in view when it is taller than the window).
 */
export function scrollDeltaToShow(card: { top: number; bottom: number }, viewportHeight: number, margin = 8): number {
  if (card.top >= margin && card.bottom <= viewportHeight - margin) return 0;
  const height = card.bottom - card.top;
  if (height + 2 * margin > viewportHeight) return card.top - margin;
  return Math.round(card.top - (viewportHeight - height) / 2);
}
