// What the filters match on a step and on an objective: their cards and
// their nodes on the maps carry the same attributes, so a filter narrows both.
import type { KpiCard, ObjectiveCard, ProcessCard, StepCard } from '../../model';
import { filterAttrs, ownerFilter, ownerSearch, UNPLACED, type Context } from './context';

/** What the filters match on a step (its card and its node on the process map). */
export function stepFilterAttrs(ctx: Context, p: ProcessCard, s: StepCard): string {
  const kpis = s.kpis.map((n) => ctx.kpi(n)).filter((k): k is KpiCard => k !== undefined);
  // A step has the statuses of its KPIs (and its SOP's overdue review): the status filter narrows the flow too.
  const statuses = kpis.flatMap((k) => (k.stale ? [k.status, 'stale'] : [k.status]));
  const sop = s.sop === undefined ? undefined : ctx.sop(s.sop);
  if (sop?.overdue) statuses.push('overdue');
  return filterAttrs({
    ...ownerFilter(s.owner),
    status: statuses,
    search: [p.name, p.title, s.name, s.title, `${p.name}.${s.name}`, ...ownerSearch(s.owner), s.sop ?? '', sop?.title ?? '', ...kpis.map((k) => k.title)],
  });
}

/** What the filters match on an objective (its card and its node on the strategy map). */
export function objectiveFilterAttrs(ctx: Context, o: ObjectiveCard): string {
  // Its own status (LANGUAGE.md 4.1), so that "Red" shows the red objectives; and "stale" when a KPI it lists is, since that status rests on old data.
  const listed = [...o.keyResults, ...o.supportedBy].map((n) => ctx.kpi(n));
  return filterAttrs({
    perspective: [o.perspective ?? UNPLACED],
    ...ownerFilter(o.owner),
    status: listed.some((k) => k?.stale) ? [o.status, 'stale'] : [o.status],
    search: [o.name, o.title, ...ownerSearch(o.owner), ...o.keyResults, ...o.supportedBy, ...listed.map((k) => k?.title ?? '')],
  });
}
