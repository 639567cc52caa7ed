// The hand-off map: functions as nodes, and an edge from one function to
// another for everything that crosses between them — a KPI that depends on
// another function's KPI (drawn from the supplier to the dependant) and a
// step that hands off to a step owned in another function. The graph is
// general (cycles between functions are common), so dagre lays it out whole,
// edge labels included: it reserves room for each label on its edge, so no
// label sits on a node.
import { graphlib, layout } from '@dagrejs/dagre';
import { boxSizeForLines, BOX_PADDING_X, LINE_HEIGHT, textWidth } from './measure';
import { compareText, edgeKey } from './order';
import type { Box, Crossing, FunctionEdge, FunctionInput, FunctionNode, HandOffInput, HandOffLayout, Point } from './types';

/** At most this many crossings are listed on an edge; the rest are counted. */
export const LISTED_CROSSINGS = 4;
const MARGIN = 16;

export function functionLines(fn: FunctionInput): string[] {
  if (fn.shownLines !== undefined) return [...fn.shownLines];
  return [fn.title ?? fn.name, fn.kpiCount === 1 ? '1 KPI' : `${fn.kpiCount} KPIs`];
}

/** The label of an edge, a line per crossing: "Step → Step" for a hand-off, "KPI needs KPI" for a dependency. */
export function crossingLines(crossings: readonly Crossing[]): string[] {
  const lines = crossings.slice(0, LISTED_CROSSINGS).map((crossing) => (crossing.kind === 'hand-off' ? `${crossing.from} → ${crossing.to}` : `${crossing.to} needs ${crossing.from}`));
  if (crossings.length > LISTED_CROSSINGS) lines.push(`and ${crossings.length - LISTED_CROSSINGS} more`);
  return lines;
}

export function layoutHandOffs(input: HandOffInput): HandOffLayout {
  const { functions, crossings } = collect(input);
  const nodeSizes = new Map(functions.map((fn) => [fn.name, boxSizeForLines(functionLines(fn))]));
  const edgeList = [...crossings.entries()]
    .map(([key, list]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      const sorted = list.sort(compareCrossings);
      const note = input.labelNote?.(sorted);
      return { from, to, crossings: sorted, label: labelSize([...crossingLines(sorted), ...(note !== undefined ? [note] : [])]) };
    })
    .sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));

  try {
    return layoutWithDagre(functions, nodeSizes, edgeList);
  } catch {
    return layoutInColumn(functions, nodeSizes, edgeList);
  }
}

interface EdgeSpec {
  readonly from: string;
  readonly to: string;
  readonly crossings: readonly Crossing[];
  readonly label: { width: number; height: number };
}

function layoutWithDagre(functions: readonly FunctionInput[], sizes: ReadonlyMap<string, { width: number; height: number }>, edges: readonly EdgeSpec[]): HandOffLayout {
  const graph = new graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 60, edgesep: 20, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const fn of functions) graph.setNode(fn.name, { ...sizes.get(fn.name)! });
  for (const edge of edges) graph.setEdge(edge.from, edge.to, { width: edge.label.width, height: edge.label.height, labelpos: 'c', minlen: 2 });
  layout(graph);
  const nodes: FunctionNode[] = functions.map((fn) => {
    const label = graph.node(fn.name) as { x: number; y: number; width: number; height: number };
    return { name: fn.name, box: { x: label.x - label.width / 2, y: label.y - label.height / 2, width: label.width, height: label.height } };
  });
  const result: FunctionEdge[] = edges.map((edge) => {
    const label = graph.edge(edge.from, edge.to) as { x: number; y: number; points: Point[] };
    return {
      from: edge.from,
      to: edge.to,
      crossings: edge.crossings,
      points: label.points.map((point) => ({ x: point.x, y: point.y })),
      labelBox: { x: label.x - edge.label.width / 2, y: label.y - edge.label.height / 2, width: edge.label.width, height: edge.label.height },
    };
  });
  const size = graph.graph() as { width?: number; height?: number };
  return { width: size.width ?? 0, height: size.height ?? 0, nodes, edges: result };
}

/**
 * The plain picture should dagre ever fail: functions in one column, every
 * label in a column of its own to their right, each edge leaving its source,
 * passing its label and entering its target from the right.
 */
function layoutInColumn(functions: readonly FunctionInput[], sizes: ReadonlyMap<string, { width: number; height: number }>, edges: readonly EdgeSpec[]): HandOffLayout {
  const boxes = new Map<string, Box>();
  const nodeWidth = Math.max(0, ...[...sizes.values()].map((size) => size.width));
  let y = MARGIN;
  for (const fn of functions) {
    const size = sizes.get(fn.name)!;
    boxes.set(fn.name, { x: MARGIN, y, ...size });
    y += size.height + 30;
  }
  const labelX = MARGIN + nodeWidth + 60;
  let labelY = MARGIN;
  let width = labelX;
  const result: FunctionEdge[] = edges.map((edge) => {
    const source = boxes.get(edge.from)!;
    const target = boxes.get(edge.to)!;
    const labelBox = { x: labelX, y: labelY, ...edge.label };
    labelY += edge.label.height + 10;
    width = Math.max(width, labelX + edge.label.width);
    const middle = labelBox.y + labelBox.height / 2;
    return {
      from: edge.from,
      to: edge.to,
      crossings: edge.crossings,
      points: [
        { x: source.x + source.width, y: source.y + source.height / 2 },
        { x: labelX, y: middle },
        { x: target.x + target.width, y: target.y + target.height / 2 },
      ],
      labelBox,
    };
  });
  return { width: width + MARGIN, height: Math.max(y, labelY) + MARGIN, nodes: functions.map((fn) => ({ name: fn.name, box: boxes.get(fn.name)! })), edges: result };
}

function labelSize(lines: readonly string[]): { width: number; height: number } {
  const widest = lines.reduce((most, line) => Math.max(most, textWidth(line)), 0);
  return { width: Math.min(boxSizeForLines(lines).width, widest + 2 * BOX_PADDING_X), height: lines.length * LINE_HEIGHT + 4 };
}

function compareCrossings(a: Crossing, b: Crossing): number {
  return compareText(a.kind, b.kind) || compareText(a.kind === 'hand-off' ? a.process : '', b.kind === 'hand-off' ? b.process : '') || compareText(a.from, b.from) || compareText(a.to, b.to);
}

/** The functions (those named, and any that only an owner names) and what crosses between each ordered pair. */
function collect(input: HandOffInput): { functions: FunctionInput[]; crossings: Map<string, Crossing[]> } {
  const functions = new Map<string, FunctionInput>();
  for (const fn of input.functions) if (!functions.has(fn.name)) functions.set(fn.name, fn);
  const mention = (name: string | undefined): void => {
    if (name !== undefined && !functions.has(name)) functions.set(name, { name, kpiCount: 0 });
  };
  const crossings = new Map<string, Crossing[]>();
  const add = (from: string, to: string, crossing: Crossing): void => {
    mention(from);
    mention(to);
    const key = edgeKey(from, to);
    const list = crossings.get(key) ?? [];
    if (!list.some((known) => JSON.stringify(known) === JSON.stringify(crossing))) list.push(crossing);
    crossings.set(key, list);
  };
  const functionOfKpi = new Map<string, string | undefined>();
  for (const kpi of input.kpis) if (!functionOfKpi.has(kpi.name)) functionOfKpi.set(kpi.name, kpi.ownerFunction);
  for (const kpi of input.kpis) {
    mention(kpi.ownerFunction);
    for (const dependency of kpi.depends) {
      const supplier = functionOfKpi.get(dependency);
      if (kpi.ownerFunction !== undefined && supplier !== undefined && supplier !== kpi.ownerFunction) add(supplier, kpi.ownerFunction, { kind: 'depends', from: dependency, to: kpi.name });
    }
  }
  for (const process of input.processes) {
    const stepByName = new Map(process.steps.map((step) => [step.name, step]));
    for (const step of process.steps) {
      mention(step.ownerFunction);
      for (const target of step.next) {
        const next = stepByName.get(target);
        if (step.ownerFunction !== undefined && next?.ownerFunction !== undefined && next.ownerFunction !== step.ownerFunction) {
          add(step.ownerFunction, next.ownerFunction, { kind: 'hand-off', process: process.name, from: step.name, to: next.name });
        }
      }
    }
  }
  return { functions: [...functions.values()].sort((a, b) => compareText(a.name, b.name)), crossings };
}
