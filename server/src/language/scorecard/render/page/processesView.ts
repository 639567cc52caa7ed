// The Processes view: each process as a flow of step cards with owners,
// hand-offs, SOPs and KPIs, then the SOP cards.
import type { ProcessCard, SopCard, StepCard } from '../../model';
import { escapeHtml as esc } from '../text';
import { anchorId, Context, filterAttrs, ownerFilter, ownerSearch, plural, whereAttrs } from './context';
import { icon, statusIcon } from './icons';
import { stepFilterAttrs } from './filters';
import { processMapFigure } from './mapsView';

function stepCard(ctx: Context, p: ProcessCard, s: StepCard, index: number): string {
  const qualified = `${p.name}.${s.name}`;
  const { anchor: id, titleId } = ctx.ids.card('step', qualified);
  const f = stepFilterAttrs(ctx, p, s);
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

/** The Processes view's HTML, as pieces to join: one a process (with its steps and map), one an SOP card, memoized (page/memo.ts). */
export function processesView(ctx: Context): string[] {
  const { model } = ctx;
  const out: string[] = [];
  if (!model.processes.length) out.push('<p class="empty">No process in this view. Declare a <code>process</code> with its steps to see the flow.</p>');
  for (const p of model.processes) out.push(ctx.part(p, 'process', () => processSection(ctx, p)));
  out.push(`<h3 class="section-head">${icon('sop')}Standard operating procedures</h3>`);
  if (!model.sops.length) out.push('<p class="empty">No SOP in this view.</p>');
  else {
    out.push('<div class="sops">');
    for (const s of model.sops) out.push(ctx.part(s, 'sop', () => sopCard(ctx, s)));
    out.push('</div>');
  }
  return out;
}

function processSection(ctx: Context, p: ProcessCard): string {
  const id = ctx.ids.anchor('process', p.name);
  const handoffs = p.steps.reduce((n, s) => n + s.handoffs.length, 0);
  const items: string[] = [];
  p.steps.forEach((s, i) => {
    items.push(`<li class="step-item">${stepCard(ctx, p, s, i)}</li>`);
    const next = p.steps[i + 1];
    if (next) items.push(connector(s, next));
  });
  return (
    `<section class="process group" data-empty="hide"${id ? ` id="${esc(id)}"` : ''}>` +
    `<div class="process-head clickable" tabindex="0"${whereAttrs('process', p.name, p.where)}>` +
    `<h3>${icon('process')}${esc(p.title)}</h3>` +
    `<div class="meta">${ctx.ownerLine(p.owner, 'Process owner: ')}<span class="muted">${plural(p.steps.length, 'step')} · ${plural(handoffs, 'hand-off')}</span></div></div>` +
    processMapFigure(ctx, p) +
    (p.steps.length ? `<ol class="flow">${items.join('')}</ol>` : '<p class="empty-note">No step yet.</p>') +
    `</section>`
  );
}

function sopCard(ctx: Context, s: SopCard): string {
  const { anchor: id, titleId } = ctx.ids.card('sop', s.name);
  const uses = ctx.stepsUsingSop(s.name);
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
  if (uses.length) parts.push(`<div class="row"><span class="label">Used at</span> ${uses.map(([process, step]) => ctx.stepRef(process, step)).join(', ')}</div>`);
  parts.push(`<div class="row small muted">${icon('calendar')}${review}</div>`);
  const badge = s.overdue ? `<span class="chip st st-red">${statusIcon('red')}<span class="st-word">Review overdue</span></span>` : '';
  return (
    `<article class="card sop clickable filterable"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"${whereAttrs('sop', s.name, s.where)}${f}>` +
    `<div class="card-head"><h4 class="card-title" id="${titleId}">${esc(s.title)}</h4>${badge}</div>${parts.join('')}</article>`
  );
}

