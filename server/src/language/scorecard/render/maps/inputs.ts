// The scorecard model → the layout's inputs (maps/types.ts), with what the
// renderer writes in each box: the layout sizes a box from the very lines
// drawn in it (`shownLines`), so the text and the box agree.
import type { StatusKind } from '../../../model/status';
import type { HandOffInput, ObjectiveInput, ProcessInput, ProcessStepInput, StrategyInput } from '../../maps';
import type { Crossing } from '../../maps';
import type { KpiCard, ObjectiveCard, ProcessCard, ScorecardModel, SopCard, StepCard } from '../../model';
import { STATUS_ORDER } from '../text';
import { measuredText, statusLine, type MapLine } from './svg';

/**
 * The lookups every map needs, built once per model, each when first asked
 * for: the page's live update draws a changed process's map, which needs the
 * KPIs and SOPs only.
 */
export class MapSource {
  private kpiMap: Map<string, KpiCard> | undefined;
  private sopMap: Map<string, SopCard> | undefined;
  private objectiveMap: Map<string, ObjectiveCard> | undefined;
  private functionTitleMap: Map<string, string> | undefined;

  constructor(readonly model: ScorecardModel) {}

  get kpis(): Map<string, KpiCard> {
    return (this.kpiMap ??= firstByName(this.model.kpis));
  }

  get sops(): Map<string, SopCard> {
    return (this.sopMap ??= firstByName(this.model.sops));
  }

  get objectives(): Map<string, ObjectiveCard> {
    return (this.objectiveMap ??= firstByName(this.model.objectives));
  }

  get functionTitles(): Map<string, string> {
    if (this.functionTitleMap) return this.functionTitleMap;
    const titles = new Map<string, string>();
    const add = (fn: { name: string; title: string } | undefined) => {
      if (fn && !titles.has(fn.name)) titles.set(fn.name, fn.title);
    };
    const model = this.model;
    for (const fn of model.functions) add(fn);
    for (const owner of model.owners) add(owner.function);
    for (const kpi of model.kpis) add(kpi.owner?.function);
    for (const process of model.processes) for (const step of process.steps) add(step.owner?.function);
    return (this.functionTitleMap = titles);
  }

  kpiLine(name: string): MapLine {
    const kpi = this.kpis.get(name);
    return statusLine(kpi?.status ?? 'unscored', kpi?.title ?? name);
  }

  functionTitle(name: string): string {
    return this.functionTitles.get(name) ?? name;
  }
}

/** Each name's first card. */
function firstByName<Card extends { name: string }>(cards: readonly Card[]): Map<string, Card> {
  const byName = new Map<string, Card>();
  for (const card of cards) if (!byName.has(card.name)) byName.set(card.name, card);
  return byName;
}

/** The worst of some statuses by the page's order (red, amber, green, no data, unscored); no data when there is none. */
export function worstStatus(statuses: readonly StatusKind[]): StatusKind {
  let worst: StatusKind | undefined;
  for (const status of statuses) if (worst === undefined || STATUS_ORDER.indexOf(status) < STATUS_ORDER.indexOf(worst)) worst = status;
  return worst ?? 'no-data';
}

// ---------------------------------------------------------------- process

/** The lines of a step's box: its title, its SOP (and the overdue mark), its KPIs with status. */
export function stepShownLines(source: MapSource, step: StepCard): MapLine[] {
  const lines: MapLine[] = [{ text: step.title, cls: 'title' }];
  if (step.sop !== undefined) {
    const sop = source.sops.get(step.sop);
    lines.push({ text: `SOP: ${sop?.title ?? step.sop}`, cls: 'muted', ...(sop?.overdue ? { suffix: { text: ' · ⚠ review overdue', cls: 'overdue' } } : {}) });
  }
  for (const name of step.kpis) lines.push(source.kpiLine(name));
  return lines;
}

export function processInput(source: MapSource, process: ProcessCard): ProcessInput {
  return {
    name: process.name,
    steps: process.steps.map(
      (step): ProcessStepInput => ({
        name: step.name,
        title: step.title,
        owner: step.owner?.name,
        ownerFunction: step.owner?.function?.name,
        ownerTitle: step.owner?.title,
        ownerFunctionTitle: step.owner?.function?.title,
        next: step.next,
        sop: step.sop,
        kpis: step.kpis,
        shownLines: stepShownLines(source, step).map(measuredText),
      }),
    ),
  };
}

// ---------------------------------------------------------------- strategy

export function objectiveKpis(objective: ObjectiveCard): string[] {
  return [...new Set([...objective.keyResults, ...objective.supportedBy])];
}

export function objectiveShownLines(source: MapSource, objective: ObjectiveCard): MapLine[] {
  return [{ text: objective.title, cls: 'title' }, statusLine(objective.status, 'objective', 'muted'), ...objectiveKpis(objective).map((name) => source.kpiLine(name))];
}

export function strategyInput(source: MapSource): StrategyInput {
  const objectives: ObjectiveInput[] = source.model.objectives.map((objective) => ({
    name: objective.name,
    title: objective.title,
    perspective: objective.perspective,
    drives: objective.drives,
    kpis: objectiveKpis(objective),
    shownLines: objectiveShownLines(source, objective).map(measuredText),
  }));
  return { objectives, kpis: source.model.kpis.filter((kpi) => kpi.depends.length > 0).map((kpi) => ({ name: kpi.name, depends: kpi.depends })) };
}

// ---------------------------------------------------------------- hand-offs

/** The KPIs of a function: those whose owner is in it. */
export function functionKpis(source: MapSource, fn: string): KpiCard[] {
  return source.model.kpis.filter((kpi) => kpi.owner?.function?.name === fn);
}

export function functionShownLines(source: MapSource, fn: string): MapLine[] {
  const kpis = functionKpis(source, fn);
  return [
    { text: source.functionTitle(fn), cls: 'title' },
    { text: kpis.length === 1 ? '1 KPI' : `${kpis.length} KPIs`, cls: 'muted' },
    statusLine(worstStatus(kpis.map((kpi) => kpi.status)), 'worst', 'muted'),
  ];
}

/**
 * The KPIs an edge between functions carries: both KPIs of each `depends`
 * crossing, and the KPIs at both steps of each hand-off.
 */
export function carriedKpis(source: MapSource, crossings: readonly Crossing[]): KpiCard[] {
  const names = new Set<string>();
  for (const crossing of crossings) {
    if (crossing.kind === 'depends') {
      names.add(crossing.from);
      names.add(crossing.to);
    } else {
      const process = source.model.processes.find((p) => p.name === crossing.process);
      for (const step of process?.steps ?? []) if (step.name === crossing.from || step.name === crossing.to) for (const name of step.kpis) names.add(name);
    }
  }
  return [...names].map((name) => source.kpis.get(name)).filter((kpi): kpi is KpiCard => kpi !== undefined);
}

/** The status note under an edge's crossings: the worst status, worded, and "joint review" when it is amber or red. */
export function edgeNote(source: MapSource, crossings: readonly Crossing[]): MapLine | undefined {
  const kpis = carriedKpis(source, crossings);
  if (kpis.length === 0) return undefined;
  const worst = worstStatus(kpis.map((kpi) => kpi.status));
  return statusLine(worst, worst === 'red' || worst === 'amber' ? 'joint review' : '', worst === 'red' || worst === 'amber' ? 'joint' : 'muted');
}

export function handOffInput(source: MapSource): HandOffInput {
  const { model } = source;
  const named = new Set<string>([...model.functions.map((fn) => fn.name), ...source.functionTitles.keys()]);
  return {
    functions: [...named].map((name) => ({ name, title: source.functionTitle(name), kpiCount: functionKpis(source, name).length, shownLines: functionShownLines(source, name).map(measuredText) })),
    kpis: model.kpis.map((kpi) => ({ name: kpi.name, title: kpi.title, ownerFunction: kpi.owner?.function?.name, depends: kpi.depends })),
    processes: model.processes.map((process) => processInput(source, process)),
    labelNote: (crossings) => {
      const note = edgeNote(source, crossings);
      return note === undefined ? undefined : measuredText(note);
    },
  };
}
