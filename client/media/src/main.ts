// The scorecard page's script: progressive enhancement of the HTML the
// renderer writes (server/src/language/scorecard/render/page/). Without it
// every view shows one after the other and the tab links jump to them; with it
// there are tabs, filters and search, and in the VS Code panel a click opens
// the declaration, the editor's cursor highlights its card, and new content
// arrives by message while the view, filters, search, scroll and focus stay.
//
// The page never takes focus on its own and never scrolls anything but its
// own document: a highlight asked for by the editor moves neither the
// keyboard nor the editor beside it.
import { parsePanelMessage, type ContentMessage, type PageToPanelMessage, type SelectMessage } from '../../src/preview/messages';
import {
  defaultUiState,
  FILTER_KEYS,
  filtersActive,
  matchesFilters,
  parseUiState,
  resultCountText,
  scrollDeltaToShow,
  searchTerms,
  VIEW_ITEMS,
  type FilterKey,
  type UiState,
} from './logic';
import { sameDeclaration } from './maps';
import { PART_END_DATA, PART_START_DATA } from '../../../server/src/language/scorecard/render/page/regions';

/** The part of VS Code's webview API the page uses. */
interface WebviewApi {
  postMessage(message: PageToPanelMessage): void;
  getState(): unknown;
  setState(state: UiState): void;
}

declare function acquireVsCodeApi(): WebviewApi;

const doc = document;
const body = doc.body;
const panelMode = body.getAttribute('data-mode') === 'panel';
let version = Number(body.getAttribute('data-version') ?? '0') || 0;

function acquireApi(): WebviewApi | undefined {
  if (!panelMode || typeof acquireVsCodeApi !== 'function') return undefined;
  try {
    return acquireVsCodeApi();
  } catch {
    return undefined;
  }
}

const api = acquireApi();
doc.documentElement.classList.add('js');

let state: UiState = defaultUiState();
if (api) {
  try {
    state = parseUiState(api.getState());
  } catch {
    // Keep the defaults.
  }
} else if (location.hash.startsWith('#view-')) {
  state.view = location.hash.slice('#view-'.length);
}

function save(): void {
  if (!api) return;
  try {
    api.setState(state);
  } catch {
    // A state that cannot be kept is not worth an error.
  }
}

const all = <T extends Element = HTMLElement>(selector: string, root: ParentNode = doc): T[] => Array.from(root.querySelectorAll<T>(selector));
// Looked up within their own parts of the page: a large workspace's page has hundreds of thousands of elements, and a query of the whole document walks them all.
const tabs = () => all('.tab', doc.querySelector('.tabs') ?? doc);
const views = () => Array.from(doc.getElementById('views')?.children ?? []).filter((el): el is HTMLElement => el.classList.contains('view'));
const selects = () => all<HTMLSelectElement>('select[data-filter]', doc.querySelector('.toolbar') ?? doc);
const searchBox = () => doc.getElementById('search') as HTMLInputElement | null;

// ---------------------------------------------------------------- tabs

/**
 * Turns the tab links into WAI-ARIA tabs. Their `href` goes: a tab is a
 * control, not a jump (a fragment link would also let the webview host
 * scroll the view's top, and the tab bar with it, out of sight).
 */
function decorateTabs(): void {
  doc.querySelector('.tabs')?.setAttribute('role', 'tablist');
  for (const tab of tabs()) {
    const id = tab.getAttribute('data-view') ?? '';
    tab.removeAttribute('href');
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', `view-${id}`);
    const view = doc.getElementById(`view-${id}`);
    if (view) {
      view.setAttribute('role', 'tabpanel');
      view.setAttribute('aria-labelledby', `tab-${id}`);
    }
  }
}

function viewExists(id: string): boolean {
  return views().some((v) => v.getAttribute('data-view') === id);
}

/** Shows one view; `restoreScroll` returns to where the reader left that view. */
function showView(requested: string, options: { focusTab?: boolean; restoreScroll?: boolean } = {}): void {
  const id = viewExists(requested) ? requested : 'scorecard';
  if (id !== state.view) state.scroll[state.view] = window.scrollY;
  state.view = id;
  for (const tab of tabs()) {
    const on = tab.getAttribute('data-view') === id;
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    tab.setAttribute('tabindex', on ? '0' : '-1');
    if (on && options.focusTab) tab.focus({ preventScroll: true });
  }
  for (const view of views()) view.hidden = view.getAttribute('data-view') !== id;
  if (options.restoreScroll) keepTabsInView(state.scroll[id] ?? 0);
  applyFilters();
}

/** Scrolls to `top`, but never so far that the tab bar and the filters leave the window. */
function keepTabsInView(top: number): void {
  const toolbar = doc.querySelector('.toolbar') ?? doc.querySelector('.tabs');
  const limit = toolbar ? Math.max(0, toolbar.getBoundingClientRect().bottom + window.scrollY - window.innerHeight) : 0;
  window.scrollTo(0, Math.min(top, limit === 0 ? top : Math.max(top, 0)));
  const bar = doc.querySelector('.tabs');
  if (bar && bar.getBoundingClientRect().top < 0) window.scrollBy(0, bar.getBoundingClientRect().top);
}

function onTabKey(event: KeyboardEvent, tab: HTMLElement): void {
  const list = tabs();
  const i = list.indexOf(tab);
  let next: HTMLElement | undefined;
  if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = list[(i + 1) % list.length];
  else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = list[(i - 1 + list.length) % list.length];
  else if (event.key === 'Home') next = list[0];
  else if (event.key === 'End') next = list[list.length - 1];
  else if (event.key === ' ' || event.key === 'Enter') next = tab;
  if (!next) return;
  event.preventDefault();
  showView(next.getAttribute('data-view') ?? '', { focusTab: true, restoreScroll: true });
  save();
}

// ---------------------------------------------------------------- filters and search

const parsed = new WeakMap<Element, Partial<Record<FilterKey, string[] | null>>>();

function valuesOf(el: Element, key: FilterKey): string[] | null {
  let cache = parsed.get(el);
  if (!cache) parsed.set(el, (cache = {}));
  if (!(key in cache)) {
    const raw = el.getAttribute(`data-f-${key}`);
    let list: string[] | null = null;
    if (raw !== null) {
      try {
        const value: unknown = JSON.parse(raw);
        list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
      } catch {
        list = [];
      }
    }
    cache[key] = list;
  }
  return cache[key] ?? null;
}

/** Whether the page may hold elements the filters hid (so that clearing the filters has something to undo). */
let filtered = false;

function applyFilters(): void {
  const active = filtersActive(state);
  // With no filter and nothing hidden there is nothing to do: a live update of a large page does not walk every card.
  if (active || filtered) {
    const terms = searchTerms(state.search);
    for (const el of all('.filterable')) {
      const ok = matchesFilters({ values: (key) => valuesOf(el, key), search: el.getAttribute('data-search') }, state.filters, terms);
      el.classList.toggle('filtered-out', !ok);
    }
    for (const group of all('.group')) {
      const items = all('.filterable', group);
      const visible = items.filter((i) => !i.classList.contains('filtered-out')).length;
      group.classList.toggle('group-empty', active && items.length > 0 && visible === 0);
    }
    filtered = active;
  }
  for (const select of selects()) select.parentElement?.classList.toggle('active', Boolean(select.value));
  const count = doc.getElementById('result-count');
  if (count) count.textContent = active ? resultCount() : '';
  save();
}

/** "Showing 2 of 7 steps", for the current view. */
function resultCount(): string {
  const counted = VIEW_ITEMS[state.view];
  const view = doc.getElementById(`view-${state.view}`);
  const items = counted && view ? all(counted.selector, view).filter((el) => el.classList.contains('filterable')) : [];
  const shown = items.filter((el) => !el.closest('.filtered-out')).length;
  return resultCountText(state.view, shown, items.length, true);
}

/** Puts the state's filters and search into the controls (after a load or a content update). */
function syncControls(): void {
  for (const select of selects()) {
    const key = select.getAttribute('data-filter') as FilterKey;
    const want = state.filters[key] ?? '';
    select.value = want;
    // A value the new content no longer offers (an owner removed) is dropped.
    if (select.value !== want) {
      select.value = '';
      delete state.filters[key];
    }
  }
  const search = searchBox();
  if (search && search.value !== state.search) search.value = state.search;
}

function clearFilters(): void {
  state.filters = {};
  state.search = '';
  syncControls();
  applyFilters();
}

// ---------------------------------------------------------------- selection and click-through

let selectedName: string | undefined;

function markSelected(el: Element | null): void {
  for (const s of all('.selected')) s.classList.remove('selected');
  if (el) for (const twin of [el, ...sameDeclaration(el)]) twin.classList.add('selected');
  selectedName = el?.getAttribute('data-name') ?? el?.id ?? undefined;
}

/** Scrolls this document, and nothing around it, so that `el` is in view. */
function scrollIntoOwnView(el: Element): void {
  const rect = el.getBoundingClientRect();
  const delta = scrollDeltaToShow(rect, window.innerHeight);
  if (delta !== 0) window.scrollBy(0, delta);
}

function viewOf(el: Element): string | undefined {
  return el.closest('.view')?.getAttribute('data-view') ?? undefined;
}

/** Highlights a card: switches to its view when allowed, clears filters hiding it, brings it into view. Never focuses. */
function highlight(el: Element, switchView: boolean): void {
  const view = viewOf(el);
  if (view && view !== state.view) {
    if (!switchView) return;
    showView(view);
  }
  if (el.closest('.filtered-out')) clearFilters();
  markSelected(el);
  scrollIntoOwnView(el);
  save();
}

/** The card named `name`: the one in the current view first; a joint review only when nothing else has the name. */
function cardNamed(name: string): Element | undefined {
  const candidates = all('.clickable[data-name]').filter((el) => el.getAttribute('data-name') === name);
  const secondary = (el: Element) => (el.getAttribute('data-kind') === 'kpi' && el.classList.contains('review')) || el.classList.contains('agenda-item');
  return candidates.find((el) => viewOf(el) === state.view && !secondary(el)) ?? candidates.find((el) => !secondary(el)) ?? candidates[0];
}

function reveal(el: Element): void {
  if (!api) return;
  const line = Number.parseInt(el.getAttribute('data-line') ?? '', 10);
  const character = Number.parseInt(el.getAttribute('data-character') ?? '', 10);
  const message: PageToPanelMessage = {
    type: 'reveal',
    file: el.getAttribute('data-file') ?? '',
    line: Number.isNaN(line) ? 0 : line,
    character: Number.isNaN(character) ? 0 : character,
  };
  const kind = el.getAttribute('data-kind');
  const name = el.getAttribute('data-name');
  if (kind) message.kind = kind;
  if (name) message.name = name;
  api.postMessage(message);
}

/** Follows an in-page link (`#kpi-…`): the reader clicked it, so its target may take the focus. */
function follow(link: Element): boolean {
  const href = link.getAttribute('href') ?? '';
  if (!href.startsWith('#')) return false;
  let target: HTMLElement | null = null;
  try {
    target = doc.getElementById(decodeURIComponent(href.slice(1)));
  } catch {
    return false;
  }
  if (!target) return false;
  if (target.classList.contains('view')) {
    showView(target.getAttribute('data-view') ?? '', { restoreScroll: true });
    return true;
  }
  highlight(target, true);
  if (target.hasAttribute('tabindex')) target.focus({ preventScroll: true });
  return true;
}

doc.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const tab = target.closest<HTMLElement>('.tabs .tab');
  if (tab) {
    // Handled here, and not passed on to the webview host, which would scroll to a fragment.
    event.preventDefault();
    event.stopPropagation();
    showView(tab.getAttribute('data-view') ?? '', { focusTab: true, restoreScroll: true });
    return;
  }
  if (target.closest('#clear-filters')) {
    clearFilters();
    return;
  }
  const link = target.closest('a[href]');
  if (link) {
    if (follow(link)) {
      event.preventDefault();
      event.stopPropagation();
    }
    return;
  }
  const item = target.closest('.clickable');
  if (!item) return;
  markSelected(item);
  reveal(item);
});

doc.addEventListener('keydown', (event) => {
  // An Element, not only an HTMLElement: a map's nodes are SVG groups.
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (target instanceof HTMLElement && target.matches('.tabs .tab')) {
    onTabKey(event, target);
    return;
  }
  if (target.id === 'search' && event.key === 'Escape' && state.search) {
    event.preventDefault();
    state.search = '';
    syncControls();
    applyFilters();
    return;
  }
  if ((event.key === 'Enter' || event.key === ' ') && target.classList.contains('clickable')) {
    event.preventDefault();
    markSelected(target);
    reveal(target);
  }
});

doc.addEventListener('change', (event) => {
  const select = event.target instanceof HTMLSelectElement ? event.target : null;
  const key = select?.getAttribute('data-filter') as FilterKey | null | undefined;
  if (!select || !key || !(FILTER_KEYS as readonly string[]).includes(key)) return;
  if (select.value) state.filters[key] = select.value;
  else delete state.filters[key];
  applyFilters();
});

doc.addEventListener('input', (event) => {
  if (!(event.target instanceof HTMLInputElement) || event.target.id !== 'search') return;
  state.search = event.target.value;
  applyFilters();
});

let scrollSavePending = false;
window.addEventListener('scroll', () => {
  if (!api || scrollSavePending) return;
  scrollSavePending = true;
  requestAnimationFrame(() => {
    scrollSavePending = false;
    state.scroll[state.view] = window.scrollY;
    save();
  });
});

// ---------------------------------------------------------------- content updates

/** How to find the focused element again in new content: its id, else its kind and name. */
function focusKey(): string | undefined {
  const active = doc.activeElement;
  if (!active || active === body || !doc.hasFocus()) return undefined;
  if (active.id) return `#${CSS.escape(active.id)}`;
  const name = active.getAttribute('data-name');
  const kind = active.getAttribute('data-kind');
  // The element's tag too: a step's card and its node on the process map share kind and name.
  return name !== null && kind !== null ? `${active.tagName.toLowerCase()}[data-kind="${CSS.escape(kind)}"][data-name="${CSS.escape(name)}"]` : undefined;
}

let lastToolbar: string | undefined;

/** A view's section (its region): found by id, since a query by attribute walks the whole page. */
function viewRegion(view: string): HTMLElement | null {
  const region = doc.getElementById(`view-${view}`);
  return region?.getAttribute('data-region') === `view-${view}` ? region : null;
}

/** The markers of a view's parts (PART_START), in order: the n-th is where its n-th part begins. */
function partStarts(view: Element): Comment[] {
  const starts: Comment[] = [];
  const walker = doc.createTreeWalker(view, NodeFilter.SHOW_COMMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Comment).data === PART_START_DATA) starts.push(node as Comment);
  return starts;
}

type PartSwap = [start: Comment, html: string];

/** Where each part to swap begins; undefined when a part asked for is not on the page. */
function findParts(parts: NonNullable<ContentMessage['regions']['parts']>): PartSwap[] | undefined {
  const swaps: PartSwap[] = [];
  for (const [view, patches] of Object.entries(parts)) {
    const region = viewRegion(view);
    const starts = region ? partStarts(region) : [];
    for (const [index, html] of patches ?? []) {
      const start = starts[index];
      if (!start) return undefined;
      swaps.push([start, html]);
    }
  }
  return swaps;
}

/** A run of parts to splice, found on the page: the parts to take out, and the node to put the new ones before (null: at the end of `parent`). */
interface FoundSplice {
  remove: Comment[];
  parent: Node;
  before: () => Node | null;
  html: string;
}

/** Where each run of parts to splice is (PartSplice); undefined when a part it names is not on the page. */
function findSplices(splices: NonNullable<ContentMessage['regions']['splices']>): FoundSplice[] | undefined {
  const found: FoundSplice[] = [];
  for (const [view, runs] of Object.entries(splices)) {
    const region = viewRegion(view);
    const starts = region ? partStarts(region) : [];
    for (const [at, remove, insert, anchor] of runs ?? []) {
      if (at + remove > starts.length) return undefined;
      const html = insert.join('');
      if (remove > 0 || anchor === 'next') {
        // In place of the first part taken out, or before the part after the run.
        const next = starts[at];
        if (!next?.parentNode) return undefined;
        found.push({ remove: starts.slice(at, at + remove), parent: next.parentNode, before: () => next, html });
      } else {
        const end = starts[at - 1] ? partEnd(starts[at - 1]!) : undefined;
        if (!end?.parentNode) return undefined;
        found.push({ remove: [], parent: end.parentNode, before: () => end.nextSibling, html });
      }
    }
  }
  return found;
}

/** The marker that ends the part `start` begins (its sibling PART_END), if any. */
function partEnd(start: Comment): ChildNode | undefined {
  let node: ChildNode | null = start.nextSibling;
  while (node && !(node.nodeType === Node.COMMENT_NODE && (node as Comment).data === PART_END_DATA)) node = node.nextSibling;
  return node ?? undefined;
}

/** Takes a part off the page: its markers and the nodes between them, all siblings. */
function removePart(start: Comment): void {
  const end = partEnd(start);
  let node: ChildNode | null = start.nextSibling;
  while (node && node !== end) {
    const next: ChildNode | null = node.nextSibling;
    node.remove();
    node = next;
  }
  start.remove();
  end?.remove();
}

function fragment(html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html;
  return template.content;
}

function swapParts(swaps: PartSwap[]): void {
  for (const [start, html] of swaps) {
    start.parentNode!.insertBefore(fragment(html), start);
    removePart(start);
  }
}

function spliceParts(splices: FoundSplice[]): void {
  for (const splice of splices) {
    // The new parts go in before the old ones come out: the first part taken out is where they go.
    splice.parent.insertBefore(fragment(splice.html), splice.before());
    for (const start of splice.remove) removePart(start);
  }
}

function replaceContent(message: ContentMessage): void {
  if (message.version <= version) return;
  // Changes to content this page does not show cannot be applied: it asks for all of the newest (`ready` with version 0).
  const swaps = message.regions.parts ? findParts(message.regions.parts) : [];
  const splices = message.regions.splices ? findSplices(message.regions.splices) : [];
  if (message.base !== undefined && (message.base !== version || !swaps || !splices)) {
    version = 0;
    api?.postMessage({ type: 'ready', version });
    return;
  }
  version = message.version;
  const scrollY = window.scrollY;
  const focused = focusKey();
  const search = searchBox();
  const caret = search && doc.activeElement === search ? [search.selectionStart, search.selectionEnd] : undefined;
  const { views, parts: _parts, splices: _splices, ...rest } = message.regions;
  for (const [key, html] of Object.entries(rest)) {
    // The toolbar rarely changes; left alone, the search box keeps the reader's typing undisturbed.
    if (html === undefined || (key === 'toolbar' && lastToolbar === html)) continue;
    const region = doc.querySelector(`[data-region="${key}"]`);
    if (region) region.innerHTML = html;
  }
  if (rest.toolbar !== undefined) lastToolbar = rest.toolbar;
  // Only the views that changed come, whole or as the parts that changed: the rest keeps its elements.
  for (const [view, html] of Object.entries(views ?? {})) {
    const region = viewRegion(view);
    if (region && html !== undefined) region.innerHTML = html;
  }
  if (swaps) swapParts(swaps);
  if (splices) spliceParts(splices);
  decorateTabs();
  syncControls();
  showView(state.view);
  if (selectedName !== undefined) {
    const again = cardNamed(selectedName);
    if (again) for (const twin of [again, ...sameDeclaration(again)]) twin.classList.add('selected');
  }
  window.scrollTo(0, scrollY);
  if (focused) {
    const el = doc.querySelector<HTMLElement>(focused);
    if (el && el !== doc.activeElement) el.focus({ preventScroll: true });
    if (caret && el instanceof HTMLInputElement && el.id === 'search') el.setSelectionRange(caret[0], caret[1]);
  }
}

function onSelect(message: SelectMessage): void {
  const el = cardNamed(message.name);
  if (el) highlight(el, message.switchView);
}

if (panelMode) {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parsePanelMessage(event.data);
    if (message?.type === 'content') replaceContent(message);
    else if (message?.type === 'select') onSelect(message);
  });
}

// ---------------------------------------------------------------- start

decorateTabs();
syncControls();
showView(state.view);
if (api) window.scrollTo(0, state.scroll[state.view] ?? 0);
else if (location.hash.startsWith('#view-')) setTimeout(() => window.scrollTo(0, 0), 0);
api?.postMessage({ type: 'ready', version });
