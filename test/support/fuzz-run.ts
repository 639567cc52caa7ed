// What the fuzz suite (test/fuzz.test.ts) and the long run (`npm run fuzz`,
// scripts/fuzz.ts) share: core cases, truncation sweeps, fixture replays,
// minimising a finding, writing it out, and the totals both print.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { caseRandom, CSV_MUTATORS, diffEdit, FUZZ_FIXTURES, int, loadExamples, mutate, pick, REPO, type CorpusFile, type Rnd } from './fuzz';
import { checkSequence, CoreWorkspace, type Problem, type ProblemKind, type SequenceOptions } from './invariants';
import { random } from './random';

/** The examples' data file, which mutation cases change now and then. */
export const DATA_FILE = 'data/sellout.csv';

/** In a long run, every this many cases is a truncation sweep. */
export const SWEEP_EVERY = 25;

/** Where findings are written (git ignores test-results/). */
export const FINDINGS = path.join(REPO, 'test-results', 'fuzz');

/** A problem with what it takes to reproduce it. */
export interface Finding {
  target: 'core' | 'server';
  problem: Problem;
  /** Which case found it, e.g. `core case 17 of seed 3 (examples/sales.kpi; swap-tokens, truncate)`. */
  source: string;
  /** The command that replays the case. */
  replay: string;
  /** The reproducer: the text, and the text the failing edit started from. */
  text: string;
  before?: string;
  /** The other files of the workspace (key → text, data files too) when the finding needs them. */
  context?: ReadonlyMap<string, string>;
  /** A server session's steps. */
  steps?: string[];
  /** The data file's new content, when the problem showed after it changed. */
  data?: { key: string; text: string };
}

/** Groups repeats of one bug: the kind and the first line of the message, numbers blurred. */
export function signature(problem: Problem): string {
  return `${problem.kind}: ${headline(problem).replace(/\d+/g, 'N')}`;
}

/** The first line of a problem's message, cut to a readable length (a message may quote a 20,000-character name). */
export function headline(problem: Problem): string {
  const first = problem.message.split('\n')[0]!;
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

// ---- core cases ---------------------------------------------------------

export interface CoreCaseResult {
  /** Texts the analysis was fed. */
  inputs: number;
  findings: Finding[];
}

/** The corpus and the examples workspace, loaded once per run. */
export class CoreFuzzer {
  readonly examples: CoreWorkspace;
  private readonly exampleFiles: Map<string, string>;
  private readonly texts: string[];

  constructor(
    readonly corpus: readonly CorpusFile[],
    /** Scale of the big mutations: 1 in the suite, more in `npm run fuzz`. */
    readonly scale = 1,
  ) {
    this.exampleFiles = loadExamples();
    this.examples = CoreWorkspace.of(this.exampleFiles);
    this.texts = corpus.map((c) => c.text);
  }

  /**
   * The base of a corpus file: an example is edited inside the examples
   * workspace (cross-file checks see it), any other file alone.
   */
  baseOf(file: CorpusFile): { base: CoreWorkspace; key: string } {
    const example = /^examples\/([^/]+\.kpi)$/.exec(file.name);
    if (example) return { base: this.examples, key: example[1]! };
    return { base: new CoreWorkspace(new Map([['input.kpi', file.text]])), key: 'input.kpi' };
  }

  /**
   * Case `index` of `seed`: a corpus file (an example a third of the time),
   * one to four mutations applied one after the other as edits, the
   * invariants after each, and the editor features on the result.
   */
  mutationCase(seed: number, index: number): CoreCaseResult {
    const { rnd, file, texts, names } = this.generate(seed, index);
    const { base, key } = this.baseOf(file);
    // In the examples, now and then the data file changes on disk too.
    const data = base === this.examples && rnd() < 0.2 ? { key: DATA_FILE, text: this.mutateCsv(rnd) } : undefined;
    const result = checkSequence(base, key, texts, { compareEvery: true, features: rnd, ranges: rnd, ...(data ? { data } : {}) });
    const source = `core case ${index} of seed ${seed} (${file.name}; ${names.join(', ')}${data ? `; ${DATA_FILE} changed` : ''})`;
    const replay = `npm run fuzz -- --target=core --seed=${seed} --case=${index} --scale=${this.scale}`;
    const findings = this.findings(result, texts, base, key, source, replay).map((f) => (data ? { ...f, data } : f));
    return { inputs: texts.length - 1 + (data ? 1 : 0), findings };
  }

  /**
   * Truncation at every position of a file, as typing it from empty one
   * character at a time (`forward`) or deleting it from its end; `stride`
   * skips positions for big files.
   */
  truncationSweep(file: CorpusFile, direction: 'forward' | 'backward', stride = 1): CoreCaseResult {
    const { base, key } = this.baseOf(file);
    const cuts: number[] = [];
    for (let at = 0; at <= file.text.length; at += stride) cuts.push(at);
    if (cuts[cuts.length - 1] !== file.text.length) cuts.push(file.text.length);
    if (direction === 'backward') cuts.reverse();
    const texts = cuts.map((at) => file.text.slice(0, at));
    // Every prefix is compared with a fresh analysis; the features run on the last.
    const rnd = random(cuts.length);
    const result = checkSequence(base, key, texts, { compareEvery: true, features: rnd, ranges: rnd });
    const source = `truncation sweep of ${file.name} (${direction}, stride ${stride})`;
    const replay = `npm run fuzz -- --target=core --sweep=${file.name} --stride=${stride}${direction === 'backward' ? ' --backward' : ''}`;
    return { inputs: texts.length, findings: this.findings(result, texts, base, key, source, replay) };
  }

  /**
   * Case `index` of a long run: every SWEEP_EVERY-th case a truncation sweep
   * of the next corpus file (at most ~2000 positions), otherwise a mutation case.
   */
  runCase(seed: number, index: number): CoreCaseResult & { sweep: boolean } {
    if (index % SWEEP_EVERY !== SWEEP_EVERY - 1) return { ...this.mutationCase(seed, index), sweep: false };
    const n = Math.floor(index / SWEEP_EVERY);
    const file = this.corpus[(n + seed) % this.corpus.length]!;
    return { ...this.truncationSweep(file, n % 2 === 0 ? 'forward' : 'backward', Math.max(1, Math.ceil(file.text.length / 2000))), sweep: true };
  }

  /** The examples' CSV data file after one to three mutations. */
  mutateCsv(rnd: Rnd): string {
    let csv = this.exampleFiles.get(DATA_FILE)!;
    for (let n = int(rnd, 1, 3); n > 0; n--) csv = pick(rnd, CSV_MUTATORS).apply(csv, rnd, { corpus: this.texts, scale: this.scale });
    return csv;
  }

  /** The inputs of mutation case `index`, without running it (a case that hung is reported with them). */
  generate(seed: number, index: number): { rnd: Rnd; file: CorpusFile; texts: string[]; names: string[] } {
    const rnd = caseRandom(seed, index);
    const examples = this.corpus.filter((c) => c.name.startsWith('examples/'));
    const file = rnd() < 0.33 && examples.length > 0 ? pick(rnd, examples) : pick(rnd, this.corpus);
    return { rnd, file, ...mutate(file.text, rnd, { corpus: this.texts, scale: this.scale }, int(rnd, 1, 4)) };
  }

  private findings(result: ReturnType<typeof checkSequence>, texts: readonly string[], base: CoreWorkspace, key: string, source: string, replay: string): Finding[] {
    if (result.problems.length === 0) return [];
    const at = result.failedAt ?? texts.length - 1;
    const context = base === this.examples ? new Map([...this.exampleFiles].filter(([k]) => k !== key)) : undefined;
    return result.problems.map((problem) => ({
      target: 'core' as const,
      problem,
      source,
      replay,
      text: texts[at]!,
      ...(at > 0 ? { before: texts[at - 1]! } : {}),
      ...(context ? { context } : {}),
    }));
  }
}

// ---- reproducers ------------------------------------------------------------

export interface Reproducer {
  name: string;
  text: string;
  before?: string;
}

/** The crash reproducers kept as fixtures: `<name>.kpi`, with `<name>.before.kpi` when an edit from that text is needed. */
export function loadReproducers(dir = FUZZ_FIXTURES): Reproducer[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.kpi') && !f.endsWith('.before.kpi'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.kpi'.length);
      const before = path.join(dir, `${name}.before.kpi`);
      return { name, text: fs.readFileSync(path.join(dir, f), 'utf8'), ...(fs.existsSync(before) ? { before: fs.readFileSync(before, 'utf8') } : {}) };
    });
}

/**
 * Replays a reproducer as `input.kpi` of a one-file workspace (or beside the
 * `context` files): its text alone, or the edit from its `before` text (once
 * as a new text, once with the changed range); every invariant, and the
 * features at every offset of a small text.
 */
export function replayReproducer(r: Pick<Reproducer, 'text' | 'before'>, context?: ReadonlyMap<string, string>, options: SequenceOptions = {}): Problem[] {
  const key = 'input.kpi';
  const texts = r.before === undefined ? [r.text] : [r.before, r.text];
  const documents = new Map([...(context ?? [])].filter(([k]) => k.endsWith('.kpi'))).set(key, texts[0]!);
  const base = new CoreWorkspace(documents, Object.fromEntries(context ?? []));
  const small = r.text.length <= 2000;
  // The edit as the new text alone, then with its range and the edited document checked first (as the server sends it).
  const plain = checkSequence(base, key, texts, { compareEvery: true, features: random(1), everyOffset: small, ...options }).problems;
  if (plain.length > 0 || texts.length === 1) return plain;
  return checkSequence(base, key, texts, { compareEvery: true, ranges: 'exact', ...options }).problems;
}

/**
 * Shrinks a core finding to a small reproducer that still shows a problem
 * with the same signature: lines first, then characters, of the text before
 * the edit, the edit itself, and the text around it. Tries a one-file
 * workspace first; keeps the examples around it only when that is needed.
 */
export function minimize(finding: Finding, budget = 3000): Finding {
  const wanted = signature(finding.problem);
  let context = finding.context;
  const fails = (text: string, before: string | undefined) => {
    if (budget-- <= 0) return false;
    // Every offset of a text up to 2000 characters: a feature's crash at one offset must not be missed.
    return replayReproducer({ text, ...(before === undefined ? {} : { before }) }, context, { everyOffset: text.length <= 2000 }).some((p) => signature(p) === wanted);
  };
  const around = context;
  context = undefined;
  if (!fails(finding.text, finding.before)) {
    // Not alone: with the other examples around it, or else only inside its case (keep it whole).
    context = around;
    if (!context || !fails(finding.text, finding.before)) return finding;
  }
  // [common prefix, removed, inserted, common suffix]: an edit stays an edit while each part shrinks;
  // a problem the last text shows by itself needs no edit.
  const before = finding.before !== undefined && fails(finding.text, undefined) ? undefined : finding.before;
  const edit = before === undefined ? undefined : diffEdit(before, finding.text);
  const parts = edit ? [before!.slice(0, edit.start), before!.slice(edit.start, edit.end), edit.text, before!.slice(edit.end)] : ['', '', finding.text, ''];
  const join = (p: string[]) => ({ text: p[0]! + p[2]! + p[3]!, before: edit ? p[0]! + p[1]! + p[3]! : undefined });
  const stillFails = (p: string[]) => {
    const { text, before } = join(p);
    return fails(text, before);
  };
  for (let round = 0, progress = true; progress && round < 5; round++) {
    progress = false;
    for (let i = 0; i < parts.length; i++) progress = shrinkPart(parts, i, stillFails) || progress;
  }
  const small = join(parts);
  const { before: _before, context: _context, ...rest } = finding;
  return { ...rest, text: small.text, ...(small.before === undefined ? {} : { before: small.before }), ...(context ? { context } : {}) };
}

/** Removes ever smaller runs of lines, then of characters, from `parts[index]` while `fails` holds. */
function shrinkPart(parts: string[], index: number, fails: (parts: string[]) => boolean): boolean {
  let progress = false;
  for (const unit of ['lines', 'characters'] as const) {
    let pieces = unit === 'lines' ? parts[index]!.split(/(?<=\n)/) : [...parts[index]!];
    for (let size = Math.max(1, pieces.length >> 1); ; size >>= 1) {
      for (let at = 0; at < pieces.length; ) {
        const candidate = [...pieces.slice(0, at), ...pieces.slice(at + size)];
        const trial = [...parts];
        trial[index] = candidate.join('');
        if (fails(trial)) {
          pieces = candidate;
          parts[index] = trial[index]!;
          progress = true;
        } else at += size;
      }
      if (size <= 1) break;
    }
  }
  return progress;
}

/** A finding of the server as one of the core, when its text shows a problem in the core too (then it can be minimised). */
export function inTheCore(finding: Finding): Finding | undefined {
  const problem = replayReproducer({ text: finding.text })[0];
  return problem && { target: 'core', problem, source: `${finding.source}, replayed in the core`, replay: finding.replay, text: finding.text };
}

/** A server session's problems as findings. */
export function serverFindings(problems: readonly Problem[], session: { key: string; finalText: string; steps: string[] }, source: string, replay: string): Finding[] {
  return problems.map((problem) => ({ target: 'server', problem, source: `${source} (${session.key})`, replay, text: problem.text ?? session.finalText, steps: session.steps }));
}

/** Writes a finding as files under `dir` and returns what to tell the user. */
export function writeFinding(dir: string, n: number, finding: Finding): string {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `finding-${n}`);
  const rel = (file: string) => path.relative(REPO, file);
  fs.writeFileSync(`${base}.kpi`, finding.text);
  if (finding.before !== undefined) fs.writeFileSync(`${base}.before.kpi`, finding.before);
  if (finding.data) fs.writeFileSync(`${base}.csv`, finding.data.text);
  const report = [
    `${finding.problem.kind} (${finding.target}): ${finding.problem.message}`,
    `found by: ${finding.source}`,
    `replay:   ${finding.replay}`,
    ...(finding.context ? [`needs the other example files around it (examples/): it did not reproduce alone`] : []),
    ...(finding.data ? [`after ${finding.data.key} changed on disk to ${path.basename(base)}.csv (a data-file finding becomes a folder fixture under test/fixtures/rules/bad-data-file/)`] : []),
    ...(finding.steps ? ['session steps:', ...finding.steps.map((s) => `  ${s}`)] : []),
  ].join('\n');
  fs.writeFileSync(`${base}.txt`, `${report}\n`);
  const copy = finding.before !== undefined ? `${rel(base)}.kpi and ${rel(base)}.before.kpi` : `${rel(base)}.kpi`;
  return [
    `finding ${n}: ${finding.problem.kind} — ${headline(finding.problem)}`,
    `  found by ${finding.source}`,
    `  written to ${copy} (report: ${rel(base)}.txt)`,
    `  to keep it as a regression test, copy it to test/fixtures/fuzz/<name>.kpi${finding.before !== undefined ? ' (and <name>.before.kpi)' : ''}; test/fuzz.test.ts replays every file there`,
    `  replay the case: ${finding.replay}`,
  ].join('\n');
}

// ---- totals -----------------------------------------------------------------

/** What a run tried and found, for the closing lines. */
export class Totals {
  coreInputs = 0;
  coreCases = 0;
  sweeps = 0;
  reproducers = 0;
  sessions = 0;
  edits = 0;
  requests = 0;
  peakServerMb = 0;
  readonly findings: Finding[] = [];

  add(findings: readonly Finding[]): void {
    this.findings.push(...findings);
  }

  count(kind: ProblemKind): number {
    return this.findings.filter((f) => f.problem.kind === kind).length;
  }

  /** Distinct problems, by signature. */
  distinct(): Map<string, Finding> {
    const result = new Map<string, Finding>();
    for (const f of this.findings) if (!result.has(signature(f.problem))) result.set(signature(f.problem), f);
    return result;
  }

  summary(): string {
    return [
      `  core:   ${this.coreInputs} inputs analysed (${this.coreCases} mutation cases, ${this.sweeps} truncation sweeps, ${this.reproducers} reproducers)`,
      `  server: ${this.sessions} sessions over stdio, ${this.edits} edits, ${this.requests} requests, peak memory ${Math.round(this.peakServerMb)} MB`,
      `  found:  ${this.count('crash')} crashes, ${this.count('invariant')} invariant violations, ${this.count('hang')} hangs, ${this.count('memory')} memory overruns (${this.distinct().size} distinct)`,
    ].join('\n');
  }
}
