// The Objectives view: the strategy map (objectives by perspective with the
// KPIs that measure them) and the dependencies between KPIs.
import type { KpiCard, ObjectiveCard } from '../../model';
import { dueProjectionSentence } from '../../trend';
import { escapeHtml as esc, formatCondition, formatValue } from '../text';
import { Context, filterAttrs, NO_FUNCTION, ownerSearch, PERSPECTIVE_ORDER, UNPLACED, whereAttrs } from './context';
import { objectiveFilterAttrs } from './filters';
import { icon, statusChip, statusIcon } from './icons';

function objectiveCard(ctx: Context, o: ObjectiveCard): string {
  const { anchor: id, titleId } = ctx.ids.card('objective', o.name);
  const f = objectiveFilterAttrs(ctx, o);
  const supportOnly = o.supportedBy.filter((n) => !o.keyResults.includes(n));
  const list = (names: string[]) => `<ul class="kr">${names.map((n) => `<li>${ctx.kpiRef(n)}${krFigure(ctx, n)}${dueLine(ctx, o, n)}</li>`).join('')}</ul>`;
  const measured = o.keyResults.length + supportOnly.length > 0;
  return (
    `<article class="card objective clickable filterable"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"${whereAttrs('objective', o.name, o.where)}${f}>` +
    `<div class="card-head"><h4 class="card-title" id="${titleId}">${icon('flag')}${esc(o.title)}</h4>${statusChip(o.status, OBJECTIVE_STATUS_REASON)}</div>` +
    (o.due ? `<div class="badges"><span class="badge">${icon('calendar')}Due ${esc(o.due)}</span></div>` : '') +
    `<div class="meta">${ctx.ownerLine(o.owner)}</div>` +
    (o.keyResults.length ? `<div class="label">Key results</div>${list(o.keyResults)}` : '') +
    (supportOnly.length ? `<div class="label">Supported by</div>${list(supportOnly)}` : '') +
    (measured ? '' : `<p class="note warn">${icon('warning')}Unmeasured: no key result and no KPI supports it.</p>`) +
    `</article>`
  );
}

const OBJECTIVE_STATUS_REASON = 'The worst status among its key results, or among the KPIs that support it when it has none';

/** A key result's trend read at the objective's due day, when the day is within three periods of its frequency. */
function dueLine(ctx: Context, o: ObjectiveCard, name: string): string {
  const projection = o.dueProjections.find((p) => p.kpi === name);
  if (!projection) return '';
  const kpi = ctx.kpi(name);
  return (
    `<span class="kr-due st-${esc(projection.status)}">` +
    `${statusIcon(projection.status)}<span>${esc(dueProjectionSentence(projection, kpi?.unit, kpi?.trend?.method))}</span></span>`
  );
}

function krFigure(ctx: Context, name: string): string {
  const k = ctx.kpi(name);
  if (!k) return '';
  const latest = k.latest ? formatValue(k.latest.value, k.unit) : '—';
  const target = k.target ? ` / ${formatCondition(k.target, k.unit)}` : '';
  return `<span class="kr-fig">${esc(latest)}${esc(target)}</span>`;
}

/** The Objectives view's HTML after the strategy map, as pieces to join: one an objective card, one a KPI's dependencies, memoized (page/memo.ts). */
export function objectivesView(ctx: Context): string[] {
  const { model } = ctx;
  const out: string[] = [];
  out.push('<p class="lead">The strategy map: objectives by perspective, each with the KPIs that measure it, and the hand-offs between KPIs.</p>');
  if (!model.objectives.length) out.push('<p class="empty">No objective in this view. Declare an <code>objective</code> with <code>key result</code> lines.</p>');
  else {
    out.push('<div class="map">');
    for (const p of [...PERSPECTIVE_ORDER, undefined]) {
      const objs = model.objectives.filter((o) => o.perspective === p);
      if (!objs.length) continue;
      out.push(`<section class="map-row group" data-empty="hide"><h3 class="map-label">${icon(p ?? UNPLACED)}${esc(ctx.perspectiveLabel(p))}</h3><div class="map-cards">`);
      for (const o of objs) out.push(ctx.part(o, 'objective', () => objectiveCard(ctx, o)));
      out.push('</div></section>');
    }
    out.push('</div>');
  }
  // Dependencies between KPIs.
  out.push(`<h3 class="section-head">${icon('link')}KPI dependencies</h3>`);
  const from = model.kpis.filter((k) => k.depends.length);
  if (!from.length) out.push('<p class="empty">No KPI <code>depends</code> on another.</p>');
  else {
    out.push('<ul class="deps">');
    for (const k of from) out.push(ctx.part(k, 'depends', () => k.depends.map((to) => dependency(ctx, k, to)).join('')));
    out.push('</ul>');
  }
  return out;
}

/** One `depends` of KPI `from`: both ends, their owners, and whether it crosses a function boundary. */
function dependency(ctx: Context, from: KpiCard, to: string): string {
  const target = ctx.kpi(to);
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
}
