// Big, odd and hostile input (issue 7), through the real edges: the bundled
// language server over stdio and the bundled CLI in child processes, plus the
// core where a table of cases is clearer. Anything that could hang (a FIFO, a
// device) is only ever read by a child process, so a regression fails a
// test with a timeout instead of freezing the test run.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, DocumentSymbol, Hover } from 'vscode-languageserver';
import { allDiagnostics, createWorkspace, type LocatedDiagnostic } from '../server/src/language/service';
import { MAX_DATA_FILE_BYTES, parseCsv } from '../server/src/language/workspace/data';
import { parseDate } from '../server/src/language/model/periods';
import { assertBuilt, CLI, hasCode, LspClient, ORG, removeWorkspace, SERVER, tempWorkspace, TODAY, uriOf, writeFiles } from './support/lsp';
import { MemoryFileSystem } from './support/memory-fs';

const CHANGED = 2;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `kpi args…` in `cwd`; a run that does not end within a minute (a reader stuck on a FIFO) fails the test. */
function kpi(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, KPI_TODAY: TODAY, ...env },
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.error) throw new Error(`kpi ${args.join(' ')} did not finish: ${result.error.message}\n${result.stderr}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function checkJson(cwd: string, args: string[] = [], env: Record<string, string> = {}): { run: Run; diagnostics: LocatedDiagnostic[] } {
  const run = kpi(cwd, ['check', '--format', 'json', ...args], env);
  try {
    return { run, diagnostics: (JSON.parse(run.stdout) as { diagnostics: LocatedDiagnostic[] }).diagnostics };
  } catch {
    throw new Error(`kpi check printed no JSON (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** Makes a FIFO; false where the platform has no mkfifo. */
function mkfifo(file: string): boolean {
  if (process.platform === 'win32') return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return spawnSync('mkfifo', [file]).status === 0;
}

/** A diagnostic's message as text (LSP also allows markup). */
const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

const KPI = (name: string, data: string) => `kpi ${name} "${name}" {\n  owner     Analyst\n  target    >= 1\n  frequency monthly\n  data      "${data}"\n}\n`;

describe('hostile and odd input', function () {
  before(() => assertBuilt(SERVER, CLI));

  let root: string | undefined;
  let client: LspClient | undefined;
  const uri = (name: string) => uriOf(path.join(root!, name));

  async function serve(files: Record<string, string> | string, env: Record<string, string> = {}): Promise<LspClient> {
    root = typeof files === 'string' ? files : tempWorkspace(files, 'kpi-hostile-');
    client = new LspClient({ env });
    await client.initialize(root);
    return client;
  }

  afterEach(async () => {
    await client?.shutdown();
    client = undefined;
    removeWorkspace(root);
    root = undefined;
  });

  describe('data files', () => {
    const TODAY_DAY = parseDate(TODAY)!;

    /** The bad-data-file messages of one kpi whose data path is `written`, over an in-memory folder. */
    function coreProblems(written: string, fsys: MemoryFileSystem): string[] {
      const text = `role Analyst "A"\n${KPI('K', written.replace(/\\/g, '\\\\'))}`;
      const ws = createWorkspace({ root: '/ws', fs: fsys, today: () => TODAY_DAY, files: [{ key: 'k.kpi', path: '/ws/k.kpi', text }] });
      return allDiagnostics(ws).filter((d) => d.code === 'bad-data-file').map((d) => d.message);
    }

    const refusedPaths: { written: string; message: RegExp }[] = [
      { written: '../outside.csv', message: /points outside the workspace/ },
      { written: 'a/../../outside.csv', message: /points outside the workspace/ },
      { written: '/etc/passwd', message: /is absolute/ },
      { written: '/dev/zero', message: /is absolute/ },
      { written: 'C:\\data\\x.csv', message: /is absolute/ },
      { written: '\\\\server\\share\\x.csv', message: /is absolute/ },
      { written: '', message: /data path is empty/ },
      { written: 'missing.csv', message: /does not exist/ },
    ];
    for (const c of refusedPaths) {
      it(`refuses the data path ${JSON.stringify(c.written)} without reading anything`, () => {
        const fsys = new MemoryFileSystem({ '/outside.csv': 'period,value\n2026-10,1\n', '/etc/passwd': 'period,value\n' });
        const problems = coreProblems(c.written, fsys);
        assert.equal(problems.length, 1, problems.join('\n'));
        assert.match(problems[0]!, c.message);
        assert.deepEqual(fsys.reads, []);
      });
    }

    const notFiles: { kind: 'fifo' | 'device' | 'socket' | 'other' | 'directory'; what: string; message: RegExp }[] = [
      { kind: 'fifo', what: 'a FIFO', message: /"data\/x\.csv" is a named pipe \(FIFO\), not a CSV file; it is not read/ },
      { kind: 'device', what: 'a device', message: /is a device, not a CSV file/ },
      { kind: 'socket', what: 'a socket', message: /is a socket, not a CSV file/ },
      { kind: 'other', what: 'any other non-regular file', message: /is not a regular file, not a CSV file/ },
      { kind: 'directory', what: 'a folder', message: /is a folder, not a CSV file/ },
    ];
    for (const c of notFiles) {
      it(`refuses a data path that is ${c.what}, on its kind alone (never opened)`, () => {
        const fsys = new MemoryFileSystem();
        if (c.kind === 'directory') fsys.write('/ws/data/x.csv/inner.csv', 'period,value\n');
        else fsys.special('/ws/data/x.csv', c.kind);
        const problems = coreProblems('data/x.csv', fsys);
        assert.equal(problems.length, 1);
        assert.match(problems[0]!, c.message);
        assert.deepEqual(fsys.reads, []);
      });
    }

    const cells: { value: string; why: RegExp }[] = [
      { value: `=cmd|' /C calc'!A0`, why: /is a spreadsheet formula, not a number \(formulas are never evaluated\)/ },
      { value: '=1+1', why: /spreadsheet formula/ },
      { value: '@SUM(A1)', why: /spreadsheet formula/ },
      { value: '+1+cmd|x', why: /spreadsheet formula/ },
      { value: '-2+3+cmd|x', why: /spreadsheet formula/ },
      { value: '-', why: /'-' is not a number/ },
      { value: '+5', why: /'\+5' is not a number/ },
      { value: '12abc', why: /'12abc' is not a number/ },
      { value: 'NaN', why: /is not a number/ },
      { value: '1e400', why: /is not a number/ },
    ];
    for (const c of cells) {
      it(`a value cell ${JSON.stringify(c.value)} is a bad row, never a number`, () => {
        const csv = `period,value\n2026-09,4\n2026-10,"${c.value.replace(/"/g, '""')}"\n`;
        const parsed = parseCsv(csv, 'd.csv');
        assert.deepEqual(parsed.rows.map((r) => r.value), [4], 'only the good row counts');
        assert.match(parsed.problem ?? '', /has 1 malformed row; the first is line 3: /);
        assert.match(parsed.problem!, c.why);
      });
    }

    it('a value that is a plain number with a sign still counts', () => {
      assert.deepEqual(parseCsv('period,value\n2026-10,-2.5\n', 'd.csv'), { rows: [{ period: parseCsv('period,value\n2026-10,1\n', 'd').rows[0]!.period, value: -2.5 }] });
    });

    /**
     * One kpi per file, each naming a hostile data path, in a real folder: the
     * file name says which case a diagnostic belongs to.
     */
    function hostileDataWorkspace(): { root: string; cases: { file: string; message: RegExp | undefined }[] } {
      const dir = tempWorkspace({ 'org.kpi': ORG, 'data/good.csv': 'period,value\n2026-10,3\n' }, 'kpi-hostile-data-');
      const cases: { file: string; written: string; message: RegExp | undefined }[] = [
        { file: 'good.kpi', written: 'data/good.csv', message: undefined },
        { file: 'folder.kpi', written: 'data', message: /"data" is a folder, not a CSV file/ },
        { file: 'parent.kpi', written: '../outside.csv', message: /points outside the workspace/ },
        { file: 'absolute.kpi', written: '/dev/zero', message: /is absolute/ },
        { file: 'formula.kpi', written: 'data/formula.csv', message: /line 2: '=cmd\|' \/C calc'!A0' is a spreadsheet formula/ },
        { file: 'huge.kpi', written: 'data/huge.csv', message: new RegExp(`larger than ${MAX_DATA_FILE_BYTES / 1024 / 1024} MB and is not read`) },
      ];
      writeFiles(dir, { 'data/formula.csv': `period,value\n2026-10,=cmd|' /C calc'!A0\n` });
      // A sparse file: its size is over the limit without writing 20 MB to the disk.
      fs.writeFileSync(path.join(dir, 'data/huge.csv'), 'period,value\n2026-10,1\n');
      fs.truncateSync(path.join(dir, 'data/huge.csv'), MAX_DATA_FILE_BYTES + 1);
      if (mkfifo(path.join(dir, 'data/pipe.csv'))) {
        cases.push({ file: 'fifo.kpi', written: 'data/pipe.csv', message: /"data\/pipe\.csv" is a named pipe \(FIFO\), not a CSV file; it is not read/ });
        fs.symlinkSync(path.join(dir, 'data/pipe.csv'), path.join(dir, 'data/pipe-link.csv'));
        cases.push({ file: 'fifo-link.kpi', written: 'data/pipe-link.csv', message: /is a named pipe \(FIFO\)/ });
      }
      if (process.platform !== 'win32' && fs.existsSync('/dev/zero')) {
        fs.symlinkSync('/dev/zero', path.join(dir, 'data/zero.csv'));
        cases.push({ file: 'device-link.kpi', written: 'data/zero.csv', message: /is a link to a place outside the workspace; it is not read/ });
      }
      for (const c of cases) writeFiles(dir, { [c.file]: KPI(c.file.replace(/\W/g, '_'), c.written) });
      return { root: dir, cases };
    }

    it('kpi check answers a folder of hostile data files with one bad-data-file each', () => {
      const ws = hostileDataWorkspace();
      root = ws.root;
      const { run, diagnostics } = checkJson(root);
      assert.equal(run.status, 1, run.stderr);
      for (const c of ws.cases) {
        const bad = diagnostics.filter((d) => d.file === c.file && d.code === 'bad-data-file');
        if (c.message === undefined) assert.deepEqual(bad, [], c.file);
        else {
          assert.equal(bad.length, 1, `${c.file}: ${JSON.stringify(bad)}`);
          assert.match(bad[0]!.message, c.message, c.file);
          assert.equal(bad[0]!.line, 5, 'on the data string');
        }
      }
    });

    it('the language server publishes the same refusals, and refuses a data file replaced by a FIFO', async function () {
      const ws = hostileDataWorkspace();
      const c = await serve(ws.root);
      for (const k of ws.cases) {
        const params = await c.waitForDiagnostics(uri(k.file), k.message ? hasCode('bad-data-file') : undefined);
        const bad = params.diagnostics.filter((d) => d.code === 'bad-data-file');
        if (k.message === undefined) assert.deepEqual(bad, [], k.file);
        else assert.match(messageOf(bad[0]!), k.message, k.file);
      }
      // The server still answers after all of that.
      const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri('good.kpi') }, position: { line: 0, character: 5 } });
      assert.match(JSON.stringify(hover), /good_kpi/);

      if (!ws.cases.some((k) => k.file === 'fifo.kpi')) return;
      fs.rmSync(path.join(root!, 'data/good.csv'));
      assert.ok(mkfifo(path.join(root!, 'data/good.csv')));
      await c.watchedFilesChanged([{ uri: uri('data/good.csv'), type: CHANGED }]);
      const now = await c.waitForDiagnostics(uri('good.kpi'), hasCode('bad-data-file'));
      assert.match(messageOf(now.diagnostics.find((d) => d.code === 'bad-data-file')!), /named pipe/);
    });

    it('a FIFO or a device named .kpirc.json or *.kpi does not hang the CLI or the server', async function () {
      const dir = tempWorkspace({ 'org.kpi': ORG }, 'kpi-hostile-special-');
      root = dir;
      if (!mkfifo(path.join(dir, '.kpirc.json')) || !mkfifo(path.join(dir, 'pipe.kpi'))) this.skip();
      fs.symlinkSync('/dev/zero', path.join(dir, 'zero.kpi'));
      const { run, diagnostics } = checkJson(dir);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual([...new Set(diagnostics.map((d) => d.file))], ['org.kpi'], 'only the regular file is checked');
      const named = kpi(dir, ['check', 'pipe.kpi']);
      assert.equal(named.status, 2);
      assert.match(named.stderr, /pipe\.kpi is not a regular file/);

      const c = await serve(dir);
      await c.waitForDiagnostics(uri('org.kpi'));
      const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('org.kpi') } });
      assert.ok(symbols.length > 0);
      assert.equal(c.diagnostics.get(uri('pipe.kpi')), undefined);
    });

    it('kpi scorecard --format csv neutralises formulas written in the .kpi files', () => {
      root = tempWorkspace({
        'org.kpi': ORG,
        'k.kpi': `kpi Sneaky "=cmd|' /C calc'!A0" {\n  owner Analyst\n  unit "@SUM(A1)"\n  target >= 1\n  actual 2026-10 -2\n}\nkpi Plus "+1+1" {\n  owner Analyst\n  target "-1+cmd|x"\n}\n`,
      });
      const run = kpi(root, ['scorecard', '--format', 'csv']);
      assert.equal(run.status, 0, run.stderr);
      const lines = run.stdout.split('\r\n');
      const sneaky = lines.find((l) => l.startsWith('Sneaky,'))!;
      assert.ok(sneaky.startsWith(`Sneaky,'=cmd|' /C calc'!A0,`), sneaky);
      assert.ok(sneaky.includes(`,'@SUM(A1),`), sneaky);
      assert.ok(sneaky.includes(',-2,'), 'a negative number stays a number');
      const plus = lines.find((l) => l.startsWith('Plus,'))!;
      assert.ok(plus.startsWith(`Plus,'+1+1,`), plus);
      assert.ok(plus.includes(`,'-1+cmd|x,`), plus);
    });
  });
});
