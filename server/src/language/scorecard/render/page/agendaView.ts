// The Review view: the weekly review's agenda (scorecard/agenda.ts), one
// section per owner, each item a card that opens its declaration. The same
// sections make the body of `kpi agenda --format html`, without the page's
// filters and script.
import { buildAgenda, type Agenda, type AgendaItem, type AgendaOwner } from '../../agenda';
import type { ScorecardModel } from '../../model';
import { escapeHtml as esc } from '../text';
import { contentKey, filterAttrs, NO_FUNCTION, plural, UNPLACED, whereAttrs, type Context } from './context';
import { icon, statusIcon } from './icons';

/** The model's agenda; a model built by hand (tests, older versions) gets one without at-risk items. */
export function agendaOf(model: ScorecardModel): Agenda {
  return model.agenda ?? buildAgenda(model);
}

/** The word of each kind, as the item's label and in the Markdown. */
export const AGENDA_KIND_WORDS: Record<AgendaItem['kind'], string> = {
  red: 'Red',
  amber: 'Amber',
  'at-risk': 'At risk',
  'stale-data': 'Stale data',
  'sop-review': 'SOP review',
  'joint-review': 'Joint review',
};

function kindLabel(item: AgendaItem): string {
  const mark =
    item.kind === 'red' || item.kind === 'amber'
      ? statusIcon(item.kind)
      : icon({ 'at-risk': 'warning', 'stale-data': 'clock', 'sop-review': 'sop', 'joint-review': 'handoff' }[item.kind]);
  const word = item.kind === 'sop-review' ? (item.overdue ? 'SOP review overdue' : 'SOP review due') : AGENDA_KIND_WORDS[item.kind];
  const band = item.kind === 'red' || item.kind === 'amber' ? ` st-${item.kind}` : item.overdue ? ' overdue' : '';
  return `<span class="agenda-kind k-${esc(item.kind)}${band}">${mark}<span>${esc(word)}</span></span>`;
}

function itemCard(item: AgendaItem, group: AgendaOwner, ctx: Context | undefined): string {
  const declKind = item.kind === 'sop-review' ? 'sop' : 'kpi';
  const perspective = declKind === 'kpi' ? { perspective: [ctx?.kpi(item.subject)?.perspective ?? UNPLACED] } : {};
  const statuses = [...(item.status ? [item.status] : []), ...(item.kind === 'stale-data' ? ['stale'] : []), ...(item.overdue ? ['overdue'] : [])];
  const f = filterAttrs({
    ...perspective,
    owner: group.owner === null ? [] : [group.owner],
    function: [group.function?.name ?? NO_FUNCTION],
    status: statuses,
    search: [item.subject, item.title, item.text, group.title, item.withTitle ?? '', item.withOwner?.title ?? '', AGENDA_KIND_WORDS[item.kind]],
  });
  const partner = item.withOwner
    ? `<div class="agenda-with">${icon('person')}<span>with <strong>${esc(item.withOwner.title)}</strong>${item.withOwner.function ? ` · ${esc(item.withOwner.function.title)}` : ''}, owner of ${esc(item.withTitle ?? item.with ?? '')}</span></div>`
    : '';
  const clickable = ctx ? ' clickable' : '';
  return (
    `<li class="card agenda-item k-${esc(item.kind)}${item.overdue ? ' overdue' : ''} filterable${clickable}"${ctx ? ' tabindex="0"' : ''}${whereAttrs(declKind, item.subject, item.where)}${f}>` +
    `<div class="agenda-head">${kindLabel(item)}<strong class="agenda-title">${esc(item.title)}</strong></div>` +
    `<p class="agenda-text">${esc(item.text)}</p>${partner}</li>`
  );
}

/**
 * One section per owner of the agenda. With a Context (the page) the items
 * are cards that open their declaration; without one (the stand-alone HTML)
 * they are plain.
 */
export function agendaSections(agenda: Agenda, ctx?: Context): string {
  return agenda.owners.map((group) => (ctx ? agendaSectionPart(ctx, group) : agendaSection(group))).join('');
}

/** An owner's section on the page, memoized (page/memo.ts) by what it shows. */
function agendaSectionPart(ctx: Context, group: AgendaOwner): string {
  return ctx.part(contentKey('agenda', group), 'agenda', () => agendaSection(group, ctx));
}

function agendaSection(group: AgendaOwner, ctx?: Context): string {
  const who = group.owner === null ? `${esc(group.title)}<span class="muted small"> — no owner declared</span>` : esc(group.title);
  const fn = group.function ? `<span class="fn">${esc(group.function.title)}</span>` : '';
  return (
    `<section class="agenda-owner group" data-empty="hide" data-owner="${esc(group.owner ?? '')}">` +
    `<h3 class="section-head">${icon(group.owner === null ? 'warning' : 'person')}<span>${who}</span>${fn}<span class="count">${group.items.length}</span></h3>` +
    `<ul class="agenda-items">${group.items.map((item) => itemCard(item, group, ctx)).join('')}</ul></section>`
  );
}

/** How many items the agenda holds. */
export function agendaSize(agenda: Agenda): number {
  return agenda.owners.reduce((sum, g) => sum + g.items.length, 0);
}

/** The Review view's HTML, as pieces to join: one an owner's section, memoized. */
export function agendaView(ctx: Context): string[] {
  const agenda = agendaOf(ctx.model);
  const size = agendaSize(agenda);
  const intro =
    `<p class="lead">What needs each owner this week: red and amber KPIs, KPIs at risk of a worse band by the end of the next period, ` +
    `data to update, SOP reviews overdue or due within 14 days, and the joint reviews to hold. ` +
    `${esc(plural(size, 'item'))} for ${esc(plural(agenda.owners.length, 'owner'))}.</p>`;
  if (!size) return [`${intro}<p class="empty">${statusIcon('green')} Nothing on the agenda this week.</p>`];
  return [`${intro}<div class="agenda">`, ...agenda.owners.map((group) => agendaSectionPart(ctx, group)), '</div>'];
}
