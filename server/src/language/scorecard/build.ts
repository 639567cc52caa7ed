// Workspace → ScorecardModel: statuses, placements, processes with their
// hand-offs and attached KPIs, owners, and the joint reviews needed. Only the
// first declaration of a name is shown (later ones are `duplicate-name` errors).
//
// A ScorecardBuilder keeps what it built: each card is remembered with the
// inputs it was made from (its declaration, where that is, the status, and
// what it looked up of other declarations, each compared with ===), and a
// card whose inputs are all the same is the same object as in the previous
// model. So a rebuild after an edit makes anew only the cards the edit can
// change, and the panel, the delta sent to it (delta.ts) and the page's memo
// can tell an unchanged card by its identity. `buildScorecardModel` is a
// builder used once: the same model from scratch.
import { PERSPECTIVES, type Declaration, type KpiDecl, type ObjectiveDecl, type Perspective, type ProcessDecl, type RoleDecl, type SopDecl } from '../model/ast';
import type { AnalyzedWorkspace } from '../analysis/engine';
import { AgendaMemo, atRiskOf, buildAgenda, type AgendaOwner } from './agenda';
import { jointReviewPartners, needsJointReview, type HandoffResolver } from '../model/jointReview';
import { objectiveStatus } from '../model/objectiveStatus';
import { formatDay, reviewDue, type Period } from '../model/periods';
import { classifierOf, type KpiStatus, type Measurement as StatusMeasurement } from '../model/status';
import { findStep } from '../workspace/symbols';
import { declaredKey, referrersKey } from '../workspace/changes';
import type { ChangeFeed, DeclEntry, SourceDocument } from '../workspace/workspace';
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
import { keepEqual, keyOf, Memo, sameInputs } from './keep';
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

/** The scorecard model from scratch. */
export function buildScorecardModel(workspace: AnalyzedWorkspace, scope: ScorecardScope = { kind: 'workspace' }): ScorecardModel {
  return new ScorecardBuilder().build(workspace, scope);
}

/** The cards one document contributes, and every key (workspace/changes.ts) building them read. */
interface DocumentCards {
  reads: Set<string>;
  kpis: KpiCard[];
  scorecards: ScorecardCard[];
  functions: FunctionCard[];
  objectives: ObjectiveCard[];
  processes: ProcessCard[];
  sops: SopCard[];
  owners: OwnerCard[];
}

type FunctionCard = ScorecardModel['functions'][number];

/** What building a document's cards may read of the workspace; every read is recorded as a key, as CheckContext does for checks. */
class Reader {
  readonly keys = new Set<string>();

  /** `sorted` holds, per name, what refers to it in workspace order: shared by the readers of one build. */
  constructor(
    private readonly workspace: AnalyzedWorkspace,
    private readonly sorted: Map<string, readonly DeclEntry[]>,
  ) {}

  /** The declaration `name` resolves to (the first in workspace order). */
  resolve(name: string): DeclEntry | undefined {
    this.keys.add(declaredKey(name));
    return this.workspace.declarations(name)[0];
  }

  /** Whether `entry` is the declaration its name resolves to (the one the scorecard shows). */
  isFirst(entry: DeclEntry): boolean {
    return this.resolve(entry.decl.name.text)?.decl === entry.decl;
  }

  /** The shown declarations of `kind` that refer to `name`, in workspace order. */
  referrers<K extends Declaration['kind']>(name: string, kind: K): DeclEntry<Extract<Declaration, { kind: K }>>[] {
    this.keys.add(referrersKey(name));
    let all = this.sorted.get(name);
    if (!all) {
      // Documents come in workspace order; within one, declarations in the order they are written.
      const found = this.workspace.referrersOf(name);
      const documentOrder = new Map<SourceDocument, number>();
      for (const e of found) if (!documentOrder.has(e.doc)) documentOrder.set(e.doc, documentOrder.size);
      all = found.sort((a, b) => documentOrder.get(a.doc)! - documentOrder.get(b.doc)! || a.decl.span.start - b.decl.span.start);
      this.sorted.set(name, all);
    }
    return all.filter((e) => e.decl.kind === kind && this.isFirst(e)) as DeclEntry<Extract<Declaration, { kind: K }>>[];
  }

  status(entry: DeclEntry<KpiDecl>): KpiStatus {
    return this.workspace.status(entry, (key) => this.keys.add(key));
  }
}

const ownerName = (decl: { owner?: { refs: { name: string }[] } }): string | undefined => decl.owner?.refs[0]?.name;

/** Builds the scorecard model again and again, keeping every card whose inputs did not change (see the top of this file). */
export class ScorecardBuilder {
  private readonly kpiCards = new Memo<KpiCard>();
  private readonly objectiveCards = new Memo<ObjectiveCard>();
  private readonly processCards = new Memo<ProcessCard>();
  private readonly sopCards = new Memo<SopCard>();
  private readonly ownerCards = new Memo<OwnerCard>();
  private readonly scorecardCards = new Memo<ScorecardCard>();
  private readonly functionCards = new Memo<FunctionCard>();
  /** Owner references by name, kept while the declarations they resolve to are the same. */
  private readonly ownerRefs = new Map<string, { decl: Declaration | undefined; fn: Declaration | undefined; ref: OwnerRef }>();
  /** Joint reviews and the agenda's groups of the last build: equal ones are reused, so they keep their identity too. */
  private lastJointReviews = new Map<string, JointReview>();
  private lastAgendaGroups = new Map<string | null, AgendaOwner>();
  private readonly agendaMemo = new AgendaMemo();
  private lastAgenda: { inputs: readonly [string, readonly KpiCard[], readonly SopCard[], readonly OwnerCard[], readonly JointReview[]]; agenda: NonNullable<ScorecardModel['agenda']> } | undefined;
  /** The workspace built last, what changed in it since, the day it was built for, and each document's cards. */
  private workspace: AnalyzedWorkspace | undefined;
  private feed: ChangeFeed | undefined;
  private today: number | undefined;
  private readonly documents = new Map<string, DocumentCards>();

  build(workspace: AnalyzedWorkspace, scope: ScorecardScope = { kind: 'workspace' }): ScorecardModel {
    const today = workspace.today();
    if (workspace !== this.workspace || !this.feed || this.feed.everything || today !== this.today) {
      this.documents.clear();
      this.workspace = workspace;
      this.feed = workspace.changeFeed();
      this.today = today;
    }
    const feed = this.feed;
    // A document is built again when its text changed or it read a key that changed; the others keep their cards.
    for (const key of feed.documents) this.documents.delete(key);
    if (feed.keys.size > 0) {
      for (const [key, cards] of this.documents) {
        for (const changed of feed.keys) {
          if (!cards.reads.has(changed)) continue;
          this.documents.delete(key);
          break;
        }
      }
    }
    feed.keys.clear();
    feed.documents.clear();

    const docs = workspace.documents;
    const fresh = new Map<SourceDocument, { reader: Reader; cards: DocumentCards }>();
    const referrers = new Map<string, readonly DeclEntry[]>();
    for (const doc of docs) {
      if (this.documents.has(doc.key)) continue;
      const reader = new Reader(workspace, referrers);
      const cards: DocumentCards = { reads: reader.keys, kpis: [], scorecards: [], functions: [], objectives: [], processes: [], sops: [], owners: [] };
      this.documentKpis(doc, reader, cards);
      fresh.set(doc, { reader, cards });
      this.documents.set(doc.key, cards);
    }
    // Objectives read the cards of their KPIs, in any document: those come first.
    const kpiByName = new Map<string, KpiCard>();
    for (const doc of docs) for (const kpi of this.documents.get(doc.key)!.kpis) kpiByName.set(kpi.name, kpi);
    for (const [doc, { reader, cards }] of fresh) this.documentOthers(doc, reader, cards, kpiByName, today);

    const all = docs.map((doc) => this.documents.get(doc.key)!);
    const kpis = concat(all, 'kpis');
    let model: ScorecardModel = {
      version: SCORECARD_MODEL_VERSION,
      today: formatDay(today),
      scope,
      perspectives: PERSPECTIVES.map((id) => ({ id, label: PERSPECTIVE_LABELS[id] })),
      scorecards: concat(all, 'scorecards'),
      kpis,
      objectives: concat(all, 'objectives'),
      processes: concat(all, 'processes'),
      sops: concat(all, 'sops'),
      owners: concat(all, 'owners'),
      functions: concat(all, 'functions'),
      jointReviews: [],
      problems: { errors: 0, warnings: 0 },
    };
    this.kpiCards.prune(model.kpis);
    this.objectiveCards.prune(model.objectives);
    this.processCards.prune(model.processes);
    this.sopCards.prune(model.sops);
    this.ownerCards.prune(model.owners);
    this.scorecardCards.prune(model.scorecards);
    this.functionCards.prune(model.functions);
    [model.jointReviews, this.lastJointReviews] = keepEqual(jointReviewsOf(kpis, kpiByName), this.lastJointReviews, (j) => `${j.kpi}\u0000${j.partner}`);
    if (scope.kind === 'file') model = narrowToFile(model, scope.file);
    model.agenda = this.agendaOf(model);
    const files = scope.kind === 'file' ? [scope.file] : docs.map((d) => d.key);
    for (const file of files) {
      for (const d of workspace.diagnostics(file)) {
        if (d.severity === 'error') model.problems.errors++;
        else if (d.severity === 'warning') model.problems.warnings++;
      }
    }
    return model;
  }

  /**
   * The agenda of `model`: the last one when it was made from the same KPI,
   * SOP and owner cards and joint reviews (all the agenda reads, with the day),
   * else made again with the cards' kept items.
   */
  private agendaOf(model: ScorecardModel): NonNullable<ScorecardModel['agenda']> {
    const inputs = [model.today, model.kpis, model.sops, model.owners, model.jointReviews] as const;
    const last = this.lastAgenda;
    if (last && last.inputs[0] === inputs[0] && last.inputs.slice(1).every((list, index) => sameInputs(list as readonly unknown[], inputs[index + 1] as readonly unknown[]))) {
      this.lastAgenda = { inputs, agenda: last.agenda };
      return last.agenda;
    }
    const made = buildAgenda(model, atRiskOf(model.kpis, this.agendaMemo), this.agendaMemo);
    let owners: AgendaOwner[];
    [owners, this.lastAgendaGroups] = keepEqual(made.owners, this.lastAgendaGroups, (g) => g.owner);
    const agenda = { ...made, owners };
    this.lastAgenda = { inputs, agenda };
    return agenda;
  }

  /** The cards that read no other card: KPIs, scorecards and functions. */
  private documentKpis(doc: SourceDocument, r: Reader, cards: DocumentCards): void {
    for (const decl of doc.model.declarations) {
      const entry = { doc, decl };
      if (!r.isFirst(entry)) continue;
      if (decl.kind === 'kpi') cards.kpis.push(this.kpiCard(entry as DeclEntry<KpiDecl>, r));
      else if (decl.kind === 'scorecard') {
        const at = where(doc, decl);
        cards.scorecards.push(
          this.scorecardCards.get(decl, [at.file, at.line, at.character], () => ({
            ...named(decl),
            where: at,
            perspectives: Object.fromEntries(PERSPECTIVES.map((p) => [p, (decl.lines[p]?.refs ?? []).map((ref) => ref.name)])) as Record<Perspective, string[]>,
          })),
        );
      } else if (decl.kind === 'function') {
        const at = where(doc, decl);
        cards.functions.push(this.functionCards.get(decl, [at.file, at.line, at.character], () => ({ ...named(decl), where: at })));
      }
    }
  }

  private kpiCard(entry: DeclEntry<KpiDecl>, r: Reader): KpiCard {
    const { doc, decl } = entry;
    const name = decl.name.text;
    const status = r.status(entry);
    const at = where(doc, decl);
    // Where each scorecard places it, scorecards in workspace order, perspectives in order.
    const placements: KpiCard['placements'] = [];
    for (const { decl: s } of r.referrers(name, 'scorecard')) {
      for (const p of PERSPECTIVES) if ((s.lines[p]?.refs ?? []).some((ref) => ref.name === name)) placements.push({ scorecard: s.name.text, perspective: p });
    }
    // The KPIs whose `depends` resolves to this one.
    const dependents = r
      .referrers(name, 'kpi')
      .filter((e) => e.decl !== decl && (e.decl.depends?.refs ?? []).some((ref) => r.resolve(ref.name)?.decl === decl))
      .map((e) => e.decl.name.text);
    const owner = this.ownerRef(ownerName(decl), r);
    // A linked step shows its title and SOP: the card reads the process declaration it names.
    const stepProcesses = (decl.step?.refs ?? []).map((ref) => r.resolve(ref.name)?.decl);
    const inputs = [at.file, at.line, at.character, status, owner, keyOf(placements.map((p) => `${p.scorecard}.${p.perspective}`)), keyOf(dependents), ...stepProcesses];
    return this.kpiCards.get(decl, inputs, () => kpiCard(decl, at, status, owner, placements, dependents, stepProcesses));
  }

  /** The cards that read KPI cards or what refers to them: objectives, processes, SOPs, roles and teams. */
  private documentOthers(doc: SourceDocument, r: Reader, cards: DocumentCards, kpiByName: ReadonlyMap<string, KpiCard>, today: number): void {
    for (const decl of doc.model.declarations) {
      const entry = { doc, decl };
      if (decl.kind === 'kpi' || decl.kind === 'scorecard' || decl.kind === 'function' || !r.isFirst(entry)) continue;
      const at = where(doc, decl);
      if (decl.kind === 'objective') cards.objectives.push(this.objectiveCard(decl, at, r, kpiByName));
      else if (decl.kind === 'process') cards.processes.push(this.processCard(doc, decl, at, r));
      else if (decl.kind === 'sop') {
        const owner = this.ownerRef(ownerName(decl), r);
        cards.sops.push(this.sopCards.get(decl, [at.file, at.line, at.character, owner, today], () => sopCard(decl, at, owner, today)));
      } else if (decl.kind === 'role' || decl.kind === 'team') cards.owners.push(this.ownerCard(decl as RoleDecl, at, r));
    }
  }

  private objectiveCard(decl: ObjectiveDecl, at: Where, r: Reader, kpiByName: ReadonlyMap<string, KpiCard>): ObjectiveCard {
    const name = decl.name.text;
    const owner = this.ownerRef(ownerName(decl), r);
    // The KPIs that support it, and its key results: their cards (status, trend) are inputs, and what those read is read here too.
    const supporterEntries = r.referrers(name, 'kpi').filter((e) => (e.decl.supports?.refs ?? []).some((ref) => ref.name === name));
    const kpiEntry = (kpiName: string) => {
      const entry = r.resolve(kpiName);
      return entry?.decl.kind === 'kpi' ? (entry as DeclEntry<KpiDecl>) : undefined;
    };
    const statuses = new Map<string, { decl: KpiDecl; status: KpiStatus }>();
    for (const e of [...supporterEntries, ...decl.keyResults.map((k) => kpiEntry(k.ref.name))]) if (e) statuses.set(e.decl.name.text, { decl: e.decl, status: r.status(e) });
    const supporters = supporterEntries.map((e) => kpiByName.get(e.decl.name.text)!);
    const keyResults = decl.keyResults.map((k) => kpiByName.get(k.ref.name));
    return this.objectiveCards.get(decl, [at.file, at.line, at.character, owner, supporters.length, ...supporters, ...keyResults], () => {
      const keyResultNames = decl.keyResults.map((k) => k.ref.name);
      const supportedBy = supporters.map((k) => k.name);
      // A key result that names no KPI is not a key result (LANGUAGE.md section 4.1).
      const measuring = [...new Set(keyResultNames)].filter((n) => kpiByName.has(n));
      const statusesOf = (names: string[]) => names.map((n) => kpiByName.get(n)!.status);
      const dueProjections: DueProjection[] = [];
      for (const n of decl.due ? measuring : []) {
        const { decl: kpi, status } = statuses.get(n)!;
        const classify = classifierOf(kpi);
        const projection = status.trend && classify ? dueProjection(n, status.trend, decl.due!.date, classify) : undefined;
        if (projection) dueProjections.push(projection);
      }
      const card: ObjectiveCard = {
        ...named(decl),
        where: at,
        keyResults: keyResultNames,
        supportedBy,
        status: objectiveStatus(statusesOf(measuring), statusesOf(supportedBy)),
        dueProjections,
        drives: decl.drives?.refs.map((ref) => ref.name) ?? [],
      };
      if (owner) card.owner = owner;
      if (decl.perspective) card.perspective = decl.perspective.value;
      if (decl.due) card.due = formatDay(decl.due.date);
      return card;
    });
  }

  private processCard(doc: SourceDocument, decl: ProcessDecl, at: Where, r: Reader): ProcessCard {
    const name = decl.name.text;
    const owner = this.ownerRef(ownerName(decl), r);
    const stepOwners = decl.steps.map((step) => this.ownerRef(ownerName(step), r));
    // The KPIs linked to each step (by the step's name), in workspace order.
    const atStep = new Map<string, string[]>();
    for (const { decl: kpi } of r.referrers(name, 'kpi')) {
      const stepNames = new Set<string>();
      for (const ref of kpi.step?.refs ?? []) {
        const step = ref.name === name && ref.member ? findStep(decl, ref.member.text) : undefined;
        if (step) stepNames.add(step.name.text);
      }
      for (const stepName of stepNames) atStep.set(stepName, [...(atStep.get(stepName) ?? []), kpi.name.text]);
    }
    const stepKpis = decl.steps.map((step) => atStep.get(step.name.text) ?? []);
    // Steps are where the process is: the same declaration at the same place has its steps at the same places.
    return this.processCards.get(decl, [at.file, at.line, at.character, owner, ...stepOwners, ...stepKpis.map(keyOf)], () => {
      const stepOwner = (stepName: string) => ownerName(findStep(decl, stepName) ?? {});
      const card: ProcessCard = {
        ...named(decl),
        where: at,
        steps: decl.steps.map((step, index) => {
          const from = ownerName(step);
          const next = step.next?.refs.map((ref) => ref.name) ?? [];
          const stepCard: ProcessCard['steps'][number] = {
            ...named(step),
            where: where(doc, step),
            next,
            handoffs: next.flatMap((to) => {
              const toOwner = stepOwner(to);
              return from && toOwner && toOwner !== from ? [{ to, from, owner: toOwner }] : [];
            }),
            kpis: stepKpis[index]!,
          };
          const ownerInfo = stepOwners[index];
          if (ownerInfo) stepCard.owner = ownerInfo;
          if (step.sop) stepCard.sop = step.sop.ref.name;
          return stepCard;
        }),
      };
      if (owner) card.owner = owner;
      return card;
    });
  }

  private ownerCard(decl: RoleDecl, at: Where, r: Reader): OwnerCard {
    const name = decl.name.text;
    const fn = decl.in ? r.resolve(decl.in.name)?.decl : undefined;
    const ownedBy = (kind: 'kpi' | 'process' | 'sop' | 'objective') =>
      (r.referrers(name, kind) as DeclEntry<KpiDecl | ProcessDecl | SopDecl | ObjectiveDecl>[]).filter((e) => ownerName(e.decl) === name).map((e) => e.decl.name.text);
    const steps = r.referrers(name, 'process').flatMap((e) => e.decl.steps.filter((s) => ownerName(s) === name).map((s) => `${e.decl.name.text}.${s.name.text}`));
    const lists: [string[], string[], string[], string[], string[]] = [ownedBy('kpi'), steps, ownedBy('process'), ownedBy('sop'), ownedBy('objective')];
    return this.ownerCards.get(decl, [at.file, at.line, at.character, fn, ...lists.map(keyOf)], () => {
      const [kpis, ownedSteps, processes, sops, objectives] = lists;
      const card: OwnerCard = { ...named(decl), where: at, kind: decl.kind, kpis, steps: ownedSteps, processes, sops, objectives };
      if (fn?.kind === 'function') card.function = named(fn);
      return card;
    });
  }

  /** The owner reference `name` makes, the same object while the role (team…) and its function are the same declarations. */
  private ownerRef(name: string | undefined, r: Reader): OwnerRef | undefined {
    if (name === undefined) return undefined;
    const decl = r.resolve(name)?.decl;
    const fn = (decl?.kind === 'role' || decl?.kind === 'team') && decl.in ? r.resolve(decl.in.name)?.decl : undefined;
    const kept = this.ownerRefs.get(name);
    if (kept && kept.decl === decl && kept.fn === fn) return kept.ref;
    let ref: OwnerRef;
    if (!decl) ref = { name, title: name, kind: 'unknown' };
    else {
      const kind = decl.kind === 'role' || decl.kind === 'team' || decl.kind === 'function' ? decl.kind : 'unknown';
      ref = { ...named(decl), kind, ...(fn?.kind === 'function' ? { function: named(fn) } : {}) };
    }
    this.ownerRefs.set(name, { decl, fn, ref });
    return ref;
  }
}

/** A kpi's card: what its declaration says, with its status and what it links to resolved. */
function kpiCard(
  decl: KpiDecl,
  at: Where,
  status: KpiStatus,
  owner: OwnerRef | undefined,
  placements: KpiCard['placements'],
  dependents: string[],
  stepProcesses: (Declaration | undefined)[],
): KpiCard {
  const green = decl.thresholds?.green;
  const amber = decl.thresholds?.amber;
  const steps: KpiCard['steps'] = [];
  (decl.step?.refs ?? []).forEach((ref, index) => {
    const process = stepProcesses[index];
    const step = process?.kind === 'process' && ref.member ? findStep(process, ref.member.text) : undefined;
    if (process && step) steps.push({ process: process.name.text, step: step.name.text, title: step.title?.value ?? step.name.text, ...(step.sop ? { sop: step.sop.ref.name } : {}) });
  });
  const card: KpiCard = {
    ...named(decl),
    where: at,
    placements,
    actuals: status.series.map(measurement),
    status: status.status,
    statusReason: status.reason,
    stale: status.stale,
    steps,
    supports: decl.supports?.refs.map((r) => r.name) ?? [],
    levers: decl.levers?.values.map((v) => v.value) ?? [],
    depends: decl.depends?.refs.map((r) => r.name) ?? [],
    dependents,
  };
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
}

function sopCard(decl: SopDecl, at: Where, owner: OwnerRef | undefined, today: number): SopCard {
  const due = reviewDue(decl);
  const card: SopCard = {
    ...named(decl),
    where: at,
    roles: decl.roles?.refs.map((r) => r.name) ?? [],
    checklist: decl.steps?.values.map((v) => v.value) ?? [],
    exceptions: decl.exceptions.map((e) => ({ when: e.when.value, then: e.then.value })),
    tools: decl.tools?.values.map((v) => v.value) ?? [],
    overdue: due !== undefined && due < today,
  };
  if (owner) card.owner = owner;
  if (decl.objective) card.objective = decl.objective.value.value;
  if (decl.trigger) card.trigger = decl.trigger.value.value;
  if (decl.review) card.review = { every: decl.review.every, unit: `${decl.review.unit}${decl.review.every === 1 ? '' : 's'}` };
  if (decl.reviewed) card.reviewed = formatDay(decl.reviewed.date);
  if (due !== undefined) card.reviewDue = formatDay(due);
  return card;
}

/**
 * A pair of KPIs is one meeting of its two owners (LANGUAGE.md section 7):
 * when both are amber or red, the pair is listed once, from the side of the
 * worse status (red first), or else of the KPI declared first.
 */
function jointReviewsOf(kpis: KpiCard[], kpiByName: ReadonlyMap<string, KpiCard>): JointReview[] {
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
  return jointReviews;
}

/** One list of a kind of card from every document's cards, in order. */
function concat<F extends Exclude<keyof DocumentCards, 'reads'>>(documents: readonly DocumentCards[], field: F): DocumentCards[F] {
  const out: DocumentCards[F][number][] = [];
  for (const cards of documents) for (const card of cards[field]) out.push(card);
  return out as DocumentCards[F];
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

