// `kpi check` as a VS Code task: the `$kpi` problem matcher of package.json,
// run the way VS Code runs a multi-line matcher over the real text report,
// must find what `--format json` reports; and the task type's pure decisions
// (client/src/taskLogic.ts). The VS Code side (client/src/tasks.ts) only wires
// these to the tasks API.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KPI_PROBLEM_MATCHER, KPI_TASK_TYPE, kpiTaskCommandLine, offersKpiTask, parseKpiTaskDefinition } from '../client/src/taskLogic';
import type { LocatedDiagnostic } from '../server/src/language/service';
import { runKpi as kpi } from './support/cli';
import { assertBuilt, CLI, ORG, removeWorkspace, REPO, tempWorkspace, TODAY } from './support/lsp';

interface PatternJson {
  regexp: string;
  file?: number;
  line?: number;
  column?: number;
  severity?: number;
  message?: number;
  code?: number;
  loop?: boolean;
}

interface ProblemMatcherJson {
  name: string;
  owner: string;
  fileLocation: [string, string];
  severity: string;
  pattern: PatternJson[];
}

interface TaskDefinitionJson {
  type: string;
  required: string[];
  properties: { command: { enum: string[] }; args: { type: string } };
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  contributes: { problemMatchers: ProblemMatcherJson[]; taskDefinitions: TaskDefinitionJson[] };
};

interface Problem {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

/** VS Code's reading of a matched severity word (problemMatcher.ts): error, warning, info; `hint` is info; anything else the matcher's default. */
function severityOf(word: string, fallback: string): string {
  const lower = word.toLowerCase();
  if (lower === 'error' || lower === 'warning' || lower === 'info') return lower;
  if (lower === 'hint') return 'info';
  return fallback;
}

/**
 * A multi-line problem matcher applied as VS Code applies one: the first
 * pattern starts a match, the loop pattern then matches line after line, and
 * a line it does not match ends the loop and is tried as a new start.
 */
function runMatcher(matcher: ProblemMatcherJson, output: string): Problem[] {
  const [head, loop] = matcher.pattern.map((p) => ({ ...p, compiled: new RegExp(p.regexp) }));
  assert.ok(head && loop && loop.loop && matcher.pattern.length === 2);
  const problems: Problem[] = [];
  let file: string | undefined;
  for (const line of output.split(/\r?\n/)) {
    const entry = file !== undefined ? loop.compiled.exec(line) : null;
    if (entry) {
      problems.push({
        file: file!,
        line: Number(entry[loop.line!]),
        column: Number(entry[loop.column!]),
        severity: severityOf(entry[loop.severity!]!, matcher.severity),
        code: entry[loop.code!]!,
        message: entry[loop.message!]!,
      });
      continue;
    }
    const start = head.compiled.exec(line);
    file = start ? start[head.file!] : undefined;
  }
  return problems;
}

/** What the matcher should find: the JSON report, severities as VS Code names them. */
function expected(diagnostics: LocatedDiagnostic[]): Problem[] {
  const severity = { error: 'error', warning: 'warning', information: 'info', hint: 'info' } as const;
  return diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column, severity: severity[d.severity], code: d.code, message: d.message }));
}

describe('kpi check as a VS Code task', () => {
  const roots: string[] = [];
  const workspace = (files: Record<string, string>) => {
    const root = tempWorkspace(files, 'kpi-task-');
    roots.push(root);
    return root;
  };
  before(() => assertBuilt(CLI));
  after(() => {
    for (const root of roots.splice(0)) removeWorkspace(root);
  });

  const matcher = manifest.contributes.problemMatchers.find((m) => `$${m.name}` === KPI_PROBLEM_MATCHER)!;

  it('package.json contributes the $kpi problem matcher, relative to the task folder', () => {
    assert.ok(matcher, `no problem matcher named ${KPI_PROBLEM_MATCHER}`);
    assert.deepEqual(matcher.fileLocation, ['relative', '${workspaceFolder}']);
  });

  it('finds every diagnostic of the text report: file, line, column, severity, code and message', () => {
    // Several files and folders, every severity, a long message with quotes and
    // backticks, and a position wide enough ("1001:104") to fill its column.
    const root = workspace({
      'org.kpi': ORG + 'team Desk "Service desk" in Sales\n',
      'b.kpi': 'kpi Bare {\n}\nkpi Owned "Owned by a team" {\n  owner Desk\n  target "better  than  before"\n}\n',
      'sub/deeper/c.kpi': 'process P "P" {\n  owner Analyst\n  step S1 "one" { owner Analyst }\n  step S2 "two" { owner Analyst }\n}\n',
      'sub/long name.kpi': `${'\n'.repeat(1000)}${' '.repeat(99)}kpi Far { owner Nobody }\n`,
    });
    const report = JSON.parse(kpi(root, ['check', '--format', 'json', '--today', TODAY]).stdout) as { diagnostics: LocatedDiagnostic[] };
    assert.ok(new Set(report.diagnostics.map((d) => d.severity)).size >= 3, 'errors, warnings and hints or information');
    assert.ok(report.diagnostics.some((d) => `${d.line}:${d.column}`.length >= 8), 'a position of eight characters or more');
    const text = kpi(root, ['check', '--today', TODAY]).stdout;
    assert.deepEqual(runMatcher(matcher, text), expected(report.diagnostics));
  });

  it('reads the examples as kpi check prints them, and nothing from a clean report', () => {
    const examples = path.join(REPO, 'examples');
    const report = JSON.parse(kpi(examples, ['check', '--format', 'json', '--today', TODAY]).stdout) as { diagnostics: LocatedDiagnostic[] };
    assert.deepEqual(runMatcher(matcher, kpi(examples, ['check', '--today', TODAY]).stdout), expected(report.diagnostics));
    // The terminal of a task shows colours; VS Code matches the text it displays, which is the uncoloured report.
    const coloured = kpi(examples, ['check', '--today', TODAY], { FORCE_COLOR: '1' }).stdout;
    assert.deepEqual(runMatcher(matcher, coloured.replace(/\u001b\[[0-9;]*m/g, '')), expected(report.diagnostics));
    const quiet = kpi(examples, ['check', '--quiet', '--today', TODAY]).stdout;
    assert.deepEqual(runMatcher(matcher, quiet), expected(report.diagnostics.filter((d) => d.severity === 'error')));
    const clean = workspace({ 'solo.kpi': 'function Sales "Sales"\nrole Analyst "Analyst" in Sales\nprocess P "P" { owner Analyst  step S "s" { owner Analyst } }\n' });
    assert.deepEqual(runMatcher(matcher, kpi(clean, ['check']).stdout), []);
  });

  it('package.json contributes the kpi task type the provider uses', () => {
    const definition = manifest.contributes.taskDefinitions.find((d) => d.type === KPI_TASK_TYPE);
    assert.ok(definition);
    assert.deepEqual(definition.required, ['command']);
    assert.deepEqual(definition.properties.command.enum, ['check']);
    assert.equal(definition.properties.args.type, 'array');
  });

  it('reads a task definition from tasks.json, refusing what is not one', () => {
    assert.deepEqual(parseKpiTaskDefinition({ type: 'kpi', command: 'check' }), { type: 'kpi', command: 'check' });
    assert.deepEqual(parseKpiTaskDefinition({ type: 'kpi', command: 'check', args: ['--max-warnings', '0'] }), { type: 'kpi', command: 'check', args: ['--max-warnings', '0'] });
    for (const bad of [undefined, null, 'kpi', { type: 'npm', command: 'check' }, { type: 'kpi' }, { type: 'kpi', command: 'format' }, { type: 'kpi', command: 'check', args: '--quiet' }, { type: 'kpi', command: 'check', args: [1] }]) {
      assert.equal(parseKpiTaskDefinition(bad), undefined, JSON.stringify(bad));
    }
  });

  it("runs the project's own kpi through npx, never downloading, with the text report the matcher reads", () => {
    assert.deepEqual(kpiTaskCommandLine({ type: 'kpi', command: 'check' }), { command: 'npx', args: ['--no', '--', 'kpi', 'check', '--format', 'text'] });
    assert.deepEqual(kpiTaskCommandLine({ type: 'kpi', command: 'check', args: ['models', '--max-warnings', '0'] }), {
      command: 'npx',
      args: ['--no', '--', 'kpi', 'check', 'models', '--max-warnings', '0', '--format', 'text'],
    });
  });

  it('offers "kpi: check" in folders whose package.json uses kpi-scorecard', () => {
    assert.equal(offersKpiTask(JSON.stringify({ devDependencies: { 'kpi-scorecard': '^0.1.0' } })), true);
    assert.equal(offersKpiTask(JSON.stringify({ dependencies: { 'kpi-scorecard': '0.1.0' } })), true);
    assert.equal(offersKpiTask(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')), true, 'the package itself');
    for (const other of [undefined, '', '{', 'null', '[]', JSON.stringify({ name: 'app', devDependencies: { eslint: '9' } }), JSON.stringify({ dependencies: null })]) {
      assert.equal(offersKpiTask(other), false, String(other));
    }
  });
});
