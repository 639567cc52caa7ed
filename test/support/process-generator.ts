// Random processes for the map layout's tests and bench: seeded, so a failing
// case can be replayed from its seed. Each has a main chain from the entry,
// branches and joins (extra `next` forward), loops (a `next` back), steps that
// nothing reaches, owners spread over lanes and functions, some steps without
// an owner and some owners without a function.
import type { ProcessInput, ProcessStepInput } from '../../server/src/language/scorecard/maps';
import { random } from './random';

export interface GeneratedShape {
  readonly steps: number;
  readonly lanes: number;
}

export function generateProcess(seed: number, shape: GeneratedShape): ProcessInput {
  const next = random(seed);
  const pick = (count: number): number => Math.floor(next() * count);
  const functions = ['Sales', 'Service', 'Finance', 'Operations', 'People'];
  const owners = Array.from({ length: shape.lanes }, (_, index) => ({
    owner: `Owner${index}`,
    ownerFunction: index % 4 === 3 ? undefined : functions[pick(functions.length)],
  }));
  const unreachable = shape.steps > 3 ? pick(Math.max(1, Math.floor(shape.steps / 8))) : 0;
  const chained = shape.steps - unreachable;
  const steps: ProcessStepInput[] = [];
  for (let index = 0; index < shape.steps; index++) {
    const links: string[] = [];
    const inChain = index < chained;
    if (inChain && index + 1 < chained) links.push(`S${index + 1}`);
    if (inChain && next() < 0.25 && index + 2 < chained) links.push(`S${index + 2 + pick(Math.min(4, chained - index - 2))}`);
    if (inChain && next() < 0.12 && index > 0) links.push(`S${pick(index + 1)}`);
    if (!inChain && next() < 0.5) links.push(`S${pick(shape.steps)}`);
    const owner = next() < 0.1 ? undefined : owners[pick(owners.length)]!;
    steps.push({
      name: `S${index}`,
      title: next() < 0.5 ? `Step number ${index}${'x'.repeat(pick(20))}` : undefined,
      owner: owner?.owner,
      ownerFunction: owner?.ownerFunction,
      next: links,
      sop: next() < 0.3 ? `SOP-${index}` : undefined,
      kpis: Array.from({ length: pick(3) }, (_, k) => `Kpi${index}_${k}`),
    });
  }
  return { name: `Generated${seed}`, steps };
}

/** The same process with every step but the entry in another order (the entry must stay first). */
export function shuffleSteps(process: ProcessInput, seed: number): ProcessInput {
  const next = random(seed);
  const rest = process.steps.slice(1);
  for (let index = rest.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [rest[index], rest[other]] = [rest[other]!, rest[index]!];
  }
  return { ...process, steps: process.steps.length === 0 ? [] : [process.steps[0]!, ...rest] };
}
