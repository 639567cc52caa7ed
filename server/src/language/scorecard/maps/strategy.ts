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
const BAND_PADDING = 12;

export function objectiveLines(objective: ObjectiveInput): string[] {
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
  // Edges between objectives of one band run in a channel above that band's row.
  const channels = new Channels();
  const tracks = edgeSpecs.map((edge) => (bandOf.get(edge.from) === bandOf.get(edge.to) ? channels.take(bandOf.get(edge.from)!) : undefined));

  const labelWidth = Math.max(...usedBands.map((perspective) => textWidth(BAND_LABELS[perspective ?? 'none']))) + LABEL_PADDING;
  const boxes = new Map<string, Box>();
  const bands: Band[] = [];
  let y = 0;
  let width = labelWidth + NODE_GAP;
  usedBands.forEach((perspective, index) => {
    const channelHeight = channels.size(index);
    const rowHeight = Math.max(boxSizeForLines(['']).height, ...members[index]!.map((objective) => sizes.get(objective.name)!.height));
    const top = y;
    let x = labelWidth + NODE_GAP / 2;
    for (const objective of members[index]!) {
      const size = sizes.get(objective.name)!;
      boxes.set(objective.name, { x, y: top + channelHeight + (rowHeight - size.height) / 2, width: size.width, height: size.height });
      x += size.width + NODE_GAP;
    }
    width = Math.max(width, x - NODE_GAP / 2);
    y = top + channelHeight + rowHeight + BAND_PADDING;
    bands.push({ perspective, box: { x: 0, y: top, width: 0, height: y - top }, labelBox: { x: 0, y: top, width: labelWidth, height: y - top } });
  });
  const fullBands = bands.map((band) => ({ ...band, box: { ...band.box, width } }));

  const nodes: ObjectiveNode[] = objectives.map((objective) => ({ name: objective.name, box: boxes.get(objective.name)!, band: bandOf.get(objective.name)! }));
  const edges: ObjectiveEdge[] = edgeSpecs.map((edge, index) => {
    const source = boxes.get(edge.from)!;
    const target = boxes.get(edge.to)!;
    const track = tracks[index];
    let points: Point[];
    if (track !== undefined) {
      const channelY = fullBands[bandOf.get(edge.from)!]!.box.y + trackOffset(track);
      const startX = source.x + source.width / 2 + (edge.kind === 'depends' ? 6 : -6);
      const endX = target.x + target.width / 2 + (edge.kind === 'depends' ? 6 : -6);
      points = [
        { x: startX, y: source.y },
        { x: startX, y: channelY },
        { x: endX, y: channelY },
        { x: endX, y: target.y },
      ];
    } else if (target.y < source.y) {
      points = [
        { x: source.x + source.width / 2, y: source.y },
        { x: target.x + target.width / 2, y: target.y + target.height },
      ];
    } else {
      points = [
        { x: source.x + source.width / 2, y: source.y + source.height },
        { x: target.x + target.width / 2, y: target.y },
      ];
    }
    return { ...edge, points };
  });
  return { width, height: y, bands: fullBands, nodes, edges };
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
  const objectiveOfKpi = new Map<string, string>();
  for (const objective of objectives) for (const kpi of objective.kpis) if (!objectiveOfKpi.has(kpi)) objectiveOfKpi.set(kpi, objective.name);
  const crossings = new Map<string, KpiCrossing[]>();
  for (const kpi of kpis) {
    const dependent = objectiveOfKpi.get(kpi.name);
    for (const dependency of kpi.depends) {
      const supplier = objectiveOfKpi.get(dependency);
      if (dependent === undefined || supplier === undefined || dependent === supplier) continue;
      const key = edgeKey(supplier, dependent);
      const list = crossings.get(key) ?? [];
      if (!list.some((crossing) => crossing.from === dependency && crossing.to === kpi.name)) list.push({ from: dependency, to: kpi.name });
      crossings.set(key, list);
    }
  }
  const depends = [...crossings.entries()]
    .map(([key, via]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      return { from, to, kind: 'depends' as const, via: via.sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to)) };
    })
    .sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
  return [...drives, ...depends];
}
