// The extension-host suite's entry point: VS Code (desktop through
// @vscode/test-electron, or code-server through scripts/code-server-shim.mjs)
// loads this bundle as `--extensionTestsPath` and awaits `run()`; the editor
// exits with 0 when it resolves and 1 when it rejects.
//
// The suite runs inside the real extension host with the real `vscode` API,
// against a copy of examples/ opened as the workspace. Console output reaches
// the harness unformatted (through the browser, on code-server), so the
// results are also written as JSON to KPI_E2E_RESULTS (default:
// test-results/e2e/extension-host.json), which the harness prints.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as mochaModule from 'mocha';

type MochaClass = typeof import('mocha');

// mocha 11 exports the class itself; mocha 12 also as the `Mocha` property.
const loaded = mochaModule as unknown as { Mocha?: MochaClass; default?: MochaClass };
const Mocha: MochaClass = loaded.Mocha ?? loaded.default ?? (mochaModule as unknown as MochaClass);

/**
 * The suite files, in the order they run. The diagnostics suite comes first:
 * it checks files that no editor has opened yet; recovery comes after the
 * suites that talk to the first server: it kills it. The first-five suite
 * (which writes and deletes a file of its own) runs on the restarted server:
 * run before recovery, it left recovery's checks failing.
 */
const SUITES = ['diagnostics', 'features', 'scorecard', 'recovery', 'firstFive'];

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: TestResult[];
}

export function resultsFile(): string {
  return process.env['KPI_E2E_RESULTS'] ?? path.resolve(__dirname, '..', '..', '..', 'test-results', 'e2e', 'extension-host.json');
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const name of SUITES) mocha.addFile(path.join(__dirname, `${name}.cjs`));

  const started = Date.now();
  const tests: TestResult[] = [];
  const file = resultsFile();
  const write = () => {
    const results: SuiteResults = {
      passed: tests.filter((t) => t.state === 'passed').length,
      failed: tests.filter((t) => t.state === 'failed').length,
      pending: tests.filter((t) => t.state === 'pending').length,
      durationMs: Date.now() - started,
      tests,
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  };

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const results = write();
        if (results.failed > 0) reject(new Error(`${results.failed} extension-host test(s) failed`));
        else if (results.passed === 0) reject(new Error('no extension-host test ran'));
        else resolve();
      });
      runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', ...(test.duration !== undefined ? { durationMs: test.duration } : {}) }));
      runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending' }));
      // Hooks fail too ("before all" hook…); they count as failed tests.
      runner.on('fail', (test, error: Error) =>
        tests.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? error.message ?? String(error) }),
      );
    } catch (error) {
      tests.push({ title: 'loading the suite', state: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      write();
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
