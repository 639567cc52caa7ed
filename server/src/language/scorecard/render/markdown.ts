// The scorecard as Markdown, for a pull-request comment: the date and counts,
// one table per scorecard perspective, the joint reviews needed, stale KPIs
// and overdue SOPs. Every user-written string is escaped so it stays text
// inside a table cell: no column break (`|`), no code span, no HTML, no
// link, no line break, no @mention, no issue reference. Then the strategy map
// and the processes as Mermaid flowcharts (render/mermaid.ts), which GitHub
// and GitLab draw.
import type { Perspective } from '../../model/ast';
import type { StatusKind } from '../../model/status';
import { PERSPECTIVE_LABELS, type KpiCard, type ScorecardModel } from '../model';
import { mermaidFence, processDiagram, strategyDiagram } from './mermaid';
import { countByStatus, latestOf, ownerText, STATUS_EMOJI, STATUS_ORDER, statusWord, targetOf } from './text';

const EMOJI = STATUS_EMOJI;

/**
 * GitHub and GitLab find @mentions in the rendered text, after Markdown's
 * escapes are gone, so `\@team` would still notify the team. A zero-width space
 * after the `@` breaks the mention and still shows "@team". Only an `@` that
 * could start a mention gets one: one not preceded by an ASCII letter, digit
 * or underscore (both services' rule), so `ops@example.com` stays as it is.
 */
const MENTION_START = /(?<![A-Za-z0-9_])@/g;
/**
 * The same holds for references: `#123` (an issue, pull request or discussion
 * on GitHub, an issue on GitLab), GitHub's `GH-123`, GitLab's `!123` (a merge
 * request) and `&123` (an epic) become links in the rendered text, backslash
 * or not, and the item linked to gets a "mentioned in" note. A title such as
 * "Fix #123" or "Store #12" means something else; a zero-width space after the
 * sign keeps it as text.
 */
const REFERENCE_START = /(?:[#!&]|\bGH-)(?=\d)/gi;
const ZERO_WIDTH_SPACE = '\u200B';

/** Escapes user text for Markdown (a table cell or a list item). */
export function escapeMarkdown(value: unknown): string {
  return String(value ?? '')
    .replace(/\r\n?|\n|[\u2028\u2029\t]/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#!]/g, (c) => `\\${c}`)
    .replace(MENTION_START, `@${ZERO_WIDTH_SPACE}`)
    .replace(REFERENCE_START, (sign) => `${sign}${ZERO_WIDTH_SPACE}`);
}

function status(kind: StatusKind): string {
  return `${EMOJI[kind] ?? ''} ${statusWord(kind)}`.trim();
}

const PERSPECTIVE_ORDER: Perspective[] = ['financial', 'customer', 'internal', 'learning'];

function table(kpis: readonly KpiCard[]): string[] {
  const lines = ['| KPI | Owner | Target | Latest | Status |', '| --- | --- | --- | --- | --- |'];
  for (const k of kpis) {
    lines.push(
      `| ${kpiCell(k)} | ${escapeMarkdown(ownerText(k.owner)) || '—'} | ${escapeMarkdown(targetOf(k)) || '—'} | ${escapeMarkdown(latestOf(k)) || '—'} | ${status(k.status)}${k.stale ? ' · stale' : ''} |`,
    );
  }
  return lines;
}

/** The title, and the name when it differs, so a reviewer can find the declaration. */
function kpiCell(k: KpiCard): string {
  return k.title === k.name ? escapeMarkdown(k.name) : `${escapeMarkdown(k.title)} (${escapeMarkdown(k.name)})`;
}

function perspectiveTables(heading: string, groups: [string, KpiCard[]][]): string[] {
  const out: string[] = [heading, ''];
  for (const [label, kpis] of groups) {
    out.push(`**${escapeMarkdown(label)}**`, '');
    if (kpis.length === 0) out.push('_No KPI on this perspective._', '');
    else out.push(...table(kpis), '');
  }
  return out;
}

/**
 * The strategy map, then one flowchart per process, each under a heading
 * with a line saying how to read it; nothing when there is neither an
 * objective nor a process. A process without steps says so: no empty fence.
 */
function diagramSections(model: ScorecardModel): string[] {
  const out: string[] = [];
  const strategy = strategyDiagram(model);
  if (strategy) {
    out.push('### Strategy map', '', 'Bottom up by perspective. Solid arrows: one objective drives another. Dotted arrows: a KPI of one objective depends on a KPI of the other.', '');
    out.push(...mermaidFence(strategy));
  }
  const seen = new Set<string>();
  const processes = model.processes.filter((process) => !seen.has(process.name) && Boolean(seen.add(process.name)));
  if (processes.length === 0) return out;
  out.push('### Processes', '', 'A lane per step owner, grouped by function. Labelled arrows are hand-offs between owners, thick ones between functions; dotted arrows loop back.', '');
  for (const process of processes) {
    out.push(`#### ${escapeMarkdown(process.title || process.name)}`, '');
    const diagram = processDiagram(process, model);
    out.push(...(diagram ? mermaidFence(diagram) : ['_No steps._', '']));
  }
  return out;
}

/** The scorecard as Markdown (GitHub-flavoured), ending with a newline. */
export function renderMarkdown(model: ScorecardModel): string {
  const byName = new Map(model.kpis.map((k) => [k.name, k]));
  const counts = countByStatus(model.kpis);
  const stale = model.kpis.filter((k) => k.stale);
  const overdue = model.sops.filter((s) => s.overdue);
  const labelOf = (p: Perspective) => model.perspectives.find((x) => x.id === p)?.label ?? PERSPECTIVE_LABELS[p] ?? p;

  const out: string[] = [`## KPI Scorecard — ${escapeMarkdown(model.today)}`, ''];
  if (model.scope.kind === 'file') out.push(`Scope: ${escapeMarkdown(model.scope.file)}`, '');
  const parts = [`**${model.kpis.length} KPI${model.kpis.length === 1 ? '' : 's'}**`];
  for (const s of STATUS_ORDER) if (counts[s] > 0) parts.push(`${EMOJI[s]} ${counts[s]} ${statusWord(s).toLowerCase()}`);
  parts.push(`${stale.length} stale`, `${model.jointReviews.length} joint review${model.jointReviews.length === 1 ? '' : 's'} needed`);
  out.push(parts.join(' · '), '');
  if (model.problems.errors > 0 || model.problems.warnings > 0) {
    out.push(`> ⚠️ Built on files with ${model.problems.errors} error(s) and ${model.problems.warnings} warning(s); run \`kpi check\`.`, '');
  }

  for (const card of model.scorecards) {
    const groups: [string, KpiCard[]][] = PERSPECTIVE_ORDER.map((p) => [
      labelOf(p),
      (card.perspectives[p] ?? []).map((n) => byName.get(n)).filter((k): k is KpiCard => k !== undefined),
    ]);
    out.push(...perspectiveTables(`### ${escapeMarkdown(card.title)}`, groups));
  }
  const unplaced = model.kpis.filter((k) => k.placements.length === 0);
  if (unplaced.length > 0) {
    const groups: [string, KpiCard[]][] = [];
    for (const p of PERSPECTIVE_ORDER) {
      const ks = unplaced.filter((k) => k.perspective === p);
      if (ks.length) groups.push([labelOf(p), ks]);
    }
    const none = unplaced.filter((k) => !k.perspective);
    if (none.length) groups.push(['Unplaced', none]);
    out.push(...perspectiveTables(model.scorecards.length ? '### Not on a scorecard' : '### KPIs', groups));
  }

  out.push('### Joint reviews needed', '');
  if (model.jointReviews.length === 0) out.push('None.', '');
  for (const j of model.jointReviews) {
    const kpi = byName.get(j.kpi);
    const partner = byName.get(j.partner);
    const roleTitle = (role: string) => model.owners.find((o) => o.name === role)?.title ?? role;
    const [a, b] = j.owners;
    const relation = j.relation === 'depends-on' ? 'depends on' : 'is depended on by';
    out.push(
      `- ${status(j.status)} — **${escapeMarkdown(kpi?.title ?? j.kpi)}** ${relation} **${escapeMarkdown(partner?.title ?? j.partner)}**: ` +
        `bring together ${escapeMarkdown(roleTitle(a.role))} (${escapeMarkdown(a.function.title)}) and ${escapeMarkdown(roleTitle(b.role))} (${escapeMarkdown(b.function.title)})`,
    );
  }
  if (model.jointReviews.length) out.push('');

  out.push('### Stale KPIs', '');
  if (stale.length === 0) out.push('None.', '');
  for (const k of stale) {
    out.push(`- **${escapeMarkdown(k.title)}** — latest ${escapeMarkdown(latestOf(k)) || 'none'}${k.frequency ? `, tracked ${escapeMarkdown(k.frequency)}` : ''}${k.owner ? `; owner ${escapeMarkdown(ownerText(k.owner))}` : ''}`);
  }
  if (stale.length) out.push('');

  out.push('### Overdue SOPs', '');
  if (overdue.length === 0) out.push('None.', '');
  for (const s of overdue) {
    const cadence = s.review ? `, every ${s.review.every} ${escapeMarkdown(s.review.unit)}` : '';
    out.push(
      `- **${escapeMarkdown(s.title)}** — review was due ${escapeMarkdown(s.reviewDue ?? '?')} (last reviewed ${escapeMarkdown(s.reviewed ?? 'never')}${cadence})${s.owner ? `; owner ${escapeMarkdown(ownerText(s.owner))}` : ''}`,
    );
  }
  if (overdue.length) out.push('');

  out.push(...diagramSections(model));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
