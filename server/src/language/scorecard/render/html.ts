// The scorecard as one self-contained HTML document: the VS Code preview panel
// and `kpi scorecard --format html` render with this same function, so they
// never drift. Every view is rendered here, on the server, as plain HTML (the
// export shows everything with JavaScript off); the inline script only
// enhances: tabs, filters, search, click-through to the source, and keeping
// that UI state across re-renders of the panel.
//
// Security: every user-written string goes through escapeHtml; the document
// loads nothing remote; the CSP allows only the nonced <style> and <script>
// (no inline handlers, no style attributes); the script interpolates nothing.
import type { Perspective } from '../../model/ast';
import type { StatusKind } from '../../model/status';
import { PERSPECTIVE_LABELS, type KpiCard, type Named, type ObjectiveCard, type OwnerRef, type ProcessCard, type ScorecardModel, type SopCard, type StepCard, type Where } from '../model';
import { sparkline } from './sparkline';
import { countByStatus, escapeHtml, formatCondition, formatValue, STATUS_ORDER, statusWord } from './text';

export interface RenderHtmlOptions {
  /** `panel`: inside the VS Code webview (click-through, state via the webview API); `export`: a stand-alone file. */
  mode: 'panel' | 'export';
  /** The nonce of the inline <style> and <script>. */
  nonce: string;
  /** The webview's `cspSource`, in panel mode. */
  cspSource?: string;
  /** The document title; default "KPI Scorecard". */
  title?: string;
}

const esc = escapeHtml;
const PERSPECTIVE_ORDER: Perspective[] = ['financial', 'customer', 'internal', 'learning'];
const UNPLACED = 'unplaced';
const NO_FUNCTION = '(none)';

// ---------------------------------------------------------------- icons

const ICON_PATHS: Record<string, string> = {
  person: '<circle cx="8" cy="5" r="2.8"/><path d="M2.5 14.5c.6-3 2.8-4.6 5.5-4.6s4.9 1.6 5.5 4.6"/>',
  clock: '<circle cx="8" cy="8" r="6.5"/><path d="M8 4.5V8l2.5 1.6"/>',
  handoff: '<path d="M2 5.5h10M9.5 3 12 5.5 9.5 8M14 10.5H4M6.5 8 4 10.5 6.5 13"/>',
  target: '<circle cx="8" cy="8" r="6.5"/><circle cx="8" cy="8" r="3.5"/><circle cx="8" cy="8" r="0.6"/>',
  sop: '<rect x="2.5" y="1.5" width="11" height="13" rx="1.5"/><path d="M5 5.5l1 1 2-2M9.5 5.5H11M5 10l1 1 2-2M9.5 10H11"/>',
  leading: '<path d="M1.5 12l4-4 3 3 5.5-6M10 5h4v4"/>',
  lagging: '<path d="M2.6 8a5.5 5.5 0 1 0 1.6-3.9M2 2.2v2.7h2.7M8 5v3l2 1.5"/>',
  calendar: '<rect x="2" y="3" width="12" height="11" rx="1.5"/><path d="M2 6.5h12M5 1.5v3M11 1.5v3"/>',
  link: '<path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 0 1 3.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 0 1-3.5-3.5L5.5 8"/>',
  arrow: '<path d="M2 8h11M9.5 4.5 13 8l-3.5 3.5"/>',
  search: '<circle cx="7" cy="7" r="4.5"/><path d="M10.5 10.5 14 14"/>',
  warning: '<path d="M8 1.8 14.8 14H1.2z"/><path d="M8 6.2v3.6M8 11.8v.2"/>',
  flag: '<path d="M3 14.5V2M3 2.5h8.5l-1.8 3 1.8 3H3"/>',
  process: '<rect x="1" y="5.5" width="4" height="5" rx="1"/><rect x="11" y="5.5" width="4" height="5" rx="1"/><path d="M5 8h6"/>',
  financial: '<circle cx="8" cy="8" r="6.5"/><path d="M10 5.6c-.4-.6-1.1-.9-2-.9-1.2 0-2 .6-2 1.5 0 2 4 1.1 4 3.2 0 .9-.9 1.6-2.1 1.6-.9 0-1.7-.4-2.1-1M8 3.5v1.2M8 11.3v1.2"/>',
  customer: '<path d="M8 13.5S2 10 2 6a3 3 0 0 1 6-1 3 3 0 0 1 6 1c0 4-6 7.5-6 7.5z"/>',
  internal: '<circle cx="8" cy="8" r="2.2"/><circle cx="8" cy="8" r="5"/><path d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6 13 13M3 13l1.4-1.4M11.6 4.4 13 3"/>',
  learning: '<path d="M8 4C6.5 2.8 4.5 2.5 2 2.7v9.8c2.5-.2 4.5.1 6 1.3 1.5-1.2 3.5-1.5 6-1.3V2.7C11.5 2.5 9.5 2.8 8 4zM8 4v9.5"/>',
  unplaced: '<rect x="2" y="2" width="12" height="12" rx="2" stroke-dasharray="2 2"/>',
  team: '<circle cx="5.5" cy="5.5" r="2.2"/><circle cx="11" cy="6" r="1.8"/><path d="M1.5 13.5c.4-2.4 2-3.8 4-3.8s3.6 1.4 4 3.8M10 9.8c2 0 3.8 1.1 4.4 3.4"/>',
};

function icon(name: string, cls = ''): string {
  return (
    `<svg class="icon${cls ? ` ${cls}` : ''}" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" ` +
    `fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round">${ICON_PATHS[name] ?? ''}</svg>`
  );
}

const STATUS_SHAPES: Record<StatusKind, string> = {
  green: '<circle class="shape" cx="8" cy="8" r="7"/><path class="glyph" d="M4.6 8.3l2.2 2.2 4.6-4.8"/>',
  amber: '<path class="shape" d="M8 1.2 15.2 14.3H.8z"/><path class="glyph" d="M8 5.8v4M8 12.1v.1"/>',
  red: '<path class="shape" d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z"/><path class="glyph" d="M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8"/>',
  'no-data': '<circle class="ring" cx="8" cy="8" r="6.3" stroke-dasharray="2.4 1.8"/><circle class="dot" cx="8" cy="8" r="1.3"/>',
  unscored: '<circle class="ring" cx="8" cy="8" r="6.3"/><path class="dash" d="M5 8h6"/>',
};

function statusIcon(status: StatusKind): string {
  return `<svg class="sicon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">${STATUS_SHAPES[status] ?? STATUS_SHAPES.unscored}</svg>`;
}

/** A status chip: icon and word, never colour alone. */
function statusChip(status: StatusKind, reason?: string): string {
  const title = reason ? ` title="${esc(reason)}"` : '';
  return `<span class="chip st st-${esc(status)}"${title}>${statusIcon(status)}<span class="st-word">${esc(statusWord(status))}</span></span>`;
}

// ---------------------------------------------------------------- helpers

class Ids {
  private readonly used = new Set<string>();
  private counter = 0;
  /** A stable, safe id for `kind` + `name`, or undefined when it was handed out already. */
  anchor(kind: string, name: string): string | undefined {
    const id = anchorId(kind, name);
    if (this.used.has(id)) return undefined;
    this.used.add(id);
    return id;
  }
  unique(prefix: string): string {
    return `${prefix}-${++this.counter}`;
  }
}

/** `kpi-SellOutGrowth`; characters outside [A-Za-z0-9_-] become `.hex.` so any name is a valid id. */
export function anchorId(kind: string, name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, (c) => `.${c.codePointAt(0)!.toString(16)}.`)}`;
}

function whereAttrs(kind: string, name: string, where: Where): string {
  return (
    ` data-kind="${esc(kind)}" data-name="${esc(name)}" data-file="${esc(where.file)}"` +
    ` data-line="${esc(where.line)}" data-character="${esc(where.character)}"`
  );
}

function filterAttrs(f: { perspective?: string[]; owner?: string[]; function?: string[]; status?: string[]; scorecard?: string[]; search: string[] }): string {
  let out = '';
  for (const key of ['perspective', 'owner', 'function', 'status', 'scorecard'] as const) {
    const values = f[key];
    if (values) out += ` data-f-${key}="${esc(JSON.stringify([...new Set(values)]))}"`;
  }
  const text = f.search.filter(Boolean).join(' ').toLowerCase();
  return `${out} data-search="${esc(text)}"`;
}

function ownerFilter(owner: OwnerRef | undefined): { owner: string[]; function: string[] } {
  return { owner: owner ? [owner.name] : [], function: [owner?.function?.name ?? NO_FUNCTION] };
}

function ownerSearch(owner: OwnerRef | undefined): string[] {
  return owner ? [owner.name, owner.title, owner.function?.title ?? ''] : [];
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

const FREQUENCY_WORDS: Record<string, string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', quarterly: 'Quarterly', yearly: 'Yearly' };

// ---------------------------------------------------------------- context

class Context {
  readonly ids = new Ids();
  readonly kpis = new Map<string, KpiCard>();
  readonly owners = new Map<string, Named>();
  readonly sops = new Map<string, SopCard>();
  readonly processes = new Map<string, ProcessCard>();
  readonly scorecardTitles = new Map<string, string>();
  /** SOP name → the `Process.Step`s that use it. */
  readonly sopUses = new Map<string, { process: ProcessCard; step: StepCard }[]>();

  constructor(readonly model: ScorecardModel) {
    for (const k of model.kpis) if (!this.kpis.has(k.name)) this.kpis.set(k.name, k);
    for (const o of model.owners) if (!this.owners.has(o.name)) this.owners.set(o.name, o);
    for (const s of model.sops) if (!this.sops.has(s.name)) this.sops.set(s.name, s);
    for (const s of model.scorecards) if (!this.scorecardTitles.has(s.name)) this.scorecardTitles.set(s.name, s.title);
    for (const p of model.processes) {
      if (!this.processes.has(p.name)) this.processes.set(p.name, p);
      for (const step of p.steps) {
        if (!step.sop) continue;
        const list = this.sopUses.get(step.sop) ?? [];
        list.push({ process: p, step });
        this.sopUses.set(step.sop, list);
      }
    }
  }

  perspectiveLabel(p: Perspective | undefined): string {
    if (!p) return 'Unplaced';
    return this.model.perspectives.find((x) => x.id === p)?.label ?? PERSPECTIVE_LABELS[p] ?? p;
  }

  roleTitle(name: string): string {
    return this.owners.get(name)?.title ?? name;
  }

  /** A link to a KPI's card, with its status icon (and the word for screen readers). */
  kpiRef(name: string): string {
    const k = this.kpis.get(name);
    if (!k) return `<span class="kref missing" title="Not in this view">${esc(name)}</span>`;
    return (
      `<a class="kref st-${esc(k.status)}" href="#${esc(anchorId('kpi', name))}" title="${esc(`${statusWord(k.status)}: ${k.statusReason}`)}">` +
      `${statusIcon(k.status)}<span>${esc(k.title)}</span><span class="sr"> (${esc(statusWord(k.status))})</span></a>`
    );
  }

  sopRef(name: string): string {
    const s = this.sops.get(name);
    if (!s) return `<span class="sref missing">${icon('sop')}${esc(name)}</span>`;
    const overdue = s.overdue ? `<span class="mini-badge warn">${icon('clock')}Review overdue</span>` : '';
    return `<a class="sref" href="#${esc(anchorId('sop', name))}">${icon('sop')}<span>${esc(s.title)}</span></a>${overdue}`;
  }

  stepRef(process: string, step: string): string {
    const p = this.processes.get(process);
    const s = p?.steps.find((x) => x.name === step);
    const label = s ? `${p!.title} › ${s.title}` : `${process}.${step}`;
    return s ? `<a class="pref" href="#${esc(anchorId('step', `${process}.${step}`))}">${esc(label)}</a>` : `<span class="pref missing">${esc(label)}</span>`;
  }

  ownerLine(owner: OwnerRef | undefined, prefix = ''): string {
    if (!owner) return `<span class="owner none">${icon('person')}<span>${prefix}<em>No owner</em></span></span>`;
    const fn = owner.function ? `<span class="fn"> · ${esc(owner.function.title)}</span>` : '';
    const problem = owner.kind === 'role' ? '' : `<span class="mini-badge warn">${esc(owner.kind === 'unknown' ? 'unknown' : owner.kind)}</span>`;
    const link = this.owners.has(owner.name) ? `<a href="#${esc(anchorId('owner', owner.name))}">${esc(owner.title)}</a>` : esc(owner.title);
    return `<span class="owner">${icon(owner.kind === 'team' ? 'team' : 'person')}<span>${prefix}${link}${fn}</span>${problem}</span>`;
  }
}

// ---------------------------------------------------------------- KPI card

function kpiCard(ctx: Context, k: KpiCard, perspective: Perspective | undefined, scorecard: string): string {
  const id = ctx.ids.anchor('kpi', k.name);
  const titleId = ctx.ids.unique('t');
  const statuses: string[] = [k.status];
  if (k.stale) statuses.push('stale');
  const f = filterAttrs({
    perspective: [perspective ?? UNPLACED],
    ...ownerFilter(k.owner),
    status: statuses,
    scorecard: [scorecard],
    search: [k.name, k.title, k.outcome ?? '', ...ownerSearch(k.owner), k.unit ?? '', ...k.steps.map((s) => `${s.process}.${s.step} ${s.title}`), statusWord(k.status), k.stale ? 'stale' : ''],
  });

  let target: string;
  if (k.target) target = `<span class="target">${icon('target')}Target <strong>${esc(formatCondition(k.target, k.unit))}</strong></span>`;
  else if (k.targetText !== undefined) target = `<span class="target vague">${icon('target')}Target “${esc(k.targetText)}” <span class="mini-badge warn">vague</span></span>`;
  else target = `<span class="target none">${icon('target')}<em>No target</em></span>`;

  const latest = k.latest
    ? `<span class="value">${esc(formatValue(k.latest.value, k.unit))}</span><span class="period">${esc(k.latest.period)}${k.latest.source === 'data' ? ' · data file' : ''}</span>`
    : `<span class="value none">—</span><span class="period">no actual yet</span>`;

  const badges: string[] = [];
  if (k.indicator) badges.push(`<span class="badge">${icon(k.indicator)}${k.indicator === 'leading' ? 'Leading' : 'Lagging'}</span>`);
  if (k.stale) badges.push(`<span class="badge warn">${icon('clock')}Stale</span>`);
  if (k.frequency) {
    const freq = FREQUENCY_WORDS[k.frequency] ?? k.frequency;
    badges.push(`<span class="badge">${icon('calendar')}${esc(freq)}${k.checkpoint ? ` · ${esc(k.checkpoint)} checkpoint` : ''}</span>`);
  }
  if (k.thresholds) badges.push(`<span class="badge subtle">Amber ${esc(formatCondition(k.thresholds.amber, k.unit))}</span>`);

  const links: string[] = [];
  if (k.steps.length) links.push(`<div class="rel">${icon('process')}<span>At ${k.steps.map((s) => ctx.stepRef(s.process, s.step)).join(', ')}</span></div>`);
  if (k.depends.length) links.push(`<div class="rel">${icon('link')}<span>Needs ${k.depends.map((n) => ctx.kpiRef(n)).join(', ')}</span></div>`);
  if (k.dependents.length) links.push(`<div class="rel">${icon('link')}<span>Needed by ${k.dependents.map((n) => ctx.kpiRef(n)).join(', ')}</span></div>`);

  const spark = sparkline(k.actuals, k.target, k.thresholds, { width: 240, height: 40, ...(k.unit ? { unit: k.unit } : {}), status: k.status, stretch: true });
  return (
    `<article class="card kpi clickable filterable st-card-${esc(k.status)}"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"` +
    `${whereAttrs('kpi', k.name, k.where)}${f}>` +
    `<div class="card-head"><h5 class="card-title" id="${titleId}">${esc(k.title)}</h5>${statusChip(k.status, k.statusReason)}</div>` +
    (k.outcome ? `<p class="outcome">${esc(k.outcome)}</p>` : '') +
    `<div class="meta">${ctx.ownerLine(k.owner)}</div>` +
    `<div class="figures"><div class="latest">${latest}</div>${target}</div>` +
    `<div class="spark-wrap">${spark}${sparkLegend(k)}</div>` +
    `<p class="reason">${esc(k.statusReason)}</p>` +
    (badges.length ? `<div class="badges">${badges.join('')}</div>` : '') +
    (links.length ? `<div class="rels">${links.join('')}</div>` : '') +
    `</article>`
  );
}

/** Under the sparkline: the first period on the left, what the dashed line is on the right. */
function sparkLegend(k: KpiCard): string {
  const first = k.actuals.length > 1 ? k.actuals[0]!.period : '';
  const last = k.actuals.length > 1 ? k.actuals[k.actuals.length - 1]!.period : '';
  const target = k.target ? `<span class="legend-target">target ${esc(formatCondition(k.target, k.unit))}</span>` : '';
  if (!first && !target) return '';
  return `<div class="spark-legend" aria-hidden="true"><span>${esc(first)}</span>${target}<span>${esc(last)}</span></div>`;
}

function perspectiveBox(ctx: Context, p: Perspective | undefined, kpiNames: string[], scorecard: string, missing: string[] = []): string {
  const label = ctx.perspectiveLabel(p);
  const headId = ctx.ids.unique('p');
  const cards = kpiNames.map((n) => ctx.kpis.get(n)).filter((k): k is KpiCard => k !== undefined);
  const counts = countByStatus(cards);
  const summary = STATUS_ORDER.filter((s) => counts[s] > 0)
    .map((s) => `<span class="mini st-${s}" title="${esc(statusWord(s))}">${statusIcon(s)}${counts[s]}<span class="sr"> ${esc(statusWord(s))}</span></span>`)
    .join('');
  const body = cards.map((k) => kpiCard(ctx, k, p, scorecard)).join('');
  const missingNote = missing.length ? `<p class="note warn">${icon('warning')}Not a KPI here: ${missing.map(esc).join(', ')}</p>` : '';
  return (
    `<section class="persp group persp-${esc(p ?? UNPLACED)}" data-empty="note" aria-labelledby="${headId}">` +
    `<h4 class="persp-head" id="${headId}">${icon(p ?? UNPLACED)}<span class="persp-label">${esc(label)}</span><span class="count">${cards.length}</span><span class="persp-sum">${summary}</span></h4>` +
    (cards.length ? `<div class="cards">${body}</div>` : `<p class="empty-note">No KPI on this perspective.</p>`) +
    missingNote +
    `<p class="filtered-note">No KPI here matches the filters.</p>` +
    `</section>`
  );
}

function scorecardView(ctx: Context): string {
  const { model } = ctx;
  const out: string[] = [];
  for (const sc of model.scorecards) {
    const boxes = PERSPECTIVE_ORDER.map((p) => {
      const names = sc.perspectives[p] ?? [];
      return perspectiveBox(
        ctx,
        p,
        names.filter((n) => ctx.kpis.has(n)),
        sc.name,
        names.filter((n) => !ctx.kpis.has(n)),
      );
    });
    const id = ctx.ids.anchor('scorecard', sc.name);
    out.push(
      `<section class="scorecard group" data-empty="hide"${id ? ` id="${esc(id)}"` : ''}>` +
        `<h3 class="sc-head clickable" tabindex="0"${whereAttrs('scorecard', sc.name, sc.where)}>${esc(sc.title)}` +
        (sc.title !== sc.name ? `<span class="muted mono">${esc(sc.name)}</span>` : '') +
        `</h3><div class="bsc">${boxes.join('')}</div></section>`,
    );
  }
  const unplaced = model.kpis.filter((k) => k.placements.length === 0);
  if (unplaced.length) {
    const boxes: string[] = [];
    for (const p of PERSPECTIVE_ORDER) {
      const names = unplaced.filter((k) => k.perspective === p).map((k) => k.name);
      if (names.length) boxes.push(perspectiveBox(ctx, p, names, ''));
    }
    const none = unplaced.filter((k) => !k.perspective).map((k) => k.name);
    if (none.length) boxes.push(perspectiveBox(ctx, undefined, none, ''));
    const heading = model.scorecards.length ? 'Not on a scorecard' : 'KPIs';
    const note = model.scorecards.length ? '<p class="muted small">These KPIs are on no scorecard; they are shown under their declared perspective.</p>' : '';
    out.push(`<section class="scorecard group unlisted" data-empty="hide"><h3 class="sc-head">${heading}</h3>${note}<div class="bsc">${boxes.join('')}</div></section>`);
  }
  if (!out.length) out.push('<p class="empty">No KPI and no scorecard in this view yet. Declare a <code>kpi</code> and a <code>scorecard</code> to see them here.</p>');
  return out.join('');
}

// ---------------------------------------------------------------- joint reviews

function jointReviewsView(ctx: Context): string {
  const { model } = ctx;
  const intro =
    '<p class="lead">Amber and red KPIs that depend on — or are depended on by — a KPI owned in another function. ' +
    'Bring the two functional heads together for a joint review instead of asking for a slide deck.</p>';
  if (!model.jointReviews.length) return `${intro}<p class="empty">${statusIcon('green')} No joint review needed: no amber or red KPI crosses a function boundary.</p>`;
  const items = model.jointReviews.map((j) => {
    const k = ctx.kpis.get(j.kpi);
    const partner = ctx.kpis.get(j.partner);
    const [a, b] = j.owners;
    const relation = j.relation === 'depends-on' ? 'depends on' : 'is depended on by';
    const f = filterAttrs({
      perspective: [k?.perspective ?? UNPLACED],
      owner: [a.role, b.role],
      function: [a.function.name, b.function.name],
      status: [j.status, ...(k?.stale ? ['stale'] : [])],
      search: [j.kpi, j.partner, k?.title ?? '', partner?.title ?? '', a.role, b.role, ctx.roleTitle(a.role), ctx.roleTitle(b.role), a.function.title, b.function.title, statusWord(j.status)],
    });
    const where = k ? whereAttrs('kpi', j.kpi, k.where) : '';
    const person = (role: string, fn: Named, owns: string) =>
      `<div class="person">${icon('person')}<div><strong>${esc(ctx.roleTitle(role))}</strong><span class="fn">${esc(fn.title)}</span><span class="muted small">owns ${owns}</span></div></div>`;
    return (
      `<li class="card review filterable${k ? ' clickable' : ''}"${k ? ' tabindex="0"' : ''}${where}${f}>` +
      `<div class="review-head">${statusChip(j.status, k?.statusReason)}<span class="review-text">${ctx.kpiRef(j.kpi)} <span class="relword">${relation}</span> ${ctx.kpiRef(j.partner)}</span></div>` +
      `<div class="pair">${person(a.role, a.function, esc(k?.title ?? j.kpi))}` +
      `<div class="meet">${icon('handoff')}<span>Joint review</span></div>` +
      `${person(b.role, b.function, esc(partner?.title ?? j.partner))}</div>` +
      (k ? `<p class="reason">${esc(k.statusReason)}</p>` : '') +
      `</li>`
    );
  });
  return `${intro}<ul class="reviews">${items.join('')}</ul>`;
}

// ---------------------------------------------------------------- processes and SOPs

function stepCard(ctx: Context, p: ProcessCard, s: StepCard, index: number): string {
  const qualified = `${p.name}.${s.name}`;
  const id = ctx.ids.anchor('step', qualified);
  const titleId = ctx.ids.unique('t');
  const kpis = s.kpis.map((n) => ctx.kpis.get(n)).filter((k): k is KpiCard => k !== undefined);
  const f = filterAttrs({
    ...ownerFilter(s.owner),
    search: [p.name, p.title, s.name, s.title, qualified, ...ownerSearch(s.owner), s.sop ?? '', ctx.sops.get(s.sop ?? '')?.title ?? '', ...kpis.map((k) => k.title)],
  });
  const following = p.steps[index + 1]?.name;
  const jumps = s.next.filter((n) => n !== following);
  const stepTitle = (name: string) => p.steps.find((x) => x.name === name)?.title ?? name;
  const rows: string[] = [];
  rows.push(`<div class="row">${s.sop ? ctx.sopRef(s.sop) : `<span class="sref none">${icon('sop')}<em>No SOP</em></span>`}</div>`);
  if (s.kpis.length) rows.push(`<div class="row kpis">${s.kpis.map((n) => ctx.kpiRef(n)).join('')}</div>`);
  for (const h of s.handoffs) {
    rows.push(`<div class="row handoff-note">${icon('handoff')}<span>Hand-off to <strong>${esc(ctx.roleTitle(h.owner))}</strong> at <a href="#${esc(anchorId('step', `${p.name}.${h.to}`))}">${esc(stepTitle(h.to))}</a></span></div>`);
  }
  const jumpsWithoutHandoff = jumps.filter((n) => !s.handoffs.some((h) => h.to === n));
  if (jumpsWithoutHandoff.length) rows.push(`<div class="row muted">${icon('arrow')}<span>Next: ${jumpsWithoutHandoff.map((n) => esc(stepTitle(n))).join(', ')}</span></div>`);
  if (!s.next.length && index < p.steps.length - 1) rows.push(`<div class="row muted small">Ends here (no <code>next</code>)</div>`);
  return (
    `<article class="card step clickable filterable"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"${whereAttrs('step', qualified, s.where)}${f}>` +
    `<div class="step-head"><span class="step-no" aria-hidden="true">${index + 1}</span><h4 class="card-title" id="${titleId}"><span class="sr">Step ${index + 1}: </span>${esc(s.title)}</h4></div>` +
    `<div class="meta">${ctx.ownerLine(s.owner)}</div>` +
    rows.join('') +
    `</article>`
  );
}

function connector(s: StepCard, next: StepCard): string {
  const flows = s.next.includes(next.name);
  const handoff = flows && s.handoffs.some((h) => h.to === next.name);
  if (handoff) return `<li class="connector handoff" aria-label="Hand-off">${icon('handoff')}<span class="connector-word">Hand-off</span></li>`;
  if (flows) return `<li class="connector" aria-hidden="true">${icon('arrow')}</li>`;
  return `<li class="connector gap" aria-hidden="true"><span>⋯</span></li>`;
}

function processesView(ctx: Context): string {
  const { model } = ctx;
  const out: string[] = [];
  if (!model.processes.length) out.push('<p class="empty">No process in this view. Declare a <code>process</code> with its steps to see the flow.</p>');
  for (const p of model.processes) {
    const id = ctx.ids.anchor('process', p.name);
    const handoffs = p.steps.reduce((n, s) => n + s.handoffs.length, 0);
    const items: string[] = [];
    p.steps.forEach((s, i) => {
      items.push(`<li class="step-item">${stepCard(ctx, p, s, i)}</li>`);
      const next = p.steps[i + 1];
      if (next) items.push(connector(s, next));
    });
    out.push(
      `<section class="process group" data-empty="hide"${id ? ` id="${esc(id)}"` : ''}>` +
        `<div class="process-head clickable" tabindex="0"${whereAttrs('process', p.name, p.where)}>` +
        `<h3>${icon('process')}${esc(p.title)}</h3>` +
        `<div class="meta">${ctx.ownerLine(p.owner, 'Process owner: ')}<span class="muted">${plural(p.steps.length, 'step')} · ${plural(handoffs, 'hand-off')}</span></div></div>` +
        (p.steps.length ? `<ol class="flow">${items.join('')}</ol>` : '<p class="empty-note">No step yet.</p>') +
        `</section>`,
    );
  }
  out.push(`<h3 class="section-head">${icon('sop')}Standard operating procedures</h3>`);
  if (!model.sops.length) out.push('<p class="empty">No SOP in this view.</p>');
  else out.push(`<div class="sops">${model.sops.map((s) => sopCard(ctx, s)).join('')}</div>`);
  return out.join('');
}

function sopCard(ctx: Context, s: SopCard): string {
  const id = ctx.ids.anchor('sop', s.name);
  const titleId = ctx.ids.unique('t');
  const uses = ctx.sopUses.get(s.name) ?? [];
  const f = filterAttrs({
    ...ownerFilter(s.owner),
    status: s.overdue ? ['overdue'] : [],
    search: [s.name, s.title, s.objective ?? '', s.trigger ?? '', ...ownerSearch(s.owner), ...s.checklist, ...s.tools, ...s.roles],
  });
  const review = s.review
    ? `Review every ${esc(s.review.every)} ${esc(s.review.unit)}${s.reviewed ? ` · last ${esc(s.reviewed)}` : ' · never reviewed'}${s.reviewDue ? ` · due ${esc(s.reviewDue)}` : ''}`
    : `<span class="warn-text">No review cadence</span>${s.reviewed ? ` · last ${esc(s.reviewed)}` : ''}`;
  const parts: string[] = [];
  if (s.objective) parts.push(`<p class="outcome">${esc(s.objective)}</p>`);
  parts.push(`<div class="meta">${ctx.ownerLine(s.owner)}</div>`);
  if (s.trigger) parts.push(`<div class="row"><span class="label">Trigger</span> ${esc(s.trigger)}</div>`);
  if (s.checklist.length) parts.push(`<ol class="checklist">${s.checklist.map((c) => `<li>${esc(c)}</li>`).join('')}</ol>`);
  if (s.exceptions.length) parts.push(`<ul class="exceptions">${s.exceptions.map((e) => `<li><span>${esc(e.when)}</span> ${icon('arrow')} <span>${esc(e.then)}</span></li>`).join('')}</ul>`);
  if (s.roles.length) parts.push(`<div class="row"><span class="label">Roles</span> ${s.roles.map((r) => esc(ctx.roleTitle(r))).join(', ')}</div>`);
  if (s.tools.length) parts.push(`<div class="row"><span class="label">Tools</span> ${s.tools.map(esc).join(', ')}</div>`);
  if (uses.length) parts.push(`<div class="row"><span class="label">Used at</span> ${uses.map((u) => ctx.stepRef(u.process.name, u.step.name)).join(', ')}</div>`);
  parts.push(`<div class="row small muted">${icon('calendar')}${review}</div>`);
  const badge = s.overdue ? `<span class="chip st st-red">${statusIcon('red')}<span class="st-word">Review overdue</span></span>` : '';
  return (
    `<article class="card sop clickable filterable"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"${whereAttrs('sop', s.name, s.where)}${f}>` +
    `<div class="card-head"><h4 class="card-title" id="${titleId}">${esc(s.title)}</h4>${badge}</div>${parts.join('')}</article>`
  );
}

// ---------------------------------------------------------------- objectives

function objectiveCard(ctx: Context, o: ObjectiveCard): string {
  const id = ctx.ids.anchor('objective', o.name);
  const titleId = ctx.ids.unique('t');
  const f = filterAttrs({
    perspective: [o.perspective ?? UNPLACED],
    ...ownerFilter(o.owner),
    search: [o.name, o.title, ...ownerSearch(o.owner), ...o.keyResults, ...o.supportedBy, ...[...o.keyResults, ...o.supportedBy].map((n) => ctx.kpis.get(n)?.title ?? '')],
  });
  const supportOnly = o.supportedBy.filter((n) => !o.keyResults.includes(n));
  const list = (names: string[]) => `<ul class="kr">${names.map((n) => `<li>${ctx.kpiRef(n)}${krFigure(ctx, n)}</li>`).join('')}</ul>`;
  const measured = o.keyResults.length + supportOnly.length > 0;
  return (
    `<article class="card objective clickable filterable"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"${whereAttrs('objective', o.name, o.where)}${f}>` +
    `<div class="card-head"><h4 class="card-title" id="${titleId}">${icon('flag')}${esc(o.title)}</h4>${o.due ? `<span class="badge">${icon('calendar')}Due ${esc(o.due)}</span>` : ''}</div>` +
    `<div class="meta">${ctx.ownerLine(o.owner)}</div>` +
    (o.keyResults.length ? `<div class="label">Key results</div>${list(o.keyResults)}` : '') +
    (supportOnly.length ? `<div class="label">Supported by</div>${list(supportOnly)}` : '') +
    (measured ? '' : `<p class="note warn">${icon('warning')}Unmeasured: no key result and no KPI supports it.</p>`) +
    `</article>`
  );
}

function krFigure(ctx: Context, name: string): string {
  const k = ctx.kpis.get(name);
  if (!k) return '';
  const latest = k.latest ? formatValue(k.latest.value, k.unit) : '—';
  const target = k.target ? ` / ${formatCondition(k.target, k.unit)}` : '';
  return `<span class="kr-fig">${esc(latest)}${esc(target)}</span>`;
}

function objectivesView(ctx: Context): string {
  const { model } = ctx;
  const out: string[] = [];
  out.push('<p class="lead">The strategy map: objectives by perspective, each with the KPIs that measure it, and the hand-offs between KPIs.</p>');
  if (!model.objectives.length) out.push('<p class="empty">No objective in this view. Declare an <code>objective</code> with <code>key result</code> lines.</p>');
  else {
    const rows: string[] = [];
    for (const p of [...PERSPECTIVE_ORDER, undefined]) {
      const objs = model.objectives.filter((o) => o.perspective === p);
      if (!objs.length) continue;
      rows.push(
        `<section class="map-row group" data-empty="hide"><h3 class="map-label">${icon(p ?? UNPLACED)}${esc(ctx.perspectiveLabel(p))}</h3>` +
          `<div class="map-cards">${objs.map((o) => objectiveCard(ctx, o)).join('')}</div></section>`,
      );
    }
    out.push(`<div class="map">${rows.join('')}</div>`);
  }
  // Dependencies between KPIs.
  const links = model.kpis.flatMap((k) => k.depends.map((d) => ({ from: k, to: d })));
  out.push(`<h3 class="section-head">${icon('link')}KPI dependencies</h3>`);
  if (!links.length) out.push('<p class="empty">No KPI <code>depends</code> on another.</p>');
  else {
    const items = links.map(({ from, to }) => {
      const target = ctx.kpis.get(to);
      const fa = from.owner?.function;
      const fb = target?.owner?.function;
      const cross = fa && fb && fa.name !== fb.name;
      const f = filterAttrs({
        perspective: [from.perspective ?? UNPLACED, target?.perspective ?? UNPLACED],
        owner: [from.owner?.name ?? '', target?.owner?.name ?? ''].filter(Boolean),
        function: [fa?.name ?? NO_FUNCTION, fb?.name ?? NO_FUNCTION],
        status: [from.status, ...(target ? [target.status] : [])],
        search: [from.name, from.title, to, target?.title ?? '', ...ownerSearch(from.owner), ...ownerSearch(target?.owner)],
      });
      const who = (k: KpiCard | undefined) => (k?.owner ? `<span class="muted small">${esc(k.owner.title)}${k.owner.function ? ` · ${esc(k.owner.function.title)}` : ''}</span>` : '');
      return (
        `<li class="dep filterable${cross ? ' cross' : ''}"${f}>` +
        `<div class="dep-end">${ctx.kpiRef(from.name)}${who(from)}</div>` +
        `<div class="dep-arrow">${icon('arrow')}<span>needs</span></div>` +
        `<div class="dep-end">${ctx.kpiRef(to)}${who(target)}</div>` +
        (cross ? `<span class="badge warn">${icon('handoff')}Cross-function</span>` : '') +
        `</li>`
      );
    });
    out.push(`<ul class="deps">${items.join('')}</ul>`);
  }
  return out.join('');
}

// ---------------------------------------------------------------- owners

function ownersView(ctx: Context): string {
  const { model } = ctx;
  if (!model.owners.length) return '<p class="empty">No role or team in this view. Declare <code>role</code>s and give each KPI, step and SOP one owner.</p>';
  const groups = new Map<string, { fn?: Named; owners: typeof model.owners }>();
  for (const o of model.owners) {
    const key = o.function?.name ?? NO_FUNCTION;
    const g = groups.get(key) ?? { ...(o.function ? { fn: o.function } : {}), owners: [] };
    g.owners.push(o);
    groups.set(key, g);
  }
  const ordered = [...groups.values()].sort((a, b) => (a.fn ? 0 : 1) - (b.fn ? 0 : 1) || (a.fn?.title ?? '').localeCompare(b.fn?.title ?? ''));
  const out: string[] = [];
  for (const g of ordered) {
    const cards = g.owners.map((o) => {
      const id = ctx.ids.anchor('owner', o.name);
      const titleId = ctx.ids.unique('t');
      const f = filterAttrs({
        owner: [o.name],
        function: [o.function?.name ?? NO_FUNCTION],
        search: [o.name, o.title, o.function?.title ?? '', ...o.kpis.map((n) => ctx.kpis.get(n)?.title ?? n), ...o.steps, ...o.sops.map((n) => ctx.sops.get(n)?.title ?? n)],
      });
      const section = (label: string, items: string[]) => (items.length ? `<div class="label">${label}</div><ul class="owned">${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '');
      const owned = o.kpis.length + o.steps.length + o.sops.length + o.processes.length + o.objectives.length;
      const stepLinks = o.steps.map((qs) => {
        const dot = qs.indexOf('.');
        return dot > 0 ? ctx.stepRef(qs.slice(0, dot), qs.slice(dot + 1)) : esc(qs);
      });
      const objectiveTitle = (n: string) => model.objectives.find((x) => x.name === n)?.title ?? n;
      return (
        `<article class="card owner-card clickable filterable"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"${whereAttrs('owner', o.name, o.where)}${f}>` +
        `<div class="card-head"><h4 class="card-title" id="${titleId}">${icon(o.kind === 'team' ? 'team' : 'person')}${esc(o.title)}</h4>` +
        `<span class="badge">${o.kind === 'team' ? 'Team' : 'Role'}</span></div>` +
        (o.function ? `<div class="meta"><span class="fn">${esc(o.function.title)}</span></div>` : '') +
        section('KPIs', o.kpis.map((n) => ctx.kpiRef(n))) +
        section('Processes', o.processes.map((n) => `<a class="pref" href="#${esc(anchorId('process', n))}">${esc(ctx.processes.get(n)?.title ?? n)}</a>`)) +
        section('Steps', stepLinks) +
        section('SOPs', o.sops.map((n) => ctx.sopRef(n))) +
        section('Objectives', o.objectives.map((n) => `<a href="#${esc(anchorId('objective', n))}">${esc(objectiveTitle(n))}</a>`)) +
        (owned ? '' : '<p class="muted small">Owns nothing yet.</p>') +
        `</article>`
      );
    });
    out.push(
      `<section class="owner-group group" data-empty="hide"><h3 class="section-head">${esc(g.fn?.title ?? 'No function')}</h3><div class="owners">${cards.join('')}</div></section>`,
    );
  }
  return out.join('');
}

// ---------------------------------------------------------------- page

function option(value: string, label: string): string {
  return `<option value="${esc(value)}">${esc(label)}</option>`;
}

function toolbar(ctx: Context): string {
  const { model } = ctx;
  const owners = new Map<string, string>();
  for (const o of model.owners) owners.set(o.name, o.title);
  for (const k of model.kpis) if (k.owner && !owners.has(k.owner.name)) owners.set(k.owner.name, k.owner.title);
  const ownerOptions = [...owners].sort((a, b) => a[1].localeCompare(b[1])).map(([n, t]) => option(n, t));
  const fns = new Map<string, string>();
  for (const f of model.functions) fns.set(f.name, f.title);
  for (const o of model.owners) if (o.function && !fns.has(o.function.name)) fns.set(o.function.name, o.function.title);
  const fnOptions = [...fns].sort((a, b) => a[1].localeCompare(b[1])).map(([n, t]) => option(n, t));
  const select = (key: string, label: string, all: string, options: string[]) =>
    `<label class="filter"><span>${label}</span><select data-filter="${key}"><option value="">${all}</option>${options.join('')}</select></label>`;
  const perspectives = [...PERSPECTIVE_ORDER.map((p) => option(p, ctx.perspectiveLabel(p))), option(UNPLACED, 'Unplaced')];
  const statuses = [...STATUS_ORDER.map((s) => option(s, statusWord(s))), option('stale', 'Stale'), option('overdue', 'SOP review overdue')];
  const scorecards = model.scorecards.length > 1 ? select('scorecard', 'Scorecard', 'All', model.scorecards.map((s) => option(s.name, s.title))) : '';
  return (
    `<div class="toolbar" role="search" aria-label="Filter">` +
    `<label class="searchbox">${icon('search')}<input type="search" id="search" placeholder="Search KPIs, steps, SOPs, owners…" aria-label="Search" autocomplete="off" spellcheck="false"></label>` +
    select('perspective', 'Perspective', 'All', perspectives) +
    select('owner', 'Owner', 'All', ownerOptions) +
    select('function', 'Function', 'All', [...fnOptions, option(NO_FUNCTION, 'No function')]) +
    select('status', 'Status', 'All', statuses) +
    scorecards +
    `<button type="button" class="clear" id="clear-filters">Clear</button>` +
    `<span class="result-count" id="result-count" aria-live="polite"></span>` +
    `</div>`
  );
}

function header(ctx: Context, title: string): string {
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
    `<header class="top"><div class="title-row"><h1>${esc(title)}</h1>${scope}<span class="asof">as of <time datetime="${esc(model.today)}">${esc(model.today)}</time></span></div>` +
    `<ul class="summary" aria-label="Summary">${chips.join('')}</ul>${problems}`
  );
}

const VIEWS: { id: string; label: string }[] = [
  { id: 'scorecard', label: 'Scorecard' },
  { id: 'reviews', label: 'Joint reviews' },
  { id: 'processes', label: 'Processes' },
  { id: 'objectives', label: 'Objectives' },
  { id: 'owners', label: 'Owners' },
];

function csp(nonce: string, cspSource?: string): string {
  const src = cspSource ? ` ${cspSource}` : '';
  const parts = [`default-src 'none'`, `img-src data:${src}`, `style-src 'nonce-${nonce}'${src}`, `script-src 'nonce-${nonce}'`];
  if (cspSource) parts.push(`font-src${src}`);
  return parts.join('; ');
}

/** The scorecard as a complete HTML document (panel and export alike). */
export function renderHtml(model: ScorecardModel, options: RenderHtmlOptions): string {
  const ctx = new Context(model);
  const title = options.title ?? 'KPI Scorecard';
  const nonce = esc(options.nonce);
  const counts: Record<string, number> = {
    reviews: model.jointReviews.length,
    processes: model.processes.length,
    objectives: model.objectives.length,
    owners: model.owners.length,
    scorecard: model.kpis.length,
  };
  const bodies: Record<string, string> = {
    scorecard: scorecardView(ctx),
    reviews: jointReviewsView(ctx),
    processes: processesView(ctx),
    objectives: objectivesView(ctx),
    owners: ownersView(ctx),
  };
  const tabs = VIEWS.map(
    (v) =>
      `<a class="tab${v.id === 'reviews' && counts.reviews ? ' attention' : ''}" id="tab-${v.id}" href="#view-${v.id}" data-view="${v.id}">${esc(v.label)}` +
      `<span class="tab-count">${counts[v.id] ?? 0}</span></a>`,
  ).join('');
  const views = VIEWS.map(
    (v) => `<section class="view" id="view-${v.id}" data-view="${v.id}" aria-labelledby="h-${v.id}"><h2 class="view-title" id="h-${v.id}">${esc(v.label)}</h2>${bodies[v.id]}</section>`,
  ).join('');
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp(options.nonce, options.cspSource))}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark">` +
    `<title>${esc(title)} — ${esc(model.today)}</title>` +
    `<style nonce="${nonce}">${CSS}</style></head>` +
    `<body class="mode-${options.mode === 'panel' ? 'panel' : 'export'}" data-mode="${options.mode === 'panel' ? 'panel' : 'export'}">` +
    `<a class="skip" href="#views">Skip to content</a>` +
    header(ctx, title) +
    `<nav class="tabs" aria-label="Views">${tabs}</nav>${toolbar(ctx)}</header>` +
    `<main id="views">${views}</main>` +
    `<footer class="foot">Generated by KPI Scorecard for ${esc(model.today)} · model version ${esc(model.version)}</footer>` +
    `<script nonce="${nonce}">${SCRIPT}</script></body></html>\n`
  );
}

// ---------------------------------------------------------------- style

const CSS = String.raw`
:root {
  --bg: var(--vscode-editor-background, #ffffff);
  --fg: var(--vscode-foreground, #1f2328);
  --muted: var(--vscode-descriptionForeground, #59636e);
  --border: var(--vscode-panel-border, #d0d7de);
  --card-bg: var(--vscode-editorWidget-background, #f6f8fa);
  --card-border: var(--vscode-widget-border, var(--vscode-panel-border, #d0d7de));
  --hover: var(--vscode-list-hoverBackground, rgba(128, 128, 128, 0.12));
  --focus: var(--vscode-focusBorder, #0969da);
  --link: var(--vscode-textLink-foreground, #0969da);
  --badge-bg: var(--vscode-badge-background, #e7ebef);
  --badge-fg: var(--vscode-badge-foreground, #1f2328);
  --input-bg: var(--vscode-input-background, #ffffff);
  --input-fg: var(--vscode-input-foreground, #1f2328);
  --input-border: var(--vscode-input-border, var(--vscode-dropdown-border, #c7ced6));
  --button-bg: var(--vscode-button-secondaryBackground, #e7ebef);
  --button-fg: var(--vscode-button-secondaryForeground, #1f2328);
  --tab-active: var(--vscode-panelTitle-activeBorder, #0969da);
  --green: var(--vscode-charts-green, #1a7f37);
  --amber: var(--vscode-charts-yellow, #b58100);
  --red: var(--vscode-charts-red, #cf222e);
  --blue: var(--vscode-charts-blue, #0969da);
  --grey: var(--vscode-disabledForeground, #8c959f);
  --hc: var(--vscode-contrastBorder, transparent);
  --font: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, "Helvetica Neue", Arial, sans-serif);
  --mono: var(--vscode-editor-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
  --size: var(--vscode-font-size, 13px);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: var(--vscode-editor-background, #1e1e1e);
    --fg: var(--vscode-foreground, #cccccc);
    --muted: var(--vscode-descriptionForeground, #9d9d9d);
    --border: var(--vscode-panel-border, #3c3c3c);
    --card-bg: var(--vscode-editorWidget-background, #252526);
    --card-border: var(--vscode-widget-border, var(--vscode-panel-border, #3c3c3c));
    --hover: var(--vscode-list-hoverBackground, rgba(255, 255, 255, 0.06));
    --focus: var(--vscode-focusBorder, #007fd4);
    --link: var(--vscode-textLink-foreground, #3794ff);
    --badge-bg: var(--vscode-badge-background, #3a3d41);
    --badge-fg: var(--vscode-badge-foreground, #e0e0e0);
    --input-bg: var(--vscode-input-background, #313131);
    --input-fg: var(--vscode-input-foreground, #cccccc);
    --input-border: var(--vscode-input-border, var(--vscode-dropdown-border, #4a4a4a));
    --button-bg: var(--vscode-button-secondaryBackground, #3a3d41);
    --button-fg: var(--vscode-button-secondaryForeground, #e0e0e0);
    --tab-active: var(--vscode-panelTitle-activeBorder, #3794ff);
    --green: var(--vscode-charts-green, #89d185);
    --amber: var(--vscode-charts-yellow, #cca700);
    --red: var(--vscode-charts-red, #f14c4c);
    --blue: var(--vscode-charts-blue, #3794ff);
    --grey: var(--vscode-disabledForeground, #6e7681);
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; padding: 0 20px 24px; background: var(--bg); color: var(--fg); font-family: var(--font); font-size: var(--size); line-height: 1.45; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: var(--mono); font-size: 0.95em; }
h1, h2, h3, h4, h5 { margin: 0; font-weight: 600; }
p { margin: 0; }
ul, ol { margin: 0; padding: 0; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; z-index: 10; background: var(--bg); padding: 4px 8px; outline: 2px solid var(--focus); }
.muted { color: var(--muted); }
.small { font-size: 0.9em; }
.icon { width: 14px; height: 14px; flex: none; vertical-align: -2px; margin-right: 4px; }
.sicon { flex: none; vertical-align: -2px; }
.sicon .shape { fill: currentColor; }
.sicon .glyph { fill: none; stroke: #ffffff; stroke-width: 1.8; stroke-linecap: round; stroke-linejoin: round; }
.st-amber .sicon .glyph { stroke: #1f1f1f; }
.sicon .ring { fill: none; stroke: currentColor; stroke-width: 1.4; }
.sicon .dot { fill: currentColor; }
.sicon .dash { stroke: currentColor; stroke-width: 1.6; stroke-linecap: round; }
.st-green { --st: var(--green); }
.st-amber { --st: var(--amber); }
.st-red { --st: var(--red); }
.st-no-data, .st-unscored { --st: var(--grey); }
.st .sicon, .kref .sicon, .mini .sicon { color: var(--st); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }

/* header */
header.top { background: var(--bg); padding-top: 14px; border-bottom: 1px solid var(--border); margin: 0 -20px 16px; padding-left: 20px; padding-right: 20px; }
.title-row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; }
h1 { font-size: 1.45em; letter-spacing: -0.01em; }
.asof { color: var(--muted); }
.scope { color: var(--muted); border: 1px solid var(--border); border-radius: 4px; padding: 0 6px; }
.summary { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0 8px; align-items: center; }
.summary .count-total { margin-right: 4px; }
.summary .count-total strong { font-size: 1.15em; }
.chip { display: inline-flex; align-items: center; gap: 5px; max-width: 100%; padding: 1px 8px 1px 6px; border-radius: 999px; border: 1px solid var(--st, var(--border)); background: color-mix(in srgb, var(--st, transparent) 13%, transparent); white-space: nowrap; font-size: 0.92em; line-height: 1.55; outline: 1px solid var(--hc); }
.chip.zero { opacity: 0.7; }
.chip.plain { --st: var(--border); background: transparent; }
.chip.plain.warn { --st: var(--amber); }
.chip .st-word { font-weight: 600; }
.problems { display: flex; align-items: center; gap: 4px; margin: 0 0 8px; padding: 4px 8px; border: 1px solid var(--amber); border-left-width: 4px; border-radius: 4px; }

/* tabs and toolbar */
.tabs { display: flex; flex-wrap: wrap; gap: 2px; margin-top: 4px; }
.tab { display: inline-flex; align-items: center; gap: 6px; padding: 6px 10px 7px; color: var(--muted); border-bottom: 2px solid transparent; text-decoration: none; cursor: pointer; }
.tab:hover { color: var(--fg); text-decoration: none; background: var(--hover); }
.tab[aria-selected="true"] { color: var(--fg); border-bottom-color: var(--tab-active); font-weight: 600; }
.tab-count { font-size: 0.85em; font-weight: 600; min-width: 18px; text-align: center; padding: 0 5px; border-radius: 9px; background: var(--badge-bg); color: var(--badge-fg); }
.tab.attention .tab-count { background: var(--amber); color: #1f1f1f; }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; padding: 8px 0 10px; }
html:not(.js) .toolbar { display: none; }
.searchbox { display: inline-flex; align-items: center; flex: 1 1 220px; max-width: 340px; background: var(--input-bg); color: var(--input-fg); border: 1px solid var(--input-border); border-radius: 4px; padding: 0 6px; }
.searchbox:focus-within { outline: 1px solid var(--focus); border-color: var(--focus); }
.searchbox input { flex: 1; min-width: 0; border: 0; background: transparent; color: inherit; font: inherit; padding: 4px 2px; outline: none; }
.filter { display: inline-flex; align-items: center; gap: 5px; color: var(--muted); }
select, button { font: inherit; color: var(--input-fg); background: var(--input-bg); border: 1px solid var(--input-border); border-radius: 4px; padding: 3px 6px; max-width: 190px; }
button { background: var(--button-bg); color: var(--button-fg); cursor: pointer; padding: 3px 10px; }
select:focus, button:focus { outline: 1px solid var(--focus); border-color: var(--focus); }
.result-count { color: var(--muted); font-size: 0.92em; }
.filter.active select { border-color: var(--focus); }

/* views */
.view { margin-bottom: 28px; }
.js .view[hidden] { display: none; }
.view-title { font-size: 1.2em; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--border); }
.js .view-title { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.lead { color: var(--muted); margin: 0 0 12px; max-width: 80ch; }
.empty { color: var(--muted); padding: 14px; border: 1px dashed var(--border); border-radius: 6px; display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.section-head { font-size: 1.08em; margin: 22px 0 10px; display: flex; align-items: center; }
.label { color: var(--muted); font-size: 0.82em; text-transform: uppercase; letter-spacing: 0.04em; margin: 8px 0 3px; font-weight: 600; }
.note { margin-top: 6px; display: flex; align-items: center; gap: 2px; }
.warn-text, .note.warn { color: var(--fg); }
.note.warn .icon { color: var(--amber); }

/* scorecard grid */
.scorecard { margin-bottom: 22px; }
.sc-head { font-size: 1.1em; margin: 4px 0 10px; display: flex; align-items: baseline; gap: 10px; }
.sc-head .muted { font-weight: 400; font-size: 0.85em; }
.unlisted > .muted { margin: -6px 0 10px; }
.bsc { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 440px), 1fr)); gap: 12px; }
.persp { border: 1px solid var(--border); border-top: 3px solid var(--persp, var(--border)); border-radius: 6px; padding: 10px; min-width: 0; }
.persp-financial { --persp: var(--vscode-charts-blue, #0969da); }
.persp-customer { --persp: var(--vscode-charts-purple, #8250df); }
.persp-internal { --persp: var(--vscode-charts-orange, #bc4c00); }
.persp-learning { --persp: var(--vscode-charts-green, #1a7f37); }
.persp-head { display: flex; align-items: center; gap: 6px; font-size: 1em; margin-bottom: 8px; }
.persp-head .icon { color: var(--persp, var(--muted)); width: 16px; height: 16px; }
.persp-head .count { font-size: 0.82em; font-weight: 600; padding: 0 6px; border-radius: 9px; background: var(--badge-bg); color: var(--badge-fg); }
.persp-sum { margin-left: auto; display: inline-flex; gap: 8px; font-weight: 400; font-size: 0.9em; }
.mini { display: inline-flex; align-items: center; gap: 3px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 250px), 1fr)); gap: 10px; }
.empty-note, .filtered-note { color: var(--muted); font-style: italic; padding: 6px 2px; }
.filtered-note { display: none; }
.group.group-empty .filtered-note { display: block; }
.group.group-empty[data-empty="hide"] { display: none; }

/* cards */
.card { background: var(--card-bg); border: 1px solid var(--card-border); border-radius: 6px; padding: 10px 12px; min-width: 0; position: relative; overflow-wrap: anywhere; }
.clickable { cursor: pointer; }
.card.clickable:hover { border-color: var(--focus); }
.card.selected, .clickable.selected { outline: 2px solid var(--focus); outline-offset: 1px; box-shadow: 0 0 0 4px color-mix(in srgb, var(--focus) 25%, transparent); }
.filterable.filtered-out { display: none !important; }
.card.kpi { border-left: 4px solid var(--st); display: flex; flex-direction: column; gap: 6px; }
.st-card-green { --st: var(--green); }
.st-card-amber { --st: var(--amber); }
.st-card-red { --st: var(--red); }
.st-card-no-data, .st-card-unscored { --st: var(--grey); }
.card-head { display: flex; align-items: flex-start; justify-content: space-between; gap: 8px; }
.card-title { font-size: 1em; line-height: 1.3; display: flex; align-items: flex-start; }
.card-title .icon { margin-top: 2px; }
.outcome { color: var(--muted); font-size: 0.92em; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; color: var(--fg); }
.owner { display: inline-flex; align-items: center; gap: 2px; }
.owner .icon { color: var(--muted); }
.owner.none { color: var(--muted); }
.fn { color: var(--muted); }
.figures { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 2px 12px; }
.latest { display: flex; align-items: baseline; gap: 6px; }
.latest .value { font-size: 1.5em; font-weight: 650; letter-spacing: -0.01em; font-variant-numeric: tabular-nums; }
.latest .period { color: var(--muted); font-size: 0.9em; }
.target { color: var(--muted); display: inline-flex; align-items: center; gap: 2px; }
.target strong { color: var(--fg); margin-left: 3px; }
.spark-wrap { color: var(--muted); line-height: 0; }
.spark { display: block; width: 100%; height: 40px; overflow: visible; }
.spark .spark-line { stroke: var(--fg); stroke-opacity: 0.55; }
.spark circle.spark-point { fill: var(--muted); }
.spark path.spark-point { stroke: var(--muted); }
.spark .spark-target { stroke: var(--blue); stroke-opacity: 0.9; }
.spark .spark-amber { stroke: var(--amber); }
.spark circle.spark-halo { fill: var(--card-bg); }
.spark path.spark-halo { stroke: var(--card-bg); }
.spark .status-green { fill: var(--green); stroke: var(--green); }
.spark .status-amber { fill: var(--amber); stroke: var(--amber); }
.spark .status-red { fill: var(--red); stroke: var(--red); }
.spark .status-no-data, .spark .status-unscored { fill: var(--grey); stroke: var(--grey); }
.spark circle[class*="status-"] { stroke: none; }
.spark-legend { display: flex; justify-content: space-between; gap: 6px; color: var(--muted); font-size: 0.78em; line-height: 1.2; margin-top: 3px; }
.legend-target::before { content: ""; display: inline-block; width: 14px; margin-right: 4px; vertical-align: middle; border-top: 1.5px dashed var(--blue); }
.reason { color: var(--muted); font-size: 0.86em; }
.badges { display: flex; flex-wrap: wrap; gap: 4px; }
.badge, .mini-badge { display: inline-flex; align-items: center; gap: 1px; max-width: 100%; padding: 0 7px 0 5px; border-radius: 4px; font-size: 0.85em; background: var(--badge-bg); color: var(--badge-fg); border: 1px solid var(--hc); }
.badge .icon, .mini-badge .icon { width: 12px; height: 12px; margin-right: 3px; }
.badge.warn, .mini-badge.warn { background: transparent; color: var(--fg); border: 1px solid var(--amber); }
.badge.warn .icon, .mini-badge.warn .icon { color: var(--amber); }
.mini-badge { margin-left: 6px; font-size: 0.78em; }
.badge.subtle { background: transparent; border: 1px solid var(--border); color: var(--muted); }
.rels { display: flex; flex-direction: column; gap: 3px; border-top: 1px solid var(--border); padding-top: 6px; font-size: 0.92em; }
.rel .icon { color: var(--muted); }
.kref, .sref, .pref { display: inline; }
.kref .sicon, .sref .icon { margin-right: 4px; }
.missing { color: var(--muted); text-decoration: line-through dotted; }

/* joint reviews */
.reviews { list-style: none; display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 460px), 1fr)); gap: 10px; }
.review { border-left: 4px solid var(--amber); display: flex; flex-direction: column; gap: 8px; }
.review:has(.st-red) { border-left-color: var(--red); }
.review-head { display: flex; align-items: flex-start; gap: 8px; flex-wrap: wrap; }
.relword { color: var(--muted); margin-right: 8px; }
.pair { display: grid; grid-template-columns: 1fr auto 1fr; gap: 8px; align-items: center; }
.person { display: flex; align-items: flex-start; gap: 4px; border: 1px solid var(--border); border-radius: 6px; padding: 6px 8px; background: var(--bg); }
.person > div { display: flex; flex-direction: column; }
.person .icon { margin-top: 2px; }
.meet { display: flex; flex-direction: column; align-items: center; font-size: 0.8em; color: var(--muted); text-align: center; }
.meet .icon { color: var(--amber); width: 18px; height: 18px; margin: 0; }

/* processes */
.process { border: 1px solid var(--border); border-radius: 6px; padding: 10px 12px 12px; margin-bottom: 14px; }
.process-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; margin-bottom: 10px; padding: 2px 4px; border-radius: 4px; }
.process-head:hover { background: var(--hover); }
.process-head h3 { font-size: 1.08em; display: flex; align-items: center; }
.flow { list-style: none; display: flex; flex-wrap: wrap; align-items: stretch; gap: 8px 0; }
.step-item { display: flex; width: 240px; max-width: 100%; }
.step-item > .card { width: 100%; display: flex; flex-direction: column; gap: 5px; }
.step-head { display: flex; align-items: flex-start; gap: 8px; }
.step-no { flex: none; display: inline-flex; align-items: center; justify-content: center; width: 20px; height: 20px; border-radius: 50%; background: var(--badge-bg); color: var(--badge-fg); font-size: 0.8em; font-weight: 700; border: 1px solid var(--hc); }
.step .row { font-size: 0.92em; }
.step .kpis .kref { display: block; margin: 1px 0; }
.handoff-note { color: var(--fg); }
.handoff-note .icon { color: var(--amber); }
.connector { display: flex; flex-direction: column; align-items: center; justify-content: center; width: 64px; color: var(--muted); font-size: 0.75em; }
.connector .icon { width: 18px; height: 18px; margin: 0; }
.connector.handoff { color: var(--fg); font-weight: 600; }
.connector.handoff .icon { color: var(--amber); }
.connector-word { text-align: center; line-height: 1.1; }
.sops { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 320px), 1fr)); gap: 10px; }
.card.sop { display: flex; flex-direction: column; gap: 5px; }
.sop .row { font-size: 0.92em; }
.sop .row .label { display: inline; margin: 0 4px 0 0; }
.checklist { padding-left: 22px; font-size: 0.92em; }
.checklist li { padding: 1px 0; }
.exceptions { list-style: none; font-size: 0.92em; }
.exceptions li { display: flex; align-items: flex-start; flex-wrap: wrap; gap: 2px 4px; }
.exceptions .icon { margin-top: 3px; color: var(--muted); }

/* objectives and dependencies */
.map { display: flex; flex-direction: column; gap: 10px; }
.map-row { display: grid; grid-template-columns: 170px 1fr; gap: 10px; align-items: start; border-top: 1px solid var(--border); padding-top: 10px; }
.map-label { font-size: 0.98em; display: flex; align-items: center; }
.map-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr)); gap: 10px; }
.kr { list-style: none; display: flex; flex-direction: column; gap: 2px; }
.kr li { display: flex; justify-content: space-between; gap: 8px; }
.kr-fig { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.deps { list-style: none; display: flex; flex-direction: column; gap: 6px; }
.dep { display: grid; grid-template-columns: minmax(0, 1fr) auto minmax(0, 1fr) auto; gap: 10px; align-items: center; padding: 6px 10px; border: 1px solid var(--border); border-radius: 6px; }
.dep.cross { border-left: 4px solid var(--amber); }
.dep-end { display: flex; flex-direction: column; }
.dep-arrow { display: flex; flex-direction: column; align-items: center; font-size: 0.8em; color: var(--muted); }
.dep-arrow .icon { margin: 0; }

/* owners */
.owners { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr)); gap: 10px; }
.owned { list-style: none; display: flex; flex-direction: column; gap: 2px; font-size: 0.95em; }
.owner-group .section-head { margin-top: 8px; }

.foot { color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--border); padding-top: 8px; margin-top: 10px; }

@media (max-width: 600px) {
  body { padding: 0 10px 16px; }
  header.top { margin: 0 -10px 12px; padding-left: 10px; padding-right: 10px; }
  .map-row { grid-template-columns: 1fr; }
  .pair { grid-template-columns: 1fr; }
  .dep { grid-template-columns: 1fr; }
  .dep-arrow { flex-direction: row; gap: 4px; }
  .step-item { width: 100%; }
  .connector { width: 100%; flex-direction: row; gap: 4px; padding: 2px 0; }
  .connector .icon { transform: rotate(90deg); }
  .searchbox { max-width: none; flex-basis: 100%; }
}
@media (forced-colors: active) {
  .chip, .badge, .card, .persp, .person, .tab[aria-selected="true"] { border: 1px solid CanvasText; }
  .sicon .shape, .sicon .dot { fill: CanvasText; }
  .sicon .glyph { stroke: Canvas; }
}
body.vscode-high-contrast .card, body.vscode-high-contrast .chip, body.vscode-high-contrast .persp { border-color: var(--vscode-contrastBorder, currentColor); }
@media print {
  .toolbar, .tabs, .skip { display: none !important; }
  .js .view[hidden] { display: block; }
  .js .view-title { position: static; width: auto; height: auto; clip: auto; }
}
`;

// ---------------------------------------------------------------- script

// Plain ES2017, interpolates nothing. Progressive enhancement: without it all
// views show one after the other and the tab links jump to them.
const SCRIPT = String.raw`
(function () {
  'use strict';
  var doc = document;
  var root = doc.documentElement;
  var body = doc.body;
  var panel = body.getAttribute('data-mode') === 'panel';
  var vscode = null;
  if (panel && typeof acquireVsCodeApi === 'function') {
    try { vscode = acquireVsCodeApi(); } catch (e) { vscode = null; }
  }
  root.classList.add('js');

  var FILTERS = ['perspective', 'owner', 'function', 'status', 'scorecard'];
  var tabs = Array.prototype.slice.call(doc.querySelectorAll('.tabs .tab'));
  var views = Array.prototype.slice.call(doc.querySelectorAll('main > .view'));
  var selects = Array.prototype.slice.call(doc.querySelectorAll('select[data-filter]'));
  var search = doc.getElementById('search');
  var countEl = doc.getElementById('result-count');
  var filterables = Array.prototype.slice.call(doc.querySelectorAll('.filterable'));
  var groups = Array.prototype.slice.call(doc.querySelectorAll('.group'));
  var parsed = typeof WeakMap === 'function' ? new WeakMap() : null;

  function defaults() { return { view: 'scorecard', filters: {}, search: '' }; }
  var state = defaults();
  if (vscode) {
    try {
      var saved = vscode.getState();
      if (saved && typeof saved === 'object') {
        if (typeof saved.view === 'string') state.view = saved.view;
        if (saved.filters && typeof saved.filters === 'object') state.filters = saved.filters;
        if (typeof saved.search === 'string') state.search = saved.search;
      }
    } catch (e) { /* keep defaults */ }
  } else if (location.hash && location.hash.indexOf('#view-') === 0) {
    state.view = location.hash.slice(6);
    setTimeout(function () { window.scrollTo(0, 0); }, 0);
  }
  function save() { if (vscode) { try { vscode.setState(state); } catch (e) { /* ignore */ } } }

  // ---- tabs (WAI-ARIA tabs, automatic activation)
  var tablist = doc.querySelector('.tabs');
  if (tablist) tablist.setAttribute('role', 'tablist');
  tabs.forEach(function (tab) {
    var id = tab.getAttribute('data-view');
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', 'view-' + id);
    var view = doc.getElementById('view-' + id);
    if (view) { view.setAttribute('role', 'tabpanel'); view.setAttribute('aria-labelledby', 'tab-' + id); }
  });
  function viewExists(id) { return views.some(function (v) { return v.getAttribute('data-view') === id; }); }
  function showView(id, focusTab) {
    if (!viewExists(id)) id = 'scorecard';
    state.view = id;
    tabs.forEach(function (tab) {
      var on = tab.getAttribute('data-view') === id;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.setAttribute('tabindex', on ? '0' : '-1');
      if (on && focusTab) tab.focus();
    });
    views.forEach(function (v) {
      if (v.getAttribute('data-view') === id) v.removeAttribute('hidden'); else v.setAttribute('hidden', '');
    });
    save();
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener('click', function (e) { e.preventDefault(); showView(tab.getAttribute('data-view'), true); });
    tab.addEventListener('keydown', function (e) {
      var next = null;
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = tabs[(i + 1) % tabs.length];
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (e.key === 'Home') next = tabs[0];
      else if (e.key === 'End') next = tabs[tabs.length - 1];
      else if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); showView(tab.getAttribute('data-view'), true); return; }
      if (next) { e.preventDefault(); showView(next.getAttribute('data-view'), true); }
    });
  });

  // ---- filters and search
  function values(el, key) {
    var cache = parsed && parsed.get(el);
    if (!cache) { cache = {}; if (parsed) parsed.set(el, cache); }
    if (!(key in cache)) {
      var raw = el.getAttribute('data-f-' + key);
      var list = null;
      if (raw !== null) { try { list = JSON.parse(raw); } catch (e) { list = []; } }
      cache[key] = list;
    }
    return cache[key];
  }
  function apply() {
    var active = false;
    var query = (state.search || '').trim().toLowerCase();
    var terms = query ? query.split(/\s+/) : [];
    FILTERS.forEach(function (k) { if (state.filters[k]) active = true; });
    if (terms.length) active = true;
    var shown = 0, total = 0;
    filterables.forEach(function (el) {
      var ok = true;
      for (var i = 0; i < FILTERS.length && ok; i++) {
        var want = state.filters[FILTERS[i]];
        if (!want) continue;
        var have = values(el, FILTERS[i]);
        if (have !== null && have.indexOf(want) < 0) ok = false;
      }
      if (ok && terms.length) {
        var text = el.getAttribute('data-search');
        if (text !== null) for (var j = 0; j < terms.length; j++) if (text.indexOf(terms[j]) < 0) { ok = false; break; }
      }
      el.classList.toggle('filtered-out', !ok);
      if (el.classList.contains('kpi')) { total++; if (ok) shown++; }
    });
    groups.forEach(function (g) {
      var items = g.querySelectorAll('.filterable');
      var visible = 0;
      for (var i = 0; i < items.length; i++) if (!items[i].classList.contains('filtered-out')) visible++;
      g.classList.toggle('group-empty', active && items.length > 0 && visible === 0);
    });
    selects.forEach(function (s) { s.parentNode.classList.toggle('active', !!s.value); });
    if (countEl) countEl.textContent = active ? ('Showing ' + shown + ' of ' + total + ' KPI cards') : '';
    save();
  }
  selects.forEach(function (s) {
    var key = s.getAttribute('data-filter');
    var want = state.filters[key] || '';
    s.value = want;
    if (s.value !== want) { s.value = ''; delete state.filters[key]; }
    s.addEventListener('change', function () {
      if (s.value) state.filters[key] = s.value; else delete state.filters[key];
      apply();
    });
  });
  if (search) {
    search.value = state.search || '';
    search.addEventListener('input', function () { state.search = search.value; apply(); });
    search.addEventListener('keydown', function (e) { if (e.key === 'Escape' && search.value) { e.preventDefault(); search.value = ''; state.search = ''; apply(); } });
  }
  var clear = doc.getElementById('clear-filters');
  function clearAll() {
    state.filters = {}; state.search = '';
    selects.forEach(function (s) { s.value = ''; });
    if (search) search.value = '';
    apply();
  }
  if (clear) clear.addEventListener('click', clearAll);

  // ---- selection and click-through
  var selected = [];
  function highlight(el) {
    selected.forEach(function (s) { s.classList.remove('selected'); });
    selected = [el];
    el.classList.add('selected');
    var view = el.closest('.view');
    if (view && view.getAttribute('data-view') !== state.view) showView(view.getAttribute('data-view'), false);
    if (el.closest('.filtered-out')) clearAll();
    if (el.scrollIntoView) el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    if (el.getAttribute('tabindex') !== null) { try { el.focus({ preventScroll: true }); } catch (e) { el.focus(); } }
  }
  function byName(name) {
    var all = Array.prototype.slice.call(doc.querySelectorAll('.clickable[data-name]'))
      .filter(function (el) { return el.getAttribute('data-name') === name; });
    if (!all.length) return null;
    var rank = function (el) { return el.getAttribute('data-kind') === 'kpi' && el.classList.contains('review') ? 1 : 0; };
    var inView = all.filter(function (el) { var v = el.closest('.view'); return v && v.getAttribute('data-view') === state.view && !rank(el); });
    return inView[0] || all.filter(function (el) { return !rank(el); })[0] || all[0];
  }
  function reveal(el) {
    if (!vscode) return;
    var line = parseInt(el.getAttribute('data-line'), 10);
    var character = parseInt(el.getAttribute('data-character'), 10);
    vscode.postMessage({ type: 'reveal', file: el.getAttribute('data-file'), line: isNaN(line) ? 0 : line, character: isNaN(character) ? 0 : character, kind: el.getAttribute('data-kind'), name: el.getAttribute('data-name') });
  }
  function follow(link) {
    var href = link.getAttribute('href') || '';
    if (href.charAt(0) !== '#') return false;
    var target = doc.getElementById(decodeURIComponent(href.slice(1)));
    if (!target) return false;
    if (target.classList.contains('view')) { showView(target.getAttribute('data-view'), false); return true; }
    highlight(target);
    return true;
  }
  doc.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    if (t.closest('.tabs')) return;
    var link = t.closest('a[href]');
    if (link) { if (follow(link)) e.preventDefault(); return; }
    var item = t.closest('.clickable');
    if (!item) return;
    selected.forEach(function (s) { s.classList.remove('selected'); });
    selected = [item];
    item.classList.add('selected');
    reveal(item);
  });
  doc.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    var t = e.target;
    if (!t || !t.classList || !t.classList.contains('clickable')) return;
    e.preventDefault();
    selected.forEach(function (s) { s.classList.remove('selected'); });
    selected = [t];
    t.classList.add('selected');
    reveal(t);
  });
  if (panel) {
    window.addEventListener('message', function (e) {
      var m = e.data;
      if (!m || typeof m !== 'object') return;
      if (m.type === 'select' && typeof m.name === 'string') {
        var el = byName(m.name);
        if (el) highlight(el);
      }
    });
  }

  showView(state.view, false);
  apply();
})();
`;
