// Workspace → ScorecardModel: statuses, placements, processes with their
// hand-offs and attached KPIs, owners, and the joint reviews needed. Only the
// first declaration of a name is shown (later ones are `duplicate-name` errors).
import { PERSPECTIVES, type Declaration, type KpiDecl, type ObjectiveDecl, type Perspective, type ProcessDecl, type RoleDecl, type SopDecl } from '../model/ast';
import type { AnalyzedWorkspace } from '../analysis/engine';
import { atRiskOf, buildAgenda } from './agenda';
import { jointReviewPartners, needsJointReview, type HandoffResolver } from '../model/jointReview';
import { objectiveStatus } from '../model/objectiveStatus';
import { formatDay, reviewDue, type Period } from '../model/periods';
import { classifierOf, type KpiStatus, type Measurement as StatusMeasurement } from '../model/status';
import { findStep } from '../workspace/symbols';
import type { DeclEntry, SourceDocument } from '../workspace/workspace';
import {
  PERSPECTIVE_LABELS,
  SCORECARD_MODEL_VERSION,
  type DueProjection,
  type JointReview,
  type KpiCard,
  type Measurement,
  type Named,
  type ObjectiveCard,
  type OwnerCard,
  type OwnerRef,
  type ProcessCard,
  type ScorecardCard,
  type ScorecardModel,
  type SopCard,
  type Where,
} from './model';
import { dueProjection, kpiTrend } from './trend';

export type ScorecardScope = { kind: 'workspace' } | { kind: 'file'; file: string };

function where(doc: SourceDocument, decl: { name: { span: { start: number } } }): Where {
  const p = doc.lines.positionAt(decl.name.span.start);
  return { file: doc.key, line: p.line, character: p.character };
}

function named(decl: { name: { text: string }; title?: { value: string } }): Named {
  return { name: decl.name.text, title: decl.title?.value ?? decl.name.text };
}

function periodRange(period: Period): { start: string; end: string } {
  return { start: formatDay(period.start), end: formatDay(period.end) };
}

function measurement(m: StatusMeasurement): Measurement {
  return { period: m.period.text, value: m.value, source: m.source, ...periodRange(m.period) };
}

export function buildScorecardModel(workspace: AnalyzedWorkspace, scope: ScorecardScope = { kind: 'workspace' }): ScorecardModel {
  // The declarations names resolve to, in workspace order.
  const firsts: DeclEntry[] = [];
  for (const doc of workspace.documents) {
    for (const decl of doc.model.declarations) if (workspace.declarations(decl.name.text)[0]?.decl === decl) firsts.push({ doc, decl });
  }
  const ofKind = <K extends Declaration['kind']>(kind: K) => firsts.filter((e) => e.decl.kind === kind) as DeclEntry<Extract<Declaration, { kind: K }>>[];
  const resolve = (name: string) => workspace.declarations(name)[0];
  const kpiNamed = (name: string) => {
    const entry = resolve(name);
    return entry?.decl.kind === 'kpi' ? (entry as DeclEntry<KpiDecl>) : undefined;
  };

  const ownerRef = (name: string | undefined): OwnerRef | undefined => {
    if (!name) return undefined;
    const decl = resolve(name)?.decl;
    if (!decl) return { name, title: name, kind: 'unknown' };
    const kind = decl.kind === 'role' || decl.kind === 'team' || decl.kind === 'function' ? decl.kind : 'unknown';
    const fnDecl = (decl.kind === 'role' || decl.kind === 'team') && decl.in ? resolve(decl.in.name)?.decl : undefined;
    return { ...named(decl), kind, ...(fnDecl?.kind === 'function' ? { function: named(fnDecl) } : {}) };
  };

  const scorecards: ScorecardCard[] = ofKind('scorecard').map(({ doc, decl }) => ({
    ...named(decl),
    where: where(doc, decl),
    perspectives: Object.fromEntries(PERSPECTIVES.map((p) => [p, (decl.lines[p]?.refs ?? []).map((r) => r.name)])) as Record<Perspective, string[]>,
  }));

  // Where each kpi is placed, indexed once (a scan of every scorecard per kpi is quadratic).
  const placementsOf = new Map<string, KpiCard['placements']>();
  for (const s of scorecards) {
    for (const p of PERSPECTIVES) {
      for (const name of new Set(s.perspectives[p])) {
        const list = placementsOf.get(name);
        if (list) list.push({ scorecard: s.name, perspective: p });
        else placementsOf.set(name, [{ scorecard: s.name, perspective: p }]);
      }
    }
  }

  const kpiEntries = ofKind('kpi');
  const dependents = new Map<string, string[]>();
  for (const { decl } of kpiEntries) {
    for (const ref of decl.depends?.refs ?? []) {
      const target = kpiNamed(ref.name);
      if (!target || target.decl === decl) continue;
      const list = dependents.get(target.decl.name.text) ?? [];
      if (!list.includes(decl.name.text)) list.push(decl.name.text);
      dependents.set(target.decl.name.text, list);
    }
  }

  // The statuses, with their trends, of the KPIs shown; objectives read their key results' lines from here.
  const kpiStatuses = new Map<string, { decl: KpiDecl; status: KpiStatus }>();
  const kpis: KpiCard[] = kpiEntries.map((entry) => {
    const { doc, decl } = entry;
    const status = workspace.status(entry);
    kpiStatuses.set(decl.name.text, { decl, status });
    const green = decl.thresholds?.green;
    const amber = decl.thresholds?.amber;
    const steps: KpiCard['steps'] = [];
    for (const ref of decl.step?.refs ?? []) {
      const process = resolve(ref.name)?.decl;
      const step = process?.kind === 'process' && ref.member ? findStep(process, ref.member.text) : undefined;
      if (process && step) steps.push({ process: process.name.text, step: step.name.text, title: step.title?.value ?? step.name.text, ...(step.sop ? { sop: step.sop.ref.name } : {}) });
    }
    const card: KpiCard = {
      ...named(decl),
      where: where(doc, decl),
      placements: placementsOf.get(decl.name.text) ?? [],
      actuals: status.series.map(measurement),
      status: status.status,
      statusReason: status.reason,
      stale: status.stale,
      steps,
      supports: decl.supports?.refs.map((r) => r.name) ?? [],
      levers: decl.levers?.values.map((v) => v.value) ?? [],
      depends: decl.depends?.refs.map((r) => r.name) ?? [],
      dependents: dependents.get(decl.name.text) ?? [],
    };
    const owner = ownerRef(decl.owner?.refs[0]?.name);
    if (owner) card.owner = owner;
    if (decl.outcome) card.outcome = decl.outcome.value.value;
    if (decl.perspective) card.perspective = decl.perspective.value;
    if (decl.target?.comparison) card.target = { op: decl.target.comparison.op, value: decl.target.comparison.value };
    if (decl.target?.text) card.targetText = decl.target.text.value;
    if (green && amber) card.thresholds = { green: { op: green.op, value: green.value }, amber: { op: amber.op, value: amber.value } };
    if (decl.unit) card.unit = decl.unit.value.value;
    if (status.latest) card.latest = measurement(status.latest);
    if (status.trend) card.trend = kpiTrend(status.trend);
    if (status.direction) card.direction = status.direction;
    if (decl.indicator) card.indicator = decl.indicator.value;
    if (decl.frequency) card.frequency = decl.frequency.value;
    if (decl.checkpoint) card.checkpoint = decl.checkpoint.value;
    if (decl.why) card.why = decl.why.value.value;
    if (decl.visibility) card.visibility = decl.visibility.value.value;
    if (decl.motivation) card.motivation = decl.motivation.value.value;
    if (decl.data) card.data = decl.data.value.value;
    return card;
  });
  const kpiByName = new Map(kpis.map((k) => [k.name, k]));
  // Who supports what and which KPIs sit at which step, indexed once: looked up
  // per objective and per step, a scan of every KPI each time is quadratic on a
  // large workspace (the panel rebuilds the model after every edit).
  const supportersOf = groupBy(kpis, (k) => k.supports);
  const kpisAtStep = groupBy(kpis, (k) => k.steps.map((s) => stepKey(s.process, s.step)));

  const objectives: ObjectiveCard[] = ofKind('objective').map(({ doc, decl }: DeclEntry<ObjectiveDecl>) => {
    const keyResults = decl.keyResults.map((k) => k.ref.name);
    const supportedBy = (supportersOf.get(decl.name.text) ?? []).map((k) => k.name);
    // A key result that names no KPI is not a key result (LANGUAGE.md section 4.1).
    const measuring = [...new Set(keyResults)].filter((name) => kpiByName.has(name));
    const statusesOf = (names: string[]) => names.map((name) => kpiByName.get(name)!.status);
    const dueProjections: DueProjection[] = [];
    for (const name of decl.due ? measuring : []) {
      const { decl: kpi, status } = kpiStatuses.get(name)!;
      const classify = classifierOf(kpi);
      const projection = status.trend && classify ? dueProjection(name, status.trend, decl.due!.date, classify) : undefined;
      if (projection) dueProjections.push(projection);
    }
    const card: ObjectiveCard = {
      ...named(decl),
      where: where(doc, decl),
      keyResults,
      supportedBy,
      status: objectiveStatus(statusesOf(measuring), statusesOf(supportedBy)),
      dueProjections,
      drives: decl.drives?.refs.map((r) => r.name) ?? [],
    };
    const owner = ownerRef(decl.owner?.refs[0]?.name);
    if (owner) card.owner = owner;
    if (decl.perspective) card.perspective = decl.perspective.value;
    if (decl.due) card.due = formatDay(decl.due.date);
    return card;
  });

  const processes: ProcessCard[] = ofKind('process').map(({ doc, decl }: DeclEntry<ProcessDecl>) => {
    const stepOwner = (name: string) => findStep(decl, name)?.owner?.refs[0]?.name;
    const card: ProcessCard = {
      ...named(decl),
      where: where(doc, decl),
      steps: decl.steps.map((step) => {
        const owner = step.owner?.refs[0]?.name;
        const next = step.next?.refs.map((r) => r.name) ?? [];
        const stepCard: ProcessCard['steps'][number] = {
          ...named(step),
          where: where(doc, step),
          next,
          handoffs: next.flatMap((to) => {
            const toOwner = stepOwner(to);
            return owner && toOwner && toOwner !== owner ? [{ to, from: owner, owner: toOwner }] : [];
          }),
          kpis: (kpisAtStep.get(stepKey(decl.name.text, step.name.text)) ?? []).map((k) => k.name),
        };
        const ownerInfo = ownerRef(owner);
        if (ownerInfo) stepCard.owner = ownerInfo;
        if (step.sop) stepCard.sop = step.sop.ref.name;
        return stepCard;
      }),
    };
    const owner = ownerRef(decl.owner?.refs[0]?.name);
    if (owner) card.owner = owner;
    return card;
  });

  const today = workspace.today();
  const sops: SopCard[] = ofKind('sop').map(({ doc, decl }: DeclEntry<SopDecl>) => {
    const due = reviewDue(decl);
    const card: SopCard = {
      ...named(decl),
      where: where(doc, decl),
      roles: decl.roles?.refs.map((r) => r.name) ?? [],
      checklist: decl.steps?.values.map((v) => v.value) ?? [],
      exceptions: decl.exceptions.map((e) => ({ when: e.when.value, then: e.then.value })),
      tools: decl.tools?.values.map((v) => v.value) ?? [],
      overdue: due !== undefined && due < today,
    };
    const owner = ownerRef(decl.owner?.refs[0]?.name);
    if (owner) card.owner = owner;
    if (decl.objective) card.objective = decl.objective.value.value;
    if (decl.trigger) card.trigger = decl.trigger.value.value;
    if (decl.review) card.review = { every: decl.review.every, unit: `${decl.review.unit}${decl.review.every === 1 ? '' : 's'}` };
    if (decl.reviewed) card.reviewed = formatDay(decl.reviewed.date);
    if (due !== undefined) card.reviewDue = formatDay(due);
    return card;
  });

  const ownerOf = (card: { owner?: OwnerRef }) => (card.owner ? [card.owner.name] : []);
  const owned = {
    kpis: groupBy(kpis, ownerOf),
    steps: groupBy(
      processes.flatMap((p) => p.steps.map((s) => ({ owner: s.owner, name: `${p.name}.${s.name}` }))),
      ownerOf,
    ),
    processes: groupBy(processes, ownerOf),
    sops: groupBy(sops, ownerOf),
    objectives: groupBy(objectives, ownerOf),
  };
  const namesOwnedBy = (index: Map<string, { name: string }[]>, owner: string) => (index.get(owner) ?? []).map((item) => item.name);
  const owners: OwnerCard[] = (firsts.filter((e) => e.decl.kind === 'role' || e.decl.kind === 'team') as DeclEntry<RoleDecl>[])
    .map(({ doc, decl }) => {
      const name = decl.name.text;
      const card: OwnerCard = {
        ...named(decl),
        where: where(doc, decl),
        kind: decl.kind,
        kpis: namesOwnedBy(owned.kpis, name),
        steps: namesOwnedBy(owned.steps, name),
        processes: namesOwnedBy(owned.processes, name),
        sops: namesOwnedBy(owned.sops, name),
        objectives: namesOwnedBy(owned.objectives, name),
      };
      const fn = decl.in ? resolve(decl.in.name)?.decl : undefined;
      if (fn?.kind === 'function') card.function = named(fn);
      return card;
    });

  // A pair of KPIs is one meeting of its two owners (LANGUAGE.md section 7):
  // when both are amber or red, the pair is listed once, from the side of the
  // worse status (red first), or else of the KPI declared first.
  const jointReviews: JointReview[] = [];
  const listedPairs = new Set<string>();
  const pairKey = (a: string, b: string) => JSON.stringify(a < b ? [a, b] : [b, a]);
  const handoffs = cardHandoffs(kpiByName);
  const worstFirst = [...kpis.filter((k) => k.status === 'red'), ...kpis.filter((k) => k.status === 'amber')];
  for (const kpi of worstFirst) {
    const review = jointReviewPartners(kpi, handoffs);
    if (!review) continue;
    const { mine } = review;
    for (const { partner, relation, theirs } of review.partners) {
      if (listedPairs.has(pairKey(kpi.name, partner.name))) continue;
      listedPairs.add(pairKey(kpi.name, partner.name));
      jointReviews.push({
        kpi: kpi.name,
        status: kpi.status,
        partner: partner.name,
        relation,
        owners: [
          { role: kpi.owner!.name, function: mine },
          { role: partner.owner!.name, function: theirs },
        ],
      });
    }
  }

  const functions = ofKind('function').map(({ doc, decl }) => ({ ...named(decl), where: where(doc, decl) }));
  let model: ScorecardModel = {
    version: SCORECARD_MODEL_VERSION,
    today: formatDay(today),
    scope,
    perspectives: PERSPECTIVES.map((id) => ({ id, label: PERSPECTIVE_LABELS[id] })),
    scorecards,
    kpis,
    objectives,
    processes,
    sops,
    owners,
    functions,
    jointReviews,
    problems: { errors: 0, warnings: 0 },
  };
  if (scope.kind === 'file') model = narrowToFile(model, scope.file);
  model.agenda = buildAgenda(model, atRiskOf(model.kpis));
  const files = new Set(scope.kind === 'file' ? [scope.file] : workspace.documents.map((d) => d.key));
  for (const file of files) {
    for (const d of workspace.diagnostics(file)) {
      if (d.severity === 'error') model.problems.errors++;
      else if (d.severity === 'warning') model.problems.warnings++;
    }
  }
  return model;
}

/** The hand-off graph as the scorecard sees it: kpi cards by name. */
function cardHandoffs(kpiByName: ReadonlyMap<string, KpiCard>): HandoffResolver<KpiCard, Named> {
  const cards = (names: string[]) => names.map((name) => kpiByName.get(name)).filter((card): card is KpiCard => card !== undefined);
  return {
    dependencies: (kpi) => cards(kpi.depends),
    dependents: (kpi) => cards(kpi.dependents),
    ownerFunction: (kpi) => (kpi.owner?.kind === 'role' ? kpi.owner.function : undefined),
  };
}


/**
 * One file's view: its own declarations, plus the kpis its scorecards list
 * and its processes carry, so a scorecard file shows its kpis.
 */
function narrowToFile(model: ScorecardModel, file: string): ScorecardModel {
  const here = <T extends { where: Where }>(items: T[]) => items.filter((i) => i.where.file === file);
  const scorecards = here(model.scorecards);
  const processes = here(model.processes);
  const shown = new Set<string>(model.kpis.filter((k) => k.where.file === file).map((k) => k.name));
  for (const s of scorecards) for (const names of Object.values(s.perspectives)) for (const n of names) shown.add(n);
  for (const p of processes) for (const step of p.steps) for (const n of step.kpis) shown.add(n);
  const objectives = here(model.objectives);
  for (const o of objectives) for (const n of [...o.keyResults, ...o.supportedBy]) shown.add(n);
  return {
    ...model,
    scorecards,
    kpis: model.kpis.filter((k) => shown.has(k.name)),
    objectives,
    processes,
    sops: here(model.sops),
    owners: here(model.owners),
    // A pair listed from its other side (both amber or red) belongs here too when this file shows that side.
    jointReviews: model.jointReviews.filter((j) => shown.has(j.kpi) || (shown.has(j.partner) && needsJointReview(model.kpis.find((k) => k.name === j.partner)?.status))),
  };
}

/** Items by each of the keys they give (in the items' order), each item once per key. */
function groupBy<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}

function stepKey(process: string, step: string): string {
  return `${process}\u0000${step}`;
}
