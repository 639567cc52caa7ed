// The layout time of the maps, printed, not asserted: medians over repeated
// runs of the process map at 10 and 50 steps (12 lanes at 50), the strategy
// map and the hand-off map. Run with `node --import tsx bench/maps.ts`
// (add a number of files, e.g. `bench/maps.ts 20`, for the workspace figures).
// `npm run bench` takes `mapRows` from here: the maps' render time on the
// generated workspace and the panel's live update, which draws the maps.
// Wall-clock and CPU medians are both shown: on a shared machine the wall
// clock includes time spent waiting for a core.
import { layoutHandOffs, layoutProcess, layoutStrategy, type ObjectiveInput, type Perspective } from '../server/src/language/scorecard/maps';
import { pathToFileURL } from 'node:url';
import { parseDate } from '../server/src/language/model/periods';
import { buildScorecardModel, ScorecardBuilder } from '../server/src/language/scorecard/build';
import { applyDelta, diffModels } from '../server/src/language/scorecard/delta';
import { MapSource, renderHandOffMap, renderProcessMap, renderStrategyMap } from '../server/src/language/scorecard/render/maps';
import { PageRenderer } from '../server/src/language/scorecard/render/html';
import { createWorkspace, type Workspace } from '../server/src/language/service';
import { MemoryFileSystem } from '../test/support/memory-fs';
import { generateProcess } from '../test/support/process-generator';
import { generateWorkspace, type GeneratedFile } from './generate';

const RUNS = 21;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(label: string, work: () => unknown): void {
  for (let warm = 0; warm < 3; warm++) work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const startCpu = process.cpuUsage();
    const startWall = performance.now();
    work();
    wall.push(performance.now() - startWall);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  console.log(`${label.padEnd(38)} median ${median(wall).toFixed(2).padStart(8)} ms wall, ${median(cpu).toFixed(2).padStart(8)} ms cpu`);
}

/** CPU milliseconds of `work` (the wall clock waits for a core on a shared machine). */
function cpuMs(work: () => unknown): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** A generated workspace of `files` files × 500 lines in memory, on the bench's day, and its files' texts. */
export function benchWorkspace(files: number): { generated: GeneratedFile[]; workspace: Workspace } {
  const generated = generateWorkspace(files, 500);
  const workspace = createWorkspace({
    root: '/bench',
    fs: new MemoryFileSystem(Object.fromEntries(generated.map((file) => [`/bench/${file.key}`, file.text]))),
    today: () => parseDate('2026-11-22')!,
    files: generated.map((file) => ({ key: file.key, path: `/bench/${file.key}`, text: file.text })),
  });
  return { generated, workspace };
}

/**
 * On a generated workspace of `files` files × 500 lines: every map drawn whole
 * once (cold, as `kpi scorecard --format svg` would), and the panel's live
 * update after an edit — analysis, the incremental scorecard model, the delta
 * the server sends and the panel applies, and the page's regions, maps
 * included (warm: unchanged maps reuse their layout) — as the p50 of `edits`
 * edits. Rows in the shape bench/run.ts prints.
 */
export function mapRows(files: number, edits: number): { what: string; p50: number; unit: string; target?: string }[] {
  const { generated, workspace } = benchWorkspace(files);
  const model = buildScorecardModel(workspace);
  const source = new MapSource(model);
  const options = { mode: 'standalone', idPrefix: 'bench' } as const;
  const all = cpuMs(() => {
    for (const process of model.processes) renderProcessMap(source, process, options);
    renderStrategyMap(source, options);
    renderHandOffMap(source, options);
  });
  // The panel's path: the server's incremental builder and the delta it sends (through JSON, as over the wire),
  // the panel's model with the delta applied, and the page rendered from it.
  const builder = new ScorecardBuilder();
  let served = builder.build(workspace);
  let held = JSON.parse(JSON.stringify(served)) as typeof served;
  // The panel holds a PageRenderer and posts what changed since the page it shows.
  const renderer = new PageRenderer();
  let shown = renderer.render(held);
  void shown.regions;
  const target = generated[0]!;
  const times: number[] = [];
  for (let edit = 1; edit <= edits; edit++) {
    const text = target.text.replace('"Request received"', `"Request received ${edit}"`);
    times.push(
      cpuMs(() => {
        workspace.setDocument(target.key, text, edit + 1, `/bench/${target.key}`);
        workspace.analyze();
        const next = builder.build(workspace);
        const wire = JSON.stringify(diffModels(served, next));
        held = applyDelta(held, JSON.parse(wire));
        served = next;
        const page = renderer.render(held);
        page.changeSince(shown);
        shown = page;
      }),
    );
  }
  const label = `${files} files × 500 lines, ${model.processes.length} processes`;
  return [
    { what: `maps: every map drawn once, cold (${label})`, p50: all, unit: 'ms cpu' },
    { what: `panel live update with the maps: edit → model → page (${label})`, p50: median(times), unit: 'ms cpu', target: 'p50 ≤ 100 ms' },
  ];
}

function layoutFigures(): void {
  const small = generateProcess(10, { steps: 10, lanes: 4 });
  const large = generateProcess(50, { steps: 50, lanes: 12 });
  measure('process map, 10 steps, 4 lanes', () => layoutProcess(small));
  measure('process map, 50 steps, 12 lanes', () => layoutProcess(large));

  const perspectives: (Perspective | undefined)[] = ['financial', 'customer', 'internal', 'learning', undefined];
  const objectives: ObjectiveInput[] = Array.from({ length: 20 }, (_, index) => ({
    name: `O${index}`,
    perspective: perspectives[index % 5],
    drives: index >= 5 ? [`O${index - 4}`, `O${(index * 7) % 20}`] : [],
    kpis: [`K${index}`],
  }));
  measure('strategy map, 20 objectives', () => layoutStrategy({ objectives, kpis: objectives.map((_, index) => ({ name: `K${index}`, depends: [`K${(index * 3) % 20}`] })) }));
  measure('hand-off map, 5 functions (50 steps)', () => layoutHandOffs({ functions: [], kpis: [], processes: [large] }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  layoutFigures();
  const files = Number(process.argv[2] ?? 0);
  if (files > 0) for (const row of mapRows(files, 5)) console.log(`${row.what.padEnd(90)} ${row.p50.toFixed(1)} ${row.unit}`);
}
