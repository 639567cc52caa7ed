// The Scorecard view: one Balanced Scorecard per `scorecard`, its four
// perspectives with their KPI cards, then the KPIs no scorecard here lists.
import type { Perspective } from '../../../model/ast';
import type { KpiCard } from '../../model';
import { projectedText, trendSentence } from '../../trend';
import { sparkline } from '../sparkline';
import { countByStatus, escapeHtml as esc, formatCondition, formatValue, STATUS_ORDER, statusWord } from '../text';
import { Context, filterAttrs, FREQUENCY_WORDS, ownerFilter, ownerSearch, PERSPECTIVE_ORDER, UNPLACED, whereAttrs } from './context';
import { icon, statusChip, statusIcon } from './icons';

/** A KPI's card in one perspective box; memoized per card and box (page/memo.ts). */
function kpiCard(ctx: Context, k: KpiCard, perspective: Perspective | undefined, scorecard: string): string {
  return ctx.part(k, `${perspective ?? ''}\u0000${scorecard}`, () => freshKpiCard(ctx, k, perspective, scorecard));
}

function freshKpiCard(ctx: Context, k: KpiCard, perspective: Perspective | undefined, scorecard: string): string {
  const { anchor: id, titleId } = ctx.ids.card('kpi', k.name);
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

  const projection = k.trend ? { projection: k.trend.projected } : {};
  const spark = sparkline(k.actuals, k.target, k.thresholds, { width: 240, height: 40, ...(k.unit ? { unit: k.unit } : {}), status: k.status, stretch: true, ...projection });
  return (
    `<article class="card kpi clickable filterable st-card-${esc(k.status)}"${id ? ` id="${esc(id)}"` : ''} tabindex="0" aria-labelledby="${titleId}"` +
    `${whereAttrs('kpi', k.name, k.where)}${f}>` +
    `<div class="card-head"><h5 class="card-title" id="${titleId}">${esc(k.title)}</h5>${statusChip(k.status, k.statusReason)}</div>` +
    (k.outcome ? `<p class="outcome">${esc(k.outcome)}</p>` : '') +
    `<div class="meta">${ctx.ownerLine(k.owner)}</div>` +
    `<div class="figures"><div class="latest">${latest}</div>${target}</div>` +
    `<div class="spark-wrap">${spark}${sparkLegend(k)}</div>` +
    `<p class="reason">${esc(k.statusReason)}</p>` +
    trendLines(k) +
    (badges.length ? `<div class="badges">${badges.join('')}</div>` : '') +
    (links.length ? `<div class="rels">${links.join('')}</div>` : '') +
    `</article>`
  );
}

/**
 * Under the sparkline: the first period on the left, what the dashed line is
 * in the middle, and on the right the latest period, or the projected period
 * in the colour of the band the projection lands in. The band's icon and word
 * are said once, on the projection line below (and the KPI's own status once,
 * in the card's head), so a card does not say "Green" three times.
 */
function sparkLegend(k: KpiCard): string {
  const first = k.actuals.length > 1 ? k.actuals[0]!.period : '';
  const last = k.actuals.length > 1 ? esc(k.actuals[k.actuals.length - 1]!.period) : '';
  const target = k.target ? `<span class="legend-target">target ${esc(formatCondition(k.target, k.unit))}</span>` : '';
  const projected = k.trend?.projected;
  const end = projected ? `<span class="legend-projection st-${esc(projected.status)}">projected ${esc(projected.period)}</span>` : `<span>${last}</span>`;
  if (!first && !target && !projected) return '';
  return `<div class="spark-legend" aria-hidden="true"><span>${esc(first)}</span>${target}${end}</div>`;
}

/**
 * The projection and how it was made. The band it lands in is a chip (icon
 * and word) before the sentence, which then leaves the word out; where that
 * band is the KPI's status already (in the card's head), the sentence says
 * so instead of a second chip with the same word.
 */
function trendLines(k: KpiCard): string {
  if (!k.trend) return '';
  const { projected } = k.trend;
  const where = `Projected ${projectedText(projected, k.unit)} by the end of ${projected.period} (${projected.date})`;
  const same = projected.status === k.status;
  return (
    `<p class="projection">${same ? '' : statusChip(projected.status, 'Where the trend lands at the end of the next period')}` +
    `<span class="trend-projection">${esc(same ? `${where}, in the same band.` : `${where}.`)}</span>` +
    `<span class="trend-method">${esc(trendSentence(k.trend, k.frequency))}</span></p>`
  );
}

/** A perspective box's heading: its label, how many KPIs it holds and how many of each status. */
function perspectiveHead(ctx: Context, p: Perspective | undefined, headId: string, kpiNames: string[]): string {
  const cards = kpiNames.map((n) => ctx.kpi(n)).filter((k): k is KpiCard => k !== undefined);
  const counts = countByStatus(cards);
  const summary = STATUS_ORDER.filter((s) => counts[s] > 0)
    .map((s) => `<span class="mini st-${s}" title="${esc(statusWord(s))}">${statusIcon(s)}${counts[s]}<span class="sr"> ${esc(statusWord(s))}</span></span>`)
    .join('');
  return `<h4 class="persp-head" id="${headId}">${icon(p ?? UNPLACED)}<span class="persp-label">${esc(ctx.perspectiveLabel(p))}</span><span class="count">${cards.length}</span><span class="persp-sum">${summary}</span></h4>`;
}

/**
 * A perspective's box, written into `out` as its head, each card, its foot:
 * the cards are memoized pieces, so a page whose cards did not change is
 * made of the same pieces again (PageRenderer compares them).
 */
function perspectiveBox(out: string[], ctx: Context, p: Perspective | undefined, kpiNames: string[], scorecard: string, missing: string[] = []): void {
  const headId = ctx.ids.unique('p', 'perspective', `${scorecard}/${p ?? UNPLACED}`);
  const cards = kpiNames.map((n) => ctx.kpi(n)).filter((k): k is KpiCard => k !== undefined);
  const missingNote = missing.length ? `<p class="note warn">${icon('warning')}Not a KPI here: ${missing.map(esc).join(', ')}</p>` : '';
  out.push(`<section class="persp group persp-${esc(p ?? UNPLACED)}" data-empty="note" aria-labelledby="${headId}">`);
  // The heading, with the box's counts, is a part of its own: a card added to the box changes it and the new card, not the text around them.
  out.push(ctx.part(`persp\u0000${headId}\u0000${kpiNames.join('\u0001')}`, '', () => perspectiveHead(ctx, p, headId, kpiNames)));
  out.push(cards.length ? `<div class="cards">` : `<p class="empty-note">No KPI on this perspective.</p>`);
  for (const k of cards) out.push(kpiCard(ctx, k, p, scorecard));
  out.push((cards.length ? '</div>' : '') + missingNote + `<p class="filtered-note">No KPI here matches the filters.</p>` + `</section>`);
}

/**
 * The scorecards that place KPIs of this view but are not in it (a file's
 * view of KPIs listed on another file's scorecard), in order of first
 * mention, with the KPIs each places per perspective.
 */
export function scorecardsElsewhere(ctx: Context): Map<string, Record<Perspective, string[]>> {
  const shown = new Set(ctx.model.scorecards.map((s) => s.name));
  const elsewhere = new Map<string, Record<Perspective, string[]>>();
  for (const k of ctx.model.kpis) {
    for (const { scorecard, perspective } of k.placements) {
      if (shown.has(scorecard) || !PERSPECTIVE_ORDER.includes(perspective)) continue;
      let perspectives = elsewhere.get(scorecard);
      if (!perspectives) elsewhere.set(scorecard, (perspectives = { financial: [], customer: [], internal: [], learning: [] }));
      if (!perspectives[perspective].includes(k.name)) perspectives[perspective].push(k.name);
    }
  }
  return elsewhere;
}

/** The Scorecard view's HTML, as pieces to join (see perspectiveBox). */
export function scorecardView(ctx: Context): string[] {
  const { model } = ctx;
  const out: string[] = [];
  for (const sc of model.scorecards) {
    const id = ctx.ids.anchor('scorecard', sc.name);
    out.push(
      `<section class="scorecard group" data-empty="hide"${id ? ` id="${esc(id)}"` : ''}>` +
        `<h3 class="sc-head clickable" tabindex="0"${whereAttrs('scorecard', sc.name, sc.where)}>${esc(sc.title)}` +
        (sc.title !== sc.name ? `<span class="muted mono">${esc(sc.name)}</span>` : '') +
        `</h3><div class="bsc">`,
    );
    for (const p of PERSPECTIVE_ORDER) {
      const names = sc.perspectives[p] ?? [];
      perspectiveBox(
        out,
        ctx,
        p,
        names.filter((n) => ctx.kpi(n) !== undefined),
        sc.name,
        names.filter((n) => ctx.kpi(n) === undefined),
      );
    }
    out.push('</div></section>');
  }
  // In a file's view, the file's KPIs may be placed on a scorecard another file declares.
  for (const [name, perspectives] of scorecardsElsewhere(ctx)) {
    out.push(`<section class="scorecard group elsewhere" data-empty="hide"><h3 class="sc-head">${esc(name)}<span class="muted">declared in another file</span></h3><div class="bsc">`);
    for (const p of PERSPECTIVE_ORDER) if (perspectives[p].length) perspectiveBox(out, ctx, p, perspectives[p], name);
    out.push('</div></section>');
  }
  const unplaced = model.kpis.filter((k) => k.placements.length === 0);
  if (unplaced.length) {
    const heading = model.scorecards.length ? 'Not on a scorecard' : 'KPIs';
    const note = model.scorecards.length ? '<p class="muted small">These KPIs are on no scorecard; they are shown under their declared perspective.</p>' : '';
    out.push(`<section class="scorecard group unlisted" data-empty="hide"><h3 class="sc-head">${heading}</h3>${note}<div class="bsc">`);
    for (const p of PERSPECTIVE_ORDER) {
      const names = unplaced.filter((k) => k.perspective === p).map((k) => k.name);
      if (names.length) perspectiveBox(out, ctx, p, names, '');
    }
    const none = unplaced.filter((k) => !k.perspective).map((k) => k.name);
    if (none.length) perspectiveBox(out, ctx, undefined, none, '');
    out.push('</div></section>');
  }
  if (!out.length) out.push('<p class="empty">No KPI and no scorecard in this view yet. Declare a <code>kpi</code> and a <code>scorecard</code> to see them here.</p>');
  return out;
}
