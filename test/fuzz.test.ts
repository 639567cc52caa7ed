// Fuzzing, bounded and deterministic (docs/fuzzing.md): grammar-aware
// mutations of every fixture and example, fed to the core as edits and to the
// bundled server over stdio. Invariants: no exception escapes, every range
// lies inside its document, every request answers, incremental results equal
// a fresh analysis, the server's memory stays bounded. Fixed seeds and counts
// keep it to about a minute; `npm run fuzz` runs the same cases for longer.
//
// A finding is written to test-results/fuzz/suite/ (minimised); kept as
// test/fixtures/fuzz/<name>.kpi (with <name>.before.kpi for an edit), it is
// replayed here from then on.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadCorpus } from './support/fuzz';
import { CoreFuzzer, FINDINGS, inTheCore, loadReproducers, minimize, replayReproducer, serverFindings, signature, Totals, writeFinding, type Finding } from './support/fuzz-run';
import { replayInServer, runServerSession } from './support/fuzz-server';
import { assertBuilt } from './support/lsp';

/**
 * Reproducers of bugs not fixed yet, by name, with where the fix belongs. Each
 * is skipped (and so reported as pending) until its fix lands; then delete the line.
 */
const KNOWN_BUGS: Record<string, string> = {};

const SEEDS = [1, 2, 3, 4];
const CASES_PER_SEED = 150;
/** Files typed from empty one character at a time: every truncation, with its own incremental path. */
const SWEEPS: { name: string; direction: 'forward' | 'backward'; stride: number }[] = [
  { name: 'examples/org.kpi', direction: 'forward', stride: 1 },
  { name: 'examples/sops.kpi', direction: 'backward', stride: 3 },
  { name: 'test/fixtures/format/crlf.kpi', direction: 'forward', stride: 1 },
  { name: 'test/fixtures/format/comments.kpi', direction: 'forward', stride: 1 },
  { name: 'test/fixtures/rules/syntax-error/fires-unterminated-block-comment.kpi', direction: 'forward', stride: 1 },
];
const SESSIONS = 10;
const EDITS_PER_SESSION = 120;

const totals = new Totals();
const corpus = loadCorpus();
const core = new CoreFuzzer(corpus);
let written = 0;

/** Fails with the distinct findings described (the first three), each minimised and written out to be kept as a fixture. */
function assertNoFindings(findings: readonly Finding[]): void {
  totals.add(findings);
  if (findings.length === 0) return;
  const distinct = [...new Map(findings.map((f) => [signature(f.problem), f])).values()];
  const reports = distinct.slice(0, 3).map((f) => {
    // A server finding whose text fails in the core too is minimised there.
    const core = f.target === 'server' ? inTheCore(f) : f;
    return writeFinding(path.join(FINDINGS, 'suite'), ++written, core && core.problem.kind !== 'hang' ? minimize(core, 1000) : f);
  });
  assert.fail(`${findings.length} problem(s), ${distinct.length} distinct:\n${reports.join('\n')}`);
}

describe('fuzz', function () {
  after(() => {
    console.log(`\n  fuzz totals\n${totals.summary()}`);
  });

  describe('crash reproducers (test/fixtures/fuzz)', () => {
    for (const reproducer of loadReproducers()) {
      const known = KNOWN_BUGS[reproducer.name];
      const title = `${reproducer.name}${reproducer.before === undefined ? '' : ' (an edit)'} keeps every invariant`;
      (known ? it.skip : it)(title, () => {
        totals.reproducers++;
        const problems = replayReproducer(reproducer);
        assert.deepEqual(problems.map((p) => `${p.kind}: ${p.message}`), []);
      });
    }

    it('in the bundled server too', async function () {
      this.timeout(120_000);
      assertBuilt();
      const problems = await replayInServer(loadReproducers().filter((r) => !KNOWN_BUGS[r.name]));
      assert.deepEqual(problems.map((p) => `${p.kind}: ${p.message}`), []);
    });
  });

  describe('the core', () => {
    for (const seed of SEEDS) {
      it(`${CASES_PER_SEED} mutated fixtures and examples keep every invariant (seed ${seed})`, function () {
        this.timeout(120_000);
        const findings: Finding[] = [];
        for (let index = 0; index < CASES_PER_SEED; index++) {
          const result = core.mutationCase(seed, index);
          totals.coreCases++;
          totals.coreInputs += result.inputs;
          findings.push(...result.findings);
        }
        assertNoFindings(findings);
      });
    }

    for (const sweep of SWEEPS) {
      it(`truncating ${sweep.name} at every ${sweep.stride === 1 ? '' : `${sweep.stride}rd `}position (${sweep.direction === 'forward' ? 'typed from empty' : 'deleted from the end'})`, function () {
        this.timeout(120_000);
        const file = corpus.find((c) => c.name === sweep.name);
        assert.ok(file, `${sweep.name} is not in the corpus`);
        const result = core.truncationSweep(file, sweep.direction, sweep.stride);
        totals.sweeps++;
        totals.coreInputs += result.inputs;
        assertNoFindings(result.findings);
      });
    }
  });

  describe('the language server over stdio', () => {
    before(() => assertBuilt());

    for (let index = 0; index < SESSIONS; index++) {
      it(`session ${index}: ${EDITS_PER_SESSION} random edits with requests between them`, async function () {
        this.timeout(180_000);
        // A quarter of the suite's mutation scale: a server session re-analyses after every edit.
        const result = await runServerSession({ seed: 1, index, edits: EDITS_PER_SESSION, corpus, scale: 0.25 });
        totals.sessions++;
        totals.edits += result.edits;
        totals.requests += result.requests;
        totals.peakServerMb = Math.max(totals.peakServerMb, result.memoryMb);
        assertNoFindings(serverFindings(result.problems, result, `server session ${index} of seed 1`, `npm run fuzz -- --target=server --seed=1 --case=${index} --edits=${EDITS_PER_SESSION} --scale=0.25`));
      });
    }
  });
});
