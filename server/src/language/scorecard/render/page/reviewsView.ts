// The Joint reviews view: each amber or red KPI that crosses a function
// boundary, as one meeting of the two owners.
import type { JointReview, Named } from '../../model';
import { escapeHtml as esc, statusWord } from '../text';
import { contentKey, Context, filterAttrs, UNPLACED, whereAttrs } from './context';
import { icon, statusChip, statusIcon } from './icons';

/** The Joint reviews view's HTML, as pieces to join: one a review, memoized by what it shows. */
export function jointReviewsView(ctx: Context): string[] {
  const { model } = ctx;
  const intro =
    '<p class="lead">Amber and red KPIs that depend on — or are depended on by — a KPI owned in another function. ' +
    'Bring the two functional heads together for a joint review instead of asking for a slide deck.</p>';
  if (!model.jointReviews.length) return [`${intro}<p class="empty">${statusIcon('green')} No joint review needed: no amber or red KPI crosses a function boundary.</p>`];
  const items = model.jointReviews.map((j) => ctx.part(contentKey('review', j), 'review', () => jointReview(ctx, j)));
  return [`${intro}<ul class="reviews">`, ...items, '</ul>'];
}

function jointReview(ctx: Context, j: JointReview): string {
  const k = ctx.kpi(j.kpi);
  const partner = ctx.kpi(j.partner);
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
}

