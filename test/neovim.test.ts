// Neovim as a second LSP client (the issue "Prove it in real editors"): headless
// Neovim starts the bundled server over stdio with its own LSP client, opens
// every example file in a temporary copy of examples/, and the diagnostics it
// receives must be exactly what `kpi check` reports for the same workspace.
// Needs Debian's `neovim` package (0.7.2; CI installs it); the Lua side is
// test/neovim/check.lua.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertBuilt, CLI, removeWorkspace, REPO, SERVER, TODAY } from './support/lsp';
import type { LocatedDiagnostic } from '../server/src/language/service';

const EXAMPLES = path.join(REPO, 'examples');
const SCRIPT = path.join(REPO, 'test', 'neovim', 'check.lua');
/** How long check.lua waits for the published diagnostics, and how long Neovim may run at all. */
const WAIT_MS = 5_000;
const NVIM_TIMEOUT_MS = 20_000;
/** Points the test at another server script (to see it fail on a broken one); the bundle otherwise. */
const SERVER_UNDER_TEST = process.env['KPI_NEOVIM_SERVER'] ? path.resolve(process.env['KPI_NEOVIM_SERVER']) : SERVER;

interface NvimDiagnostic {
  code: string | null;
  codeType: string;
  codeSource: string;
  line: number;
  col: number;
  character: number;
  endLine: number;
  endCol: number;
  endCharacter: number;
  severity: string;
  message: string;
  source: string | null;
}

interface NvimFile {
  file: string;
  uri: string;
  published: number;
  diagnostics: NvimDiagnostic[];
}

interface NvimReport {
  nvim: string;
  error?: string;
  timedOut?: boolean;
  serverExited?: { code: number; signal: number };
  files?: NvimFile[];
}

/** A diagnostic of `kpi check --format json` (LANGUAGE.md section 6). */
type CliDiagnostic = LocatedDiagnostic;

/** One diagnostic as both sides are compared: 0-based range in UTF-16 code units, severity, code. */
interface Finding {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  severity: string;
  code: string | null;
  message: string;
}

const brief = (f: Finding) => `${f.line}:${f.character}-${f.endLine}:${f.endCharacter} ${f.severity} ${f.code}`;
const byPosition = (a: Finding, b: Finding) =>
  a.line - b.line || a.character - b.character || brief(a).localeCompare(brief(b)) || a.message.localeCompare(b.message);

/** The .kpi files below `root` (relative, `/`-separated), skipping dot-folders and node_modules like the server. */
function kpiFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((name) => name.split(path.sep).join('/'))
    .filter((name) => name.endsWith('.kpi') && !name.split('/').some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort();
}

const FILES = kpiFiles(EXAMPLES);

/** Fails with what to do when there is no `nvim` on the PATH. */
function assertNeovim(): string {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? probe.error.message : `exit status ${probe.status}: ${probe.stderr}`;
    throw new Error(
      `Neovim is needed for this test and \`nvim --version\` failed (${why}). ` +
        `Install the Debian package: apt-get update && apt-get install -y neovim (CI's .ci/run installs it).`,
    );
  }
  return probe.stdout.split('\n')[0] ?? '';
}

describe('Neovim as a second LSP client (headless nvim, bundled server over stdio)', function () {
  let workspace: string | undefined;
  let home: string | undefined;
  let report: NvimReport;
  let cli: CliDiagnostic[];
  let lspLog = '';

  before(function () {
    this.timeout(NVIM_TIMEOUT_MS + 15_000);
    assertNeovim();
    assertBuilt(SERVER_UNDER_TEST, CLI);
    assert.ok(FILES.length > 0, 'examples/ has no .kpi files');

    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-nvim-ws-')));
    fs.cpSync(EXAMPLES, workspace, { recursive: true });
    home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-nvim-home-')));
    const out = path.join(home, 'diagnostics.json');

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KPI_TODAY: TODAY,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_STATE_HOME: path.join(home, 'state'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_RUNTIME_DIR: path.join(home, 'run'),
      KPI_ROOT: workspace,
      KPI_SERVER: SERVER_UNDER_TEST,
      KPI_NODE: process.execPath,
      KPI_FILES: FILES.map((name) => path.join(workspace!, name)).join('\n'),
      KPI_OUT: out,
      KPI_WAIT_MS: String(WAIT_MS),
    };
    // Nothing of the user's (or an enclosing Neovim's) setup reaches the run.
    for (const name of ['VIMINIT', 'MYVIMRC', 'VIM', 'VIMRUNTIME', 'NVIM', 'NVIM_LISTEN_ADDRESS', 'NVIM_LOG_FILE', 'NVIM_APPNAME']) delete env[name];
    fs.mkdirSync(env['XDG_RUNTIME_DIR']!, { recursive: true, mode: 0o700 });

    const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${SCRIPT}`], {
      cwd: workspace,
      env,
      encoding: 'utf8',
      timeout: NVIM_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    const logFile = path.join(home, 'cache', 'nvim', 'lsp.log');
    lspLog = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '(no lsp.log)';
    const output = `exit status ${run.status}${run.signal ? `, signal ${run.signal}` : ''}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}\nlsp.log (end):\n${lspLog}`;
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
      throw new Error(`nvim did not finish within ${NVIM_TIMEOUT_MS} ms\n${output}`);
    }
    if (run.error) throw run.error;
    if (!fs.existsSync(out)) throw new Error(`check.lua wrote no ${out}\n${output}`);
    report = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimReport;
    if (report.error) throw new Error(`check.lua failed in Neovim ${report.nvim}: ${report.error}\n${output}`);
    assert.equal(run.status, 0, `nvim failed\n${output}`);

    const check = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--today', TODAY], {
      cwd: workspace,
      env: { ...process.env, KPI_TODAY: TODAY },
      encoding: 'utf8',
      timeout: 20_000,
    });
    if (check.error) throw check.error;
    try {
      cli = (JSON.parse(check.stdout) as { diagnostics: CliDiagnostic[] }).diagnostics;
    } catch {
      throw new Error(`kpi check did not print JSON (status ${check.status}):\n${check.stdout}\n${check.stderr}`);
    }
  });

  after(function () {
    removeWorkspace(workspace);
    removeWorkspace(home);
  });

  it('received a publication for every opened file before the wait ran out', function () {
    const files = report.files ?? [];
    const counts = files.map((f) => `${path.relative(workspace!, f.file)}: ${f.published}`).join(', ');
    assert.deepEqual(
      files.map((f) => path.relative(workspace!, f.file).split(path.sep).join('/')),
      FILES,
      'Neovim reported other files than it was asked to open',
    );
    const silent = files.filter((f) => f.published === 0).map((f) => path.relative(workspace!, f.file));
    if (!report.timedOut && silent.length === 0) return;
    const when = report.serverExited
      ? `; the server exited (code ${report.serverExited.code}, signal ${report.serverExited.signal})`
      : ` within ${WAIT_MS} ms`;
    const what =
      silent.length > 0
        ? `Neovim ${report.nvim} got no textDocument/publishDiagnostics for ${silent.join(', ')} from ${SERVER_UNDER_TEST}${when}`
        : `Neovim ${report.nvim} got diagnostics for every file from ${SERVER_UNDER_TEST}, but the server did not go quiet${when}`;
    assert.fail(`${what}. Publications per file: ${counts}\nlsp.log (end):\n${lspLog}`);
  });

  it('the examples have findings to compare (kpi check reports some)', function () {
    assert.ok(cli.length > 0, 'kpi check reported nothing for the examples, so the comparison below would prove nothing');
  });

  for (const name of FILES) {
    it(`${name}: Neovim shows exactly what kpi check reports`, function () {
      const received = (report.files ?? []).find((f) => path.relative(workspace!, f.file).split(path.sep).join('/') === name);
      assert.ok(received, `Neovim did not report ${name}`);
      if (received.published === 0) assert.fail(`Neovim received no diagnostics for ${name}: the server never published any`);
      const expected: Finding[] = cli
        .filter((d) => d.file === name)
        .map((d) => ({
          line: d.line - 1,
          character: d.column - 1,
          endLine: d.endLine - 1,
          endCharacter: d.endColumn - 1,
          severity: d.severity,
          code: d.code,
          message: d.message,
        }))
        .sort(byPosition);
      const actual: Finding[] = received.diagnostics
        .map((d) => ({
          line: d.line,
          character: d.character,
          endLine: d.endLine,
          endCharacter: d.endCharacter,
          severity: d.severity,
          code: d.code,
          message: d.message,
        }))
        .sort(byPosition);
      const note =
        `${name} in Neovim ${report.nvim} (0-based line:column, UTF-16; ${received.published} publication(s) received) ` +
        `against kpi check --today ${TODAY}`;
      assert.deepEqual(actual.map(brief), expected.map(brief), `${note}: codes, ranges or severities differ`);
      assert.deepEqual(
        actual.map((f) => `${brief(f)}: ${f.message}`),
        expected.map((f) => `${brief(f)}: ${f.message}`),
        `${note}: messages differ`,
      );
      // The server names itself as the source, as in every other client.
      for (const d of received.diagnostics) assert.equal(d.source, 'kpi', `${name}: ${d.code} has source ${d.source}`);
    });
  }
});
