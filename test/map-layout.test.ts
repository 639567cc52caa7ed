// The layout of the three maps: invariants checked on hand-made inputs and on
// seeded random processes up to 50 steps and 12 lanes. Every expectation is
// worked out from the input here (reachability by a plain breadth-first walk,
// edge sets from the `next` lists), never taken from the code under test.
import * as assert from 'node:assert/strict';
import {
  crossingLines,
  layoutHandOffs,
  READING_WIDTH,
  layoutProcess,
  layoutStrategy,
  type Box,
  type HandOffInput,
  type HandOffLayout,
  type Point,
  type ProcessInput,
  type ProcessLayout,
  type ProcessStepInput,
  type StrategyInput,
} from '../server/src/language/scorecard/maps';
import * as path from 'node:path';
import { parseDate } from '../server/src/language/model/periods';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { handOffInput, MapSource, processInput, strategyInput } from '../server/src/language/scorecard/render/maps/inputs';
import { createWorkspace } from '../server/src/language/service';
import { findKpiFiles, keyFor, nodeFileSystem, readText } from '../server/src/node/files';
import { supportModel } from './support/map-models';
import { generateProcess, shuffleSteps } from './support/process-generator';
import { random } from './support/random';

const EXAMPLES = path.join(import.meta.dirname, '..', 'examples');

function examplesWorkspace() {
  const files = findKpiFiles(EXAMPLES).map((file) => ({ key: keyFor(EXAMPLES, file), path: file, text: readText(file)! }));
  return createWorkspace({ root: EXAMPLES, fs: nodeFileSystem, today: () => parseDate('2026-11-22')!, files });
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function onBorder(point: Point, box: Box): boolean {
  const withinX = point.x >= box.x && point.x <= box.x + box.width;
  const withinY = point.y >= box.y && point.y <= box.y + box.height;
  return (withinX && (point.y === box.y || point.y === box.y + box.height)) || (withinY && (point.x === box.x || point.x === box.x + box.width));
}

/** True when the axis-parallel segment passes through the box's interior. */
function segmentCrosses(a: Point, b: Point, box: Box): boolean {
  const left = Math.min(a.x, b.x);
  const right = Math.max(a.x, b.x);
  const top = Math.min(a.y, b.y);
  const bottom = Math.max(a.y, b.y);
  return left < box.x + box.width && right > box.x && top < box.y + box.height && bottom > box.y;
}

function assertNoOverlaps(boxes: readonly { name: string; box: Box }[], what: string): void {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      assert.ok(!overlaps(boxes[i]!.box, boxes[j]!.box), `${what}: ${boxes[i]!.name} overlaps ${boxes[j]!.name}`);
    }
  }
}

/** Every node, label and edge point inside the layout's size. */
function assertWithin(layout: HandOffLayout): void {
  const all: Box = { x: 0, y: 0, width: layout.width, height: layout.height };
  for (const node of layout.nodes) assert.ok(inside(node.box, all), `${node.name} inside the map`);
  for (const edge of layout.edges) {
    assert.ok(inside(edge.labelBox, all), `the label of ${edge.from}->${edge.to} inside the map`);
    for (const point of edge.points) assert.ok(inside({ ...point, width: 0, height: 0 }, all), `${edge.from}->${edge.to} inside the map`);
  }
}

/** `count` functions with two KPIs each, each KPI depending now and then on a KPI of one of the next three functions, as a real organisation's would. */
function generatedFunctions(count: number, seed: number): HandOffInput {
  const next = random(seed);
  const functions = Array.from({ length: count }, (_, index) => ({ name: `F${index}`, title: `Department ${index}`, kpiCount: 2 }));
  const kpis = Array.from({ length: count * 2 }, (_, index) => {
    const owner = index % count;
    const supplier = (owner + 1 + Math.floor(next() * 3)) % count;
    return { name: `K${index}`, title: `Measure ${index} of department ${owner}`, ownerFunction: `F${owner}`, depends: next() < 0.4 ? [`K${supplier}`] : [] };
  });
  return { functions, kpis, processes: [] };
}

/** The distinct `next` pairs that name a declared step (a repeated step name counts once, as first declared). */
function expectedEdges(process: ProcessInput): string[] {
  const declared = new Map<string, ProcessStepInput>();
  for (const step of process.steps) if (!declared.has(step.name)) declared.set(step.name, step);
  return [...declared.values()].flatMap((step) => [...new Set(step.next)].filter((target) => declared.has(target)).map((target) => `${step.name}->${target}`)).sort();
}

function reachableFromEntry(process: ProcessInput): Set<string> {
  const byName = new Map(process.steps.map((step) => [step.name, step]));
  const reached = new Set<string>();
  const queue = process.steps.length > 0 ? [process.steps[0]!.name] : [];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (reached.has(name) || !byName.has(name)) continue;
    reached.add(name);
    queue.push(...byName.get(name)!.next);
  }
  return reached;
}

/** Every invariant the process map promises, checked on one input. */
function checkProcess(process: ProcessInput): ProcessLayout {
  const layout = layoutProcess(process);
  const stepByName = new Map<string, ProcessStepInput>();
  for (const declared of process.steps) if (!stepByName.has(declared.name)) stepByName.set(declared.name, declared);
  const nodeByName = new Map(layout.nodes.map((node) => [node.name, node]));
  assert.equal(layout.nodes.length, stepByName.size, 'a node per step');

  // Every step inside its owner's lane; every lane inside its function's group.
  for (const node of layout.nodes) {
    const lane = layout.lanes[node.lane]!;
    assert.equal(lane.owner, stepByName.get(node.name)!.owner, `${node.name} is in its owner's lane`);
    assert.ok(inside(node.box, lane.box), `${node.name} lies inside its lane`);
  }
  assert.equal(new Set(layout.lanes.map((lane) => lane.owner)).size, layout.lanes.length, 'one lane per owner');
  for (const group of layout.groups) {
    for (const index of group.lanes) {
      assert.equal(layout.lanes[index]!.ownerFunction, group.ownerFunction, 'a lane sits in its function group');
      assert.ok(inside(layout.lanes[index]!.box, group.box), 'the lane lies inside its group');
    }
  }
  assert.deepEqual(layout.groups.flatMap((group) => group.lanes), layout.lanes.map((_, index) => index), 'groups hold the lanes in order, each once');
  assertNoOverlaps(layout.lanes.map((lane) => ({ name: `lane ${lane.owner}`, box: lane.box })), 'lanes');

  // No two nodes overlap; no label (lane or function) overlaps a node.
  assertNoOverlaps(layout.nodes, 'nodes');
  for (const node of layout.nodes) {
    for (const label of [...layout.lanes, ...layout.groups]) assert.ok(!overlaps(node.box, label.labelBox), `a label overlaps ${node.name}`);
    assert.ok(inside(node.box, { x: 0, y: 0, width: layout.width, height: layout.height }), `${node.name} lies inside the map`);
  }

  // One edge per distinct `next`, from border to border, crossing no other node.
  assert.deepEqual(layout.edges.map((edge) => `${edge.from}->${edge.to}`).sort(), expectedEdges(process), 'one edge per next');
  for (const edge of layout.edges) {
    const from = nodeByName.get(edge.from)!;
    const to = nodeByName.get(edge.to)!;
    assert.ok(onBorder(edge.points[0]!, from.box), `${edge.from}->${edge.to} starts on its source`);
    assert.ok(onBorder(edge.points[edge.points.length - 1]!, to.box), `${edge.from}->${edge.to} ends on its target`);
    for (let index = 1; index < edge.points.length; index++) {
      const a = edge.points[index - 1]!;
      const b = edge.points[index]!;
      assert.ok(a.x === b.x || a.y === b.y, `${edge.from}->${edge.to} runs in straight channels`);
      for (const node of layout.nodes) {
        if (node === from || node === to) continue;
        assert.ok(!segmentCrosses(a, b, node.box), `${edge.from}->${edge.to} crosses ${node.name}`);
      }
    }
    const fromStep = stepByName.get(edge.from)!;
    const toStep = stepByName.get(edge.to)!;
    assert.equal(edge.handOff, fromStep.owner !== toStep.owner, 'hand-off when the owners differ');
    assert.equal(edge.crossFunction, fromStep.ownerFunction !== toStep.ownerFunction, 'cross-function when the functions differ');
  }

  // Back edges: without them the edges have no cycle, and each goes leftwards or stays in its column.
  const forward = layout.edges.filter((edge) => !edge.back);
  for (const edge of forward) {
    if (!nodeByName.get(edge.from)!.unreachable && !nodeByName.get(edge.to)!.unreachable) {
      assert.ok(nodeByName.get(edge.to)!.box.x > nodeByName.get(edge.from)!.box.x, `${edge.from}->${edge.to} goes to the right`);
    }
  }
  assert.ok(!hasCycle(forward.map((edge) => [edge.from, edge.to])), 'the edges not marked back have no cycle');
  for (const edge of layout.edges.filter((edge) => edge.back)) {
    assert.ok(nodeByName.get(edge.to)!.box.x <= nodeByName.get(edge.from)!.box.x, `back edge ${edge.from}->${edge.to} goes left`);
  }

  // Unreachable steps are marked and placed apart, right of every reachable step.
  const reachable = reachableFromEntry(process);
  for (const node of layout.nodes) assert.equal(node.unreachable, !reachable.has(node.name), `${node.name} unreachable mark`);
  const apart = layout.nodes.filter((node) => node.unreachable);
  assert.equal(layout.unreachableArea !== undefined, apart.length > 0, 'an unreachable area exactly when some step is unreachable');
  if (layout.unreachableArea !== undefined) {
    for (const node of apart) assert.ok(node.box.x >= layout.unreachableArea.x, `${node.name} is in the unreachable area`);
    for (const node of layout.nodes.filter((node) => !node.unreachable)) assert.ok(node.box.x + node.box.width < layout.unreachableArea.x, `${node.name} is left of the unreachable area`);
  }
  if (process.steps.length > 0) assert.ok(nodeByName.get(process.steps[0]!.name)!.entry, 'the entry is marked');
  assert.equal(layout.nodes.filter((node) => node.entry).length, Math.min(1, process.steps.length), 'one entry');

  // Deterministic: the same again, and the same whatever order the non-entry steps come in.
  assert.deepEqual(layoutProcess(process), layout, 'a second run gives the same layout');
  // (Where a name is declared twice the first declaration wins, so there the order does count.)
  if (stepByName.size === process.steps.length) {
    assert.deepEqual(normalise(layoutProcess(shuffleSteps(process, 99))), normalise(layout), 'declaration order after the entry does not matter');
  }
  return layout;
}

/** Node order follows the input; compare nodes by name so that order does not count. */
function normalise(layout: ProcessLayout): ProcessLayout {
  return { ...layout, nodes: [...layout.nodes].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

function hasCycle(edges: readonly [string, string][]): boolean {
  const out = new Map<string, string[]>();
  for (const [from, to] of edges) out.set(from, [...(out.get(from) ?? []), to]);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string): boolean => {
    if (state.get(node) === 'open') return true;
    if (state.get(node) === 'done') return false;
    state.set(node, 'open');
    const found = (out.get(node) ?? []).some(visit);
    state.set(node, 'done');
    return found;
  };
  return [...out.keys()].some(visit);
}

function step(name: string, owner: string | undefined, ownerFunction: string | undefined, next: string[], more: Partial<ProcessStepInput> = {}): ProcessStepInput {
  return { name, owner, ownerFunction, next, kpis: [], ...more };
}

describe('map layout: process', () => {
  it('places a branch, a join, a loop and an unreachable step', () => {
    const process: ProcessInput = {
      name: 'Support',
      steps: [
        step('Intake', 'Agent', 'Service', ['Resolve', 'Escalate'], { title: 'Take the ticket', kpis: ['FirstResponse'] }),
        step('Resolve', 'Agent', 'Service', ['Close']),
        step('Escalate', 'Engineer', 'Engineering', ['Fix'], { sop: 'SOP-ESC' }),
        step('Fix', 'Engineer', 'Engineering', ['Verify']),
        step('Verify', 'QA', 'Engineering', ['Close', 'Fix']),
        step('Close', 'Agent', 'Service', []),
        step('Archive', undefined, undefined, ['Close']),
      ],
    };
    const layout = checkProcess(process);
    const edge = (from: string, to: string) => layout.edges.find((candidate) => candidate.from === from && candidate.to === to)!;
    assert.equal(edge('Verify', 'Fix').back, true, 'the loop Verify → Fix is the back edge');
    assert.equal(layout.edges.filter((candidate) => candidate.back).length, 1, 'only that edge is back');
    assert.deepEqual(
      layout.edges.filter((candidate) => candidate.handOff).map((candidate) => `${candidate.from}->${candidate.to}`).sort(),
      ['Archive->Close', 'Escalate->Fix', 'Fix->Verify', 'Intake->Escalate', 'Verify->Close', 'Verify->Fix'].filter((pair) => pair !== 'Escalate->Fix'),
    );
    assert.equal(edge('Intake', 'Escalate').crossFunction, true, 'Service → Engineering crosses functions');
    assert.equal(edge('Fix', 'Verify').crossFunction, false, 'Engineer → QA stays in Engineering');
    assert.deepEqual(layout.nodes.filter((node) => node.unreachable).map((node) => node.name), ['Archive']);
    // The entry's lane and function come first; the lane without an owner comes last.
    assert.deepEqual(layout.lanes.map((lane) => lane.owner), ['Agent', 'Engineer', 'QA', undefined]);
    assert.deepEqual(layout.groups.map((group) => group.ownerFunction), ['Service', 'Engineering', undefined]);
    // Steps flow left to right: Intake, then Resolve and Escalate together, then Fix.
    const x = (name: string) => layout.nodes.find((node) => node.name === name)!.box.x;
    assert.ok(x('Intake') < x('Escalate') && x('Escalate') < x('Fix') && x('Fix') < x('Verify'));
  });

  it('gives two steps of one owner in one column a row each', () => {
    const layout = checkProcess({
      name: 'Fork',
      steps: [step('A', 'Ann', 'Ops', ['B', 'C']), step('B', 'Ann', 'Ops', ['D']), step('C', 'Ann', 'Ops', ['D']), step('D', 'Ann', 'Ops', [])],
    });
    const box = (name: string) => layout.nodes.find((node) => node.name === name)!.box;
    assert.equal(box('B').x + box('B').width / 2, box('C').x + box('C').width / 2, 'B and C share a column');
    assert.notEqual(box('B').y, box('C').y, 'in rows of their own');
  });

  it('marks a step that leads to itself as a loop', () => {
    const layout = checkProcess({ name: 'Retry', steps: [step('Try', 'Bot', undefined, ['Try', 'Done']), step('Done', 'Bot', undefined, [])] });
    assert.deepEqual(
      layout.edges.map((edge) => [edge.from, edge.to, edge.back]),
      [
        ['Try', 'Try', true],
        ['Try', 'Done', false],
      ],
    );
  });

  it('survives no steps, unknown and repeated targets, and a repeated step name', () => {
    assert.deepEqual(layoutProcess({ name: 'Empty', steps: [] }).nodes, []);
    const layout = checkProcess({
      name: 'Odd',
      steps: [step('A', 'X', 'F', ['B', 'B', 'Missing']), step('B', 'X', 'F', []), step('B', 'Y', 'G', ['A'])],
    });
    assert.equal(layout.edges.length, 1);
  });

  it('holds its invariants on 80 generated processes up to 50 steps and 12 lanes', function () {
    // Each case lays a process out three times; on a loaded machine that takes seconds, not milliseconds.
    this.timeout(120_000);
    const sizes = random(2026);
    for (let seed = 1; seed <= 80; seed++) {
      const shape = seed <= 10 ? { steps: 50, lanes: 12 } : { steps: 1 + Math.floor(sizes() * 50), lanes: 1 + Math.floor(sizes() * 12) };
      try {
        checkProcess(generateProcess(seed, shape));
      } catch (error) {
        throw new Error(`seed ${seed} (${shape.steps} steps, ${shape.lanes} lanes): ${(error as Error).message}`);
      }
    }
  });
});

describe('map layout: the examples and the map fixture, through the renderer\'s adapter', () => {
  // The inputs the renderer builds from the scorecard model (render/maps/inputs.ts), with the box lines it writes.
  const models = () => [buildScorecardModel(examplesWorkspace()), supportModel()];

  it('holds the process invariants on every process (each step in its owner\'s lane, an arrow per next, no overlap, deterministic)', function () {
    this.timeout(60_000);
    let processes = 0;
    for (const model of models()) {
      const source = new MapSource(model);
      for (const process of model.processes) {
        const input = processInput(source, process);
        checkProcess(input);
        assert.deepEqual(layoutProcess(processInput(new MapSource(model), process)), layoutProcess(input), `${process.name} is laid out the same twice`);
        processes++;
      }
    }
    assert.ok(processes >= 3, `${processes} processes checked`);
  });

  it('lays out the strategy and hand-off maps of each without overlapping nodes or labels', () => {
    for (const model of models()) {
      const source = new MapSource(model);
      const strategy = layoutStrategy(strategyInput(source));
      assertNoOverlaps(strategy.nodes, 'strategy');
      assert.equal(strategy.nodes.length, model.objectives.length);
      const handOffs = layoutHandOffs(handOffInput(source));
      assertNoOverlaps([...handOffs.nodes, ...handOffs.edges.map((edge) => ({ name: `${edge.from}->${edge.to}`, box: edge.labelBox }))], 'hand-offs');
    }
  });
});

describe('map layout: strategy', () => {
  const input: StrategyInput = {
    objectives: [
      { name: 'Grow', title: 'Grow revenue', perspective: 'financial', drives: [], kpis: ['Revenue'] },
      { name: 'Keep', title: 'Keep customers', perspective: 'customer', drives: ['Grow'], kpis: ['Churn'] },
      { name: 'Win', perspective: 'customer', drives: ['Grow', 'Keep'], kpis: [] },
      { name: 'Fast', title: 'Resolve fast', perspective: 'internal', drives: ['Keep', 'Nowhere'], kpis: ['ResolutionTime'] },
      { name: 'Skills', perspective: 'learning', drives: ['Fast'], kpis: ['TrainingHours'] },
      { name: 'Loose', drives: ['Skills'], kpis: [] },
    ],
    kpis: [
      { name: 'Churn', depends: ['ResolutionTime', 'Unknown'] },
      { name: 'Revenue', depends: ['Churn'] },
    ],
  };

  it('puts the bands in order, bottom up, each objective inside its own', () => {
    const layout = layoutStrategy(input);
    assert.deepEqual(layout.bands.map((band) => band.perspective), ['financial', 'customer', 'internal', 'learning', undefined]);
    for (let index = 1; index < layout.bands.length; index++) {
      assert.equal(layout.bands[index]!.box.y, layout.bands[index - 1]!.box.y + layout.bands[index - 1]!.box.height, 'bands stack downwards without gaps');
    }
    for (const node of layout.nodes) {
      const objective = input.objectives.find((candidate) => candidate.name === node.name)!;
      assert.equal(layout.bands[node.band]!.perspective, objective.perspective, `${node.name} is in its perspective's band`);
      assert.ok(inside(node.box, layout.bands[node.band]!.box), `${node.name} lies inside its band`);
      for (const band of layout.bands) assert.ok(!overlaps(node.box, band.labelBox), `a band label overlaps ${node.name}`);
    }
    assertNoOverlaps(layout.nodes, 'objectives');
  });

  it('leaves out the band of objectives without a perspective when there are none', () => {
    const layout = layoutStrategy({ objectives: input.objectives.filter((objective) => objective.perspective !== undefined), kpis: [] });
    assert.deepEqual(layout.bands.map((band) => band.perspective), ['financial', 'customer', 'internal', 'learning']);
  });

  it('draws an edge per drives and a dashed one per objectives joined by depends', () => {
    const layout = layoutStrategy(input);
    assert.deepEqual(
      layout.edges.map((edge) => `${edge.kind} ${edge.from}->${edge.to}`),
      ['drives Fast->Keep', 'drives Keep->Grow', 'drives Loose->Skills', 'drives Skills->Fast', 'drives Win->Grow', 'drives Win->Keep', 'depends Fast->Keep', 'depends Keep->Grow'],
    );
    assert.deepEqual(layout.edges.find((edge) => edge.kind === 'depends' && edge.from === 'Fast')!.via, [{ from: 'ResolutionTime', to: 'Churn' }]);
    const boxOf = (name: string) => layout.nodes.find((node) => node.name === name)!.box;
    for (const edge of layout.edges) {
      assert.ok(onBorder(edge.points[0]!, boxOf(edge.from)), `${edge.from}->${edge.to} starts on its source`);
      assert.ok(onBorder(edge.points[edge.points.length - 1]!, boxOf(edge.to)), `${edge.from}->${edge.to} ends on its target`);
    }
  });

  it('routes every edge in channels, clear of other objectives, on generated strategies', function () {
    this.timeout(120_000);
    const perspectives = [undefined, 'financial', 'customer', 'internal', 'learning'] as const;
    for (let seed = 1; seed <= 30; seed++) {
      const next = random(seed);
      const count = 1 + Math.floor(next() * 30);
      const objectives = Array.from({ length: count }, (_, index) => ({
        name: `O${index}`,
        title: next() < 0.5 ? `Objective ${index} ${'y'.repeat(Math.floor(next() * 25))}` : undefined,
        perspective: perspectives[Math.floor(next() * perspectives.length)],
        drives: Array.from({ length: Math.floor(next() * 3) }, () => `O${Math.floor(next() * count)}`),
        kpis: [`K${index}`],
      }));
      const kpis = objectives.map((_, index) => ({ name: `K${index}`, depends: next() < 0.3 ? [`K${Math.floor(next() * count)}`] : [] }));
      const layout = layoutStrategy({ objectives, kpis });
      assertNoOverlaps(layout.nodes, `seed ${seed} objectives`);
      const boxOf = new Map(layout.nodes.map((node) => [node.name, node.box]));
      for (const edge of layout.edges) {
        assert.ok(onBorder(edge.points[0]!, boxOf.get(edge.from)!), `seed ${seed}: ${edge.from}->${edge.to} starts on its source`);
        assert.ok(onBorder(edge.points[edge.points.length - 1]!, boxOf.get(edge.to)!), `seed ${seed}: ${edge.from}->${edge.to} ends on its target`);
        for (let index = 1; index < edge.points.length; index++) {
          const a = edge.points[index - 1]!;
          const b = edge.points[index]!;
          assert.ok(a.x === b.x || a.y === b.y, `seed ${seed}: ${edge.from}->${edge.to} runs in straight channels`);
          for (const node of layout.nodes) {
            if (node.name === edge.from || node.name === edge.to) continue;
            assert.ok(!segmentCrosses(a, b, node.box), `seed ${seed}: ${edge.kind} ${edge.from}->${edge.to} crosses ${node.name}`);
          }
        }
      }
      for (const node of layout.nodes) assert.ok(inside(node.box, layout.bands[node.band]!.box), `seed ${seed}: ${node.name} lies inside its band`);
    }
  });

  it('is deterministic and independent of the order objectives and drives are written in', () => {
    const layout = layoutStrategy(input);
    assert.deepEqual(layoutStrategy(input), layout);
    const reordered: StrategyInput = {
      objectives: [...input.objectives].reverse().map((objective) => ({ ...objective, drives: [...objective.drives].reverse() })),
      kpis: [...input.kpis].reverse(),
    };
    const byName = (nodes: typeof layout.nodes) => [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1));
    const shuffled = layoutStrategy(reordered);
    assert.deepEqual(byName(shuffled.nodes), byName(layout.nodes));
    assert.deepEqual(shuffled.edges, layout.edges);
    assert.deepEqual(shuffled.bands, layout.bands);
  });
});

describe('map layout: hand-offs between functions', () => {
  const processes: ProcessInput[] = [
    {
      name: 'Support',
      steps: [step('Intake', 'Agent', 'Service', ['Escalate']), step('Escalate', 'Engineer', 'Engineering', ['Reply']), step('Reply', 'Agent', 'Service', [])],
    },
  ];
  const input: HandOffInput = {
    functions: [
      { name: 'Service', title: 'Customer service', kpiCount: 2 },
      { name: 'Engineering', kpiCount: 1 },
      { name: 'Finance', kpiCount: 1 },
    ],
    kpis: [
      { name: 'Csat', ownerFunction: 'Service', depends: ['BugRate', 'Csat'] },
      { name: 'Resolution', ownerFunction: 'Service', depends: ['BugRate'] },
      { name: 'BugRate', ownerFunction: 'Engineering', depends: [] },
      { name: 'Margin', ownerFunction: 'Finance', depends: ['Csat'] },
      { name: 'Orphan', depends: ['Csat'] },
    ],
    processes,
  };

  it('draws an edge per pair of functions with what crosses it, labels clear of nodes', () => {
    const layout = layoutHandOffs(input);
    assert.deepEqual(layout.nodes.map((node) => node.name), ['Engineering', 'Finance', 'Service']);
    assert.deepEqual(
      layout.edges.map((edge) => [edge.from, edge.to, edge.crossings.map((crossing) => `${crossing.kind} ${crossing.from}->${crossing.to}`)]),
      [
        ['Engineering', 'Service', ['depends BugRate->Csat', 'depends BugRate->Resolution', 'hand-off Escalate->Reply']],
        ['Service', 'Engineering', ['hand-off Intake->Escalate']],
        ['Service', 'Finance', ['depends Csat->Margin']],
      ],
    );
    assertNoOverlaps(layout.nodes, 'functions');
    assertNoOverlaps(layout.edges.map((edge) => ({ name: `${edge.from}->${edge.to}`, box: edge.labelBox })), 'edge labels');
    for (const edge of layout.edges) {
      for (const node of layout.nodes) assert.ok(!overlaps(edge.labelBox, node.box), `the label of ${edge.from}->${edge.to} overlaps ${node.name}`);
      assert.ok(edge.points.length >= 2, 'an edge has a path');
    }
  });

  it('is deterministic and independent of input order', () => {
    const layout = layoutHandOffs(input);
    assert.deepEqual(layoutHandOffs(input), layout);
    assert.deepEqual(layoutHandOffs({ functions: [...input.functions].reverse(), kpis: [...input.kpis].reverse(), processes }), layout);
  });

  it('names what crosses by titles, the name where there is none', () => {
    const titled: HandOffInput = {
      ...input,
      kpis: input.kpis.map((kpi) => (kpi.name === 'BugRate' ? { ...kpi, title: 'Bugs per release' } : kpi)),
      processes: [{ ...processes[0]!, steps: processes[0]!.steps.map((s) => (s.name === 'Escalate' ? { ...s, title: 'Escalated to engineering' } : s)) }],
    };
    const lines = layoutHandOffs(titled).edges.map((edge) => [`${edge.from}->${edge.to}`, crossingLines(edge.crossings)]);
    assert.deepEqual(lines, [
      ['Engineering->Service', ['Csat needs Bugs per release', 'Resolution needs Bugs per release', 'Escalated to engineering → Reply']],
      ['Service->Engineering', ['Intake → Escalated to engineering']],
      ['Service->Finance', ['Margin needs Csat']],
    ]);
  });

  it('lays a part out left to right when it fits the reading width, else top to bottom, and sets parts in rows of that width', () => {
    // A chain of eight functions (too wide left to right), a pair, and ten functions that nothing crosses.
    const chain = Array.from({ length: 8 }, (_, index) => `Chain${index}`);
    const lonely = Array.from({ length: 10 }, (_, index) => `Lonely${index}`);
    const wide: HandOffInput = {
      functions: [...chain, 'PairA', 'PairB', ...lonely].map((name) => ({ name, kpiCount: 1 })),
      kpis: [
        ...chain.map((name, index) => ({ name: `K${name}`, ownerFunction: name, depends: index > 0 ? [`K${chain[index - 1]}`] : [] })),
        { name: 'KPairA', ownerFunction: 'PairA', depends: [] },
        { name: 'KPairB', ownerFunction: 'PairB', depends: ['KPairA'] },
      ],
      processes: [],
    };
    const layout = layoutHandOffs(wide);
    const box = (name: string) => layout.nodes.find((node) => node.name === name)!.box;
    assert.deepEqual(layout.nodes.map((node) => node.name), [...chain, ...lonely, 'PairA', 'PairB'].sort(), 'every function, in name order');
    assert.equal(layout.edges.length, 8, 'an edge per pair that something crosses');
    assert.ok(layout.width <= READING_WIDTH, `${layout.width} px wide`);
    for (let index = 1; index < chain.length; index++) assert.ok(box(chain[index]!).y >= box(chain[index - 1]!).y + box(chain[index - 1]!).height, `${chain[index]} below ${chain[index - 1]}`);
    assert.ok(box('PairB').x >= box('PairA').x + box('PairA').width, 'the pair reads left to right');
    const chainBottom = Math.max(...chain.map((name) => box(name).y + box(name).height));
    const chainRight = Math.max(...chain.map((name) => box(name).x + box(name).width));
    for (const name of ['PairA', ...lonely]) assert.ok(box(name).y > chainBottom || box(name).x > chainRight, `${name} after the largest part, right of it or below`);
    const rows = new Set(lonely.map((name) => box(name).y));
    assert.ok(rows.size < lonely.length / 2, `the functions nothing crosses share rows (${rows.size} rows)`);
    assertNoOverlaps([...layout.nodes, ...layout.edges.map((edge) => ({ name: `${edge.from}->${edge.to}`, box: edge.labelBox }))], 'parts');
    assertWithin(layout);
  });

  it('lays out 3, 5, 12 and 50 functions deterministically, an edge per pair, nothing overlapping, within its size', () => {
    for (const count of [3, 5, 12, 50]) {
      const generated = generatedFunctions(count, count);
      const layout = layoutHandOffs(generated);
      assert.equal(layout.nodes.length, count);
      const pairs = new Set<string>();
      const functionOf = new Map(generated.kpis.map((kpi) => [kpi.name, kpi.ownerFunction]));
      for (const kpi of generated.kpis) for (const dependency of kpi.depends) if (functionOf.get(dependency) !== kpi.ownerFunction) pairs.add(`${functionOf.get(dependency)}->${kpi.ownerFunction}`);
      assert.deepEqual(layout.edges.map((edge) => `${edge.from}->${edge.to}`).sort(), [...pairs].sort(), `${count} functions: an edge per pair`);
      assertNoOverlaps([...layout.nodes, ...layout.edges.map((edge) => ({ name: `${edge.from}->${edge.to}`, box: edge.labelBox }))], `${count} functions`);
      for (const edge of layout.edges) for (const node of layout.nodes) assert.ok(!overlaps(edge.labelBox, node.box), `${count}: the label of ${edge.from}->${edge.to} overlaps ${node.name}`);
      assertWithin(layout);
      assert.deepEqual(layoutHandOffs({ ...generated, functions: [...generated.functions].reverse(), kpis: [...generated.kpis].reverse() }), layout, `${count} functions laid out the same in any input order`);
      if (count <= 5) assert.ok(layout.width <= READING_WIDTH, `${count} functions fit the reading width (${layout.width} px)`);
    }
  });

  it('keeps labels off nodes on the hand-offs of generated processes', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const process = generateProcess(seed, { steps: 40, lanes: 10 });
      const layout = layoutHandOffs({ functions: [], kpis: [], processes: [process] });
      assertNoOverlaps(layout.nodes, `seed ${seed} functions`);
      for (const edge of layout.edges) {
        for (const node of layout.nodes) assert.ok(!overlaps(edge.labelBox, node.box), `seed ${seed}: the label of ${edge.from}->${edge.to} overlaps ${node.name}`);
      }
      assertNoOverlaps(layout.edges.map((edge) => ({ name: `${edge.from}->${edge.to}`, box: edge.labelBox })), `seed ${seed} edge labels`);
    }
  });
});
