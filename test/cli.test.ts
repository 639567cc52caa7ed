// The `kpi` command line (LANGUAGE.md section 6), run as users run it: the
// bundled dist/cli.cjs in a child process, in a temporary folder.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertBuilt, CLI, ORG, removeWorkspace, REPO, tempWorkspace, TODAY } from './support/lsp';
import { wantsColour } from '../server/src/node/colour';
import { runKpi, type CliRun } from './support/cli';
import type { LocatedDiagnostic } from '../server/src/language/service';
import type { ScorecardModel } from '../server/src/language/scorecard/model';
import { renderReport } from '../server/src/language/scorecard/render/index';

/** A diagnostic of `kpi check --format json` (LANGUAGE.md section 6). */
type JsonDiagnostic = LocatedDiagnostic;

interface JsonReport {
  diagnostics: JsonDiagnostic[];
  summary: { files: number; errors: number; warnings: number; information: number; hints: number };
}

type Run = CliRun;

const SEVERITIES = ['error', 'warning', 'information', 'hint'];

const kpi = runKpi;

/** The raw bytes `kpi args…` writes to stdout (the byte-order mark included). */
function spawnBytes(cwd: string, args: string[]): Buffer {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['KPI_TODAY'];
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env });
  assert.equal(result.status, 0, String(result.stderr));
  return result.stdout;
}

function json(run: Run): JsonReport {
  try {
    return JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`stdout is not one JSON document (status ${run.status}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

const brief = (d: JsonDiagnostic) => `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.code}`;


const KPIS = `kpi LeadLogTime "Lead logged within 2 hours" {
  outcome   "Every lead is logged within 2 hours"
  owner     Analyst
  why       "Fast follow-up wins deals"
  target    <= 2
  frequency weekly
  actual    2026-W47 1.6
}
`;

/** Warnings and hints only: an unlinked kpi and an unused role. */
const WARNINGS_ONLY = { 'org.kpi': ORG, 'kpis.kpi': KPIS };

/** A monthly kpi with an October actual: fresh on 2026-11-22, stale on 2027-01-15. */
const MONTHLY = `role Controller "Finance controller"
kpi NetMargin "Net margin" {
  outcome   "Net margin stays above 12%"
  owner     Controller
  why       "Profit funds growth"
  target    >= 12
  frequency monthly
  actual    2026-10 13.1
}
`;

/** Many findings in several files and folders, several on one position. */
const VARIED = {
  'org.kpi': ORG + 'team Desk "Service desk" in Sales\n',
  'b.kpi': 'kpi Bare {\n}\nkpi Owned "Owned by a team" {\n  owner Desk\n  target "better"\n}\n',
  'a.kpi': KPIS,
  'sub/deeper/c.kpi': 'process P "P" {\n  owner Analyst\n  step S1 "one" { owner Analyst }\n  step S2 "two" { owner Analyst }\n}\n',
  'sub/Z.kpi': 'kpi Upper { owner Nobody }\n',
};

describe('kpi command line (dist/cli.cjs)', () => {
  const roots: string[] = [];
  const workspace = (files: Record<string, string>) => {
    const root = tempWorkspace(files, 'kpi-cli-');
    roots.push(root);
    return root;
  };

  before(() => assertBuilt(CLI));
  after(() => {
    for (const root of roots.splice(0)) removeWorkspace(root);
  });

  describe('check --format json', () => {
    it('prints one object with exactly the keys of section 6', () => {
      const root = workspace(VARIED);
      const run = kpi(root, ['check', '--format', 'json', '--today', TODAY]);
      const report = json(run);
      assert.deepEqual(Object.keys(report).sort(), ['diagnostics', 'summary']);
      assert.deepEqual(Object.keys(report.summary).sort(), ['errors', 'files', 'hints', 'information', 'warnings']);
      assert.ok(report.diagnostics.length >= 10, `expected many findings, got ${report.diagnostics.length}`);
      const texts = new Map<string, string[]>();
      for (const d of report.diagnostics) {
        assert.deepEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity'], JSON.stringify(d));
        for (const key of ['line', 'column', 'endLine', 'endColumn'] as const) assert.ok(Number.isInteger(d[key]) && d[key] >= 1, `${key} of ${brief(d)}`);
        assert.ok(d.endLine > d.line || (d.endLine === d.line && d.endColumn > d.column), `empty or reversed range: ${brief(d)}`);
        assert.ok(SEVERITIES.includes(d.severity), d.severity);
        assert.match(d.code, /^[a-z]+(-[a-z]+)*$/);
        assert.equal(typeof d.message, 'string');
        assert.ok(d.message.length > 0);
        assert.equal(typeof d.file, 'string');
        assert.ok(!path.isAbsolute(d.file) && !d.file.includes('\\') && !d.file.startsWith('./'), d.file);
        // Positions are 1-based and inside the file; endColumn is exclusive.
        const lines = texts.get(d.file) ?? fs.readFileSync(path.join(root, d.file), 'utf8').split('\n');
        texts.set(d.file, lines);
        assert.ok(d.column <= lines[d.line - 1]!.length + 1 && d.endColumn <= lines[d.endLine - 1]!.length + 1, brief(d));
      }
      // Known positions: the name of the unlinked kpi, the team used as owner.
      const list = report.diagnostics.map(brief);
      assert.ok(list.includes('a.kpi:1:5-1:16 warning unlinked-kpi'), list.join('\n'));
      assert.ok(list.includes('b.kpi:4:9-4:13 error team-owner'), list.join('\n'));
      assert.ok(list.includes('sub/deeper/c.kpi:4:8-4:10 warning unreachable-step'), list.join('\n'));
      assert.equal(run.status, 1);
    });

    it('sorts by file, line, column, code and counts the summary', () => {
      const root = workspace(VARIED);
      const report = json(kpi(root, ['check', '--format', 'json', '--today', TODAY]));
      const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      const order = (a: JsonDiagnostic, b: JsonDiagnostic) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code);
      assert.deepEqual(report.diagnostics.map(brief), [...report.diagnostics].sort(order).map(brief));
      // Several codes on one name: the tie is broken by code.
      const onBare = report.diagnostics.filter((d) => d.file === 'b.kpi' && d.line === 1).map((d) => d.code);
      assert.ok(onBare.length >= 3, onBare.join(', '));
      assert.deepEqual(onBare, [...onBare].sort());
      // Files compare by character code: "sub/Z.kpi" before "sub/deeper/c.kpi".
      const files = [...new Set(report.diagnostics.map((d) => d.file))];
      assert.deepEqual(files, ['a.kpi', 'b.kpi', 'org.kpi', 'sub/Z.kpi', 'sub/deeper/c.kpi']);

      const count = (severity: string) => report.diagnostics.filter((d) => d.severity === severity).length;
      assert.deepEqual(report.summary, { files: 5, errors: count('error'), warnings: count('warning'), information: count('information'), hints: count('hint') });
      assert.ok(report.summary.errors > 0 && report.summary.warnings > 0 && report.summary.information > 0 && report.summary.hints > 0, JSON.stringify(report.summary));
    });

    it('reports a clean workspace as an empty list', () => {
      const root = workspace({ 'solo.kpi': 'function Sales "Sales"\nrole Analyst "Analyst" in Sales\nprocess P "P" { owner Analyst  step S "s" { owner Analyst } }\n' });
      const run = kpi(root, ['check', '--format', 'json']);
      assert.deepEqual(json(run), { diagnostics: [], summary: { files: 1, errors: 0, warnings: 0, information: 0, hints: 0 } });
      assert.equal(run.status, 0);
    });
  });

  describe('exit status', () => {
    it('is 0 with warnings but no error', () => {
      const run = kpi(workspace(WARNINGS_ONLY), ['check', '--format', 'json', '--today', TODAY]);
      const report = json(run);
      assert.deepEqual(report.diagnostics.map((d) => `${d.severity} ${d.code}`), ['warning unlinked-kpi', 'hint unused-declaration']);
      assert.equal(run.status, 0, run.stderr);
    });

    it('is 1 with an error', () => {
      const run = kpi(workspace({ ...WARNINGS_ONLY, 'bad.kpi': 'kpi Orphan "No owner" {\n  target >= 1\n}\n' }), ['check', '--today', TODAY]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stdout, /missing-owner/);
    });

    for (const args of [
      [],
      ['frobnicate'],
      ['check', '--frobnicate'],
      ['check', '--format', 'xml'],
      ['check', '--format'],
      ['check', '--today', '2026-13-01'],
      ['check', '--today', 'tomorrow'],
      ['check', '--today', ''],
      ['check', 'does-not-exist'],
      ['check', 'does-not-exist.kpi'],
      ['check', '--max-warnings'],
      ['check', '--max-warnings', 'x'],
      ['check', '--max-warnings', '1.5'],
      ['check', '--max-warnings', '-2'],
      ['check', '--max-warnings='],
      ['check', '--quiet=yes'],
      ['check', '--bom'],
      ['scorecard', '--quiet'],
      ['scorecard', '--max-warnings', '0'],
      ['format', '--quiet'],
      ['scorecard', '--bom', '--format', 'html'],
      ['scorecard', '--bom', '-o', 'report.md'],
      ['scorecard', '--no-bom', '--format', 'json'],
      ['check', '--no-bom'],
    ]) {
      it(`is 2 on bad usage: kpi ${args.map((a) => a || '""').join(' ') || '(nothing)'}`, () => {
        const run = kpi(workspace(WARNINGS_ONLY), args);
        assert.equal(run.status, 2, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
        assert.ok(run.stderr.trim().length > 0, 'bad usage is explained on stderr');
        assert.equal(run.stdout, '', 'nothing on stdout, so a pipe does not read a half report');
      });
    }

    it('takes today from KPI_TODAY like --today', () => {
      const root = workspace({ 'margin.kpi': MONTHLY });
      const stale = (run: Run) => json(run).diagnostics.some((d) => d.code === 'stale-data');
      assert.equal(stale(kpi(root, ['check', '--format', 'json'], { KPI_TODAY: '2026-11-22' })), false);
      assert.equal(stale(kpi(root, ['check', '--format', 'json'], { KPI_TODAY: '2027-01-15' })), true);
      assert.equal(stale(kpi(root, ['check', '--format', 'json', '--today', '2026-11-22'])), false);
      assert.equal(stale(kpi(root, ['check', '--format', 'json', '--today', '2027-01-15'])), true);
      const list = json(kpi(root, ['check', '--format', 'json'], { KPI_TODAY: '2027-01-15' })).diagnostics.map(brief);
      assert.ok(list.includes('margin.kpi:2:5-2:14 warning stale-data'), list.join('\n'));
      assert.equal(kpi(root, ['check'], { KPI_TODAY: '2026-02-30' }).status, 2, 'an impossible KPI_TODAY is bad usage');
      // An empty KPI_TODAY is unset (the clock decides; only warnings can follow).
      assert.equal(kpi(root, ['check'], { KPI_TODAY: '' }).status, 0);
    });
  });

  it('--format sarif is SARIF 2.1.0', () => {
    const root = workspace(VARIED);
    const run = kpi(root, ['check', '--format', 'sarif', '--today', TODAY]);
    assert.equal(run.status, 1);
    const sarif = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; version: string; rules: { id: string; helpUri: string }[] } };
        results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[] }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs.length, 1);
    const [only] = sarif.runs;
    assert.equal(only!.tool.driver.name, 'kpi');
    assert.equal(only!.tool.driver.version, (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version, "package.json's version, written in by the build");
    const rules = only!.tool.driver.rules;
    assert.ok(Array.isArray(rules) && rules.length > 0);
    for (const rule of rules) assert.ok(rule.helpUri.endsWith(`docs/rules/${rule.id}.md`), `${rule.id}: ${rule.helpUri}`);
    const ids = new Set(rules.map((r) => r.id));

    const report = json(kpi(root, ['check', '--format', 'json', '--today', TODAY]));
    const level: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
    assert.equal(only!.results.length, report.diagnostics.length);
    only!.results.forEach((result, i) => {
      const d = report.diagnostics[i]!;
      assert.ok(ids.has(result.ruleId), `${result.ruleId} is not among the rules`);
      assert.equal(result.ruleId, d.code);
      assert.equal(result.level, level[d.severity]);
      assert.equal(result.message.text, d.message);
      const { artifactLocation, region } = result.locations[0]!.physicalLocation;
      assert.equal(artifactLocation.uri, d.file);
      assert.deepEqual(region, { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn });
    });
    assert.deepEqual([...new Set(only!.results.map((r) => r.level))].sort(), ['error', 'note', 'warning']);
  });

  describe('text output', () => {
    it('names each file and code and ends with a summary line', () => {
      const run = kpi(workspace(WARNINGS_ONLY), ['check', '--today', TODAY]);
      assert.equal(run.status, 0);
      for (const text of ['kpis.kpi', 'org.kpi', 'unlinked-kpi', 'unused-declaration', '1:5', '3:6']) assert.ok(run.stdout.includes(text), `"${text}" missing from:\n${run.stdout}`);
      assert.doesNotMatch(run.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
      assert.ok(run.stdout.endsWith('\n'));
      const last = run.stdout.trimEnd().split('\n').pop()!;
      assert.match(last, /2 problems/);
      assert.match(last, /0 errors/);
      assert.match(last, /1 warning\b/);
      assert.match(last, /1 hint\b/);
      assert.match(last, /2 files/);
    });

    it('says so when there is no problem', () => {
      const run = kpi(workspace({ 'solo.kpi': 'function Sales "Sales"\nrole Analyst "Analyst" in Sales\nprocess P "P" { owner Analyst  step S "s" { owner Analyst } }\n' }), ['check']);
      assert.equal(run.status, 0);
      assert.match(run.stdout.trimEnd().split('\n').pop()!, /no problems.*1 file/i);
    });
  });

  describe('--max-warnings and --quiet, as in ESLint', () => {
    // WARNINGS_ONLY has one warning (unlinked-kpi), one hint and no error.
    it('--max-warnings N fails on more than N warnings, and says so on stderr', () => {
      const root = workspace(WARNINGS_ONLY);
      const over = kpi(root, ['check', '--max-warnings', '0', '--today', TODAY]);
      assert.equal(over.status, 1);
      assert.equal(over.stderr, 'kpi: 1 warning; --max-warnings allows at most 0.\n');
      assert.match(over.stdout, /unlinked-kpi/, 'the report is the same');
      assert.equal(kpi(root, ['check', '--max-warnings=0', '--today', TODAY]).status, 1);
      for (const limit of ['1', '5', '-1']) {
        const within = kpi(root, ['check', '--max-warnings', limit, '--today', TODAY]);
        assert.equal(within.status, 0, `--max-warnings ${limit}`);
        assert.equal(within.stderr, '');
      }
    });

    it('--max-warnings counts warnings only, not information or hints', () => {
      const root = workspace({ 'org.kpi': ORG + 'process P "P" {\n  owner Analyst\n  step S "s" { owner Analyst }\n}\n' });
      const report = json(kpi(root, ['check', '--format', 'json', '--today', TODAY]));
      assert.equal(report.summary.warnings, 0);
      assert.ok(report.summary.hints > 0);
      assert.equal(kpi(root, ['check', '--max-warnings', '0', '--today', TODAY]).status, 0);
    });

    it('an error fails the check anyway; the warnings message is left out then', () => {
      const root = workspace({ ...WARNINGS_ONLY, 'bad.kpi': 'kpi Orphan "Orphan" {\n  owner Nobody\n}\n' });
      const run = kpi(root, ['check', '--max-warnings', '0', '--today', TODAY]);
      assert.equal(run.status, 1);
      assert.equal(run.stderr, '');
    });

    it('--quiet reports errors only, in every format', () => {
      const root = workspace({ ...WARNINGS_ONLY, 'bad.kpi': 'kpi Orphan "Orphan" {\n  owner Nobody\n}\n' });
      const full = json(kpi(root, ['check', '--format', 'json', '--today', TODAY]));
      const errors = full.diagnostics.filter((d) => d.severity === 'error');
      assert.ok(errors.length > 0 && errors.length < full.diagnostics.length);

      const text = kpi(root, ['check', '--quiet', '--today', TODAY]);
      assert.equal(text.status, 1);
      for (const d of full.diagnostics) assert.equal(text.stdout.includes(`  ${d.code}\n`), d.severity === 'error', brief(d));
      const others = full.diagnostics.length - errors.length;
      assert.equal(text.stdout.trimEnd().split('\n').pop(), `✖ ${errors.length} error${errors.length === 1 ? '' : 's'} in 3 files; ${others} other problems not shown (--quiet).`);

      const quiet = json(kpi(root, ['check', '--quiet', '--format', 'json', '--today', TODAY]));
      assert.deepEqual(quiet.diagnostics, errors);
      assert.deepEqual(quiet.summary, { files: 3, errors: errors.length, warnings: 0, information: 0, hints: 0 }, 'the summary counts what is reported, as ESLint does');

      const sarif = JSON.parse(kpi(root, ['check', '--quiet', '--format', 'sarif', '--today', TODAY]).stdout) as { runs: { results: { level: string }[] }[] };
      assert.equal(sarif.runs[0]!.results.length, errors.length);
      assert.ok(sarif.runs[0]!.results.every((r) => r.level === 'error'));
    });

    it('--quiet with no error passes and says what it left out', () => {
      const run = kpi(workspace(WARNINGS_ONLY), ['check', '--quiet', '--today', TODAY]);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, 'No errors in 2 files; 2 other problems not shown (--quiet).\n');
    });

    it('--quiet still counts the warnings it hides towards --max-warnings', () => {
      const run = kpi(workspace(WARNINGS_ONLY), ['check', '--quiet', '--max-warnings', '0', '--today', TODAY]);
      assert.equal(run.status, 1);
      assert.doesNotMatch(run.stdout, /unlinked-kpi/);
      assert.equal(run.stderr, 'kpi: 1 warning; --max-warnings allows at most 0.\n');
    });

    it('are in the usage text', () => {
      const help = kpi(workspace({}), ['--help']);
      assert.equal(help.status, 0);
      for (const option of ['--max-warnings N', '--quiet', '--no-bom', 'NO_COLOR', 'FORCE_COLOR']) assert.ok(help.stdout.includes(option), option);
    });
  });

  describe('colours', () => {
    const ESCAPE = /\u001b\[/;

    it('FORCE_COLOR colours the text report in a pipe: severities, file names and the summary', () => {
      const run = kpi(workspace(WARNINGS_ONLY), ['check', '--today', TODAY], { FORCE_COLOR: '1' });
      assert.equal(run.status, 0);
      assert.ok(run.stdout.includes('\u001b[33mwarning'), 'the severity word');
      assert.ok(run.stdout.includes('\u001b[4mkpis.kpi\u001b[0m'), 'the file name');
      assert.ok(run.stdout.trimEnd().split('\n').pop()!.startsWith('\u001b[1;33m⚠ 2 problems'), 'the summary');
      // Without the escapes it is the plain report.
      assert.equal(run.stdout.replace(/\u001b\[[0-9;]*m/g, ''), kpi(workspace(WARNINGS_ONLY), ['check', '--today', TODAY]).stdout);
    });

    it('never colours JSON, SARIF or a file written with -o', () => {
      const root = workspace(WARNINGS_ONLY);
      for (const format of ['json', 'sarif']) {
        const run = kpi(root, ['check', '--format', format, '--today', TODAY], { FORCE_COLOR: '1' });
        assert.doesNotMatch(run.stdout, ESCAPE, format);
        JSON.parse(run.stdout);
      }
      assert.equal(kpi(root, ['check', '-o', 'report.txt', '--today', TODAY], { FORCE_COLOR: '1' }).status, 0);
      assert.doesNotMatch(fs.readFileSync(path.join(root, 'report.txt'), 'utf8'), ESCAPE);
    });

    it('is off in a pipe, with FORCE_COLOR=0 and with NO_COLOR', () => {
      const root = workspace(WARNINGS_ONLY);
      const environments: Record<string, string>[] = [{}, { FORCE_COLOR: '0' }, { FORCE_COLOR: 'false' }, { NO_COLOR: '1' }, { NO_COLOR: '1', FORCE_COLOR: '' }];
      for (const env of environments) {
        assert.doesNotMatch(kpi(root, ['check', '--today', TODAY], env).stdout, ESCAPE, JSON.stringify(env));
      }
    });

    it('decides as NO_COLOR and FORCE_COLOR say, else by the terminal', () => {
      const cases: [Record<string, string>, boolean, boolean][] = [
        [{}, true, true],
        [{}, false, false],
        [{ TERM: 'dumb' }, true, false],
        [{ NO_COLOR: '1' }, true, false],
        [{ NO_COLOR: 'anything' }, true, false],
        [{ NO_COLOR: '' }, true, true],
        [{ FORCE_COLOR: '1' }, false, true],
        [{ FORCE_COLOR: '3' }, false, true],
        [{ FORCE_COLOR: 'true' }, false, true],
        [{ FORCE_COLOR: '0' }, true, false],
        [{ FORCE_COLOR: 'false' }, true, false],
        [{ FORCE_COLOR: '' }, false, false],
        [{ FORCE_COLOR: '' }, true, true],
        [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
        [{ FORCE_COLOR: '1', TERM: 'dumb' }, false, true],
      ];
      for (const [env, terminal, expected] of cases) assert.equal(wantsColour(env, terminal), expected, `${JSON.stringify(env)} on ${terminal ? 'a terminal' : 'a pipe'}`);
    });
  });

  describe('.kpirc.json in the current folder', () => {
    it('changes severities: unlinked-kpi raised to error fails the check', () => {
      const run = kpi(workspace({ ...WARNINGS_ONLY, '.kpirc.json': '{ "rules": { "unlinked-kpi": "error" } }\n' }), ['check', '--format', 'json', '--today', TODAY]);
      const report = json(run);
      assert.deepEqual(report.diagnostics.map(brief), ['kpis.kpi:1:5-1:16 error unlinked-kpi', 'org.kpi:3:6-3:11 hint unused-declaration']);
      assert.equal(report.summary.errors, 1);
      assert.equal(run.status, 1);
    });

    it('turns rules off', () => {
      const run = kpi(workspace({ ...WARNINGS_ONLY, '.kpirc.json': '{ "rules": { "unlinked-kpi": "off", "unused-declaration": "off" } }' }), ['check', '--format', 'json', '--today', TODAY]);
      assert.deepEqual(json(run).diagnostics, []);
      assert.equal(run.status, 0);
    });

    it('reads a "$schema" key beside "rules" without a complaint (the schema editors validate it with)', () => {
      const config = { $schema: './node_modules/kpi-scorecard/syntaxes/kpirc.schema.json', rules: { 'unlinked-kpi': 'off', 'unused-declaration': 'off' } };
      const run = kpi(workspace({ ...WARNINGS_ONLY, '.kpirc.json': JSON.stringify(config) }), ['check', '--format', 'json', '--today', TODAY]);
      assert.deepEqual(json(run).diagnostics, []);
      assert.equal(run.status, 0);
    });

    for (const [what, text] of [
      ['an unknown key', '{ "rule": { "unlinked-kpi": "off" } }\n'],
      ['bad JSON', '{ "rules": { "unlinked-kpi": "off" }\n'],
      ['an unknown rule', '{ "rules": { "no-such-rule": "warning" } }\n'],
      ['a bad severity', '{ "rules": { "unlinked-kpi": "fatal" } }\n'],
    ] as const) {
      it(`reports ${what} as bad-config at .kpirc.json 1:1`, () => {
        const run = kpi(workspace({ ...WARNINGS_ONLY, '.kpirc.json': text }), ['check', '--format', 'json', '--today', TODAY]);
        const report = json(run);
        const config = report.diagnostics.filter((d) => d.code === 'bad-config');
        assert.equal(config.length, 1, report.diagnostics.map(brief).join('\n'));
        assert.deepEqual({ ...config[0]!, message: '', endLine: 0, endColumn: 0 }, { file: '.kpirc.json', line: 1, column: 1, endLine: 0, endColumn: 0, severity: 'error', code: 'bad-config', message: '' });
        assert.equal(config[0]!.endLine, 1);
        // The defaults apply for what could not be read.
        assert.ok(report.diagnostics.some((d) => d.code === 'unlinked-kpi' && d.severity === 'warning'));
        assert.equal(report.summary.errors, 1);
        assert.equal(report.summary.files, 2, '.kpirc.json is not counted as a .kpi file');
        assert.equal(run.status, 1);
      });
    }
  });

  describe('scorecard', () => {
    const examples = () => {
      const root = workspace({});
      fs.cpSync(path.join(REPO, 'examples'), root, { recursive: true });
      return root;
    };

    it('renders the model as JSON, CSV, Markdown and self-contained HTML', () => {
      const root = examples();
      const jsonRun = kpi(root, ['scorecard', '--format', 'json', '--today', TODAY]);
      assert.equal(jsonRun.status, 0, jsonRun.stderr);
      const model = JSON.parse(jsonRun.stdout) as { kpis: { name: string; status: string }[]; jointReviews: unknown[] };
      assert.equal(model.kpis.length, 13);
      assert.equal(model.jointReviews.length, 2);
      const csv = kpi(root, ['scorecard', '--format', 'csv', '--today', TODAY]).stdout.trim().split(/\r?\n/);
      assert.equal(csv.length, 14, 'a header and one row per kpi');
      assert.match(csv[0]!, /status/i);
      const markdown = kpi(root, ['scorecard', '--today', TODAY]).stdout;
      assert.match(markdown, /\|.*ApiReadiness.*amber/i, 'Markdown is the default');
      const html = kpi(root, ['scorecard', '--format', 'html', '--today', TODAY]).stdout;
      assert.match(html, /Content-Security-Policy/);
      assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href="http/);
      for (const k of model.kpis) assert.ok(html.includes(k.name), k.name);
    });

    it('starts the CSV with a UTF-8 byte-order mark, on stdout and in -o files, as the panel\'s export does; --no-bom leaves it out', () => {
      const root = examples();
      const marked = spawnBytes(root, ['scorecard', '--format', 'csv', '--today', TODAY]);
      const plain = spawnBytes(root, ['scorecard', '--format', 'csv', '--no-bom', '--today', TODAY]);
      assert.deepEqual([...marked.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.notEqual(plain[0], 0xef);
      assert.ok(marked.subarray(3).equals(plain), 'otherwise the same bytes');
      assert.ok(spawnBytes(root, ['scorecard', '--format', 'csv', '--bom', '--today', TODAY]).equals(marked), '--bom, the default, is still accepted');
      assert.equal(kpi(root, ['scorecard', '-o', 'excel.csv', '--today', TODAY]).status, 0);
      assert.ok(fs.readFileSync(path.join(root, 'excel.csv')).equals(marked));
      // The panel renders the model the server sends (as JSON) with renderReport and writes it with a TextEncoder (client/src/preview/exportScorecard.ts).
      const model = JSON.parse(spawnBytes(root, ['scorecard', '--format', 'json', '--today', TODAY]).toString('utf8')) as ScorecardModel;
      const panel = new TextEncoder().encode(renderReport('csv', model, { nonce: 'n0nce', assets: { style: '', script: '' } }));
      assert.ok(Buffer.from(panel).equals(marked), 'the panel writes the same bytes');
    });

    it('writes to -o in the format of its extension', () => {
      const root = examples();
      const run = kpi(root, ['scorecard', '-o', 'report.csv', '--today', TODAY]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(fs.readFileSync(path.join(root, "report.csv"), "utf8"), /^.*status.*\r?\n/i);
      assert.equal(kpi(root, ['scorecard', '--format', 'pdf']).status, 2);
    });
  });

  describe('check --fix', () => {
    it('writes the auto-fixes to disk and reports what is left', () => {
      const root = workspace({
        'org.kpi': ORG,
        'kpis.kpi': 'kpi Two "Two owners" {\n  owner Analyst, Spare\n}\nkpi Typo "Typo" {\n  owner Analsyt\n}\n',
      });
      const run = kpi(root, ['check', '--fix', '--format', 'json', '--today', TODAY]);
      assert.match(run.stderr, /applied 2 fixes in 1 file/);
      const fixed = fs.readFileSync(path.join(root, 'kpis.kpi'), 'utf8');
      assert.equal(fixed, 'kpi Two "Two owners" {\n  owner Analyst\n}\nkpi Typo "Typo" {\n  owner Analyst\n}\n');
      const left = json(run).diagnostics.map((d) => d.code);
      assert.ok(!left.includes('multiple-owners') && !left.includes('unknown-reference'), left.join(', '));
    });
  });

  describe('paths', () => {
    const LAYOUT = {
      'solo.kpi': 'role Analyst "Analyst"\nkpi Solo "Solo" {\n  outcome "x"\n  owner Analyst\n  why "y"\n  target >= 1\n  frequency monthly\n  actual 2026-10 2\n}\n',
      'broken.kpi': 'kpi Broken {\n',
      'sub/one.kpi': 'kpi SubOne { owner Missing }\n',
      'sub/inner/two.kpi': 'kpi SubTwo { owner Missing }\n',
      'node_modules/pkg/skipped.kpi': 'kpi InNodeModules {\n',
      'sub/node_modules/skipped.kpi': 'kpi InNestedNodeModules {\n',
      '.git/skipped.kpi': 'kpi InDotFolder {\n',
      'sub/.cache/skipped.kpi': 'kpi InNestedDotFolder {\n',
      'notes.txt': 'kpi NotAKpiFile {\n',
    };

    it('checks only a single file given as argument', () => {
      const run = kpi(workspace(LAYOUT), ['check', 'solo.kpi', '--format', 'json', '--today', TODAY]);
      const report = json(run);
      assert.equal(report.summary.files, 1);
      assert.deepEqual([...new Set(report.diagnostics.map((d) => d.file))], ['solo.kpi']);
      assert.deepEqual(report.diagnostics.map((d) => d.code), ['unlinked-kpi']);
      assert.equal(run.status, 0);
    });

    it('searches a folder argument, naming files relative to the current folder', () => {
      const run = kpi(workspace(LAYOUT), ['check', 'sub', '--format', 'json', '--today', TODAY]);
      const report = json(run);
      assert.equal(report.summary.files, 2);
      assert.deepEqual([...new Set(report.diagnostics.map((d) => d.file))], ['sub/inner/two.kpi', 'sub/one.kpi']);
      assert.equal(run.status, 1);
    });

    it('skips node_modules and dot-folders, with no path and with "."', () => {
      const root = workspace(LAYOUT);
      for (const args of [[], ['.']]) {
        const report = json(kpi(root, ['check', ...args, '--format', 'json', '--today', TODAY]));
        const files = [...new Set(report.diagnostics.map((d) => d.file))];
        assert.deepEqual(files, ['broken.kpi', 'solo.kpi', 'sub/inner/two.kpi', 'sub/one.kpi'], `kpi check ${args.join(' ')}`);
        assert.equal(report.summary.files, 4);
        assert.ok(!report.diagnostics.some((d) => /InNodeModules|InNestedNodeModules|InDotFolder|InNestedDotFolder|NotAKpiFile/.test(d.message)));
      }
    });

    it('accepts several paths and counts a file named twice once', () => {
      const report = json(kpi(workspace(LAYOUT), ['check', 'solo.kpi', 'sub/one.kpi', './solo.kpi', '--format', 'json', '--today', TODAY]));
      assert.equal(report.summary.files, 2);
      assert.deepEqual([...new Set(report.diagnostics.map((d) => d.file))], ['solo.kpi', 'sub/one.kpi']);
    });
  });
});
