// The strategy map: four Balanced Scorecard bands read bottom up (learning &
// growth drives internal process, which drives customer, which drives
// financial), a fifth band at the bottom for objectives without a perspective,
// an edge per `drives`, and a dashed edge where a KPI of one objective
// `depends` on a KPI of another. Dagre orders the objectives along the
// `drives` graph (crossing minimisation); this module keeps each objective in
// its band, in that order, and draws the edges.
import { Channels, trackOffset } from './channels';
import { boxSizeForLines, textWidth } from './measure';
import { compareText, edgeKey, rankAndOrder, walkFrom } from './order';
import type { Band, Box, KpiCrossing, ObjectiveEdge, ObjectiveInput, ObjectiveNode, Perspective, Point, StrategyInput, StrategyLayout } from './types';

/** Top to bottom as drawn; the undefined band (no perspective) only when used. */
export const BANDS_TOP_DOWN: readonly (Perspective | undefined)[] = ['financial', 'customer', 'internal', 'learning', undefined];

export const BAND_LABELS: Readonly<Record<Perspective | 'none', string>> = {
  financial: 'Financial',
  customer: 'Customer',
  internal: 'Internal process',
  learning: 'Learning & growth',
  none: 'No perspective',
};

const LABEL_PADDING = 16;
const NODE_GAP = 40;

export function objectiveLines(objective: ObjectiveInput): string[] {
  if (objective.shownLines !== undefined) return [...objective.shownLines];
  return [objective.title ?? objective.name, ...objective.kpis];
}

export function layoutStrategy(input: StrategyInput): StrategyLayout {
  const objectives = canonicalObjectives(input.objectives);
  const byName = new Map(objectives.map((objective) => [objective.name, objective]));
  const sizes = new Map(objectives.map((objective) => [objective.name, boxSizeForLines(objectiveLines(objective))]));

  // Order within bands: dagre ranks along `drives` (loops set aside) and minimises crossings.
  const walk = walkFrom(
    objectives.map((objective) => objective.name),
    (name) => byName.get(name)?.drives ?? [],
  );
  const ranked = rankAndOrder({
    nodes: objectives.map((objective) => ({ id: objective.name, ...sizes.get(objective.name)! })),
    edges: objectives.flatMap((objective) => objective.drives.filter((target) => !walk.backEdges.has(edgeKey(objective.name, target))).map((target) => ({ from: objective.name, to: target }))),
  });

  const usedBands = BANDS_TOP_DOWN.filter((perspective) => perspective !== undefined || objectives.some((objective) => objective.perspective === undefined));
  const members = usedBands.map((perspective) =>
    objectives
      .filter((objective) => objective.perspective === perspective)
      .sort((a, b) => ranked.get(a.name)!.across - ranked.get(b.name)!.across || compareText(a.name, b.name)),
  );
  const bandOf = new Map<string, number>();
  members.forEach((band, index) => band.forEach((objective) => bandOf.set(objective.name, index)));

  const edgeSpecs = strategyEdges(objectives, input.kpis);
  // Edges run in channels: one at the top of each band (above its row) and
  // one at its bottom (below its row), each edge on tracks of its own.
  const topChannels = new Channels();
  const bottomChannels = new Channels();
  const tracks = edgeSpecs.map((edge) => {
    const from = bandOf.get(edge.from)!;
    const to = bandOf.get(edge.to)!;
    if (from === to) return { leaving: topChannels.take(from), arriving: undefined };
    if (to < from) return { leaving: topChannels.take(from), arriving: bottomChannels.take(to) };
    return { leaving: bottomChannels.take(from), arriving: topChannels.take(to) };
  });

  // Band labels are bold: a tenth wider than the average measure.
  const labelWidth = Math.ceil(Math.max(...usedBands.map((perspective) => textWidth(BAND_LABELS[perspective ?? 'none']))) * 1.1) + LABEL_PADDING;
  const boxes = new Map<string, Box>();
  const bands: Band[] = [];
  let y = 0;
  let width = labelWidth + NODE_GAP;
  usedBands.forEach((perspective, index) => {
    const channelHeight = topChannels.size(index);
    const rowHeight = Math.max(boxSizeForLines(['']).height, ...members[index]!.map((objective) => sizes.get(objective.name)!.height));
    const top = y;
    let x = labelWidth + NODE_GAP / 2;
    for (const objective of members[index]!) {
      const size = sizes.get(objective.name)!;
      boxes.set(objective.name, { x, y: top + channelHeight + (rowHeight - size.height) / 2, width: size.width, height: size.height });
      x += size.width + NODE_GAP;
    }
    width = Math.max(width, x - NODE_GAP / 2);
    y = top + channelHeight + rowHeight + bottomChannels.size(index);
    bands.push({ perspective, box: { x: 0, y: top, width: 0, height: y - top }, labelBox: { x: 0, y: top, width: labelWidth, height: y - top } });
  });
  const fullBands = bands.map((band) => ({ ...band, box: { ...band.box, width } }));

  const nodes: ObjectiveNode[] = objectives.map((objective) => ({ name: objective.name, box: boxes.get(objective.name)!, band: bandOf.get(objective.name)! }));
  const rowBottom = (band: number): number => fullBands[band]!.box.y + fullBands[band]!.box.height - bottomChannels.size(band);
  const edges: ObjectiveEdge[] = edgeSpecs.map((edge, index) => {
    const source = boxes.get(edge.from)!;
    const target = boxes.get(edge.to)!;
    const from = bandOf.get(edge.from)!;
    const to = bandOf.get(edge.to)!;
    const { leaving, arriving } = tracks[index]!;
    // Two edges between the same objectives (drives and depends) leave and arrive side by side.
    const shift = edge.kind === 'depends' ? 6 : -6;
    const startX = source.x + source.width / 2 + shift;
    const endX = target.x + target.width / 2 + shift;
    let points: Point[];
    if (arriving === undefined) {
      const channelY = fullBands[from]!.box.y + trackOffset(leaving);
      points = [
        { x: startX, y: source.y },
        { x: startX, y: channelY },
        { x: endX, y: channelY },
        { x: endX, y: target.y },
      ];
    } else {
      const up = to < from;
      const leavingY = up ? fullBands[from]!.box.y + trackOffset(leaving) : rowBottom(from) + trackOffset(leaving);
      const arrivingY = up ? rowBottom(to) + trackOffset(arriving) : fullBands[to]!.box.y + trackOffset(arriving);
      const between = nodes.filter((node) => node.band > Math.min(from, to) && node.band < Math.max(from, to)).map((node) => node.box);
      const passX = freeX((startX + endX) / 2, between, labelWidth);
      points = [
        { x: startX, y: up ? source.y : source.y + source.height },
        { x: startX, y: leavingY },
        { x: passX, y: leavingY },
        { x: passX, y: arrivingY },
        { x: endX, y: arrivingY },
        { x: endX, y: up ? target.y + target.height : target.y },
      ];
    }
    return { ...edge, points };
  });
  return { width, height: y, bands: fullBands, nodes, edges };
}

/**
 * An x where a vertical line passes the bands between two others without
 * touching an objective: the wanted x when it is free, else the middle of the
 * nearest gap between objectives (or beside the first or the last).
 */
function freeX(wanted: number, boxes: readonly Box[], leftLimit: number): number {
  const blocked = (x: number): boolean => boxes.some((box) => x >= box.x - 2 && x <= box.x + box.width + 2);
  if (!blocked(wanted)) return wanted;
  const candidates = boxes.flatMap((box) => [box.x - NODE_GAP / 2, box.x + box.width + NODE_GAP / 2]).filter((x) => x > leftLimit && !blocked(x));
  candidates.sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || a - b);
  return candidates[0] ?? Math.max(...boxes.map((box) => box.x + box.width)) + NODE_GAP / 2;
}

/** Objectives by name (their declaration order carries no meaning), `drives` sorted, known and not to itself. */
function canonicalObjectives(declared: readonly ObjectiveInput[]): ObjectiveInput[] {
  const first = new Map<string, ObjectiveInput>();
  for (const objective of declared) if (!first.has(objective.name)) first.set(objective.name, objective);
  return [...first.values()]
    .sort((a, b) => compareText(a.name, b.name))
    .map((objective) => ({
      ...objective,
      drives: [...new Set(objective.drives)].filter((name) => name !== objective.name && first.has(name)).sort(compareText),
    }));
}

/** A `drives` edge per link, then a dashed edge per pair of objectives joined by KPI `depends`. */
function strategyEdges(objectives: readonly ObjectiveInput[], kpis: StrategyInput['kpis']): Omit<ObjectiveEdge, 'points'>[] {
  const drives = objectives.flatMap((objective) => objective.drives.map((target) => ({ from: objective.name, to: target, kind: 'drives' as const, via: [] })));
  const depends = dependsCrossings(objectives, kpis).map((crossing) => ({ ...crossing, kind: 'depends' as const }));
  return [...drives, ...depends];
}

/**
 * The pairs of objectives joined by KPI `depends`: from the objective whose KPI
 * is depended on to the one whose KPI depends on it, with the KPI pairs. A KPI
 * belongs to the first objective by name that lists it. Sorted, so the same
 * for every input order (the strategy map and the Markdown export's flowchart
 * both draw these).
 */
export function dependsCrossings(
  objectives: readonly { readonly name: string; readonly kpis: readonly string[] }[],
  kpis: StrategyInput['kpis'],
): { from: string; to: string; via: KpiCrossing[] }[] {
  const objectiveOfKpi = new Map<string, string>();
  for (const objective of [...objectives].sort((a, b) => compareText(a.name, b.name))) {
    for (const kpi of objective.kpis) if (!objectiveOfKpi.has(kpi)) objectiveOfKpi.set(kpi, objective.name);
  }
  const crossings = new Map<string, { from: string; to: string; via: KpiCrossing[] }>();
  for (const kpi of kpis) {
    const dependent = objectiveOfKpi.get(kpi.name);
    for (const dependency of kpi.depends) {
      const supplier = objectiveOfKpi.get(dependency);
      if (dependent === undefined || supplier === undefined || dependent === supplier) continue;
      const key = edgeKey(supplier, dependent);
      const crossing = crossings.get(key) ?? { from: supplier, to: dependent, via: [] };
      if (!crossing.via.some((pair) => pair.from === dependency && pair.to === kpi.name)) crossing.via.push({ from: dependency, to: kpi.name });
      crossings.set(key, crossing);
    }
  }
  return [...crossings.values()]
    .map((crossing) => ({ ...crossing, via: crossing.via.sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to)) }))
    .sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
}
