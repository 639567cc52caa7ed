// Scorecard models for the Mermaid tests: the examples as the CLI builds
// them, and generated ones (seeded, so every run is the same) whose processes
// branch, join, loop and leave steps unreachable, and whose titles can be
// made hostile to Mermaid, Markdown and HTML.
import * as path from 'node:path';
import type { Perspective } from '../../server/src/language/model/ast';
import { objectiveStatus } from '../../server/src/language/model/objectiveStatus';
import { parseDate } from '../../server/src/language/model/periods';
import type { StatusKind } from '../../server/src/language/model/status';
import { buildScorecardModel } from '../../server/src/language/scorecard/build';
import { PERSPECTIVE_LABELS, SCORECARD_MODEL_VERSION, type KpiCard, type Named, type ObjectiveCard, type OwnerRef, type ScorecardModel, type StepCard } from '../../server/src/language/scorecard/model';
import { createWorkspace } from '../../server/src/language/service';
import { findKpiFiles, keyFor, nodeFileSystem, readText } from '../../server/src/node/files';
import { HOSTILE, kpiCard } from './scorecard-models';
import { MemoryFileSystem } from './memory-fs';
import { random } from './random';

const TODAY = parseDate('2026-11-22')!;
const EXAMPLES = path.join(import.meta.dirname, '..', '..', 'examples');

/** The examples' scorecard model, as `kpi scorecard --today 2026-11-22` builds it. */
export function examplesModel(): ScorecardModel {
  const files = findKpiFiles(EXAMPLES).map((file) => ({ key: keyFor(EXAMPLES, file), path: file, text: readText(file)! }));
  return buildScorecardModel(createWorkspace({ root: EXAMPLES, fs: nodeFileSystem, today: () => TODAY, files }));
}

/** The scorecard model of one `.kpi` text. */
export function modelOf(text: string): ScorecardModel {
  return buildScorecardModel(createWorkspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => TODAY, files: [{ key: 'model.kpi', text }] }));
}

/** The sources of the ```mermaid fences of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((match) => match[1]!);
}

/** Titles that mean something to Mermaid (and to Markdown and HTML around it). */
export const MERMAID_HOSTILE = [
  ...HOSTILE,
  'end',
  'subgraph x ["y"]',
  'A"] --> B["C',
  'A]) --> click A call alert(1) ((B',
  '```\n# heading outside the fence',
  '~~~',
  '`**markdown string**`',
  '%%{init: {"securityLevel": "loose"}}%%',
  'style step0 fill:#f00;stroke:#333;',
  'classDef entry fill:#f00; class step1 entry',
  'a; b; c --> d',
  '#quot; #35; &amp; &lt;b&gt; #lt;script#gt;',
  'x@{ shape: circle } @team ~~~ y',
  'A---oB x--xC ==> D -.-> E',
  'line\u2028separator\u2029and\u0000nul and \u202Eright-to-left',
  '👩‍💻 emoji with joiner ✅',
  'ok:::red',
  '<br><b>bold</b><br/>',
  '\\"escaped quote\\"',
  '|pipe| label |x|',
  'x'.repeat(300),
] as const;

export interface GeneratedOptions {
  readonly steps: number;
  readonly objectives?: number;
  /** Each user-written string in turn, or plain titles when absent. */
  readonly titles?: readonly string[];
  readonly kpisPerStep?: number;
}

const STATUSES: StatusKind[] = ['green', 'amber', 'red', 'no-data', 'unscored'];
const PERSPECTIVE_CHOICES: (Perspective | undefined)[] = ['financial', 'customer', 'internal', 'learning', undefined];

/**
 * One process of `steps` steps (owners from six roles in three functions,
 * some steps without owner; `next` mostly forward with branches, some loops
 * back, a few steps nobody reaches) and a strategy of objectives with
 * `drives` and KPIs that depend on each other.
 */
export function generatedModel(seed: number, options: GeneratedOptions): ScorecardModel {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  let titleIndex = 0;
  const title = (plain: string) => (options.titles ? options.titles[titleIndex++ % options.titles.length]! : plain);

  const functions: Named[] = ['Sales', 'Service', 'Finance'].map((name) => ({ name, title: title(name) }));
  const owners: OwnerRef[] = Array.from({ length: 6 }, (_, index) => ({ name: `Role${index}`, title: title(`Role ${index}`), kind: 'role', function: functions[index % 3]! }));
  const kpiCount = Math.max(4, Math.round(options.steps * (options.kpisPerStep ?? 0.5)));
  const kpis: KpiCard[] = Array.from({ length: kpiCount }, (_, index) =>
    kpiCard({ name: `Kpi${index}`, title: title(`KPI number ${index}`), status: pick(STATUSES), owner: pick(owners) }, index),
  );
  for (const kpi of kpis) if (next() < 0.3) kpi.depends = [pick(kpis).name].filter((name) => name !== kpi.name);

  const names = Array.from({ length: options.steps }, (_, index) => `Step${index}`);
  const steps: StepCard[] = names.map((name, index) => {
    const targets: string[] = [];
    const unreachable = index > 2 && next() < 0.05;
    if (!unreachable && index + 1 < names.length) targets.push(names[index + 1]!);
    if (index + 2 < names.length && next() < 0.3) targets.push(names[index + 2 + Math.floor(next() * Math.min(5, names.length - index - 2))]!);
    if (index > 1 && next() < 0.1) targets.push(names[Math.floor(next() * index)]!);
    if (next() < 0.02) targets.push(name);
    const step: StepCard = { name, title: title(`Step ${index}`), where: { file: 'generated.kpi', line: index, character: 2 }, next: targets, handoffs: [], kpis: [] };
    if (next() < 0.9) step.owner = pick(owners);
    return step;
  });
  for (const kpi of kpis) {
    if (next() < 0.8) {
      const step = pick(steps);
      step.kpis.push(kpi.name);
      kpi.steps = [{ process: 'Generated', step: step.name, title: step.title }];
    }
  }

  const objectives: ObjectiveCard[] = Array.from({ length: options.objectives ?? 6 }, (_, index) => {
    const objective: ObjectiveCard = {
      name: `Goal${index}`,
      title: title(`Goal ${index}`),
      where: { file: 'generated.kpi', line: 1000 + index, character: 10 },
      keyResults: next() < 0.6 ? [pick(kpis).name, pick(kpis).name] : [],
      supportedBy: [],
      drives: [],
      status: 'no-data',
      dueProjections: [],
    };
    const perspective = pick(PERSPECTIVE_CHOICES);
    if (perspective) objective.perspective = perspective;
    return objective;
  });
  for (const kpi of kpis) {
    if (next() < 0.3) {
      const objective = pick(objectives);
      kpi.supports = [objective.name];
      objective.supportedBy.push(kpi.name);
    }
  }
  // Each objective's status follows from its KPIs as the scorecard builds it (LANGUAGE.md section 4.1).
  const statusOf = (names: readonly string[]) => names.map((name) => kpis.find((kpi) => kpi.name === name)!.status);
  for (const objective of objectives) objective.status = objectiveStatus(statusOf(objective.keyResults), statusOf(objective.supportedBy));
  for (const objective of objectives) if (next() < 0.7) objective.drives = [pick(objectives).name, ...(next() < 0.3 ? [pick(objectives).name] : [])];

  return {
    version: SCORECARD_MODEL_VERSION,
    today: '2026-11-22',
    scope: { kind: 'workspace' },
    perspectives: (['financial', 'customer', 'internal', 'learning'] as const).map((id) => ({ id, label: PERSPECTIVE_LABELS[id] })),
    scorecards: [],
    kpis,
    objectives,
    processes: [{ name: 'Generated', title: title('Generated process'), where: { file: 'generated.kpi', line: 0, character: 8 }, steps }],
    sops: [],
    owners: [],
    functions,
    jointReviews: [],
    problems: { errors: 0, warnings: 0 },
  };
}
