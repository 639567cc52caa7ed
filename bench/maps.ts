// The layout time of the maps, printed, not asserted: medians over repeated
// runs of the process map at 10 and 50 steps (12 lanes at 50), the strategy
// map and the hand-off map. Run with `node --import tsx bench/maps.ts`.
// Wall-clock and CPU medians are both shown: on a shared machine the wall
// clock includes time spent waiting for a core.
import { layoutHandOffs, layoutProcess, layoutStrategy, type ObjectiveInput, type Perspective } from '../server/src/language/scorecard/maps';
import { generateProcess } from '../test/support/process-generator';

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
