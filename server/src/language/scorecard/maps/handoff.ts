// The hand-off map: functions as nodes, and an edge from one function to
// another for everything that crosses between them — a KPI that depends on
// another function's KPI (drawn from the supplier to the dependant) and a
// step that hands off to a step owned in another function. The graph is
// general (cycles between functions are common), so dagre lays out each
// connected part of it whole, edge labels included: it reserves room for each
// label on its edge, so no label sits on a node. A part reads left to right
// when that fits the reading width, else top to bottom; the parts are then
// set in rows of that width, the largest first, functions that nothing
// crosses last (docs/decisions/map-layout.md says why).
import { graphlib, layout } from '@dagrejs/dagre';
import { boxSizeForLines, BOX_PADDING_X, LINE_HEIGHT, textWidth } from './measure';
import { compareText, edgeKey } from './order';
import type { Box, Crossing, FunctionEdge, FunctionInput, FunctionNode, HandOffInput, HandOffLayout, Point } from './types';

/** At most this many crossings are listed on an edge; the rest are counted. */
export const LISTED_CROSSINGS = 4;
const MARGIN = 16;
/**
 * The width a hand-off map is laid out to, margins included: the preview
 * panel is about 900 to 1,200 px wide, so a map this wide is read without
 * scrolling sideways.
 */
export const READING_WIDTH = 880;
/** The space between two parts set side by side or one row below another. */
const PART_GAP = 30;

export function functionLines(fn: FunctionInput): string[] {
  if (fn.shownLines !== undefined) return [...fn.shownLines];
  return [fn.title ?? fn.name, fn.kpiCount === 1 ? '1 KPI' : `${fn.kpiCount} KPIs`];
}

/** One crossing as a reader names it, by titles, in three parts: "Step", " → ", "Step" for a hand-off; "KPI", " needs ", "KPI" for a dependency. */
export function crossingParts(crossing: Crossing): [first: string, joint: string, second: string] {
  return crossing.kind === 'hand-off' ? [crossing.fromTitle, ' → ', crossing.toTitle] : [crossing.toTitle, ' needs ', crossing.fromTitle];
}

export function crossingText(crossing: Crossing): string {
  return crossingParts(crossing).join('');
}

/** The label of an edge, a line per crossing (as `show` writes it), the first LISTED_CROSSINGS of them and how many more. */
export function crossingLines(crossings: readonly Crossing[], show: (crossing: Crossing) => string = crossingText): string[] {
  const lines = crossings.slice(0, LISTED_CROSSINGS).map(show);
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
    return layoutInRows(functions, nodeSizes, edgeList);
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

type Sizes = ReadonlyMap<string, { width: number; height: number }>;

/**
 * Each connected part laid out on its own, then the parts set left to right
 * in rows of the reading width (a part wider than that has a row of its
 * own). Laid out whole, dagre puts the functions nothing crosses in one rank:
 * a long column left to right, a long row top to bottom.
 */
function layoutInRows(functions: readonly FunctionInput[], sizes: Sizes, edges: readonly EdgeSpec[]): HandOffLayout {
  const parts = connectedParts(functions, edges).map((part) => layoutPart(part.functions, sizes, part.edges));
  const nodes = new Map<string, FunctionNode>();
  const placedEdges = new Map<string, FunctionEdge>();
  const rowEnd = READING_WIDTH - MARGIN;
  let x = MARGIN;
  let y = MARGIN;
  let rowHeight = 0;
  let right = MARGIN;
  for (const part of parts) {
    if (x > MARGIN && x + part.width > rowEnd) {
      x = MARGIN;
      y += rowHeight + PART_GAP;
      rowHeight = 0;
    }
    for (const node of part.nodes) nodes.set(node.name, { name: node.name, box: moved(node.box, x, y) });
    for (const edge of part.edges) {
      placedEdges.set(edgeKey(edge.from, edge.to), { ...edge, points: edge.points.map((point) => ({ x: point.x + x, y: point.y + y })), labelBox: moved(edge.labelBox, x, y) });
    }
    right = Math.max(right, x + part.width);
    rowHeight = Math.max(rowHeight, part.height);
    x += part.width + PART_GAP;
  }
  return {
    width: right + MARGIN,
    height: y + rowHeight + MARGIN,
    nodes: functions.map((fn) => nodes.get(fn.name)!),
    edges: edges.map((edge) => placedEdges.get(edgeKey(edge.from, edge.to))!),
  };
}

function moved(box: Box, dx: number, dy: number): Box {
  return { x: box.x + dx, y: box.y + dy, width: box.width, height: box.height };
}

/**
 * The functions joined by edges (either way), each part in name order; the
 * largest parts first, then by their first function's name, so the
 * functions that nothing crosses come last.
 */
function connectedParts(functions: readonly FunctionInput[], edges: readonly EdgeSpec[]): { functions: FunctionInput[]; edges: EdgeSpec[] }[] {
  const neighbours = new Map<string, string[]>(functions.map((fn) => [fn.name, []]));
  for (const edge of edges) {
    neighbours.get(edge.from)!.push(edge.to);
    neighbours.get(edge.to)!.push(edge.from);
  }
  const partOf = new Map<string, number>();
  const parts: { functions: FunctionInput[]; edges: EdgeSpec[]; first: number }[] = [];
  functions.forEach((fn, index) => {
    if (partOf.has(fn.name)) return;
    const part = parts.length;
    const stack = [fn.name];
    partOf.set(fn.name, part);
    while (stack.length > 0) {
      for (const next of neighbours.get(stack.pop()!)!) {
        if (partOf.has(next)) continue;
        partOf.set(next, part);
        stack.push(next);
      }
    }
    parts.push({ functions: [], edges: [], first: index });
  });
  for (const fn of functions) parts[partOf.get(fn.name)!]!.functions.push(fn);
  for (const edge of edges) parts[partOf.get(edge.from)!]!.edges.push(edge);
  return parts.sort((a, b) => b.functions.length - a.functions.length || a.first - b.first);
}

/**
 * One connected part, from (0, 0): left to right, the way the process maps
 * read, when that fits the reading width; else top to bottom when that is
 * narrower (a chain of functions then runs down the page, which scrolls).
 */
function layoutPart(functions: readonly FunctionInput[], sizes: Sizes, edges: readonly EdgeSpec[]): HandOffLayout {
  if (functions.length === 1) {
    const fn = functions[0]!;
    const size = sizes.get(fn.name)!;
    return { width: size.width, height: size.height, nodes: [{ name: fn.name, box: { x: 0, y: 0, ...size } }], edges: [] };
  }
  const across = layoutWithDagre(functions, sizes, edges, 'LR');
  if (across.width <= READING_WIDTH - 2 * MARGIN) return across;
  const down = layoutWithDagre(functions, sizes, edges, 'TB');
  return down.width < across.width ? down : across;
}

function layoutWithDagre(functions: readonly FunctionInput[], sizes: Sizes, edges: readonly EdgeSpec[], direction: 'LR' | 'TB'): HandOffLayout {
  const graph = new graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: direction, nodesep: 30, ranksep: direction === 'LR' ? 60 : 40, edgesep: 20, marginx: 0, marginy: 0 });
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
  const firstKpi = new Map<string, (typeof input.kpis)[number]>();
  for (const kpi of input.kpis) if (!firstKpi.has(kpi.name)) firstKpi.set(kpi.name, kpi);
  const kpiTitle = (name: string): string => firstKpi.get(name)?.title ?? name;
  for (const kpi of input.kpis) {
    mention(kpi.ownerFunction);
    for (const dependency of kpi.depends) {
      const supplier = firstKpi.get(dependency)?.ownerFunction;
      if (kpi.ownerFunction !== undefined && supplier !== undefined && supplier !== kpi.ownerFunction) {
        add(supplier, kpi.ownerFunction, { kind: 'depends', from: dependency, to: kpi.name, fromTitle: kpiTitle(dependency), toTitle: kpiTitle(kpi.name) });
      }
    }
  }
  for (const process of input.processes) {
    const stepByName = new Map(process.steps.map((step) => [step.name, step]));
    for (const step of process.steps) {
      mention(step.ownerFunction);
      for (const target of step.next) {
        const next = stepByName.get(target);
        if (step.ownerFunction !== undefined && next?.ownerFunction !== undefined && next.ownerFunction !== step.ownerFunction) {
          add(step.ownerFunction, next.ownerFunction, { kind: 'hand-off', process: process.name, from: step.name, to: next.name, fromTitle: step.title ?? step.name, toTitle: next.title ?? next.name });
        }
      }
    }
  }
  return { functions: [...functions.values()].sort((a, b) => compareText(a.name, b.name)), crossings };
}
