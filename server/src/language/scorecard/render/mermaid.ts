// Mermaid flowcharts for the Markdown export: one per process (a lane per
// step owner, lanes grouped by function, an arrow per `next`) and one
// strategy map (a band per perspective, an arrow per `drives`, a dotted arrow
// where a KPI of one objective depends on a KPI of another). GitHub and
// GitLab draw a ```mermaid fence as a diagram in pull requests and READMEs.
//
// Nothing the user wrote becomes Mermaid syntax: every id is generated, and
// every label is double-quoted with all but letters, digits, spaces and a few
// plain punctuation marks written as Mermaid entity codes (`#35;`), so quotes,
// brackets, `#`, `;`, backticks (which would open a Markdown label or close
// the fence), HTML tags and arrows stay text. The output depends only on the
// model, so the same workspace gives the same text.
import type { StatusKind } from '../../model/status';
import { dependsCrossings } from '../maps';
import { compareText, edgeKey, walkFrom } from '../maps/order';
import { objectiveKpis } from './maps/inputs';
import { PERSPECTIVE_LABELS, type KpiCard, type ObjectiveCard, type ProcessCard, type ScorecardModel, type SopCard, type StepCard } from '../model';
import { STATUS_EMOJI, statusWord } from './text';

/**
 * Mermaid's defaults, which GitHub and GitLab keep: a longer diagram text or
 * more edges and the service shows an error instead of the diagram.
 */
export const MERMAID_MAX_TEXT = 50_000;
export const MERMAID_MAX_EDGES = 500;

/** The longest text one label line shows, in characters; longer text ends with "…". */
const LINE_LENGTH = 80;
/** A compact diagram (the fallback for a large process) shows shorter titles and no KPIs. */
const COMPACT_LINE_LENGTH = 40;
/** At most this many KPIs are listed in one node; the rest are counted. */
const KPIS_PER_NODE = 8;

/** Kept as they are; every other ASCII character is written as an entity code. */
const PLAIN_ASCII = /^[A-Za-z0-9 .,'?!+-]$/;
/** Non-ASCII characters kept as they are: letters, marks, numbers, punctuation, symbols (emoji), spaces. */
const PLAIN_OTHER = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;
/** An `@` that GitHub or GitLab could read as the start of a mention (as in the Markdown text). */
const MENTION_START = /(?<![A-Za-z0-9_])@/g;

/**
 * User text as the inside of a double-quoted Mermaid label: one line, at
 * most `maxLength` characters, mentions broken by a zero-width space, and
 * every character that means something to Mermaid, Markdown or HTML written
 * as Mermaid's `#code;` (which Mermaid shows as the character itself).
 */
export function mermaidText(value: unknown, maxLength = LINE_LENGTH): string {
  let text = String(value ?? '')
    .replace(/\s+/gu, ' ')
    .trim();
  const characters = [...text];
  if (characters.length > maxLength) text = `${characters.slice(0, maxLength - 1).join('').trimEnd()}…`;
  let out = '';
  for (const character of text.replace(MENTION_START, '@\u200B')) {
    const plain = character.charCodeAt(0) < 0x80 ? PLAIN_ASCII.test(character) : PLAIN_OTHER.test(character);
    out += plain ? character : `#${character.codePointAt(0)!};`;
  }
  return out;
}

/** A node or edge label from lines already escaped: quoted, lines joined by Mermaid's line break. */
function label(lines: readonly string[]): string {
  return `"${lines.join('<br>')}"`;
}

function statusLine(status: StatusKind, text: string, maxLength: number): string {
  return `${STATUS_EMOJI[status] ?? ''} ${statusWord(status)} · ${mermaidText(text, maxLength)}`.trim();
}

/** A diagram's source (without the fence) or, when Mermaid could not draw it, a sentence saying why. */
export type Diagram = { kind: 'diagram'; source: string } | { kind: 'too-large'; sentence: string };

function fits(source: string, edges: number): boolean {
  return source.length <= MERMAID_MAX_TEXT && edges <= MERMAID_MAX_EDGES;
}

// ------------------------------------------------------------------ processes

interface ProcessGraph {
  /** The steps, first declaration of each name, in written order (the entry first). */
  readonly steps: readonly StepCard[];
  /** Each step's known `next` steps, once each, in written order. */
  readonly next: ReadonlyMap<string, readonly string[]>;
  readonly reachable: ReadonlySet<string>;
  /** `edgeKey`s of the `next` links that close a loop. */
  readonly backEdges: ReadonlySet<string>;
}

/**
 * Reachability and loop edges the way the process map finds them (a
 * depth-first walk from the entry, then from the unreachable steps by
 * name), so the diagram and the map mark the same steps and arrows.
 */
function processGraph(process: ProcessCard): ProcessGraph {
  const byName = new Map<string, StepCard>();
  for (const step of process.steps) if (!byName.has(step.name)) byName.set(step.name, step);
  const steps = [...byName.values()];
  const next = new Map(steps.map((step) => [step.name, [...new Set(step.next)].filter((name) => byName.has(name))]));
  const successors = (name: string) => next.get(name) ?? [];
  const fromEntry = walkFrom(steps.length > 0 ? [steps[0]!.name] : [], successors);
  const reachable = new Set(fromEntry.reached);
  const unreachable = steps.filter((step) => !reachable.has(step.name)).map((step) => step.name).sort(compareText);
  const rest = walkFrom(unreachable, successors, reachable);
  return { steps, next, reachable, backEdges: new Set([...fromEntry.backEdges, ...rest.backEdges]) };
}

interface Lane {
  readonly id: string;
  readonly title: string;
  readonly steps: StepCard[];
}

interface FunctionGroup {
  readonly id: string;
  /** Undefined for the lanes whose owner has no function (and the lane of steps without owner): they stand alone. */
  readonly title: string | undefined;
  readonly lanes: Lane[];
}

/** Lanes per owner, grouped by the owner's function, each in the order its first step is written. */
function lanesOf(steps: readonly StepCard[]): FunctionGroup[] {
  const groups = new Map<string, FunctionGroup>();
  const lanes = new Map<string, Lane>();
  let laneCount = 0;
  for (const step of steps) {
    const owner = step.owner;
    const functionKey = owner?.function ? `f:${owner.function.name}` : 'none';
    let group = groups.get(functionKey);
    if (!group) {
      group = { id: `fn${groups.size}`, title: owner?.function?.title, lanes: [] };
      groups.set(functionKey, group);
    }
    const laneKey = owner ? `o:${owner.name}` : 'none';
    let lane = lanes.get(laneKey);
    if (!lane) {
      lane = { id: `lane${laneCount++}`, title: owner?.title ?? 'No owner', steps: [] };
      lanes.set(laneKey, lane);
      group.lanes.push(lane);
    }
    lane.steps.push(step);
  }
  return [...groups.values()];
}

interface ProcessDetail {
  readonly maxLength: number;
  readonly kpis: boolean;
}

function processSource(graph: ProcessGraph, model: ScorecardModel, detail: ProcessDetail): { source: string; edges: number } {
  const kpiByName = new Map(model.kpis.map((kpi) => [kpi.name, kpi]));
  const sopByName = new Map(model.sops.map((sop) => [sop.name, sop]));
  const idOf = new Map(graph.steps.map((step, index) => [step.name, `step${index}`]));
  const entry = graph.steps[0]?.name;
  const node = (step: StepCard, indent: string): string => `${indent}${idOf.get(step.name)!}[${label(stepLines(step, step.name === entry, !graph.reachable.has(step.name), kpiByName, sopByName, detail))}]`;

  const out = ['flowchart LR'];
  for (const group of lanesOf(graph.steps)) {
    const nested = group.title !== undefined;
    if (nested) out.push(`  subgraph ${group.id} [${label([mermaidText(group.title, detail.maxLength)])}]`);
    const indent = nested ? '    ' : '  ';
    for (const lane of group.lanes) {
      out.push(`${indent}subgraph ${lane.id} [${label([mermaidText(lane.title, detail.maxLength)])}]`);
      for (const step of lane.steps) out.push(node(step, `${indent}  `));
      out.push(`${indent}end`);
    }
    if (nested) out.push('  end');
  }

  let edges = 0;
  const byName = new Map(graph.steps.map((step) => [step.name, step]));
  for (const step of graph.steps) {
    for (const target of graph.next.get(step.name) ?? []) {
      const to = byName.get(target)!;
      out.push(`  ${idOf.get(step.name)!} ${arrow(step, to, graph.backEdges.has(edgeKey(step.name, target)), detail.maxLength)} ${idOf.get(target)!}`);
      edges++;
    }
  }

  const entryAndUnreachable = [
    ...(entry !== undefined ? [`  class ${idOf.get(entry)!} entry`] : []),
    ...graph.steps.filter((step) => !graph.reachable.has(step.name)).map((step) => `  class ${idOf.get(step.name)!} unreachable`),
  ];
  if (entryAndUnreachable.length > 0) {
    out.push('  classDef entry stroke-width:3px', '  classDef unreachable stroke-dasharray:6 4', ...entryAndUnreachable);
  }
  return { source: out.join('\n'), edges };
}

function stepLines(
  step: StepCard,
  entry: boolean,
  unreachable: boolean,
  kpiByName: ReadonlyMap<string, KpiCard>,
  sopByName: ReadonlyMap<string, SopCard>,
  detail: ProcessDetail,
): string[] {
  const lines = [mermaidText(step.title || step.name, detail.maxLength)];
  if (entry) lines.push('▶ entry step');
  if (unreachable) lines.push('⚠ unreachable');
  if (!detail.kpis) return lines;
  if (step.sop !== undefined) {
    const sop = sopByName.get(step.sop);
    lines.push(`📄 SOP ${mermaidText(sop?.title ?? step.sop, detail.maxLength)}${sop?.overdue ? ' · ⏰ review overdue' : ''}`);
  }
  const kpis = step.kpis.map((name) => kpiByName.get(name)).filter((kpi): kpi is KpiCard => kpi !== undefined);
  for (const kpi of kpis.slice(0, KPIS_PER_NODE)) lines.push(statusLine(kpi.status, kpi.title, detail.maxLength));
  if (kpis.length > KPIS_PER_NODE) lines.push(`and ${kpis.length - KPIS_PER_NODE} more KPIs`);
  return lines;
}

/**
 * The arrow between two steps: plain along one owner's lane, labelled
 * "hand-off" between owners, thick and naming both functions between
 * functions, dotted when it closes a loop (labelled too, so the difference
 * is never only the line's style).
 */
function arrow(from: StepCard, to: StepCard, back: boolean, maxLength: number): string {
  const handOff = from.owner?.name !== to.owner?.name;
  const fromFunction = from.owner?.function;
  const toFunction = to.owner?.function;
  const crossFunction = fromFunction?.name !== toFunction?.name;
  const words: string[] = [];
  if (back) words.push('loop back');
  if (crossFunction) {
    words.push(`hand-off ${mermaidText(fromFunction?.title ?? 'no function', maxLength)} → ${mermaidText(toFunction?.title ?? 'no function', maxLength)}`);
  } else if (handOff) {
    words.push('hand-off');
  }
  const text = words.length > 0 ? `|${label([words.join(' · ')])}|` : '';
  if (back) return `-.->${text}`;
  if (crossFunction) return `==>${text}`;
  return `-->${text}`;
}

/**
 * A process as a Mermaid flowchart, or undefined when it has no steps. A
 * process too large for Mermaid's limits gets a compact diagram (titles
 * only), and when even that is too large, a sentence instead.
 */
export function processDiagram(process: ProcessCard, model: ScorecardModel): Diagram | undefined {
  const graph = processGraph(process);
  if (graph.steps.length === 0) return undefined;
  for (const detail of [
    { maxLength: LINE_LENGTH, kpis: true },
    { maxLength: COMPACT_LINE_LENGTH, kpis: false },
  ]) {
    const { source, edges } = processSource(graph, model, detail);
    if (fits(source, edges)) return { kind: 'diagram', source };
  }
  const arrows = [...graph.next.values()].reduce((sum, targets) => sum + targets.length, 0);
  return {
    kind: 'too-large',
    sentence: `${graph.steps.length} steps and ${arrows} arrows are more than a Mermaid diagram can show; the HTML export draws this process.`,
  };
}

// --------------------------------------------------------------- strategy map

/** Bottom up, as the strategy map is read, then the objectives without a perspective. */
const BANDS_BOTTOM_UP = ['learning', 'internal', 'customer', 'financial', undefined] as const;

function bandOf(objective: ObjectiveCard): (typeof BANDS_BOTTOM_UP)[number] {
  return BANDS_BOTTOM_UP.find((perspective) => perspective !== undefined && perspective === objective.perspective);
}

/** An objective's KPIs: its key results, then the KPIs that support it, each once. */
/**
 * The strategy map as a Mermaid flowchart drawn bottom up, or undefined when
 * there is no objective. Objectives keep their written order inside a band.
 */
export function strategyDiagram(model: ScorecardModel): Diagram | undefined {
  const objectives: ObjectiveCard[] = [];
  const seen = new Set<string>();
  for (const objective of model.objectives) if (!seen.has(objective.name)) (seen.add(objective.name), objectives.push(objective));
  if (objectives.length === 0) return undefined;
  for (const detail of [
    { maxLength: LINE_LENGTH, kpis: true },
    { maxLength: COMPACT_LINE_LENGTH, kpis: false },
  ]) {
    const { source, edges } = strategySource(objectives, model, detail);
    if (fits(source, edges)) return { kind: 'diagram', source };
  }
  return { kind: 'too-large', sentence: `${objectives.length} objectives are more than a Mermaid diagram can show; the HTML export draws the strategy map.` };
}

function strategySource(objectives: readonly ObjectiveCard[], model: ScorecardModel, detail: ProcessDetail): { source: string; edges: number } {
  const kpiByName = new Map(model.kpis.map((kpi) => [kpi.name, kpi]));
  const idOf = new Map(objectives.map((objective, index) => [objective.name, `goal${index}`]));
  const perspectiveLabel = (id: (typeof BANDS_BOTTOM_UP)[number]) =>
    id === undefined ? 'No perspective' : (model.perspectives.find((p) => p.id === id)?.label ?? PERSPECTIVE_LABELS[id] ?? id);

  const out = ['flowchart BT'];
  const bands: string[] = [];
  BANDS_BOTTOM_UP.forEach((perspective, index) => {
    const members = objectives.filter((objective) => bandOf(objective) === perspective);
    if (members.length === 0) return;
    const id = `band${index}`;
    bands.push(id);
    out.push(`  subgraph ${id} [${label([mermaidText(perspectiveLabel(perspective))])}]`);
    for (const objective of members) out.push(`    ${idOf.get(objective.name)!}[${label(objectiveLines(objective, kpiByName, detail))}]`);
    out.push('  end');
  });
  // Invisible links stack the bands bottom up even where no arrow joins them.
  for (let index = 1; index < bands.length; index++) out.push(`  ${bands[index - 1]!} ~~~ ${bands[index]!}`);

  let edges = bands.length > 0 ? bands.length - 1 : 0;
  for (const objective of objectives) {
    for (const target of new Set(objective.drives)) {
      if (target === objective.name || !idOf.has(target)) continue;
      out.push(`  ${idOf.get(objective.name)!} --> ${idOf.get(target)!}`);
      edges++;
    }
  }
  const withKpis = objectives.map((objective) => ({ name: objective.name, kpis: objectiveKpis(objective) }));
  for (const crossing of dependsCrossings(withKpis, model.kpis)) {
    const pairs = crossing.via.map(({ from, to }) => `${mermaidText(kpiByName.get(from)?.title ?? from, detail.maxLength)} → ${mermaidText(kpiByName.get(to)?.title ?? to, detail.maxLength)}`);
    const text = detail.kpis ? `|${label([`KPI depends · ${pairs.join(' · ')}`])}|` : `|${label(['KPI depends'])}|`;
    out.push(`  ${idOf.get(crossing.from)!} -.->${text} ${idOf.get(crossing.to)!}`);
    edges++;
  }
  return { source: out.join('\n'), edges };
}

function objectiveLines(objective: ObjectiveCard, kpiByName: ReadonlyMap<string, KpiCard>, detail: ProcessDetail): string[] {
  const status = objective.status;
  const lines = [mermaidText(objective.title || objective.name, detail.maxLength), `${STATUS_EMOJI[status]} ${statusWord(status)}`];
  if (!detail.kpis) return lines;
  const kpis = objectiveKpis(objective).map((name) => kpiByName.get(name)).filter((kpi): kpi is KpiCard => kpi !== undefined);
  for (const kpi of kpis.slice(0, KPIS_PER_NODE)) lines.push(statusLine(kpi.status, kpi.title, detail.maxLength));
  if (kpis.length > KPIS_PER_NODE) lines.push(`and ${kpis.length - KPIS_PER_NODE} more KPIs`);
  return lines;
}

/**
 * One dotted arrow per pair of objectives where a KPI of `to` depends on a
 * KPI of `from`, with the KPI pairs. A KPI counts for the first objective by
 * name that lists it, as on the strategy map; pairs and arrows sorted by name.
 */
/** A diagram as Markdown: a ```mermaid fence, or the sentence in italics (then a blank line). */
export function mermaidFence(diagram: Diagram): string[] {
  return diagram.kind === 'diagram' ? ['```mermaid', diagram.source, '```', ''] : [`_${diagram.sentence}_`, ''];
}
