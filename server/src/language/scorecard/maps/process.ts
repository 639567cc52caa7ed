// The process map: a lane per step owner, lanes grouped by the owners'
// functions, steps left to right along `next` from the entry step. Dagre
// ranks the steps into columns and orders the steps that share a column;
// this module puts each step into its owner's lane (a lane grows a row for
// each step that shares a column with another in the same lane), sizes the
// rows, columns and the channels between them, and draws every edge in those
// channels. Back edges (those closing a loop) are found by a depth-first walk
// from the entry and laid out as if absent, so loops never bend the flow.
import { Channels, trackOffset } from './channels';
import { boxSizeForLines, textWidth } from './measure';
import { compareText, edgeKey, rankAndOrder, walkFrom } from './order';
import type { Box, Lane, LaneGroup, Point, ProcessInput, ProcessLayout, ProcessStepInput, StepEdge, StepNode } from './types';

const LABEL_PADDING = 16;
const BOLD_LABEL = 1.1;
/** The extra gap before the area of unreachable steps, where the divider is drawn. */
const UNREACHABLE_DIVIDER = 32;
/** Air between the last row of a lane and the lane's lower border. */
const LANE_BOTTOM_PADDING = 10;

/** The lines a step's box shows: its title, its SOP, its KPIs. */
export function stepLines(step: ProcessStepInput): string[] {
  if (step.shownLines !== undefined) return [...step.shownLines];
  return [step.title ?? step.name, ...(step.sop !== undefined ? [`SOP ${step.sop}`] : []), ...step.kpis];
}

interface PlacedStep {
  readonly step: ProcessStepInput;
  readonly width: number;
  readonly height: number;
  readonly reachable: boolean;
  lane: number;
  column: number;
  row: number;
}

export function layoutProcess(process: ProcessInput): ProcessLayout {
  const steps = canonicalSteps(process.steps);
  const byName = new Map(steps.map((step) => [step.name, step]));
  const successors = (name: string): readonly string[] => byName.get(name)?.next ?? [];
  const entry = steps[0];
  const reachableWalk = walkFrom(entry === undefined ? [] : [entry.name], successors);
  const reachable = new Set(reachableWalk.reached);
  const unreachableNames = steps.filter((step) => !reachable.has(step.name)).map((step) => step.name);
  const unreachableWalk = walkFrom(unreachableNames, successors, reachable);
  const backEdges = new Set([...reachableWalk.backEdges, ...unreachableWalk.backEdges]);

  const placed = new Map<string, PlacedStep>();
  for (const step of steps) {
    placed.set(step.name, { step, ...boxSizeForLines(stepLines(step)), reachable: reachable.has(step.name), lane: 0, column: 0, row: 0 });
  }

  // Columns: the reachable steps first, then the unreachable ones in columns of their own.
  const reachableColumns = assignColumns(steps.filter((step) => reachable.has(step.name)), backEdges, placed, 0);
  const unreachableColumns = assignColumns(steps.filter((step) => !reachable.has(step.name)), backEdges, placed, reachableColumns.count);
  const across = new Map([...reachableColumns.across, ...unreachableColumns.across]);
  const columnCount = reachableColumns.count + unreachableColumns.count;

  const { lanes, groups } = orderLanes(steps, placed, across);
  const laneIndexOf = new Map(lanes.map((lane, index) => [lane.owner, index]));
  for (const item of placed.values()) item.lane = laneIndexOf.get(item.step.owner)!;

  // Rows: a lane has as many rows as the most steps it holds in one column.
  const cells = new Map<string, PlacedStep[]>();
  for (const item of placed.values()) {
    const key = `${item.lane}:${item.column}`;
    const cell = cells.get(key) ?? [];
    cell.push(item);
    cells.set(key, cell);
  }
  const rowsInLane = lanes.map(() => 1);
  for (const cell of cells.values()) {
    cell.sort((a, b) => across.get(a.step.name)! - across.get(b.step.name)! || compareText(a.step.name, b.step.name));
    cell.forEach((item, index) => (item.row = index));
    rowsInLane[cell[0]!.lane] = Math.max(rowsInLane[cell[0]!.lane]!, cell.length);
  }
  const firstRowOfLane: number[] = [];
  let rowCount = 0;
  for (const count of rowsInLane) {
    firstRowOfLane.push(rowCount);
    rowCount += count;
  }
  const rowOf = (item: PlacedStep): number => firstRowOfLane[item.lane]! + item.row;

  // Edges: one per distinct `next`, in canonical order, each taking its tracks.
  const verticalChannels = new Channels(); // channel c lies left of column c
  const horizontalChannels = new Channels(); // channel r lies above row r
  interface Route {
    readonly from: PlacedStep;
    readonly to: PlacedStep;
    readonly back: boolean;
    readonly leaving: number;
    readonly horizontal: number | undefined;
    readonly arriving: number | undefined;
  }
  const routes: Route[] = [];
  for (const step of steps) {
    for (const target of step.next) {
      const from = placed.get(step.name)!;
      const to = placed.get(target)!;
      const back = backEdges.has(edgeKey(step.name, target));
      const leaving = verticalChannels.take(from.column + 1);
      const adjacent = to.column === from.column + 1;
      const horizontal = adjacent ? undefined : horizontalChannels.take(to.column > from.column ? rowOf(to) : rowOf(from));
      const arriving = adjacent ? undefined : verticalChannels.take(to.column);
      routes.push({ from, to, back, leaving, horizontal, arriving });
    }
  }

  // Geometry: header column, then columns and channels left to right; rows and gaps top down.
  // Labels are written in titles, the group's in bold (a tenth wider than the average measure).
  const ownerTitle = new Map(steps.map((step) => [step.owner, step.ownerTitle ?? step.owner ?? 'No owner']));
  const functionTitle = new Map(steps.map((step) => [step.ownerFunction, step.ownerFunctionTitle ?? step.ownerFunction ?? 'No function']));
  const groupLabelWidth = Math.max(0, ...groups.map((group) => textWidth(functionTitle.get(group.ownerFunction) ?? '') * BOLD_LABEL)) + LABEL_PADDING;
  const laneLabelWidth = Math.max(0, ...lanes.map((lane) => textWidth(ownerTitle.get(lane.owner) ?? ''))) + LABEL_PADDING;
  const headerWidth = groupLabelWidth + laneLabelWidth;
  const columnWidth = Array.from({ length: columnCount }, () => 0);
  for (const item of placed.values()) columnWidth[item.column] = Math.max(columnWidth[item.column]!, item.width);
  const channelLeft: number[] = [];
  const columnLeft: number[] = [];
  let x = headerWidth;
  for (let column = 0; column <= columnCount; column++) {
    const divider = column === reachableColumns.count && unreachableColumns.count > 0 ? UNREACHABLE_DIVIDER : 0;
    channelLeft.push(x + divider);
    x += verticalChannels.size(column, divider);
    if (column < columnCount) {
      columnLeft.push(x);
      x += columnWidth[column]!;
    }
  }
  const width = x;

  const rowHeight = Array.from({ length: rowCount }, () => 0);
  for (const item of placed.values()) rowHeight[rowOf(item)] = Math.max(rowHeight[rowOf(item)]!, item.height);
  const gapTop: number[] = [];
  const rowTop: number[] = [];
  const laneTop: number[] = [];
  let y = 0;
  for (let lane = 0; lane < lanes.length; lane++) {
    if (lane > 0) y += LANE_BOTTOM_PADDING;
    laneTop.push(y);
    for (let row = firstRowOfLane[lane]!; row < firstRowOfLane[lane]! + rowsInLane[lane]!; row++) {
      gapTop.push(y);
      y += horizontalChannels.size(row);
      rowTop.push(y);
      y += rowHeight[row]!;
    }
  }
  const height = y + LANE_BOTTOM_PADDING;

  const boxOf = (item: PlacedStep): Box => ({
    x: columnLeft[item.column]! + (columnWidth[item.column]! - item.width) / 2,
    y: rowTop[rowOf(item)]! + (rowHeight[rowOf(item)]! - item.height) / 2,
    width: item.width,
    height: item.height,
  });

  const nodes: StepNode[] = steps.map((step) => {
    const item = placed.get(step.name)!;
    return { name: step.name, box: boxOf(item), lane: item.lane, entry: step === entry, unreachable: !item.reachable };
  });

  const edges: StepEdge[] = routes.map((route) => {
    const source = boxOf(route.from);
    const target = boxOf(route.to);
    const start: Point = { x: source.x + source.width, y: source.y + source.height / 2 };
    const end: Point = { x: target.x, y: target.y + target.height / 2 };
    const leavingX = channelLeft[route.from.column + 1]! + trackOffset(route.leaving);
    let points: Point[];
    if (route.horizontal === undefined || route.arriving === undefined) {
      points = start.y === end.y ? [start, end] : [start, { x: leavingX, y: start.y }, { x: leavingX, y: end.y }, end];
    } else {
      const channelRow = route.to.column > route.from.column ? rowOf(route.to) : rowOf(route.from);
      const channelY = gapTop[channelRow]! + trackOffset(route.horizontal);
      const arrivingX = channelLeft[route.to.column]! + trackOffset(route.arriving);
      points = [start, { x: leavingX, y: start.y }, { x: leavingX, y: channelY }, { x: arrivingX, y: channelY }, { x: arrivingX, y: end.y }, end];
    }
    const fromStep = route.from.step;
    const toStep = route.to.step;
    return {
      from: fromStep.name,
      to: toStep.name,
      points,
      back: route.back,
      handOff: fromStep.owner !== toStep.owner,
      crossFunction: fromStep.ownerFunction !== toStep.ownerFunction,
    };
  });

  const laneBoxes: Lane[] = lanes.map((lane, index) => {
    const top = laneTop[index]!;
    const bottom = index + 1 < lanes.length ? laneTop[index + 1]! : height;
    const box = { x: groupLabelWidth, y: top, width: width - groupLabelWidth, height: bottom - top };
    return { owner: lane.owner, ownerFunction: lane.ownerFunction, box, labelBox: { x: groupLabelWidth, y: top, width: laneLabelWidth, height: bottom - top } };
  });
  const groupBoxes: LaneGroup[] = groups.map((group) => {
    const first = laneBoxes[group.lanes[0]!]!.box;
    const last = laneBoxes[group.lanes[group.lanes.length - 1]!]!.box;
    const groupHeight = last.y + last.height - first.y;
    return {
      ownerFunction: group.ownerFunction,
      box: { x: 0, y: first.y, width, height: groupHeight },
      labelBox: { x: 0, y: first.y, width: groupLabelWidth, height: groupHeight },
      lanes: group.lanes,
    };
  });
  const unreachableArea =
    unreachableColumns.count > 0 ? { x: channelLeft[reachableColumns.count]! - UNREACHABLE_DIVIDER / 2, y: 0, width: width - channelLeft[reachableColumns.count]! + UNREACHABLE_DIVIDER / 2, height } : undefined;

  return { name: process.name, width, height, nodes, lanes: laneBoxes, groups: groupBoxes, edges, unreachableArea };
}

/**
 * The entry step first, the others by name (their declaration order carries
 * no meaning); a repeated name keeps its first declaration; `next` keeps its
 * written order (the first is the main path) without repeats or unknown names.
 */
function canonicalSteps(declared: readonly ProcessStepInput[]): ProcessStepInput[] {
  const first = new Map<string, ProcessStepInput>();
  for (const step of declared) if (!first.has(step.name)) first.set(step.name, step);
  const entry = declared[0];
  const rest = [...first.values()].filter((step) => step !== entry).sort((a, b) => compareText(a.name, b.name));
  const ordered = entry === undefined ? [] : [entry, ...rest];
  return ordered.map((step) => ({ ...step, next: [...new Set(step.next)].filter((name) => first.has(name)) }));
}

/** Columns for a region of steps (reachable or not), numbered from `offset`. */
function assignColumns(
  region: readonly ProcessStepInput[],
  backEdges: ReadonlySet<string>,
  placed: Map<string, PlacedStep>,
  offset: number,
): { count: number; across: Map<string, number> } {
  const names = new Set(region.map((step) => step.name));
  const ranked = rankAndOrder({
    nodes: region.map((step) => ({ id: step.name, width: placed.get(step.name)!.width, height: placed.get(step.name)!.height })),
    edges: region.flatMap((step) => step.next.filter((target) => names.has(target) && !backEdges.has(edgeKey(step.name, target))).map((target) => ({ from: step.name, to: target }))),
  });
  let count = 0;
  const across = new Map<string, number>();
  for (const [name, rank] of ranked) {
    placed.get(name)!.column = offset + rank.rank;
    across.set(name, rank.across);
    count = Math.max(count, rank.rank + 1);
  }
  return { count, across };
}

interface LaneKey {
  readonly owner: string | undefined;
  readonly ownerFunction: string | undefined;
}

/**
 * Lanes grouped by function, the groups and the lanes in each in the order
 * the flow first reaches them (its leftmost, then topmost step), so the
 * entry's lane is on top; owners without a function, then steps without an
 * owner, come last.
 */
function orderLanes(
  steps: readonly ProcessStepInput[],
  placed: ReadonlyMap<string, PlacedStep>,
  across: ReadonlyMap<string, number>,
): { lanes: LaneKey[]; groups: { ownerFunction: string | undefined; lanes: number[] }[] } {
  interface Candidate extends LaneKey {
    first: [number, number];
  }
  const earlier = (a: [number, number], b: [number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const candidates = new Map<string | undefined, Candidate>();
  for (const step of steps) {
    const item = placed.get(step.name)!;
    const position: [number, number] = [item.column, across.get(step.name) ?? 0];
    const known = candidates.get(step.owner);
    if (known === undefined) {
      candidates.set(step.owner, { owner: step.owner, ownerFunction: step.ownerFunction, first: position });
    } else if (earlier(position, known.first)) {
      known.first = position;
    }
  }
  const byPosition = (a: Candidate, b: Candidate): number => a.first[0] - b.first[0] || a.first[1] - b.first[1];
  const groupsByFunction = new Map<string | undefined, Candidate[]>();
  for (const candidate of candidates.values()) {
    const group = groupsByFunction.get(candidate.ownerFunction) ?? [];
    group.push(candidate);
    groupsByFunction.set(candidate.ownerFunction, group);
  }
  const groupEntries = [...groupsByFunction.entries()].map(([ownerFunction, members]) => {
    members.sort((a, b) => (a.owner === undefined ? 1 : 0) - (b.owner === undefined ? 1 : 0) || byPosition(a, b) || compareText(a.owner ?? '', b.owner ?? ''));
    return { ownerFunction, members, first: members.reduce((best, member) => (earlier(member.first, best) ? member.first : best), members[0]!.first) };
  });
  groupEntries.sort(
    (a, b) =>
      (a.ownerFunction === undefined ? 1 : 0) - (b.ownerFunction === undefined ? 1 : 0) ||
      a.first[0] - b.first[0] ||
      a.first[1] - b.first[1] ||
      compareText(a.ownerFunction ?? '', b.ownerFunction ?? ''),
  );
  const lanes: LaneKey[] = [];
  const groups = groupEntries.map((group) => ({
    ownerFunction: group.ownerFunction,
    lanes: group.members.map((member) => lanes.push({ owner: member.owner, ownerFunction: member.ownerFunction }) - 1),
  }));
  return { lanes, groups };
}
