// The Owners view: per function, each role and team with what it owns.
import type { Named, OwnerCard } from '../../model';
import { compareTitles, escapeHtml as esc } from '../text';
import { anchorId, Context, filterAttrs, NO_FUNCTION, whereAttrs } from './context';
import { icon } from './icons';

/** The Owners view's HTML, as pieces to join: one an owner's card, memoized (page/memo.ts). */
export function ownersView(ctx: Context): string[] {
  const { model } = ctx;
  if (!model.owners.length) return ['<p class="empty">No role or team in this view. Declare <code>role</code>s and give each KPI, step and SOP one owner.</p>'];
  const out: string[] = [];
  for (const g of ctx.derived('owner groups', model.owners, () => ownerGroups(model.owners))) {
    out.push(g.head);
    for (const o of g.owners) out.push(ctx.part(o, 'owner', () => ownerCard(ctx, o)));
    out.push('</div></section>');
  }
  return out;
}

/** The owners by function, functions by title (the ones without last), each group with its heading. */
function ownerGroups(owners: readonly OwnerCard[]): { head: string; owners: OwnerCard[] }[] {
  const groups = new Map<string, { fn?: Named; owners: OwnerCard[] }>();
  for (const o of owners) {
    const key = o.function?.name ?? NO_FUNCTION;
    const g = groups.get(key) ?? { ...(o.function ? { fn: o.function } : {}), owners: [] };
    g.owners.push(o);
    groups.set(key, g);
  }
  const ordered = [...groups.values()].sort((a, b) => (a.fn ? 0 : 1) - (b.fn ? 0 : 1) || compareTitles(a.fn?.title ?? '', b.fn?.title ?? ''));
  return ordered.map((g) => ({ head: `<section class="owner-group group" data-empty="hide"><h3 class="section-head">${esc(g.fn?.title ?? 'No function')}</h3><div class="owners">`, owners: g.owners }));
}

/** A role's or team's card with what it owns; memoized per owner (page/memo.ts). */
function ownerCard(ctx: Context, o: OwnerCard): string {
  const { anchor: id, titleId } = ctx.ids.card('owner', o.name);
  const f = filterAttrs({
    owner: [o.name],
    function: [o.function?.name ?? NO_FUNCTION],
    search: [o.name, o.title, o.function?.title ?? '', ...o.kpis.map((n) => ctx.kpi(n)?.title ?? n), ...o.steps, ...o.sops.map((n) => ctx.sop(n)?.title ?? n)],
  });
  const section = (label: string, items: string[]) => (items.length ? `<div class="label">${label}</div><ul class="owned">${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '');
  const owned = o.kpis.length + o.steps.length + o.sops.length + o.processes.length + o.objectives.length;
  const stepLinks = o.steps.map((qs) => {
    const dot = qs.indexOf('.');
    return dot > 0 ? ctx.stepRef(qs.slice(0, dot), qs.slice(dot + 1)) : esc(qs);
  });
  const objectiveTitle = (n: string) => ctx.objectiveTitle(n) ?? n;
  return (
    `<article class="card owner-card clickable filterable"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"${whereAttrs('owner', o.name, o.where)}${f}>` +
    `<div class="card-head"><h4 class="card-title" id="${titleId}">${icon(o.kind === 'team' ? 'team' : 'person')}${esc(o.title)}</h4>` +
    `<span class="badge">${o.kind === 'team' ? 'Team' : 'Role'}</span></div>` +
    (o.function ? `<div class="meta"><span class="fn">${esc(o.function.title)}</span></div>` : '') +
    section('KPIs', o.kpis.map((n) => ctx.kpiRef(n))) +
    section('Processes', o.processes.map((n) => `<a class="pref" href="#${esc(anchorId('process', n))}">${esc(ctx.process(n)?.title ?? n)}</a>`)) +
    section('Steps', stepLinks) +
    section('SOPs', o.sops.map((n) => ctx.sopRef(n))) +
    section('Objectives', o.objectives.map((n) => `<a href="#${esc(anchorId('objective', n))}">${esc(objectiveTitle(n))}</a>`)) +
    (owned ? '' : '<p class="muted small">Owns nothing yet.</p>') +
    `</article>`
  );
}
