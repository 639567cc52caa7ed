// Runs the TextMate grammar tests (test/grammar/*.test.kpi) with
// vscode-tmgrammar-test and prints one summary line; exits non-zero on failure.
//
// Test file format: the first line is `// SYNTAX TEST "source.kpi" "description"`;
// a line `//   ^^^ scope.a scope.b - scope.c` asserts that the characters above
// the carets carry scope.a and scope.b (in that order) and not scope.c;
// `// <--- scope` asserts the first three columns. Assertion lines are not part
// of the tokenized source. The grammar is found through package.json
// (contributes.grammars), as VS Code finds it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const here = import.meta.dirname;
const root = path.resolve(here, '..', '..');
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.test.kpi'))
  .sort()
  .map((f) => path.relative(root, path.join(here, f)).split(path.sep).join('/'));

const ASSERTION = /^\/\/\s*(\^|<~*-+)/;
const assertions = files.reduce((n, f) => n + fs.readFileSync(path.join(root, f), 'utf8').split(/\r?\n/).filter((l) => ASSERTION.test(l)).length, 0);

if (files.length === 0) {
  console.error('grammar tests: FAIL — no test/grammar/*.test.kpi files found');
  process.exit(1);
}

const cli = createRequire(import.meta.url).resolve('vscode-tmgrammar-test/dist/unit.js');
const run = spawnSync(process.execPath, [cli, ...files], { cwd: root, encoding: 'utf8' });
const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
process.stdout.write(output);

const failed = files.filter((f) => output.includes(`${f} failed`) || output.includes(`ERROR ${f}`));
if (run.status === 0 && failed.length === 0) {
  console.log(`\ngrammar tests: PASS — ${files.length} files, ${assertions} assertion lines (source.kpi)`);
} else {
  const why = run.error ? ` (${run.error.message})` : failed.length ? `: ${failed.join(', ')}` : ` (exit status ${run.status})`;
  console.error(`\ngrammar tests: FAIL — ${failed.length || 'some'} of ${files.length} files failed${why}`);
  process.exit(1);
}
