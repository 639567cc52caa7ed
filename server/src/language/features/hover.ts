// Hover cards, in Markdown: a KPI's status and why it has it, what a role
// owns, a step's owner, SOP and KPIs, and what a keyword or a rule code means.
import { RULES, ruleDocsUrl } from '../checks/rules';
import type { Declaration, KpiDecl, ObjectiveDecl, ProcessDecl, Span, Step } from '../model/ast';
import { objectiveStatus } from '../model/objectiveStatus';
import { formatDay, reviewDue } from '../model/periods';
import { describeCondition, formatNumber, type StatusKind } from '../model/status';
import { STATUS_EMOJI, STATUS_ORDER, statusWord } from '../scorecard/render/text';
import { kpiTrend, projectionSentence, trendSentence } from '../scorecard/trend';
import { DECLARATIONS, propertyOf } from '../syntax/grammar';
import { LineComment } from '../syntax/tokens';
import { forEachRef } from '../workspace/symbols';
import type { DeclEntry, SourceDocument, Workspace } from '../workspace/workspace';
import { completionContext, lexAround } from './context';
import { declarationAt, symbolOf, targetAt, type Sym } from './locate';

export interface Hover {
  markdown: string;
  span: Span;
}


/** `🟠 amber`: the status word the scorecard uses, after a coloured mark. */
export const STATUS_LABEL = Object.fromEntries(STATUS_ORDER.map((s) => [s, `${STATUS_EMOJI[s]} ${statusWord(s).toLowerCase()}`])) as Record<StatusKind, string>;

export function hover(workspace: Workspace, doc: SourceDocument, offset: number): Hover | undefined {
  const target = targetAt(doc, offset);
  if (target) {
    const sym = symbolOf(workspace, target);
    if (sym) return { markdown: describeSymbol(workspace, sym), span: target.span };
    return undefined;
  }
  return hoverCode(doc, offset) ?? hoverKeyword(doc, offset);
}

export function describeSymbol(workspace: Workspace, sym: Sym): string {
  if (sym.kind === 'step') return describeStep(workspace, sym.process, sym.step);
  const { decl } = sym.entry;
  switch (decl.kind) {
    case 'kpi':
      return describeKpi(workspace, sym.entry as DeclEntry<KpiDecl>);
    case 'role':
    case 'team':
      return describeOwner(workspace, sym.entry);
    default:
      return describeOther(workspace, sym.entry);
  }
}

function heading(decl: Declaration | Step, kind: string): string {
  return `**${kind}** \`${decl.name.text}\`${decl.title ? ` — ${escape(decl.title.value)}` : ''}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);
}

/** "Branch Manager (BranchManager, Sales)" for a role reference. */
function ownerText(workspace: Workspace, name: string | undefined): string {
  if (!name) return '—';
  const entry = workspace.declarations(name)[0];
  if (!entry) return `\`${name}\` (not declared)`;
  const decl = entry.decl;
  const fn = (decl.kind === 'role' || decl.kind === 'team') && decl.in ? workspace.declarations(decl.in.name)[0]?.decl : undefined;
  const label = decl.title?.value ?? decl.name.text;
  const fnLabel = fn ? `, ${escape(fn.title?.value ?? fn.name.text)}` : '';
  return `${escape(label)} (\`${decl.name.text}\`${fnLabel})`;
}

export function describeKpi(workspace: Workspace, entry: DeclEntry<KpiDecl>): string {
  const kpi = entry.decl;
  const status = workspace.status(entry);
  const unit = kpi.unit ? ` ${kpi.unit.value.value}` : '';
  const lines = [heading(kpi, 'kpi')];
  if (kpi.outcome) lines.push(`*${escape(kpi.outcome.value.value)}*`);
  lines.push(`**Owner:** ${ownerText(workspace, kpi.owner?.refs[0]?.name)}`);
  const target = kpi.target?.comparison ? `${kpi.target.comparison.op} ${formatNumber(kpi.target.comparison.value)}${unit}` : kpi.target?.text ? `"${escape(kpi.target.text.value)}" (vague)` : '—';
  const bands = kpi.thresholds?.green && kpi.thresholds.amber ? ` · **Thresholds:** ${describeCondition('green', kpi.thresholds.green)}, ${describeCondition('amber', kpi.thresholds.amber)}` : '';
  lines.push(`**Target:** ${target}${bands}`);
  if (status.latest) {
    lines.push(`**Latest:** ${formatNumber(status.latest.value)}${unit} (${status.latest.period.text})${status.stale ? ' · ⚠ stale' : ''}`);
  }
  lines.push(`**Status:** ${STATUS_LABEL[status.status]} — ${escape(status.reason)}`);
  if (status.trend) {
    // The same sentences as the KPI card in the scorecard.
    const trend = kpiTrend(status.trend);
    lines.push(`${STATUS_EMOJI[trend.projected.status]} ${escape(projectionSentence(trend, kpi.unit?.value.value))} ${escape(trendSentence(trend, status.trend.frequency))}`);
  }
  const cadence = [kpi.frequency?.value, kpi.checkpoint ? `checkpoint ${kpi.checkpoint.value}` : undefined, kpi.indicator?.value].filter(Boolean).join(' · ');
  if (cadence) lines.push(`**Cadence:** ${cadence}`);
  const steps = kpi.step?.refs.map((r) => `\`${r.name}${r.member ? `.${r.member.text}` : ''}\``).join(', ');
  if (steps) lines.push(`**Steps:** ${steps}`);
  const why = kpi.supports?.refs.map((r) => `\`${r.name}\``).join(', ') ?? (kpi.why ? escape(kpi.why.value.value) : undefined);
  if (why) lines.push(`**Why:** ${why}`);
  if (kpi.depends) lines.push(`**Depends on:** ${kpi.depends.refs.map((r) => `\`${r.name}\``).join(', ')}`);
  return lines.join('\n\n');
}

/** Everything a role (or team) owns or takes part in. */
function describeOwner(workspace: Workspace, entry: DeclEntry): string {
  const decl = entry.decl;
  const name = decl.name.text;
  const lines = [heading(decl, decl.kind)];
  if ((decl.kind === 'role' || decl.kind === 'team') && decl.in) lines.push(`In ${ownerText(workspace, decl.in.name)}`);
  const owns: string[] = [];
  const takesPart: string[] = [];
  for (const holder of workspace.referrersOf(name)) {
    forEachRef(holder.decl, ({ ref, site, step }) => {
      if (ref.name !== name) return;
      const what = step ? `step \`${holder.decl.name.text}.${step.name.text}\`` : `${holder.decl.kind} \`${holder.decl.name.text}\``;
      if (site === 'owner') owns.push(what);
      else if (site === 'roles') takesPart.push(what);
    });
  }
  if (decl.kind === 'team') lines.push('A team can take part in SOPs but cannot own anything.');
  lines.push(owns.length > 0 ? `**Owns:** ${[...new Set(owns)].join(', ')}` : '**Owns:** nothing yet');
  if (takesPart.length > 0) lines.push(`**Takes part in:** ${[...new Set(takesPart)].join(', ')}`);
  return lines.join('\n\n');
}

/** KPIs whose `step` names this step (of two same-named steps, `Process.Step` means the first: LANGUAGE.md section 7). */
export function kpisAtStep(workspace: Workspace, process: DeclEntry<ProcessDecl>, step: Step): DeclEntry<KpiDecl>[] {
  const result: DeclEntry<KpiDecl>[] = [];
  if (workspace.declarations(process.decl.name.text)[0]?.decl !== process.decl) return result;
  if (process.decl.steps.find((s) => s.name.text === step.name.text) !== step) return result;
  for (const holder of workspace.referrersOf(process.decl.name.text)) {
    if (holder.decl.kind !== 'kpi') continue;
    if (holder.decl.step?.refs.some((r) => r.name === process.decl.name.text && r.member?.text === step.name.text)) result.push(holder as DeclEntry<KpiDecl>);
  }
  return result;
}

function describeStep(workspace: Workspace, process: DeclEntry<ProcessDecl>, step: Step): string {
  const lines = [heading(step, 'step'), `In process \`${process.decl.name.text}\``];
  lines.push(`**Owner:** ${ownerText(workspace, step.owner?.refs[0]?.name)}`);
  lines.push(`**SOP:** ${step.sop ? `\`${step.sop.ref.name}\`` : 'none'}`);
  if (step.next) lines.push(`**Next:** ${step.next.refs.map((r) => `\`${r.name}\``).join(', ')}`);
  const kpis = kpisAtStep(workspace, process, step);
  lines.push(
    kpis.length > 0
      ? `**KPIs:** ${kpis.map((k) => `\`${k.decl.name.text}\` (${STATUS_LABEL[workspace.status(k).status]})`).join(', ')}`
      : '**KPIs:** none attached',
  );
  return lines.join('\n\n');
}

function describeOther(workspace: Workspace, entry: DeclEntry): string {
  const decl = entry.decl;
  const lines = [heading(decl, decl.kind), DECLARATIONS[decl.kind].doc];
  switch (decl.kind) {
    case 'function': {
      const roles = workspace.referrersOf(decl.name.text).filter((e) => (e.decl.kind === 'role' || e.decl.kind === 'team') && e.decl.in?.name === decl.name.text);
      if (roles.length > 0) lines.push(`**Roles and teams:** ${roles.map((r) => `\`${r.decl.name.text}\``).join(', ')}`);
      break;
    }
    case 'process':
      lines.push(`**Owner:** ${ownerText(workspace, decl.owner?.refs[0]?.name)}`, `**Steps:** ${decl.steps.map((s) => `\`${s.name.text}\``).join(' → ') || 'none'}`);
      break;
    case 'sop': {
      if (decl.objective) lines.push(`*${escape(decl.objective.value.value)}*`);
      lines.push(`**Owner:** ${ownerText(workspace, decl.owner?.refs[0]?.name)}`);
      if (decl.review) {
        const due = reviewDue(decl);
        const state = due === undefined ? 'never reviewed' : due < workspace.today() ? `overdue since ${formatDay(due)}` : `next review ${formatDay(due)}`;
        lines.push(`**Review:** every ${decl.review.every} ${decl.review.unit}${decl.review.every === 1 ? '' : 's'} · ${state}`);
      }
      break;
    }
    case 'objective': {
      lines.push(`**Owner:** ${ownerText(workspace, decl.owner?.refs[0]?.name)}`);
      if (decl.due) lines.push(`**Due:** ${formatDay(decl.due.date)}`);
      const supporting = workspace.referrersOf(decl.name.text).filter((e): e is DeclEntry<KpiDecl> => e.decl.kind === 'kpi' && e.decl.supports?.refs.some((r) => r.name === decl.name.text) === true);
      lines.push(`**Status:** ${objectiveStatusText(workspace, decl, supporting)}`);
      const measures = [...decl.keyResults.map((k) => k.ref.name), ...supporting.map((e) => e.decl.name.text)];
      lines.push(`**Measured by:** ${measures.length > 0 ? [...new Set(measures)].map((m) => `\`${m}\``).join(', ') : 'nothing yet'}`);
      if (decl.drives) lines.push(`**Drives:** ${decl.drives.refs.map((r) => `\`${r.name}\``).join(', ')}`);
      const drivenBy = workspace.referrersOf(decl.name.text).filter((e) => e.decl.kind === 'objective' && e.decl.drives?.refs.some((r) => r.name === decl.name.text));
      if (drivenBy.length > 0) lines.push(`**Driven by:** ${drivenBy.map((e) => `\`${e.decl.name.text}\``).join(', ')}`);
      break;
    }
    case 'scorecard':
      for (const [p, line] of Object.entries(decl.lines)) if (line) lines.push(`**${p}:** ${line.refs.map((r) => `\`${r.name}\``).join(', ')}`);
      break;
    default:
      break;
  }
  return lines.join('\n\n');
}

/**
 * An objective's status (LANGUAGE.md 4.1) as the scorecard computes it, and
 * why, worded like a KPI's: the KPIs in the worst band among those that count.
 */
function objectiveStatusText(workspace: Workspace, decl: ObjectiveDecl, supporting: readonly DeclEntry<KpiDecl>[]): string {
  const measuring = (entries: readonly (DeclEntry | undefined)[]) =>
    entries.flatMap((e) => (e?.decl.kind === 'kpi' ? [{ name: e.decl.name.text, status: workspace.status(e as DeclEntry<KpiDecl>).status }] : []));
  // A key result that names no KPI is not a key result, as in the scorecard (build.ts).
  const keyResults = measuring([...new Set(decl.keyResults.map((k) => k.ref.name))].map((name) => workspace.declarations(name)[0]));
  const supporters = measuring(supporting);
  const status = objectiveStatus(keyResults.map((k) => k.status), supporters.map((k) => k.status));
  const counted = keyResults.length > 0 ? keyResults : supporters;
  const which = keyResults.length > 0 ? 'its key results' : 'the KPIs that support it';
  let why: string;
  if (counted.length === 0) why = 'no key result and no KPI supports it';
  else if (status === 'no-data') why = `none of ${which} has a green, amber or red status yet`;
  else {
    const worst = counted.filter((k) => k.status === status).map((k) => `\`${k.name}\``);
    why = `the worst among ${which}: ${worst.join(', ')} ${worst.length === 1 ? 'is' : 'are'} ${status}`;
  }
  return `${STATUS_LABEL[status]} — ${why}`;
}

/** A rule code inside `// kpi-disable-next-line …`: its summary and a link to its page. */
function hoverCode(doc: SourceDocument, offset: number): Hover | undefined {
  for (const span of doc.model.directives) {
    if (offset < span.start || offset > span.end) continue;
    const text = doc.text.slice(span.start, span.end);
    const re = /[a-z][a-z-]+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const start = span.start + m.index;
      if (offset >= start && offset <= start + m[0].length && RULES.has(m[0])) {
        const rule = RULES.get(m[0])!;
        return { markdown: `**${rule.code}** (${rule.severity})\n\n${rule.summary}\n\n[Rule documentation](${ruleDocsUrl(rule.code)})`, span: { start, end: start + m[0].length } };
      }
    }
  }
  return undefined;
}

/** The token at `offset`, lexing only the declaration around it. */
function tokenAt(doc: SourceDocument, offset: number) {
  return lexAround(doc.text, offset, doc.model.chunks).tokens.find((t) => t.startOffset <= offset && offset <= t.startOffset + t.image.length);
}

/** A property or declaration keyword: what it means. */
function hoverKeyword(doc: SourceDocument, offset: number): Hover | undefined {
  const token = tokenAt(doc, offset);
  if (!token || token.tokenType === LineComment) return undefined;
  const span = { start: token.startOffset, end: token.startOffset + token.image.length };
  const decl = declarationAt(doc, offset);
  if (decl && decl.keyword.start === span.start) return { markdown: `**${decl.kind}** — ${DECLARATIONS[decl.kind].doc}`, span };
  // Which block the keyword is in decides what it means (`step` in a kpi vs in a process).
  const context = completionContext(doc.text, span.start, doc.model.chunks);
  if (context.expect.kind !== 'property') return undefined;
  const spec = propertyOf(context.expect.block, token.image);
  return spec ? { markdown: `**${spec.label}** — ${spec.doc}`, span } : undefined;
}
