// The language server through the real protocol: the bundled dist/server.cjs,
// spoken to over stdio by test/support/lsp.ts, on temporary workspaces.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { findKpiFiles, keyFor } from '../server/src/node/files';
import { assertBuilt, CLI, codes, describeDiagnostic, endSession, hasCode, lacksCode, LspClient, ORG, rangeOf, removeWorkspace, REPO, SERVER, tempWorkspace, TODAY, uriOf, writeFiles } from './support/lsp';

// LSP numbers (DiagnosticSeverity, DiagnosticTag, FileChangeType).
const SEVERITY_NAME: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const UNNECESSARY = 1;
const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;


const KPIS = `kpi LeadLogTime "Lead logged within 2 hours" {
  outcome   "Every lead is logged within 2 hours"
  owner     Analyst
  why       "Fast follow-up wins deals"
  target    <= 2
  frequency weekly
  data      "data/log.csv"
}
`;

const PROCESS = `process Intake "Lead intake" {
  owner Analyst
  step Log "Lead logged" { owner Analyst }
  step Orphan "Never reached" { owner Analyst }
}
`;

const GOOD_CSV = 'period,value\n2026-W46,1.5\n2026-W47,1.8\n';
const BROKEN = 'kpi Broken "never part of the workspace" {\n';

/** org.kpi declares the role, kpis.kpi and sub/process.kpi use it; ignored folders hold broken files. */
const WORKSPACE: Record<string, string> = {
  'org.kpi': ORG,
  'kpis.kpi': KPIS,
  'sub/process.kpi': PROCESS,
  'data/log.csv': GOOD_CSV,
  'node_modules/pkg/broken.kpi': BROKEN,
  '.hidden/broken.kpi': BROKEN,
};

/** A deterministic pseudo-random byte sequence (no Math.random: failures must reproduce). */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

function ofCode(params: PublishDiagnosticsParams, code: string): Diagnostic[] {
  return params.diagnostics.filter((d) => d.code === code);
}

describe('language server protocol (dist/server.cjs)', function () {
  let root: string | undefined;
  let client: LspClient | undefined;
  const uri = (name: string) => uriOf(path.join(root!, name));

  before(() => assertBuilt(SERVER, CLI));

  async function start(files: Record<string, string> = WORKSPACE): Promise<LspClient> {
    root = tempWorkspace(files, 'kpi-protocol-');
    client = new LspClient();
    await client.initialize(root);
    return client;
  }

  afterEach(async () => {
    await endSession(client, root);
    client = root = undefined;
  });

  it('publishes diagnostics for every .kpi file of the folder on initialized, opened or not', async () => {
    const c = await start();
    const [kpis, org, proc] = await Promise.all([c.waitForDiagnostics(uri('kpis.kpi')), c.waitForDiagnostics(uri('org.kpi')), c.waitForDiagnostics(uri('sub/process.kpi'))]);
    assert.deepEqual(kpis.diagnostics.map(describeDiagnostic), ['0:4-0:15 unlinked-kpi']);
    assert.deepEqual(kpis.diagnostics[0]!.range, rangeOf(KPIS, 'LeadLogTime'));
    assert.equal(kpis.diagnostics[0]!.severity, 2);
    assert.deepEqual(org.diagnostics.map(describeDiagnostic), ['2:5-2:10 unused-declaration']);
    assert.deepEqual(proc.diagnostics.map(describeDiagnostic), [`3:7-3:13 unreachable-step`]);
    assert.equal(kpis.version, undefined, 'a file that is not open has no version');

    // The server asked to be told about .kpi, .csv and .kpirc.json changes.
    const registrations = await c.registered;
    assert.equal(registrations[0]!.method, 'workspace/didChangeWatchedFiles');
    const globs = (registrations[0]!.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    assert.ok(globs.some((g) => g.endsWith('*.kpi')) && globs.some((g) => g.endsWith('*.csv')) && globs.some((g) => g.endsWith('.kpirc.json')), globs.join(', '));

    // The scan's sets are all sent before anything the next message causes,
    // so once this open is answered, files in node_modules or dot-folders
    // would have been published if they had been read.
    await c.open(uri('kpis.kpi'), KPIS);
    await c.waitForDiagnostics(uri('kpis.kpi'), (p) => p.version === 1);
    const ignored = [...c.diagnostics.keys()].filter((u) => u.includes('/node_modules/') || u.includes('/.hidden/'));
    assert.deepEqual(ignored, []);
  });

  it('gives every diagnostic a code, the source kpi and a link to its rule page; unused declarations are tagged unnecessary', async () => {
    const files = { ...WORKSPACE, 'messy.kpi': 'team Desk "Desk"\nkpi Messy {\n  owner Desk\n  target "better"\n}\n' };
    const c = await start(files);
    const sets = await Promise.all(['org.kpi', 'kpis.kpi', 'sub/process.kpi', 'messy.kpi'].map((f) => c.waitForDiagnostics(uri(f))));
    const all = sets.flatMap((s) => s.diagnostics);
    assert.ok(all.length >= 8, `expected a varied set of diagnostics, got ${all.length}`);
    for (const d of all) {
      assert.equal(typeof d.code, 'string', JSON.stringify(d));
      assert.equal(d.source, 'kpi');
      assert.ok(d.codeDescription?.href.endsWith(`docs/rules/${String(d.code)}.md`), `${String(d.code)}: ${d.codeDescription?.href}`);
      assert.ok(d.severity !== undefined && d.severity >= 1 && d.severity <= 4);
      assert.ok(typeof d.message === 'string' && d.message.length > 0, 'the message is plain text');
      if (d.code === 'unused-declaration') {
        assert.deepEqual(d.tags, [UNNECESSARY]);
        assert.equal(d.severity, 4);
      } else {
        assert.equal(d.tags, undefined, `${String(d.code)} must not be tagged`);
      }
    }
    assert.deepEqual(codes(sets[3]).filter((code) => code === 'team-owner' || code === 'vague-target'), ['team-owner', 'vague-target']);
  });

  it('follows incremental edits of an open document and publishes its version', async () => {
    const c = await start();
    const kpis = uri('kpis.kpi');
    await c.open(kpis, KPIS, 1);
    const opened = await c.waitForDiagnostics(kpis, (p) => p.version === 1);
    assert.deepEqual(codes(opened), ['unlinked-kpi']);

    const ownerLine = '  owner     Analyst\n';
    const at = rangeOf(KPIS, ownerLine).start;
    await c.change(kpis, 2, [{ range: { start: at, end: { line: at.line + 1, character: 0 } }, text: '' }]);
    const broken = await c.waitForDiagnostics(kpis, (p) => p.version === 2);
    assert.deepEqual(ofCode(broken, 'missing-owner').map(describeDiagnostic), ['0:4-0:15 missing-owner']);
    assert.equal(ofCode(broken, 'missing-owner')[0]!.severity, 1);

    await c.change(kpis, 3, [{ range: { start: at, end: at }, text: ownerLine }]);
    const restored = await c.waitForDiagnostics(kpis, (p) => p.version === 3);
    assert.deepEqual(codes(restored), ['unlinked-kpi']);

    // Several changes in one notification apply in order.
    await c.change(kpis, 4, [
      { range: rangeOf(KPIS, 'LeadLogTime'), text: 'LogTime' },
      { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 11 } }, text: 'LeadLoggingTime' },
    ]);
    const renamed = await c.waitForDiagnostics(kpis, (p) => p.version === 4);
    assert.deepEqual(renamed.diagnostics.map(describeDiagnostic), ['0:4-0:19 unlinked-kpi']);
  });

  it('re-checks a closed file when an open file it depends on changes', async () => {
    const c = await start();
    const org = uri('org.kpi');
    const kpis = uri('kpis.kpi');
    await c.waitForDiagnostics(kpis);
    await c.open(org, ORG, 1);
    await c.waitForDiagnostics(org, (p) => p.version === 1);

    const roleLine = rangeOf(ORG, 'role Analyst "Analyst" in Sales\n');
    await c.change(org, 2, [{ range: roleLine, text: '' }]);
    const broken = await c.waitForDiagnostics(kpis, hasCode('unknown-reference'));
    assert.deepEqual(ofCode(broken, 'unknown-reference').map(describeDiagnostic), [`2:12-2:19 unknown-reference`]);
    assert.equal(broken.version, undefined, 'kpis.kpi is not open');
    // The other closed user of the role is re-checked too.
    await c.waitForDiagnostics(uri('sub/process.kpi'), hasCode('unknown-reference'));

    await c.change(org, 3, [{ range: { start: roleLine.start, end: roleLine.start }, text: 'role Analyst "Analyst" in Sales\n' }]);
    const restored = await c.waitForDiagnostics(kpis, lacksCode('unknown-reference'));
    assert.deepEqual(codes(restored), ['unlinked-kpi']);
    await c.waitForDiagnostics(uri('sub/process.kpi'), lacksCode('unknown-reference'));
  });

  it('forgets the files of a deleted folder and reads those of a folder moved in', async () => {
    const c = await start();
    await c.waitForDiagnostics(uri('sub/process.kpi'));
    fs.renameSync(path.join(root!, 'sub'), path.join(root!, 'moved'));
    // Editors report the folders, not the files inside them.
    await c.watchedFilesChanged([
      { uri: uri('sub'), type: DELETED },
      { uri: uri('moved'), type: CREATED },
    ]);
    const gone = await c.waitForDiagnostics(uri('sub/process.kpi'), (p) => p.diagnostics.length === 0);
    assert.deepEqual(gone.diagnostics, []);
    const moved = await c.waitForDiagnostics(uri('moved/process.kpi'));
    assert.deepEqual(codes(moved), ['unreachable-step']);
  });

  it('goes back to the file on disk when a document is closed', async () => {
    const c = await start();
    const kpis = uri('kpis.kpi');
    await c.open(kpis, KPIS, 1);
    await c.change(kpis, 2, [{ text: 'kpi LeadLogTime {\n}\n' }]);
    await c.waitForDiagnostics(kpis, (p) => p.version === 2 && codes(p).includes('missing-owner'));
    await c.close(kpis);
    const closed = await c.waitForDiagnostics(kpis, (p) => p.version === undefined);
    assert.deepEqual(codes(closed), ['unlinked-kpi']);
  });

  describe('documents that are not part of the workspace', () => {
    /** Messages are handled in order: once this open is published, everything sent before it has been. */
    async function roundTrip(c: LspClient): Promise<void> {
      await c.open(uri('probe.kpi'), 'role Probe "Probe"\n');
      await c.waitForDiagnostics(uri('probe.kpi'), (p) => p.version === 1);
    }

    it('an open copy in a dot-folder or node_modules does not shadow the real declarations', async () => {
      const c = await start();
      await c.waitForDiagnostics(uri('org.kpi'));
      // Local-history extensions keep copies in `.history/`; packages vendor files in node_modules.
      await c.open(uri('.history/org_20261101.kpi'), ORG);
      await c.open(uri('node_modules/pkg/org.kpi'), ORG);
      await roundTrip(c);
      assert.deepEqual(codes(c.diagnostics.get(uri('org.kpi'))), ['unused-declaration']);
      assert.deepEqual(codes(c.diagnostics.get(uri('.history/org_20261101.kpi'))), []);
      assert.deepEqual(codes(c.diagnostics.get(uri('node_modules/pkg/org.kpi'))), []);
    });

    it('a file from outside the folder is checked alone and leaves with its editor', async () => {
      const c = await start();
      await c.waitForDiagnostics(uri('org.kpi'));
      const elsewhere = tempWorkspace({ 'org.kpi': ORG }, 'kpi-elsewhere-');
      try {
        const outside = uriOf(path.join(elsewhere, 'org.kpi'));
        await c.open(outside, ORG);
        const copy = await c.waitForDiagnostics(outside, (p) => p.version === 1);
        // A file in no open folder is a workspace of its own (LANGUAGE.md section 1): the copy is no duplicate.
        assert.ok(!codes(copy).includes('duplicate-name'), codes(copy).join(', '));
        assert.ok(!codes(c.diagnostics.get(uri('org.kpi'))).includes('duplicate-name'));
        await c.close(outside);
        await c.waitForDiagnostics(outside, (p) => p.version === undefined && p.diagnostics.length === 0);
        await roundTrip(c);
        assert.deepEqual(codes(c.diagnostics.get(uri('org.kpi'))), ['unused-declaration'], 'no duplicate-name left behind by the closed file');
        assert.deepEqual(codes(c.diagnostics.get(uri('kpis.kpi'))), ['unlinked-kpi']);
      } finally {
        removeWorkspace(elsewhere);
      }
    });

    it('without a workspace folder, nothing is scanned and open documents are still checked', async () => {
      // The server's working directory holds .kpi files: they must not be read.
      root = tempWorkspace(WORKSPACE, 'kpi-nofolder-');
      client = new LspClient({ cwd: root });
      const c = client;
      await c.initialize(null);
      const untitled = 'untitled:Untitled-1';
      await c.open(untitled, 'kpi Draft "Draft" {\n  target >= 1\n}\n');
      const draft = await c.waitForDiagnostics(untitled, (p) => p.version === 1);
      assert.ok(codes(draft).includes('missing-owner') && codes(draft).includes('unlinked-kpi'), codes(draft).join(', '));
      assert.deepEqual([...c.diagnostics.keys()], [untitled], 'only the open document is published');
      await c.close(untitled);
      await c.waitForDiagnostics(untitled, (p) => p.diagnostics.length === 0);
    });
  });

  describe('watched files', () => {
    it('publishes a created .kpi file and clears a deleted one', async () => {
      const c = await start();
      await c.waitForDiagnostics(uri('kpis.kpi'));
      const fresh = 'kpi Fresh "Fresh" {\n  owner Analyst\n}\n';
      writeFiles(root!, { 'later/fresh.kpi': fresh, '.hidden/also.kpi': fresh });
      await c.watchedFilesChanged([
        { uri: uri('.hidden/also.kpi'), type: CREATED },
        { uri: uri('later/fresh.kpi'), type: CREATED },
      ]);
      const created = await c.waitForDiagnostics(uri('later/fresh.kpi'));
      assert.ok(codes(created).includes('missing-target'), codes(created).join(', '));
      assert.deepEqual(ofCode(created, 'unlinked-kpi').map((d) => d.range), [rangeOf(fresh, 'Fresh')]);
      // Messages are handled in order: once this open is published, a set for
      // the dot-folder file would have been too.
      await c.open(uri('kpis.kpi'), KPIS);
      await c.waitForDiagnostics(uri('kpis.kpi'), (p) => p.version === 1);
      assert.equal(c.diagnostics.get(uri('.hidden/also.kpi')), undefined, 'a file in a dot-folder is not part of the workspace');

      fs.rmSync(path.join(root!, 'later/fresh.kpi'));
      await c.watchedFilesChanged([{ uri: uri('later/fresh.kpi'), type: DELETED }]);
      const deleted = await c.waitForDiagnostics(uri('later/fresh.kpi'), (p) => p.diagnostics.length === 0);
      assert.deepEqual(deleted.diagnostics, []);
    });

    it('re-reads a changed CSV data file', async () => {
      const c = await start();
      const kpis = uri('kpis.kpi');
      await c.waitForDiagnostics(kpis);
      writeFiles(root!, { 'data/log.csv': 'period,value\n2026-W46,1.5\n2026-W47,lots\n' });
      await c.watchedFilesChanged([{ uri: uri('data/log.csv'), type: CHANGED }]);
      const bad = await c.waitForDiagnostics(kpis, hasCode('bad-data-file'));
      assert.deepEqual(ofCode(bad, 'bad-data-file').map((d) => d.range), [rangeOf(KPIS, '"data/log.csv"')]);

      writeFiles(root!, { 'data/log.csv': GOOD_CSV });
      await c.watchedFilesChanged([{ uri: uri('data/log.csv'), type: CHANGED }]);
      const good = await c.waitForDiagnostics(kpis, lacksCode('bad-data-file'));
      assert.deepEqual(codes(good), ['unlinked-kpi']);

      fs.rmSync(path.join(root!, 'data/log.csv'));
      await c.watchedFilesChanged([{ uri: uri('data/log.csv'), type: DELETED }]);
      await c.waitForDiagnostics(kpis, hasCode('bad-data-file'));
    });

    it('reports a broken .kpirc.json on the file itself and applies a valid one', async () => {
      const c = await start();
      const kpis = uri('kpis.kpi');
      const config = uri('.kpirc.json');
      await c.waitForDiagnostics(kpis);
      assert.equal(c.diagnostics.get(config), undefined, 'no config, no config diagnostics');

      writeFiles(root!, { '.kpirc.json': '{ "rules": { "unlinked-kpi": "loud" } }\n' });
      await c.watchedFilesChanged([{ uri: config, type: CREATED }]);
      const bad = await c.waitForDiagnostics(config, hasCode('bad-config'));
      assert.equal(bad.diagnostics.length, 1);
      const [problem] = bad.diagnostics;
      assert.deepEqual(problem!.range.start, { line: 0, character: 0 });
      assert.equal(problem!.range.end.line, 0);
      assert.equal(problem!.severity, 1);
      assert.equal(problem!.source, 'kpi');
      assert.ok(problem!.codeDescription?.href.endsWith('docs/rules/bad-config.md'));

      writeFiles(root!, { '.kpirc.json': '{ "rules": { "unlinked-kpi": "off" } }\n' });
      await c.watchedFilesChanged([{ uri: config, type: CHANGED }]);
      await c.waitForDiagnostics(config, (p) => p.diagnostics.length === 0);
      const quiet = await c.waitForDiagnostics(kpis, lacksCode('unlinked-kpi'));
      assert.deepEqual(quiet.diagnostics, []);

      writeFiles(root!, { '.kpirc.json': '{ "rules": { "unlinked-kpi": "error" } }\n' });
      await c.watchedFilesChanged([{ uri: config, type: CHANGED }]);
      const raised = await c.waitForDiagnostics(kpis, hasCode('unlinked-kpi'));
      assert.equal(ofCode(raised, 'unlinked-kpi')[0]!.severity, 1);

      fs.rmSync(path.join(root!, '.kpirc.json'));
      await c.watchedFilesChanged([{ uri: config, type: DELETED }]);
      const back = await c.waitForDiagnostics(kpis, (p) => ofCode(p, 'unlinked-kpi')[0]?.severity === 2);
      assert.deepEqual(codes(back), ['unlinked-kpi']);
    });
  });

  it('survives garbage documents and keeps answering', async () => {
    const c = await start();
    await c.waitForDiagnostics(uri('kpis.kpi'));
    const random = pseudoRandomBytes(8192, 20261122);
    const garbage: Record<string, string> = {
      'random-utf8.kpi': random.toString('utf8'),
      'random-latin1.kpi': random.toString('latin1'),
      'nul.kpi': `${'\0'.repeat(2000)}kpi \0 Nul {\0 owner \0 }\0"\0`,
      'long-line.kpi': `kpi Long { target >= 1 ${'x '.repeat(512 * 1024)}}`,
      'long-token.kpi': 'y'.repeat(1 << 20),
      'unclosed.kpi': 'kpi A "unterminated\n/* never closed\nkpi B {',
    };
    for (const [name, text] of Object.entries(garbage)) await c.open(uri(name), text, 1);
    for (const name of Object.keys(garbage)) {
      const published = await c.waitForDiagnostics(uri(name), (p) => p.version === 1);
      for (const d of published.diagnostics) assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0);
    }
    assert.ok(codes(c.diagnostics.get(uri('long-token.kpi'))).includes('syntax-error'));

    // A normal edit after all that still works, incremental and full.
    const longLine = uri('long-line.kpi');
    await c.change(longLine, 2, [{ text: KPIS.replace('LeadLogTime', 'Recovered') }]);
    const recovered = await c.waitForDiagnostics(longLine, (p) => p.version === 2);
    assert.deepEqual(recovered.diagnostics.map(describeDiagnostic), ['0:4-0:13 unlinked-kpi']);

    const kpis = uri('kpis.kpi');
    await c.open(kpis, KPIS, 1);
    await c.change(kpis, 2, [{ range: rangeOf(KPIS, '  owner     Analyst\n'), text: '' }]);
    const edited = await c.waitForDiagnostics(kpis, (p) => p.version === 2);
    assert.ok(codes(edited).includes('missing-owner'));
    assert.deepEqual(c.logs.filter((l) => /error/i.test(l)), [], 'the server logged an error');
  });

  it('publishes for examples/ exactly what `kpi check --format json` reports (same core, same results)', async () => {
    root = tempWorkspace({}, 'kpi-examples-');
    fs.cpSync(path.join(REPO, 'examples'), root, { recursive: true });
    const files = findKpiFiles(root).map((f) => keyFor(root!, f)).sort();
    assert.ok(files.length >= 5, `examples/ should hold several .kpi files, found ${files.join(', ')}`);

    const env = { ...process.env };
    delete env['KPI_TODAY'];
    const cli = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--today', TODAY], { cwd: root, env, encoding: 'utf8' });
    assert.equal(cli.status, 1, cli.stderr);
    const report = JSON.parse(cli.stdout) as { diagnostics: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }[]; summary: { files: number } };
    assert.equal(report.summary.files, files.length);

    client = new LspClient();
    await client.initialize(root);
    const c = client;
    const fromServer: string[] = [];
    for (const file of files) {
      const published = await c.waitForDiagnostics(uri(file));
      for (const d of published.diagnostics) {
        const { start, end } = d.range;
        fromServer.push(`${file}:${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${SEVERITY_NAME[d.severity!]} ${String(d.code)} ${d.message}`);
      }
    }
    const fromCli = report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.code} ${d.message}`);
    assert.ok(fromCli.length > 0);
    assert.deepEqual(fromServer.sort(), fromCli.sort());
  });
});
