// What docs/ci.md and .pre-commit-hooks.yaml tell users to run, run: the two
// pre-commit hooks as the framework runs them (entry, args, the staged files
// unless pass_filenames is false), and every `kpi` command of docs/ci.md,
// which must be valid usage (exit 0 or 1, never 2).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseKpiTaskDefinition } from '../client/src/taskLogic';
import { runKpi } from './support/cli';
import { assertBuilt, CLI, ORG, removeWorkspace, REPO, tempWorkspace, TODAY } from './support/lsp';

const CI_DOC = fs.readFileSync(path.join(REPO, 'docs', 'ci.md'), 'utf8');

type Hook = Record<string, string>;

/**
 * The hooks of .pre-commit-hooks.yaml. The file is a flat list of maps of
 * scalars; this reads exactly that (and fails on anything else), which keeps
 * the manifest simple enough for a reviewer to read at a glance too.
 */
function readHooks(): Hook[] {
  const hooks: Hook[] = [];
  for (const raw of fs.readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8').split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (line.trim() === '') continue;
    const entry = /^(- |  )([a-z_]+): (.+)$/.exec(line);
    assert.ok(entry, `not a "key: value" line of a hook: ${raw}`);
    if (entry[1] === '- ') hooks.push({});
    hooks[hooks.length - 1]![entry[2]!] = entry[3]!.replace(/^'(.*)'$/, '$1');
  }
  return hooks;
}

/** `npx --no -- kpi a b` → `[a, b]`: what the hook asks of kpi. */
function kpiArguments(entry: string): string[] {
  const match = /^npx --no -- kpi (.+)$/.exec(entry);
  assert.ok(match, `the entry runs the project's kpi through npx, never downloading: ${entry}`);
  return match[1]!.split(' ');
}

/** `kpi args…` on the date the tests pin (hooks and CI recipes take the date from the clock). */
const kpi = (cwd: string, args: string[]) => runKpi(cwd, args, { KPI_TODAY: TODAY });

/** Runs a hook as pre-commit does: entry, then args, then the staged files that match `files` (unless pass_filenames is false). */
function runHook(hook: Hook, root: string, staged: string[], args: string[] = []) {
  const files = new RegExp(hook['files']!);
  const matching = staged.filter((f) => files.test(f));
  return kpi(root, [...kpiArguments(hook['entry']!), ...args, ...(hook['pass_filenames'] === 'false' ? [] : matching)]);
}

const CLEAN = {
  'org.kpi': 'function Sales "Sales"\nrole Analyst "Analyst" in Sales\n',
  'process.kpi': 'process P "P" {\n  owner Analyst\n  step S "s" { owner Analyst }\n}\n',
};

describe('CI recipes', () => {
  const roots: string[] = [];
  const workspace = (files: Record<string, string>) => {
    const root = tempWorkspace(files, 'kpi-ci-');
    roots.push(root);
    return root;
  };
  before(() => assertBuilt(CLI));
  after(() => {
    for (const root of roots.splice(0)) removeWorkspace(root);
  });

  describe('.pre-commit-hooks.yaml', () => {
    const hooks = readHooks();
    const hook = (id: string) => {
      const found = hooks.find((h) => h['id'] === id);
      assert.ok(found, `no hook ${id}`);
      return found;
    };

    it('has kpi-check and kpi-format, each with a name, an entry, a language and the files it runs on', () => {
      assert.deepEqual(hooks.map((h) => h['id']), ['kpi-check', 'kpi-format']);
      for (const h of hooks) {
        for (const key of ['name', 'description', 'entry', 'language', 'files']) assert.ok(h[key], `${h['id']} has ${key}`);
        assert.equal(h['language'], 'system');
      }
      assert.deepEqual(kpiArguments(hook('kpi-check')['entry']!), ['check']);
      assert.deepEqual(kpiArguments(hook('kpi-format')['entry']!), ['format', '--check']);
    });

    it('kpi-check runs when a .kpi file or .kpirc.json is staged, and checks the whole workspace', () => {
      const check = hook('kpi-check');
      const files = new RegExp(check['files']!);
      for (const f of ['sales.kpi', 'models/sales.kpi', '.kpirc.json', 'sub/.kpirc.json']) assert.ok(files.test(f), f);
      for (const f of ['notes.md', 'a.kpis', 'my.kpirc.json', '.kpirc.json.bak']) assert.ok(!files.test(f), f);
      assert.equal(check['pass_filenames'], 'false', 'a file alone would report the roles declared elsewhere as unknown');
      // Staging only process.kpi: its roles are in org.kpi, which the hook still reads.
      const clean = runHook(check, workspace(CLEAN), ['process.kpi']);
      assert.equal(clean.status, 0, clean.stdout);
      const broken = runHook(check, workspace({ ...CLEAN, 'kpi.kpi': 'kpi K "K" {\n  owner Nobody\n}\n' }), ['kpi.kpi']);
      assert.equal(broken.status, 1);
      assert.match(broken.stdout, /unknown-reference/);
    });

    it('kpi-check takes --max-warnings from args, as docs/ci.md shows', () => {
      assert.match(CI_DOC, /- id: kpi-check\n\s+args: \[--max-warnings, '0'\]/);
      const root = workspace({ ...CLEAN, 'org.kpi': ORG });
      assert.equal(runHook(hook('kpi-check'), root, ['org.kpi']).status, 0, 'a hint only');
      const warned = workspace({ ...CLEAN, 'kpi.kpi': 'kpi K "Lead time" {\n  owner Analyst\n  target <= 2\n}\n' });
      assert.equal(runHook(hook('kpi-check'), warned, ['kpi.kpi']).status, 0);
      assert.equal(runHook(hook('kpi-check'), warned, ['kpi.kpi'], ['--max-warnings', '0']).status, 1);
    });

    it('kpi-format lists the staged .kpi files that are not formatted, and changes nothing', () => {
      const format = hook('kpi-format');
      const files = new RegExp(format['files']!);
      assert.ok(files.test('a/b.kpi') && !files.test('.kpirc.json'));
      const untidy = 'function   Sales "Sales"\nrole Analyst "Analyst" in Sales\n';
      const root = workspace({ ...CLEAN, 'org.kpi': untidy });
      const run = runHook(format, root, ['org.kpi', 'process.kpi', 'README.md']);
      assert.equal(run.status, 1);
      assert.equal(run.stdout, 'org.kpi\n');
      assert.equal(fs.readFileSync(path.join(root, 'org.kpi'), 'utf8'), untidy);
      assert.equal(runHook(format, root, ['process.kpi']).status, 0);
    });
  });

  describe('docs/ci.md', () => {
    /** Every kpi command line the page shows: `npx kpi …` in shell blocks, workflow steps and the text, and shell tasks' `"command": "kpi …"`. */
    const commands = [...CI_DOC.matchAll(/(?:npx |"command": ")kpi ((?:check|scorecard|format|agenda)\b[^"`\n]*)/g)].map((m) => m[1]!.trim());

    it('shows kpi check with --max-warnings, --quiet and SARIF', () => {
      assert.ok(commands.some((c) => c.includes('--max-warnings')));
      assert.ok(commands.some((c) => c.includes('--quiet')));
      assert.ok(commands.includes('check --format sarif -o kpi.sarif'));
      assert.match(CI_DOC, /uses: github\/codeql-action\/upload-sarif@v\d+\n\s+with:\n\s+sarif_file: kpi\.sarif\n/);
      assert.match(CI_DOC, /security-events: write/);
    });

    it('every kpi command it shows is valid usage', () => {
      const root = workspace({});
      fs.cpSync(path.join(REPO, 'examples'), root, { recursive: true });
      fs.cpSync(path.join(REPO, 'examples'), path.join(root, 'models'), { recursive: true });
      const shown = commands.filter((c) => !c.includes('…'));
      assert.ok(shown.length >= 5, shown.join('\n'));
      for (const command of shown) {
        const run = kpi(root, command.split(/\s+/));
        assert.ok(run.status === 0 || run.status === 1, `kpi ${command}: exit ${run.status}\n${run.stderr}`);
      }
      // One child process per command, a few seconds each on a busy machine.
    }).timeout(60_000);

    it('has a weekly scheduled job that posts the Markdown agenda', () => {
      assert.ok(commands.includes('agenda -o agenda.md'), commands.join('\n'));
      const workflow = /```yaml\n(name: Weekly review\n[\s\S]*?)```/.exec(CI_DOC)?.[1] ?? '';
      assert.match(workflow, /schedule:\n\s+- cron: '0 6 \* \* 1'\n/);
      assert.match(workflow, /run: npx kpi agenda -o agenda\.md\n/);
      assert.match(workflow, /cat agenda\.md >> "\$GITHUB_STEP_SUMMARY"/);
      assert.match(workflow, /issues: write/);
    });

    it('the tasks.json example is a kpi task definition the provider accepts', () => {
      const example = /```json\n(\{\n\s+"version": "2\.0\.0",\n\s+"tasks": \[\n\s+\{\n\s+"type": "kpi"[\s\S]*?)```/.exec(CI_DOC);
      assert.ok(example, 'a tasks.json with a task of type kpi');
      const tasks = (JSON.parse(example[1]!) as { tasks: { problemMatcher: string[] }[] }).tasks;
      assert.ok(parseKpiTaskDefinition(tasks[0]));
      assert.deepEqual(tasks[0]!.problemMatcher, ['$kpi']);
    });
  });
});
