// Bad input never crashes or hangs the core: each case must produce
// diagnostics (or none) with ranges inside the document, never an exception.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allDiagnostics, complete, createWorkspace, documentSemanticTokens, foldingRanges, formatDocument, hover, type LocatedDiagnostic } from '../server/src/language/service';
import { MAX_DOCUMENT_LENGTH } from '../server/src/language/model/build';
import { parseDate } from '../server/src/language/model/periods';
import { random } from './support/random';
import { nodeFileSystem } from '../server/src/node/files';
import { MemoryFileSystem } from './support/memory-fs';

const TODAY = parseDate('2026-11-22')!;

function analyse(text: string, extra: { config?: string; files?: Record<string, string> } = {}) {
  const fsys = new MemoryFileSystem(extra.files ?? {});
  const workspace = createWorkspace({ root: '/ws', fs: fsys, today: () => TODAY, files: [{ key: 'input.kpi', path: '/ws/input.kpi', text }], configText: extra.config });
  const doc = workspace.getDocument('input.kpi')!;
  for (const d of workspace.diagnostics('input.kpi')) {
    assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `range ${d.span.start}-${d.span.end} outside a ${text.length}-character document (${d.code})`);
    assert.doesNotMatch(d.message, /Internal error/);
  }
  assert.ok(doc);
  return allDiagnostics(workspace, extra.config);
}

const codes = (ds: LocatedDiagnostic[]) => ds.map((d) => d.code);

describe('bad input', () => {
  it('an empty file gives no diagnostics', () => {
    assert.deepEqual(analyse(''), []);
  });

  it('white space and comments only give no diagnostics', () => {
    assert.deepEqual(analyse('\n\n  // just a note\n/* and a block */\n'), []);
  });

  it('random bytes give a syntax error, not an exception', () => {
    const rnd = random(7);
    let text = '';
    for (let i = 0; i < 50_000; i++) text += String.fromCharCode(Math.floor(rnd() * 0xffff));
    assert.ok(codes(analyse(text)).includes('syntax-error'));
  });

  it('NUL characters and a byte-order mark are handled', () => {
    const ds = analyse('\uFEFFrole A\u0000\u0000 "x"\nkpi K { owner A }\n');
    assert.ok(codes(ds).includes('syntax-error'));
    assert.ok(codes(ds).includes('missing-target'), 'the declaration after the bad bytes is still checked');
  });

  it('unbalanced braces are reported and later declarations still checked', () => {
    const ds = analyse('kpi A { owner X\nkpi B { }\n}}}}\n{{{{\n');
    assert.ok(codes(ds).includes('syntax-error'));
    assert.ok(ds.some((d) => d.code === 'missing-owner' && d.line === 2));
  });

  it('deeply nested braces do not overflow the stack', () => {
    assert.ok(codes(analyse(`kpi A ${'{'.repeat(100_000)}${'}'.repeat(100_000)}`)).includes('syntax-error'));
  });

  it('an unterminated string and an unterminated comment are syntax errors', () => {
    assert.ok(codes(analyse('kpi A "no end\n{ }')).includes('syntax-error'));
    assert.ok(codes(analyse('kpi A { } /* never closed\n kpi B { }')).includes('syntax-error'));
  });

  it('huge numbers and long names are handled', () => {
    const ds = analyse(`kpi ${'N'.repeat(100_000)} { target >= ${'9'.repeat(400)} actual 2026-10 ${'9'.repeat(400)} }`);
    assert.ok(codes(ds).includes('syntax-error'));
  });

  it('a line of 1 MB is handled', () => {
    assert.ok(Array.isArray(analyse(`kpi A { outcome "${'x'.repeat(1_000_000)}" }`)));
  });

  it('a 5 MB file is analysed', function () {
    // The timeout guards against a hang, not against slowness: speed is
    // measured by the benchmark (`npm run bench`), and analysing 5 MB on a
    // loaded 2-core machine can take longer than mocha's default 20 s.
    this.timeout(120_000);
    const block = 'role R in F\nfunction F\nkpi K { outcome "o" owner R target >= 1 frequency monthly actual 2026-10 1 }\n';
    let text = '';
    for (let i = 0; text.length < 5_000_000; i++) text += block.replace(/\b([RFK])\b/g, `$1${i}`);
    const ds = analyse(text);
    assert.ok(ds.length > 0);
  });

  it('a file over 10 MB is not checked: one syntax error on its first line, and the editor features leave it alone', function () {
    this.timeout(120_000);
    const head = 'kpi K "A dump" { owner Nobody }\n';
    const text = head + 'x'.repeat(MAX_DOCUMENT_LENGTH);
    const ds = analyse(text);
    assert.deepEqual(ds.map((d) => [d.code, d.severity, d.line, d.column, d.endLine, d.endColumn]), [['syntax-error', 'error', 1, 1, 1, head.length]]);
    assert.match(ds[0]!.message, /^This file has 10\.0 MB of text, more than the 10\.0 MB a \.kpi file may have, so it is not checked; split it into smaller files\.$/);
    const workspace = createWorkspace({ root: '/ws', fs: new MemoryFileSystem({}), today: () => TODAY, files: [{ key: 'input.kpi', path: '/ws/input.kpi', text }] });
    const doc = workspace.getDocument('input.kpi')!;
    assert.deepEqual(doc.model.declarations, []);
    assert.deepEqual(foldingRanges(doc), []);
    assert.equal(formatDocument(text), undefined, 'not formatted');
    assert.deepEqual(documentSemanticTokens(workspace, doc), []);
    assert.equal(hover(workspace, doc, 5), undefined);
    assert.ok(Array.isArray(complete(workspace, doc, 5).items));
  });

  it('a file that grows over 10 MB and shrinks back is, at each step, what a fresh read of its text gives', function () {
    this.timeout(120_000);
    const small = 'role R "R"\nkpi K "K" { owner R }\n';
    const large = small + '// ' + 'y'.repeat(MAX_DOCUMENT_LENGTH) + '\n';
    const workspace = createWorkspace({ root: '/ws', fs: new MemoryFileSystem({}), today: () => TODAY, files: [{ key: 'input.kpi', path: '/ws/input.kpi', text: small }] });
    const fresh = (text: string) => createWorkspace({ root: '/ws', fs: new MemoryFileSystem({}), today: () => TODAY, files: [{ key: 'input.kpi', path: '/ws/input.kpi', text }] }).diagnostics('input.kpi');
    const steps: [string, { start: number; end: number; newLength: number }][] = [
      [large, { start: small.length, end: small.length, newLength: large.length - small.length }],
      [large + 'role S\n', { start: large.length, end: large.length, newLength: 7 }],
      [small, { start: small.length, end: large.length + 7, newLength: 0 }],
    ];
    for (const [version, [text, change]] of steps.entries()) {
      const doc = workspace.setDocument('input.kpi', text, version + 1, '/ws/input.kpi', change);
      workspace.analyze();
      assert.equal(doc.model.declarations.length, text === small ? 2 : 0);
      assert.deepEqual(workspace.diagnostics('input.kpi'), fresh(text), `step ${version + 1}`);
    }
  });

  it('a .kpirc.json that is not JSON is reported and the defaults apply', () => {
    const ds = analyse('kpi K { }', { config: '{ "rules": ' });
    assert.ok(ds.some((d) => d.code === 'bad-config' && d.file === '.kpirc.json' && d.line === 1 && d.column === 1));
    assert.ok(codes(ds).includes('missing-owner'));
  });

  it('a CSV with garbage rows is one bad-data-file and its good rows count', () => {
    const csv = 'period,value\n2026-10,12\nnot a row\n2026-13,4\n=cmd|calc,1\n\u0000\u0001,2\n';
    const ds = analyse('kpi K { owner R target >= 10 frequency monthly data "d.csv" }\nrole R', { files: { '/ws/d.csv': csv } });
    const bad = ds.filter((d) => d.code === 'bad-data-file');
    assert.equal(bad.length, 1);
    assert.match(bad[0]!.message, /4 malformed rows; the first is line 3/);
    assert.ok(!codes(ds).includes('no-data'), 'the good row counts as an actual');
  });

  it('data paths may not leave the workspace', () => {
    for (const written of ['../outside.csv', '/etc/passwd', 'a/../../x.csv']) {
      const ds = analyse(`kpi K { data "${written}" }`, { files: { '/outside.csv': 'period,value\n' } });
      const bad = ds.find((d) => d.code === 'bad-data-file');
      assert.ok(bad, written);
      assert.match(bad.message, /outside the workspace|absolute/);
    }
  });

  it('a symlink that leads out of the workspace is not followed', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-link-'));
    try {
      const root = path.join(base, 'ws');
      fs.mkdirSync(root);
      fs.writeFileSync(path.join(base, 'secret.csv'), 'period,value\n2026-10,1\n');
      fs.symlinkSync(path.join(base, 'secret.csv'), path.join(root, 'link.csv'));
      fs.symlinkSync(base, path.join(root, 'up'));
      for (const written of ['link.csv', 'up/secret.csv']) {
        const text = `kpi K { data "${written}" }`;
        const ws = createWorkspace({ root, fs: nodeFileSystem, today: () => TODAY, files: [{ key: 'k.kpi', path: path.join(root, 'k.kpi'), text }] });
        const bad = allDiagnostics(ws).find((d) => d.code === 'bad-data-file');
        assert.ok(bad, written);
        assert.match(bad.message, /outside the workspace/);
      }
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
