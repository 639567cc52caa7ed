// Big, odd and hostile input (issue 7), through the real edges: the bundled
// language server over stdio and the bundled CLI in child processes, plus the
// core where a table of cases is clearer. Anything that could hang (a FIFO, a
// device) is only ever read by a child process, so a regression fails a
// test with a timeout instead of freezing the test run.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionItem, Diagnostic, DocumentLink, DocumentSymbol, FileEvent, FoldingRange, Hover, Location, PublishDiagnosticsParams, SymbolInformation, TextEdit } from 'vscode-languageserver';
import { allDiagnostics, createWorkspace, type LocatedDiagnostic } from '../server/src/language/service';
import { MAX_DATA_FILE_BYTES, parseCsv } from '../server/src/language/workspace/data';
import { parseDate } from '../server/src/language/model/periods';
import { MAX_DOCUMENT_LENGTH } from '../server/src/language/model/build';
import { capDiagnostics, MAX_PUBLISHED_DIAGNOSTICS } from '../server/src/publish';
import { assertBuilt, CLI, codes, describeDiagnostic, endSession, hasCode, lacksCode, LspClient, ORG, REPO, SERVER, tempWorkspace, TODAY, uriOf, writeFiles } from './support/lsp';
import { MemoryFileSystem } from './support/memory-fs';

const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;
/** Waiting for a workspace of 100,000 declarations or a 5 MB file: generous, and only ever hit on a failure. */
const BIG_TIMEOUT = 120_000;
const VANISH = path.join(REPO, 'test', 'support', 'vanish.cjs');

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

/** The environment that makes `file` vanish right after the scan lists it (test/support/vanish.cjs). */
function vanishing(file: string): Record<string, string> {
  return { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require "${VANISH}"`.trim(), KPI_TEST_VANISH: file };
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
    await endSession(client, root);
    client = root = undefined;
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
      const parsed = parseCsv('period,value\n2026-10,-2.5\n2026-11,+\n', 'd.csv');
      assert.deepEqual(parsed.rows.map((r) => r.value), [-2.5]);
      assert.match(parsed.problem ?? '', /line 3: '\+' is not a number/);
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
      // Only regular files inside the workspace are offered as links to open.
      for (const k of ws.cases) {
        const links = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri(k.file) } });
        assert.equal(links.length, ['good.kpi', 'formula.kpi', 'huge.kpi'].includes(k.file) ? 1 : 0, k.file);
      }

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

  describe('the diagnostics cap', () => {
    const at = (line: number): Diagnostic['range'] => ({ start: { line, character: 0 }, end: { line, character: 1 } });
    const hint = (line: number): Diagnostic => ({ range: at(line), severity: 4, source: 'kpi', code: 'unused-declaration', message: 'hint' });
    const error = (line: number): Diagnostic => ({ range: at(line), severity: 1, source: 'kpi', code: 'unknown-reference', message: 'error' });

    it('is 1,000 entries per document, the limit VS Code applies itself', () => {
      assert.equal(MAX_PUBLISHED_DIAGNOSTICS, 1000);
    });

    for (const count of [0, 1, MAX_PUBLISHED_DIAGNOSTICS - 1, MAX_PUBLISHED_DIAGNOSTICS]) {
      it(`sends ${count} diagnostics as they are`, () => {
        const list = Array.from({ length: count }, (_, i) => hint(i));
        assert.equal(capDiagnostics(list), list);
      });
    }

    it('past the cap, keeps the most severe in their order and puts one note at the top', () => {
      // 1,500 hints, then 10 errors at the end of the file: the errors must survive.
      const list = [...Array.from({ length: 1500 }, (_, i) => hint(i)), ...Array.from({ length: 10 }, (_, i) => error(2000 + i))];
      const sent = capDiagnostics(list);
      assert.equal(sent.length, MAX_PUBLISHED_DIAGNOSTICS);
      const [note, ...kept] = sent;
      assert.deepEqual(note!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      assert.equal(note!.severity, 3, 'information');
      assert.equal(note!.message, '511 more problems in this file are not shown: the editor gets at most 1,000 per file, the most severe first. Run `kpi check` to list them all.');
      assert.deepEqual(kept, [...list.slice(0, 989), ...list.slice(1500)]);
    });

    it('the server sends at most 1,000 per file with the note; kpi check lists them all', async () => {
      // 1,500 unused roles (hints), then an error at the end of the file.
      const roles = Array.from({ length: 1500 }, (_, i) => `role Unused${i} "Unused ${i}"`).join('\n');
      const text = `${roles}\nkpi Last "Last" {\n  owner Nobody\n  target >= 1\n}\n`;
      const c = await serve({ 'many.kpi': text });
      const published = await c.waitForDiagnostics(uri('many.kpi'));
      assert.equal(published.diagnostics.length, MAX_PUBLISHED_DIAGNOSTICS);
      const note = published.diagnostics[0]!;
      const hidden = Number(/^(\d+) more problems in this file are not shown/.exec(messageOf(note))?.[1]);
      assert.ok(hidden > 0, messageOf(note));
      assert.ok(published.diagnostics.some((d) => d.code === 'unknown-reference' && d.range.start.line === 1501), 'the error at the end is sent');

      const { diagnostics } = checkJson(root!);
      assert.equal(diagnostics.filter((d) => d.file === 'many.kpi').length, hidden + MAX_PUBLISHED_DIAGNOSTICS - 1, 'the CLI reports every one');
    });
  });

  describe('big input through the server', function () {
    this.timeout(3 * BIG_TIMEOUT);

    it('a 5 MB document opened in the editor gets its diagnostics, and requests still answer', async () => {
      const block = (i: number) => `role R${i} "Role ${i}" in F${i}\nfunction F${i} "Function ${i}"\nkpi K${i} "KPI ${i}" { outcome "o" owner R${i} target >= 1 frequency monthly actual 2026-10 1 }\n`;
      const parts: string[] = [];
      let size = 0;
      for (let i = 0; size < 5_000_000; i++) size += (parts[i] = block(i)).length;
      const last = `kpi Last "Last" {\n  owner Nobody\n  target >= 1\n}\n`;
      const text = parts.join('') + last;
      const lastLine = text.split('\n').length - 5;
      const c = await serve({ 'org.kpi': ORG });
      const big = uri('big.kpi');
      await c.open(big, text);
      const published = await c.waitForDiagnostics(big, (p) => p.version === 1, BIG_TIMEOUT);
      assert.equal(published.diagnostics.length, MAX_PUBLISHED_DIAGNOSTICS);
      assert.match(messageOf(published.diagnostics[0]!), /more problems in this file are not shown/);
      assert.ok(published.diagnostics.some((d) => d.code === 'unknown-reference' && d.range.start.line === lastLine + 1), 'the error at the end survives the cap');

      const doc = { uri: big };
      const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: doc, position: { line: lastLine, character: 5 } });
      assert.match(JSON.stringify(hover), /Last/);
      const completion = await c.request<CompletionItem[] | null>('textDocument/completion', { textDocument: doc, position: { line: lastLine + 1, character: 8 } });
      assert.ok(completion?.some((item) => item.label === 'Analyst'), 'roles are offered after owner');
      const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: doc });
      assert.equal(symbols.length, parts.length * 3 + 1);
    });

    it('a file over 10 MB on disk and as an open document: one syntax error on line 1, and the requests that read the text answer empty', async () => {
      const head = 'kpi Dump "A generated dump" {\n';
      const text = head + '  outcome "x"\n'.repeat(Math.ceil(MAX_DOCUMENT_LENGTH / 14) + 1);
      const c = await serve({ 'org.kpi': ORG, 'dump.kpi': text });
      const dump = uri('dump.kpi');
      const onDisk = await c.waitForDiagnostics(dump, undefined, BIG_TIMEOUT);
      assert.deepEqual(onDisk.diagnostics.map(describeDiagnostic), [`0:0-0:${head.length - 1} syntax-error`]);
      assert.match(messageOf(onDisk.diagnostics[0]!), /more than the 10\.0 MB a \.kpi file may have, so it is not checked/);
      await c.open(dump, text);
      const opened = await c.waitForDiagnostics(dump, (p) => p.version === 1, BIG_TIMEOUT);
      assert.deepEqual(opened.diagnostics.map(describeDiagnostic), [`0:0-0:${head.length - 1} syntax-error`]);
      const doc = { textDocument: { uri: dump } };
      assert.deepEqual(await c.request<FoldingRange[]>('textDocument/foldingRange', doc), []);
      assert.deepEqual((await c.request<{ data: number[] }>('textDocument/semanticTokens/full', doc)).data, []);
      assert.deepEqual(await c.request<TextEdit[] | null>('textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } }) ?? [], []);
      assert.equal(await c.request<Hover | null>('textDocument/hover', { ...doc, position: { line: 0, character: 5 } }), null);
    });

    it('a line of 1 MB: diagnostics on it and after it have the right columns', async () => {
      const text = `kpi Long "${'x'.repeat(1_000_000)}" { owner Nobody target >= 1 }\r\nkpi After "After" {\r\n  owner Somebody\r\n}\r\n`;
      const c = await serve({});
      const doc = uri('long.kpi');
      await c.open(doc, text);
      const published = await c.waitForDiagnostics(doc, (p) => p.version === 1);
      const unknown = published.diagnostics.filter((d) => d.code === 'unknown-reference').map(describeDiagnostic);
      const at = text.indexOf('Nobody');
      assert.deepEqual(unknown, [`0:${at}-0:${at + 6} unknown-reference`, '2:8-2:16 unknown-reference']);
      const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: doc }, position: { line: 0, character: 6 } });
      assert.match(JSON.stringify(hover), /Long/);
    });

    it('a folder of 100,000 declarations is scanned and answered', async () => {
      const FILES = 200;
      const PER_FILE = 500; // declarations: a function, a role and a team in it, an sop using both
      const files: Record<string, string> = {};
      for (let f = 0; f < FILES; f++) {
        const lines: string[] = [];
        for (let i = 0; i < PER_FILE; i += 4) {
          const n = f * PER_FILE + i;
          lines.push(
            `function Fn${n} "Function ${n}"`,
            `role Ro${n} "Role ${n}" in Fn${n}`,
            `team Te${n} "Team ${n}" in Fn${n}`,
            `sop So${n} "Procedure ${n}" { objective "o" owner Ro${n} trigger "t" roles Te${n} steps { "a" "b" } review every 3 months reviewed 2026-10-01 }`,
          );
        }
        files[`part${String(f).padStart(3, '0')}/f.kpi`] = `${lines.join('\n')}\n`;
      }
      const c = await serve(files);
      const names = Object.keys(files);
      const sets = await Promise.all(names.map((name) => c.waitForDiagnostics(uri(name), undefined, BIG_TIMEOUT)));
      // Each sop is referenced by nothing: one unused-declaration hint each, and nothing else.
      for (const set of sets) assert.deepEqual([...new Set(codes(set))], ['unused-declaration']);

      const file = uri('part123/f.kpi');
      const n = 123 * PER_FILE + 40;
      const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: file }, position: { line: 41, character: 6 } });
      assert.match(JSON.stringify(hover), new RegExp(`Role ${n}`));
      const sopLine = files['part123/f.kpi']!.split('\n')[43]!;
      const definition = await c.request<Location | Location[] | null>('textDocument/definition', { textDocument: { uri: file }, position: { line: 43, character: sopLine.indexOf(`owner Ro${n}`) + 7 } });
      assert.match(JSON.stringify(definition), /part123\/f\.kpi/);
      const completion = await c.request<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri: file }, position: { line: 41, character: `role Ro${n} "Role ${n}" in `.length } });
      assert.ok(completion?.some((item) => item.label === 'Fn0'), 'functions are offered after in');
      const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: file } });
      assert.equal(symbols.length, PER_FILE);
      const found = await c.request<SymbolInformation[]>('workspace/symbol', { query: 'So99996' });
      assert.ok(found.some((s) => s.name === 'So99996'));
    });
  });

  describe('line ends and byte-order marks', () => {
    /** A problem on each of lines 0, 3 and 4 (0-based): an unused role, an unlinked kpi, an unknown owner. */
    const LINES = ['role Spare "Spare"', '// the kpi below has an owner nobody declared', '', 'kpi Late "Late" {', '  owner Nobody', '  target >= 1', '}', ''];
    const EXPECTED = ['0:5-0:10 unused-declaration', '3:4-3:8 unlinked-kpi', '4:8-4:14 unknown-reference'];
    const WATCHED = new Set(['unused-declaration', 'unlinked-kpi', 'unknown-reference']);
    const watched = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => WATCHED.has(String(d.code))).map(describeDiagnostic).sort();

    const styles: { name: string; eols: string[] }[] = [
      { name: 'LF', eols: ['\n'] },
      { name: 'CRLF', eols: ['\r\n'] },
      { name: 'CR', eols: ['\r'] },
      { name: 'mixed (CRLF, LF, CR)', eols: ['\r\n', '\n', '\r'] },
    ];
    const join = (lines: string[], eols: string[]) => lines.map((l, i) => (i < lines.length - 1 ? l + eols[i % eols.length] : l)).join('');

    for (const style of styles) {
      it(`${style.name}: the server and kpi check put diagnostics on the right lines, also after an edit`, async () => {
        const text = join(LINES, style.eols);
        const c = await serve({ 'disk.kpi': text });
        assert.deepEqual(watched(await c.waitForDiagnostics(uri('disk.kpi'))), EXPECTED, 'scanned from disk');
        const opened = uri('opened.kpi');
        await c.open(opened, text.replace(/Spare|Late/g, '$&2'));
        const shifted = EXPECTED.map((e) => e.replace(/0:5-0:10/, '0:5-0:11').replace(/3:4-3:8/, '3:4-3:9'));
        assert.deepEqual(watched(await c.waitForDiagnostics(opened, (p) => p.version === 1)), shifted, 'opened in the editor');
        // An edit that adds a line in the file's own style moves everything down by one.
        await c.change(opened, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `// added${style.eols[0]}` }]);
        const moved = shifted.map((e) => e.replace(/(\d+):(\d+)-(\d+):/, (_, a: string, b: string, d: string) => `${Number(a) + 1}:${b}-${Number(d) + 1}:`));
        assert.deepEqual(watched(await c.waitForDiagnostics(opened, (p) => p.version === 2)), moved, 'after an edit');

        const { diagnostics } = checkJson(root!, ['disk.kpi']);
        const fromCli = diagnostics.filter((d) => WATCHED.has(d.code)).map((d) => `${d.line - 1}:${d.column - 1}-${d.endLine - 1}:${d.endColumn - 1} ${d.code}`).sort();
        assert.deepEqual(fromCli, EXPECTED, 'kpi check');
      });

      it(`${style.name}: formatting keeps the line ends of the file`, async () => {
        const text = join(['role   Analyst   "Analyst"', 'kpi K "K" {', 'owner Analyst', '   target >= 1', '}', ''], style.eols);
        const c = await serve({});
        const doc = uri('f.kpi');
        await c.open(doc, text);
        const edits = await c.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: doc }, options: { tabSize: 2, insertSpaces: true } });
        assert.equal(edits.length, 1, 'one edit for the whole document');
        const formatted = edits[0]!.newText;
        const breaks = [...new Set(formatted.match(/\r\n|\n|\r/g))];
        assert.deepEqual(breaks, [style.eols[0]], JSON.stringify(formatted));
        assert.match(formatted, /^role Analyst "Analyst"/);
      });
    }

    it('a byte-order mark on disk shifts nothing, in the server and in kpi check; one sent by the editor is a character of its text', async () => {
      const text = join(LINES, ['\r\n']);
      const c = await serve({ 'bom.kpi': `\uFEFF${text}` });
      assert.deepEqual(watched(await c.waitForDiagnostics(uri('bom.kpi'))), EXPECTED, 'scanned: the mark is dropped, as editors drop it');
      const { diagnostics } = checkJson(root!, ['bom.kpi']);
      const fromCli = diagnostics.filter((d) => WATCHED.has(d.code)).map((d) => `${d.line - 1}:${d.column - 1}-${d.endLine - 1}:${d.endColumn - 1} ${d.code}`).sort();
      assert.deepEqual(fromCli, EXPECTED, 'kpi check');

      // An editor that keeps the mark in the text counts it as column 0 of line 0.
      const opened = uri('opened.kpi');
      await c.open(opened, `\uFEFF${text.replace(/Spare|Late/g, '$&2')}`);
      const published = await c.waitForDiagnostics(opened, (p) => p.version === 1);
      assert.deepEqual(watched(published)[0], '0:6-0:12 unused-declaration');
      const edits = await c.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: opened }, options: { tabSize: 2, insertSpaces: true } });
      for (const edit of edits) assert.ok(edit.newText.startsWith('\uFEFF') || edit.range.start.line > 0 || edit.range.start.character > 0, 'the mark is kept');
    });

    it('kpi format and kpi check --fix keep the byte-order mark and the line ends of a file on disk', () => {
      const BOM = '\uFEFF';
      root = tempWorkspace({
        'format.kpi': `${BOM}role   Analyst   "Analyst"\r\nkpi K "K" { owner Analyst target >= 1 }\r`,
        'fix.kpi': `${BOM}role Analyst "Analyst"\rkpi K "K" {\r  owner Analyst, Analyst\r  target >= 1\r}\r`,
      });
      const read = (name: string) => fs.readFileSync(path.join(root!, name), 'utf8');
      assert.equal(kpi(root, ['format', 'format.kpi']).status, 0);
      assert.ok(read('format.kpi').startsWith(`${BOM}role Analyst "Analyst"\r\n`), JSON.stringify(read('format.kpi')));
      assert.ok(!/[^\r]\n|\r(?!\n)/.test(read('format.kpi')), 'CRLF only');
      kpi(root, ['check', '--fix', 'fix.kpi']);
      assert.equal(read('fix.kpi'), `${BOM}role Analyst "Analyst"\rkpi K "K" {\r  owner Analyst\r  target >= 1\r}\r`);
    });
  });

  describe('files renamed or deleted while being checked', () => {
    const KPIS = `kpi LeadLogTime "Lead logged within 2 hours" {\n  outcome "Every lead is logged"\n  owner Analyst\n  why "Speed"\n  target <= 2\n  frequency weekly\n  actual 2026-W47 1.5\n}\n`;
    const FILES = { 'org.kpi': ORG, 'kpis.kpi': KPIS };
    const move = (from: string, to: string) => {
      fs.mkdirSync(path.dirname(path.join(root!, to)), { recursive: true });
      fs.renameSync(path.join(root!, from), path.join(root!, to));
    };

    it('a deleted file loses its diagnostics and references into it become errors', async () => {
      const c = await serve(FILES);
      await c.waitForDiagnostics(uri('org.kpi'), (p) => p.diagnostics.length > 0);
      assert.deepEqual(codes(await c.waitForDiagnostics(uri('kpis.kpi'))), ['unlinked-kpi']);
      fs.rmSync(path.join(root!, 'org.kpi'));
      await c.watchedFilesChanged([{ uri: uri('org.kpi'), type: DELETED }]);
      const after = await c.waitForDiagnostics(uri('kpis.kpi'), hasCode('unknown-reference'));
      assert.equal(after.diagnostics.find((d) => d.code === 'unknown-reference')!.severity, 1, 'an error');
      assert.deepEqual((await c.waitForDiagnostics(uri('org.kpi'), (p) => p.diagnostics.length === 0)).diagnostics, []);
    });

    for (const order of ['delete, then create', 'create, then delete']) {
      it(`a renamed file (${order}) is followed to its new name`, async () => {
        const c = await serve(FILES);
        await c.waitForDiagnostics(uri('kpis.kpi'));
        const renamed = async (from: string, to: string) => {
          move(from, to);
          const events: FileEvent[] = [{ uri: uri(from), type: DELETED }, { uri: uri(to), type: CREATED }];
          await c.watchedFilesChanged(order === 'delete, then create' ? events : events.reverse());
        };
        // Into a dot-folder, which is not part of the workspace: as good as deleted.
        await renamed('org.kpi', '.trash/org.kpi');
        await c.waitForDiagnostics(uri('kpis.kpi'), hasCode('unknown-reference'));
        await c.waitForDiagnostics(uri('org.kpi'), (p) => p.diagnostics.length === 0);
        // And back into the workspace under another name.
        await renamed('.trash/org.kpi', 'people/org.kpi');
        await c.waitForDiagnostics(uri('kpis.kpi'), lacksCode('unknown-reference'));
        assert.deepEqual(codes(await c.waitForDiagnostics(uri('people/org.kpi'))), ['unused-declaration']);
        assert.equal(c.diagnostics.get(uri('.trash/org.kpi')), undefined, 'nothing is published for the dot-folder');
      });
    }

    it('events about files that are already gone again are answered quietly', async () => {
      const c = await serve(FILES);
      await c.waitForDiagnostics(uri('kpis.kpi'));
      // Created and gone before the server looked; changed and then deleted.
      fs.rmSync(path.join(root!, 'org.kpi'));
      await c.watchedFilesChanged([
        { uri: uri('ghost.kpi'), type: CREATED },
        { uri: uri('org.kpi'), type: CHANGED },
        { uri: uri('ghost-folder'), type: CREATED },
      ]);
      await c.waitForDiagnostics(uri('kpis.kpi'), hasCode('unknown-reference'));
      await c.waitForDiagnostics(uri('org.kpi'), (p) => p.diagnostics.length === 0);
      assert.deepEqual(c.diagnostics.get(uri('ghost.kpi'))?.diagnostics ?? [], []);
      assert.deepEqual(c.logs.filter((l) => /error/i.test(l)), [], 'the server logged an error');
    });

    it('a file that vanishes between the scan listing it and reading it is skipped (server)', async () => {
      const dir = tempWorkspace(FILES, 'kpi-hostile-vanish-');
      const c = await serve(dir, vanishing(path.join(dir, 'org.kpi')));
      const kpis = await c.waitForDiagnostics(uri('kpis.kpi'));
      assert.ok(!fs.existsSync(path.join(dir, 'org.kpi')), 'the preload removed the file');
      assert.ok(codes(kpis).includes('unknown-reference'), codes(kpis).join(', '));
      assert.equal(c.diagnostics.get(uri('org.kpi')), undefined);
      assert.deepEqual(c.logs.filter((l) => /error/i.test(l)), [], 'the server logged an error');
    });

    it('a file that vanishes between the scan listing it and reading it is skipped (kpi check, kpi format)', () => {
      root = tempWorkspace(FILES, 'kpi-hostile-vanish-');
      const { run, diagnostics } = checkJson(root, [], vanishing(path.join(root, 'org.kpi')));
      assert.equal(run.status, 1, 'the unknown owner is an error');
      assert.match(run.stderr, /org\.kpi: no longer exists; skipped/);
      assert.deepEqual([...new Set(diagnostics.map((d) => d.file))], ['kpis.kpi']);
      assert.equal((JSON.parse(run.stdout) as { summary: { files: number } }).summary.files, 1);

      writeFiles(root, { 'org.kpi': ORG });
      const format = kpi(root, ['format', '--check'], vanishing(path.join(root, 'org.kpi')));
      assert.equal(format.stdout, 'kpis.kpi\n', 'only the file that is there is looked at');
      assert.doesNotMatch(format.stderr, /org\.kpi|cannot be read/);
    });
  });
});
