// npm run fuzz: the fuzz tests of test/fuzz.test.ts for longer (docs/fuzzing.md).
//
//   npm run fuzz -- [--seconds=300] [--iterations=N] [--seed=S] [--target=all|core|server]
//                   [--scale=4] [--edits=150] [--out=DIR]
//   npm run fuzz -- --target=core --seed=S --case=N [--scale=X]     replay one core case
//   npm run fuzz -- --target=server --seed=S --case=N [--edits=E]   replay one server session
//   npm run fuzz -- --target=core --sweep=examples/org.kpi [--stride=1] [--backward]
//
// The core cases run in a worker thread, so that a case that never ends is
// caught (no progress for HANG_SECONDS) and the server sessions, which run at
// the same time in the main thread, keep being served. Prints the totals;
// writes each distinct finding, minimised, to the output folder, says how to
// keep it as a fixture, and exits 1 when there was any.
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadCorpus } from '../test/support/fuzz';
import { CoreFuzzer, FINDINGS, inTheCore, minimize, serverFindings, signature, Totals, writeFinding, type Finding } from '../test/support/fuzz-run';
import { runServerSession } from '../test/support/fuzz-server';
import { assertBuilt } from '../test/support/lsp';

const HANG_SECONDS = 120;

interface Options {
  seconds: number;
  iterations: number;
  seed: number;
  target: 'all' | 'core' | 'server';
  scale: number;
  serverScale: number;
  edits: number;
  out: string;
  case?: number;
  sweep?: string;
  stride: number;
  backward: boolean;
}

/** Messages from the core worker. */
type CoreMessage = { type: 'start'; index: number } | { type: 'done'; index: number; inputs: number; sweep: boolean; findings: Finding[] } | { type: 'finished' };

interface CoreJob {
  seed: number;
  scale: number;
  first: number;
  last: number;
  deadline: number;
}

function parseOptions(argv: string[]): Options {
  const args = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) usage(`unknown argument ${arg}`);
    args.set(m[1]!, m[2] ?? 'true');
  }
  const known = ['seconds', 'iterations', 'seed', 'target', 'scale', 'edits', 'out', 'case', 'sweep', 'stride', 'backward'];
  for (const key of args.keys()) if (!known.includes(key)) usage(`unknown option --${key}`);
  const number = (key: string, fallback: number) => {
    if (!args.has(key)) return fallback;
    const value = Number(args.get(key));
    if (!Number.isFinite(value) || value < 0) usage(`--${key} needs a number`);
    return value;
  };
  const target = args.get('target') ?? 'all';
  if (!['all', 'core', 'server'].includes(target)) usage('--target is all, core or server');
  // A fresh seed per run unless one is given; it is printed so the run can be repeated.
  const seed = number('seed', Date.now() % 1_000_000);
  return {
    seconds: number('seconds', args.has('iterations') ? Infinity : 300),
    iterations: number('iterations', Infinity),
    seed,
    target: target as Options['target'],
    scale: number('scale', 4),
    serverScale: number('scale', 0.5),
    edits: number('edits', 150),
    out: path.resolve(args.get('out') ?? path.join(FINDINGS, `seed-${seed}`)),
    ...(args.has('case') ? { case: number('case', 0) } : {}),
    ...(args.has('sweep') ? { sweep: args.get('sweep')! } : {}),
    stride: number('stride', 1),
    backward: args.has('backward'),
  };
}

function usage(problem: string): never {
  console.error(`npm run fuzz: ${problem}\nusage: npm run fuzz -- [--seconds=300] [--iterations=N] [--seed=S] [--target=all|core|server] [--scale=X] [--edits=N] [--out=DIR] [--case=N] [--sweep=FILE [--stride=N] [--backward]]`);
  process.exit(2);
}

// ---- the core, in a worker ------------------------------------------------

/** Worker side: runs core cases first..last until the deadline, reporting each. */
function coreWorker(job: CoreJob): void {
  const fuzzer = new CoreFuzzer(loadCorpus(), job.scale);
  for (let index = job.first; index <= job.last && Date.now() < job.deadline; index++) {
    parentPort!.postMessage({ type: 'start', index } satisfies CoreMessage);
    const result = fuzzer.runCase(job.seed, index);
    parentPort!.postMessage({ type: 'done', index, inputs: result.inputs, sweep: result.sweep, findings: result.findings } satisfies CoreMessage);
  }
  parentPort!.postMessage({ type: 'finished' } satisfies CoreMessage);
}

/** Main side: runs the worker, restarting it after a case that hangs (reported as a finding). */
async function runCore(options: Options, totals: Totals, deadline: number): Promise<void> {
  const fuzzer = new CoreFuzzer(loadCorpus(), options.scale);
  let first = 0;
  while (first < options.iterations && Date.now() < deadline) {
    const job: CoreJob = { seed: options.seed, scale: options.scale, first, last: options.iterations - 1, deadline };
    first = await new Promise<number>((resolve, reject) => {
      // The worker registers tsx itself: module hooks of the main thread do not reach workers on Node 20.
      const load = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(import.meta.url)}))`;
      const worker = new Worker(load, { eval: true, workerData: job });
      let current: number | undefined;
      let lastProgress = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - lastProgress < HANG_SECONDS * 1000) return;
        clearInterval(watchdog);
        if (current === undefined) {
          reject(new Error(`the core worker did not start within ${HANG_SECONDS} s`));
          return;
        }
        const { texts, file, names } = fuzzer.generate(options.seed, current);
        totals.add([
          {
            target: 'core',
            problem: { kind: 'hang', message: `core case ${current} did not finish within ${HANG_SECONDS} s` },
            source: `core case ${current} of seed ${options.seed} (${file.name}; ${names.join(', ')})`,
            replay: `npm run fuzz -- --target=core --seed=${options.seed} --case=${current} --scale=${options.scale}`,
            text: texts[texts.length - 1]!,
          },
        ]);
        void worker.terminate().then(() => resolve(current! + 1));
      }, 1000);
      worker.on('message', (message: CoreMessage) => {
        lastProgress = Date.now();
        if (message.type === 'start') current = message.index;
        else if (message.type === 'done') {
          totals.coreInputs += message.inputs;
          if (message.sweep) totals.sweeps++;
          else totals.coreCases++;
          totals.add(message.findings);
        } else {
          clearInterval(watchdog);
          resolve(options.iterations);
        }
      });
      worker.on('error', (error) => {
        clearInterval(watchdog);
        reject(error);
      });
    });
  }
}

// ---- the server -------------------------------------------------------------

async function runServer(options: Options, totals: Totals, deadline: number): Promise<void> {
  const corpus = loadCorpus();
  for (let index = 0; index < options.iterations && Date.now() < deadline; index++) {
    const result = await runServerSession({ seed: options.seed, index, edits: options.edits, corpus, scale: options.serverScale });
    totals.sessions++;
    totals.edits += result.edits;
    totals.requests += result.requests;
    totals.peakServerMb = Math.max(totals.peakServerMb, result.memoryMb);
    totals.add(serverFindings(result.problems, result, `server session ${index} of seed ${options.seed}`, serverReplay(options, index)));
  }
}

function serverReplay(options: Options, index: number): string {
  return `npm run fuzz -- --target=server --seed=${options.seed} --case=${index} --edits=${options.edits} --scale=${options.serverScale}`;
}

// ---- one case -------------------------------------------------------------

/** Replays one core case or one truncation sweep. */
function replayOne(options: Options, totals: Totals): void {
  if (options.sweep !== undefined) {
    const file = loadCorpus().find((c) => c.name === options.sweep);
    if (!file) usage(`${options.sweep} is not in the corpus (test/fixtures and examples)`);
    const result = new CoreFuzzer(loadCorpus(), options.scale).truncationSweep(file, options.backward ? 'backward' : 'forward', options.stride);
    totals.sweeps++;
    totals.coreInputs += result.inputs;
    totals.add(result.findings);
  } else {
    const result = new CoreFuzzer(loadCorpus(), options.scale).runCase(options.seed, options.case!);
    totals.coreInputs += result.inputs;
    if (result.sweep) totals.sweeps++;
    else totals.coreCases++;
    totals.add(result.findings);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const totals = new Totals();
  const started = Date.now();
  if (options.target !== 'core') assertBuilt();

  if (options.case !== undefined || options.sweep !== undefined) {
    if (options.target === 'all' && options.sweep === undefined) usage('--case needs --target=core or --target=server');
    if (options.target === 'server') {
      const result = await runServerSession({ seed: options.seed, index: options.case!, edits: options.edits, corpus: loadCorpus(), scale: options.serverScale });
      totals.sessions++;
      totals.edits += result.edits;
      totals.requests += result.requests;
      totals.peakServerMb = result.memoryMb;
      totals.add(serverFindings(result.problems, result, `server session ${options.case} of seed ${options.seed}`, serverReplay(options, options.case!)));
    } else replayOne(options, totals);
  } else {
    const deadline = started + options.seconds * 1000;
    console.log(`npm run fuzz: seed ${options.seed}, ${Number.isFinite(options.seconds) ? `${options.seconds} s` : `${options.iterations} iterations`}, target ${options.target} (repeat with --seed=${options.seed})`);
    const progress = setInterval(() => {
      console.log(`  [${Math.round((Date.now() - started) / 1000)} s] core ${totals.coreInputs} inputs, server ${totals.sessions} sessions / ${totals.edits} edits, ${totals.findings.length} problems`);
    }, 30_000);
    await Promise.all([options.target !== 'server' ? runCore(options, totals, deadline) : undefined, options.target !== 'core' ? runServer(options, totals, deadline) : undefined]);
    clearInterval(progress);
  }

  console.log(`\nfuzz totals (seed ${options.seed}, ${Math.round((Date.now() - started) / 1000)} s):\n${totals.summary()}`);
  const distinct = [...totals.distinct().values()];
  if (distinct.length === 0) return;
  console.log('');
  distinct.slice(0, 20).forEach((finding, i) => {
    // A server finding whose text fails in the core too is minimised there.
    const core = finding.target === 'server' ? inTheCore(finding) : finding;
    const small = core && core.problem.kind !== 'hang' ? minimize(core) : finding;
    console.log(writeFinding(options.out, i + 1, small));
  });
  for (const [sig, finding] of totals.distinct()) console.log(`  ${totals.findings.filter((f) => signature(f.problem) === sig).length}× ${sig} (first: ${finding.source})`);
  process.exitCode = 1;
}

if (isMainThread) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  coreWorker(workerData as CoreJob);
}
