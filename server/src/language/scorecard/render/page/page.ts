// The page: the header with the summary, the tabs, the filter toolbar and the
// views, assembled into one self-contained HTML document. The panel and
// the export both call renderHtml; the open panel then swaps in fresh
// PageRegions by message (renderRegions), so that the reader's view, filters,
// scroll position and focus stay where they were.
//
// Security: every user-written string goes through escapeHtml; the document
// loads nothing remote; the CSP allows only the nonced <style> and <script>
// (no inline handlers, no style attributes). The stylesheet and the script
// are the project's own files (client/media/), built by esbuild and handed in
// by the caller as PageAssets.
import type { ScorecardModel } from '../../model';
import { compareTitles, countByStatus, escapeHtml as esc, STATUS_ORDER, statusWord } from '../text';
import { Context, NO_FUNCTION, PERSPECTIVE_ORDER, plural, UNPLACED } from './context';
import { ICON_STYLE, icon, statusIcon } from './icons';
import { PageMemo, sameItems } from './memo';
import { PAGE_VIEWS, PART_START, type PageRegions, type PageRegionsChange, type PageView, type PartPatch, type PartSplice } from './regions';

export type { PageRegions, PageRegionsChange };
import { agendaOf, agendaSize, agendaView } from './agendaView';
import { handOffsView, strategyMapFigure } from './mapsView';
import { objectivesView } from './objectivesView';
import { ownersView } from './ownersView';
import { processesView } from './processesView';
import { jointReviewsView } from './reviewsView';
import { scorecardView } from './scorecardView';

/** The page's stylesheet and script, as text to inline (see client/media/ and scripts/lib/webview-assets.mjs). */
export interface PageAssets {
  style: string;
  script: string;
}

export interface RenderHtmlOptions {
  /** `panel`: inside the VS Code webview (click-through, state via the webview API); `export`: a stand-alone file. */
  mode: 'panel' | 'export';
  /** The nonce of the inline <style> and <script>. */
  nonce: string;
  /** The stylesheet and script to inline. */
  assets: PageAssets;
  /** The webview's `cspSource`, in panel mode. */
  cspSource?: string;
  /** The document title; default "KPI Scorecard". */
  title?: string;
  /** Which content this is, in panel mode: the page tells the panel on load, so that newer content can follow by message. */
  version?: number;
  /** The model's regions when the caller has rendered them already (the panel's PageRenderer); else rendered here. */
  regions?: PageRegions;
}



function option(value: string, label: string): string {
  return `<option value="${esc(value)}">${esc(label)}</option>`;
}

/** The last toolbar and what it was made of: sorting thousands of owners by title is the toolbar's cost, and they rarely change. */
export interface ToolbarMemo {
  /** The model's lists it was made from: the same cards make the same toolbar. */
  cards: readonly (readonly unknown[])[];
  /** Names and titles of the owners, functions, perspectives and scorecards, flat. */
  inputs: string[];
  html: string;
}

/** The lists of cards the toolbar reads, and the perspectives' labels (the model's perspectives are new objects every build). */
function toolbarCards(model: ScorecardModel): readonly (readonly unknown[])[] {
  return [model.owners, model.kpis, model.functions, model.scorecards, model.perspectives.map((p) => p.label)];
}

/** The filter toolbar's content: search, one select per filter, Clear and the result count. */
function toolbar(ctx: Context, memo?: ToolbarMemo): ToolbarMemo {
  const { model } = ctx;
  const cards = toolbarCards(model);
  if (memo && cards.every((list, index) => sameItems(list, memo.cards[index]!))) return { ...memo, cards };
  const owners = new Map<string, string>();
  for (const o of model.owners) owners.set(o.name, o.title);
  for (const k of model.kpis) if (k.owner && !owners.has(k.owner.name)) owners.set(k.owner.name, k.owner.title);
  const fns = new Map<string, string>();
  for (const f of model.functions) fns.set(f.name, f.title);
  for (const o of model.owners) if (o.function && !fns.has(o.function.name)) fns.set(o.function.name, o.function.title);
  const perspectives = [...PERSPECTIVE_ORDER.map((p) => ctx.perspectiveLabel(p))];
  const inputs: string[] = [String(owners.size), String(fns.size), ...perspectives];
  for (const [name, title] of owners) inputs.push(name, title);
  for (const [name, title] of fns) inputs.push(name, title);
  for (const s of model.scorecards) inputs.push(s.name, s.title);
  if (memo && sameItems(memo.inputs, inputs)) return { ...memo, cards };
  const ownerOptions = [...owners].sort((a, b) => compareTitles(a[1], b[1])).map(([n, t]) => option(n, t));
  const fnOptions = [...fns].sort((a, b) => compareTitles(a[1], b[1])).map(([n, t]) => option(n, t));
  const select = (key: string, label: string, all: string, options: string[]) =>
    `<label class="filter"><span>${label}</span><select data-filter="${key}"><option value="">${all}</option>${options.join('')}</select></label>`;
  const perspectiveOptions = [...PERSPECTIVE_ORDER.map((p, index) => option(p, perspectives[index]!)), option(UNPLACED, 'Unplaced')];
  const statuses = [...STATUS_ORDER.map((s) => option(s, statusWord(s))), option('stale', 'Stale'), option('overdue', 'SOP review overdue')];
  const scorecardSelect = model.scorecards.length > 1 ? select('scorecard', 'Scorecard', 'All', model.scorecards.map((s) => option(s.name, s.title))) : '';
  const html =
    `<label class="searchbox">${icon('search')}<input type="search" id="search" placeholder="Search KPIs, steps, SOPs, owners…" aria-label="Search" autocomplete="off" spellcheck="false"></label>` +
    select('perspective', 'Perspective', 'All', perspectiveOptions) +
    select('owner', 'Owner', 'All', ownerOptions) +
    select('function', 'Function', 'All', [...fnOptions, option(NO_FUNCTION, 'No function')]) +
    select('status', 'Status', 'All', statuses) +
    scorecardSelect +
    `<button type="button" class="clear" id="clear-filters">Clear</button>` +
    `<span class="result-count" id="result-count" aria-live="polite"></span>`;
  return { cards, inputs, html };
}

/** The title row, the counts by status and the problems note. */
function summary(ctx: Context, title: string): string {
  const { model } = ctx;
  const counts = countByStatus(model.kpis);
  const stale = model.kpis.filter((k) => k.stale).length;
  const overdue = model.sops.filter((s) => s.overdue).length;
  const chips: string[] = [`<li class="count-total"><strong>${model.kpis.length}</strong> ${model.kpis.length === 1 ? 'KPI' : 'KPIs'}</li>`];
  for (const s of STATUS_ORDER) {
    if (counts[s] === 0 && (s === 'unscored' || s === 'no-data')) continue;
    chips.push(`<li class="chip st st-${s}${counts[s] ? '' : ' zero'}">${statusIcon(s)}<strong>${counts[s]}</strong><span class="st-word">${esc(statusWord(s))}</span></li>`);
  }
  if (stale) chips.push(`<li class="chip plain warn">${icon('clock')}<strong>${stale}</strong> stale</li>`);
  chips.push(`<li class="chip plain${model.jointReviews.length ? ' warn' : ''}">${icon('handoff')}<strong>${model.jointReviews.length}</strong> joint ${model.jointReviews.length === 1 ? 'review' : 'reviews'}</li>`);
  if (overdue) chips.push(`<li class="chip plain warn">${icon('sop')}<strong>${overdue}</strong> SOP ${overdue === 1 ? 'review' : 'reviews'} overdue</li>`);
  const scope = model.scope.kind === 'file' ? `<span class="scope mono" title="Scope">${esc(model.scope.file)}</span>` : '';
  const problems =
    model.problems.errors || model.problems.warnings
      ? `<p class="problems">${icon('warning')}Built on files with ${plural(model.problems.errors, 'error')} and ${plural(model.problems.warnings, 'warning')} — some figures may be incomplete.</p>`
      : '';
  return (
    `<div class="title-row"><h1>${esc(title)}</h1>${scope}<span class="asof">as of <time datetime="${esc(model.today)}">${esc(model.today)}</time></span></div>` +
    `<ul class="summary" aria-label="Summary">${chips.join('')}</ul>${problems}`
  );
}


const VIEW_LABELS: Record<PageView, string> = {
  scorecard: 'Scorecard',
  agenda: 'Review',
  reviews: 'Joint reviews',
  processes: 'Processes',
  objectives: 'Objectives',
  handoffs: 'Hand-offs',
  owners: 'Owners',
};

function csp(nonce: string, cspSource?: string): string {
  const src = cspSource ? ` ${cspSource}` : '';
  const parts = [`default-src 'none'`, `img-src data:${src}`, `style-src 'nonce-${nonce}'${src}`, `script-src 'nonce-${nonce}'`];
  if (cspSource) parts.push(`font-src${src}`);
  return parts.join('; ');
}

/** The parts of the page that depend on the model, rendered from scratch; `title` is the document's title. */
export function renderRegions(model: ScorecardModel, title = 'KPI Scorecard'): PageRegions {
  return new PageRenderer().render(model, title).regions;
}

/**
 * The page's regions, render after render: the panel holds one, so that a
 * live update renders only the parts of the page that changed (page/memo.ts
 * says when a card's HTML is reused). Each view is kept as its pieces (the
 * memoized parts and the few strings between them), joined only when the
 * whole view is needed: a large workspace's views are tens of megabytes, and
 * joining them anew is most of the cost of an update.
 */
export class PageRenderer {
  private readonly memo = new PageMemo();
  private toolbarMemo: ToolbarMemo | undefined;
  private context: Context | undefined;
  private last: RenderedPage | undefined;

  /** Parts of the last render rendered afresh and reused (for tests and measurements). */
  get counts(): { rendered: number; reused: number } {
    return { rendered: this.memo.rendered, reused: this.memo.reused };
  }

  render(model: ScorecardModel, title = 'KPI Scorecard'): RenderedPage {
    const ctx = (this.context = new Context(model, this.memo, this.context));
    this.memo.start(ctx);
    const pieces: Record<PageView, string[]> = {
      scorecard: scorecardView(ctx),
      agenda: agendaView(ctx),
      reviews: jointReviewsView(ctx),
      processes: processesView(ctx),
      objectives: [strategyMapFigure(ctx), ...objectivesView(ctx)],
      handoffs: [handOffsView(ctx)],
      owners: ownersView(ctx),
    };
    this.memo.finish();
    const counts: Record<PageView, number> = {
      reviews: model.jointReviews.length,
      processes: model.processes.length,
      objectives: model.objectives.length,
      handoffs: model.functions.length,
      owners: model.owners.length,
      scorecard: model.kpis.length,
      agenda: agendaSize(agendaOf(model)),
    };
    const tabs = PAGE_VIEWS.map(
      (v) =>
        `<a class="tab${v === 'reviews' && counts.reviews ? ' attention' : ''}" id="tab-${v}" href="#view-${v}" data-view="${v}">${esc(VIEW_LABELS[v])}` +
        `<span class="tab-count">${counts[v]}</span></a>`,
    ).join('');
    return (this.last = new RenderedPage(
      {
        summary: summary(ctx, title),
        tabs,
        toolbar: (this.toolbarMemo = toolbar(ctx, this.toolbarMemo)).html,
        footer: `Generated by KPI Scorecard for ${esc(model.today)} · model version ${esc(model.version)}`,
      },
      pieces,
      this.last,
    ));
  }
}

type SmallRegions = Omit<PageRegions, 'views'>;

/** How each view changed between two renders (comparePieces): by the parts that changed, by runs of parts, or whole (undefined). */
type ViewPatches = Record<PageView, ViewChange | undefined>;
type ViewChange = { parts: PartPatch[] } | { splices: PartSplice[] };

/** One render of the page: its regions, and what changed since another render. */
export class RenderedPage {
  private readonly joined: Partial<Record<PageView, string>> = {};
  /** Which of each view's pieces are parts (1) and which the text between them (0), once known. */
  private readonly partFlags: Partial<Record<PageView, Uint8Array>> = {};
  /** What changed since the render before, which the panel most often shows (weakly held: pages are megabytes). */
  private readonly sinceBefore: { page: WeakRef<RenderedPage>; patches: ViewPatches } | undefined;

  constructor(
    private readonly small: SmallRegions,
    /** Each view's HTML in pieces; a part (PART_START … PART_END) is one piece. */
    private readonly pieces: Record<PageView, readonly string[]>,
    /** The render before: a view made of the same pieces is its string, joined already. */
    before?: RenderedPage,
  ) {
    if (!before) return;
    const patches = this.patchesSince(before);
    this.sinceBefore = { page: new WeakRef(before), patches };
    for (const view of PAGE_VIEWS) if (before.joined[view] !== undefined && unchanged(patches[view])) this.joined[view] = before.joined[view];
  }

  /** Every region, each view joined (once). */
  get regions(): PageRegions {
    const views = {} as Record<PageView, string>;
    for (const view of PAGE_VIEWS) views[view] = this.view(view);
    return { ...this.small, views };
  }

  /**
   * The regions that differ from `shown`: a small region when its text
   * differs; a view whose pieces differ only in some parts as those parts;
   * any other view that differs whole. Memoized parts are the same string
   * objects, so most comparisons are of one pointer.
   */
  changeSince(shown: RenderedPage): PageRegionsChange {
    const change: PageRegionsChange = {};
    for (const key of ['summary', 'tabs', 'toolbar', 'footer'] as const) if (this.small[key] !== shown.small[key]) change[key] = this.small[key];
    const since = this.patchesSince(shown);
    for (const view of PAGE_VIEWS) {
      const patches = since[view];
      if (patches === undefined) (change.views ??= {})[view] = this.view(view);
      else if ('splices' in patches) (change.splices ??= {})[view] = patches.splices;
      else if (patches.parts.length) (change.parts ??= {})[view] = patches.parts;
    }
    return change;
  }

  private patchesSince(page: RenderedPage): ViewPatches {
    if (this.sinceBefore?.page.deref() === page) return this.sinceBefore.patches;
    const patches = {} as ViewPatches;
    for (const view of PAGE_VIEWS) {
      const compared = comparePieces(page.pieces[view], page.flags(view), this.pieces[view], this.partFlags[view]);
      this.partFlags[view] = compared.flags;
      patches[view] = compared.patches;
    }
    return patches;
  }

  private flags(view: PageView): Uint8Array {
    return (this.partFlags[view] ??= comparePieces([], new Uint8Array(0), this.pieces[view]).flags);
  }

  private view(view: PageView): string {
    return (this.joined[view] ??= `<h2 class="view-title" id="h-${view}">${esc(VIEW_LABELS[view])}</h2>${this.pieces[view].join('')}`);
  }
}

function unchanged(change: ViewChange | undefined): boolean {
  return change !== undefined && 'parts' in change && change.parts.length === 0;
}

/**
 * Compares a view's pieces with the pieces of an earlier render: which of
 * them are parts (a piece the same as before is what it was; only the others
 * are looked at), and how the view changed: the parts of `now` that differ
 * from `before` by their position among the parts; else runs of parts added,
 * taken away or changed (partSplices); else undefined, for a view that
 * changed whole (text between the parts changed).
 */
function comparePieces(before: readonly string[], beforeFlags: Uint8Array, now: readonly string[], known?: Uint8Array): { flags: Uint8Array; patches: ViewChange | undefined } {
  const flags = known ?? new Uint8Array(now.length);
  const parts: PartPatch[] = [];
  let differs = before.length !== now.length;
  let part = -1;
  for (let index = 0; index < now.length; index++) {
    const is = now[index]!;
    if (index < before.length && before[index] === is) {
      if (!known) flags[index] = beforeFlags[index]!;
      if (flags[index]) part++;
      continue;
    }
    if (!known) flags[index] = is.startsWith(PART_START) ? 1 : 0;
    if (flags[index]) part++;
    if (differs) continue;
    if (!flags[index] || !beforeFlags[index]) differs = true;
    else parts.push([part, is]);
  }
  if (!differs) return { flags, patches: { parts } };
  const splices = partSplices(before, beforeFlags, now, flags);
  return { flags, patches: splices && { splices } };
}

/** How far partSplices looks ahead for pieces that are the same again after a difference. */
const LOOK_AHEAD = 16;

/**
 * How `now` differs from `before` as runs of parts, numbered as in
 * `before`: both are walked together, and at a difference the shortest run
 * after which they are the same again (within LOOK_AHEAD pieces on either
 * side) is one splice. Undefined when a run holds anything but parts (text
 * between the parts changed: a new group with its heading), when no part
 * borders a run that only puts parts in, or when no end of a run is found.
 */
function partSplices(before: readonly string[], beforeFlags: Uint8Array, now: readonly string[], flags: Uint8Array): PartSplice[] | undefined {
  const splices: PartSplice[] = [];
  let i = 0;
  let j = 0;
  let at = 0;
  while (i < before.length || j < now.length) {
    if (i < before.length && j < now.length && before[i] === now[j]) {
      at += beforeFlags[i]!;
      i++;
      j++;
      continue;
    }
    const run = runEnd(before, i, now, j);
    if (!run) return undefined;
    const [removed, inserted] = run;
    for (let k = i; k < i + removed; k++) if (!beforeFlags[k]) return undefined;
    for (let k = j; k < j + inserted; k++) if (!flags[k]) return undefined;
    let anchor: PartSplice[3] = 'next';
    if (removed === 0) {
      if (i < before.length && beforeFlags[i]) anchor = 'next';
      else if (i > 0 && beforeFlags[i - 1]) anchor = 'previous';
      else return undefined;
    }
    splices.push([at, removed, now.slice(j, j + inserted), anchor]);
    at += removed;
    i += removed;
    j += inserted;
  }
  return splices;
}

/** The fewest pieces of `before` from `i` and of `now` from `j` after which both are the same again (or both end). */
function runEnd(before: readonly string[], i: number, now: readonly string[], j: number): [removed: number, inserted: number] | undefined {
  for (let total = 1; total <= 2 * LOOK_AHEAD; total++) {
    for (let removed = Math.max(0, total - LOOK_AHEAD); removed <= Math.min(total, LOOK_AHEAD); removed++) {
      const b = i + removed;
      const n = j + total - removed;
      if (b > before.length || n > now.length) continue;
      if (b === before.length ? n === now.length : n < now.length && before[b] === now[n]) return [removed, total - removed];
    }
  }
  return undefined;
}

/**
 * The views as the page holds them: one section a view, each the region
 * `view-` + its id. In the panel, whose script always runs and shows one view
 * at a time, every view but the first is hidden from the start: the browser
 * then lays out one view while it reads a large workspace's page, not all of
 * them (on 200 files, 23 s → 10 s to load); the script shows the one the
 * reader had open. The export shows them all until its script runs, so that
 * it reads without script too.
 */
export function viewSections(regions: PageRegions, hideAllButFirst = false): string {
  return PAGE_VIEWS.map(
    (v, index) => `<section class="view" id="view-${v}" data-view="${v}" data-region="view-${v}" aria-labelledby="h-${v}"${hideAllButFirst && index > 0 ? ' hidden' : ''}>${regions.views[v]}</section>`,
  ).join('');
}

/**
 * Text inlined into a <style> or <script> element must not close it early.
 * Our own assets never do; a build that did would break the page, so it is
 * left out rather than inlined.
 */
function inlineSafe(text: string, element: 'style' | 'script'): string {
  return new RegExp(`</${element}`, 'i').test(text) ? '' : text;
}

/** The scorecard as a complete HTML document (panel and export alike). */
export function renderHtml(model: ScorecardModel, options: RenderHtmlOptions): string {
  const title = options.title ?? 'KPI Scorecard';
  const nonce = esc(options.nonce);
  const mode = options.mode === 'panel' ? 'panel' : 'export';
  const regions = options.regions ?? renderRegions(model, title);
  const version = options.version !== undefined ? ` data-version="${esc(options.version)}"` : '';
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp(options.nonce, options.cspSource))}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark">` +
    `<title>${esc(title)} — ${esc(model.today)}</title>` +
    `<style nonce="${nonce}">${inlineSafe(options.assets.style + ICON_STYLE, 'style')}</style></head>` +
    `<body class="mode-${mode}" data-mode="${mode}"${version}>` +
    `<a class="skip" href="#views">Skip to content</a>` +
    `<header class="top"><div data-region="summary">${regions.summary}</div>` +
    `<nav class="tabs" aria-label="Views" data-region="tabs">${regions.tabs}</nav>` +
    `<div class="toolbar" role="search" aria-label="Filter" data-region="toolbar">${regions.toolbar}</div></header>` +
    `<main id="views">${viewSections(regions, mode === 'panel')}</main>` +
    `<footer class="foot" data-region="footer">${regions.footer}</footer>` +
    `<script nonce="${nonce}">${inlineSafe(options.assets.script, 'script')}</script></body></html>\n`
  );
}
