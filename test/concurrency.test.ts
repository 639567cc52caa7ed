// Messages in awkward orders, through the real protocol (the bundled server
// over stdio): rapid edits sent without waiting, requests for documents the
// server does not have, edits that arrive while the first scan of a large
// folder runs, a change for a document nobody opened, and cancelled requests.
// Each is answered correctly or with a proper LSP error; the server neither
// crashes nor hangs, and it never publishes an older version after a newer one.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CancellationTokenSource, ResponseError } from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { generateWorkspace } from '../bench/generate';
import { parseDate } from '../server/src/language/model/periods';
import { allDiagnostics, createWorkspace } from '../server/src/language/service';
import { nodeFileSystem, readText } from '../server/src/node/files';
import { describeDiagnostic, endSession, LspClient, ORG, positionAt, removeWorkspace, tempWorkspace, TODAY, uriOf, writeFiles } from './support/lsp';
import { random } from './support/random';

const KPI = `kpi LeadLogTime "Lead logged within 2 hours" {
  outcome   "Every lead is logged within 2 hours"
  owner     Analyst
  why       "Fast follow-up wins deals"
  target    <= 2
  frequency weekly
  actual    2026-W47 1.5
}
`;

/** JSON-RPC's code for a cancelled request. */
const REQUEST_CANCELLED = -32800;
/** JSON-RPC's code for an exception inside a handler: never a proper answer. */
const INTERNAL_ERROR = -32603;

/** What a fresh analysis of the files `keys` on disk and `overrides` (key → editor text) reports for `key`. */
function expectedDiagnostics(root: string, keys: string[], overrides: Record<string, string>, key: string): string[] {
  const today = parseDate(TODAY)!;
  const all = [...new Set([...keys, ...Object.keys(overrides)])];
  const files = all.map((k) => ({ key: k, path: path.join(root, k), text: overrides[k] ?? readText(path.join(root, k))! }));
  const ws = createWorkspace({ root, fs: nodeFileSystem, today: () => today, files });
  return allDiagnostics(ws)
    .filter((d) => d.file === key)
    .map((d) => `${d.line - 1}:${d.column - 1}-${d.endLine - 1}:${d.endColumn - 1} ${d.code}`)
    .sort();
}

function published(params: PublishDiagnosticsParams): string[] {
  return params.diagnostics.map(describeDiagnostic).sort();
}

/** Applies one LSP content change to `text`, as the server's TextDocument does. */
function applyChange(text: string, change: TextDocumentContentChangeEvent): string {
  if (!('range' in change)) return change.text;
  const offset = (p: { line: number; character: number }) => {
    let at = 0;
    for (let line = 0; line < p.line; line++) at = text.indexOf('\n', at) + 1;
    return at + p.character;
  };
  return text.slice(0, offset(change.range.start)) + change.text + text.slice(offset(change.range.end));
}

function rangeAt(text: string, start: number, end: number): Range {
  return { start: positionAt(text, start), end: positionAt(text, end) };
}

/**
 * Opens a small document and waits for its diagnostics: every analysis batch
 * that started before is finished then, so whatever the server was going to
 * publish for earlier messages has been published.
 */
async function barrier(c: LspClient, root: string, name = 'barrier'): Promise<void> {
  const uri = uriOf(path.join(root, `${name}.kpi`));
  await c.open(uri, `role ${name[0]!.toUpperCase()}${name.slice(1)} "Barrier"\n`, 1);
  await c.waitForDiagnostics(uri, (p) => p.version === 1);
}

/** Versions published for `uri`, in order; unversioned (disk) sets as 0. */
function versions(c: LspClient, uri: string): number[] {
  return c.history.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
}

function assertNonDecreasing(list: number[], what: string): void {
  for (let i = 1; i < list.length; i++) assert.ok(list[i]! >= list[i - 1]!, `${what}: version ${list[i]} published after ${list[i - 1]} (${list.join(', ')})`);
}

describe('concurrency and odd message orders', () => {
  let root: string | undefined;
  let client: LspClient | undefined;

  afterEach(async () => {
    await endSession(client, root);
    client = root = undefined;
  });

  async function start(files: Record<string, string>): Promise<LspClient> {
    root = tempWorkspace(files);
    client = new LspClient();
    await client.initialize(root);
    return client;
  }

  it('rapid edits sent without waiting: the last version is published last, with the diagnostics of the last text', async () => {
    const c = await start({ 'org.kpi': ORG });
    const uri = uriOf(path.join(root!, 'kpis.kpi'));
    let text = KPI;
    await c.open(uri, text, 1);
    const rnd = random(42);
    const pieces = ['owner     Analyst\n', '  owner Spare\n', 'kpi X {\n', '}\n', '"', '// note\n', 'target >= 3\n', 'Analyst', '\n'];
    const sends: Promise<void>[] = [];
    let version = 1;
    for (let i = 0; i < 60; i++) {
      let change: TextDocumentContentChangeEvent;
      if (i % 20 === 19) {
        change = { text: i === 59 ? KPI.replace('  owner     Analyst\n', '') : text + pieces[i % pieces.length]! };
      } else {
        const start = Math.floor(rnd() * (text.length + 1));
        const end = Math.min(text.length, start + Math.floor(rnd() * 12));
        const insert = rnd() < 0.5 ? pieces[Math.floor(rnd() * pieces.length)]! : '';
        change = { range: rangeAt(text, start, end), text: insert };
      }
      text = applyChange(text, change);
      // Not awaited one by one: they go out back to back.
      sends.push(c.change(uri, ++version, [change]));
    }
    await Promise.all(sends);
    const last = await c.waitForDiagnostics(uri, (p) => p.version === version);
    assert.deepEqual(published(last), expectedDiagnostics(root!, ['org.kpi'], { 'kpis.kpi': text }, 'kpis.kpi'));
    assert.ok(published(last).some((d) => d.endsWith('missing-owner')), 'the final text lacks the owner');

    await barrier(c, root!);
    assertNonDecreasing(versions(c, uri), 'kpis.kpi');
    assert.equal(c.diagnostics.get(uri)!.version, version, 'nothing was published after the final version');
    assert.deepEqual(c.logs.filter((l) => /error/i.test(l)), [], 'the server logged an error');
  });

  it('several changes in one notification and requests in between see the latest text', async () => {
    const c = await start({ 'org.kpi': ORG });
    const uri = uriOf(path.join(root!, 'kpis.kpi'));
    await c.open(uri, KPI, 1);
    // Three lines on top, in two changes of one notification.
    const header = '// one\n// two\n';
    await c.change(uri, 2, [
      { range: rangeAt(KPI, 0, 0), text: header },
      { range: rangeAt(header + KPI, 0, 0), text: '// zero\n' },
    ]);
    const text = `// zero\n${header}${KPI}`;
    // Asked before any diagnostics come back: `Analyst` is now on line 5.
    const at = positionAt(text, text.indexOf('Analyst') + 2);
    assert.equal(at.line, 5);
    const target = await c.request<{ uri: string; range: Range } | null>('textDocument/definition', { textDocument: { uri }, position: at });
    assert.equal(target?.uri, uriOf(path.join(root!, 'org.kpi')));
    const symbols = await c.request<{ name: string; range: Range }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => [s.name, s.range.start.line]), [['LeadLogTime', 3]]);
    // A position past the end (a request computed on an older, longer text) is no crash.
    const beyond = await c.request<unknown>('textDocument/hover', { textDocument: { uri }, position: { line: 999, character: 999 } });
    assert.ok(beyond === null || typeof beyond === 'object');
    const diagnostics = await c.waitForDiagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(published(diagnostics), expectedDiagnostics(root!, ['org.kpi'], { 'kpis.kpi': text }, 'kpis.kpi'));
  });

  it('a reversed range among several changes is applied in order, like the editor applies it', async () => {
    // A range whose start comes after its end is legal input: the document manager puts it in order, and the
    // range handed to the incremental parse must too (else the first declaration is kept as it was).
    const text = 'function Sales "Sales"\nrole Analyst "Analyst" in Sales\nrole Spare "Spare role" in Sales\nrole Other "Other role" in Sales\n';
    const from = text.indexOf('Sales');
    const to = text.indexOf('role Other');
    const replacement = `Salez${text.slice(from + 5, to)}`;
    const final = text.slice(0, from) + replacement + text.slice(to);
    const c = await start({});
    const uri = uriOf(path.join(root!, 'org.kpi'));
    await c.open(uri, text, 1);
    await c.waitForDiagnostics(uri, (p) => p.version === 1);
    await c.change(uri, 2, [
      { range: rangeAt(text, text.length, text.length), text: '' },
      { range: { start: positionAt(text, to), end: positionAt(text, from) }, text: replacement },
    ]);
    const diagnostics = await c.waitForDiagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(published(diagnostics), expectedDiagnostics(root!, [], { 'org.kpi': final }, 'org.kpi'));
  });

  describe('requests for documents the server does not have', () => {
    const position = { line: 2, character: 14 };
    const range = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    const requests: [string, (uri: string) => unknown][] = [
      ['textDocument/hover', (uri) => ({ textDocument: { uri }, position })],
      ['textDocument/completion', (uri) => ({ textDocument: { uri }, position })],
      ['textDocument/definition', (uri) => ({ textDocument: { uri }, position })],
      ['textDocument/references', (uri) => ({ textDocument: { uri }, position, context: { includeDeclaration: true } })],
      ['textDocument/documentHighlight', (uri) => ({ textDocument: { uri }, position })],
      ['textDocument/prepareRename', (uri) => ({ textDocument: { uri }, position })],
      ['textDocument/rename', (uri) => ({ textDocument: { uri }, position, newName: 'Renamed' })],
      ['textDocument/formatting', (uri) => ({ textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })],
      ['textDocument/rangeFormatting', (uri) => ({ textDocument: { uri }, range, options: { tabSize: 2, insertSpaces: true } })],
      ['textDocument/documentSymbol', (uri) => ({ textDocument: { uri } })],
      ['textDocument/semanticTokens/full', (uri) => ({ textDocument: { uri } })],
      ['textDocument/semanticTokens/range', (uri) => ({ textDocument: { uri }, range })],
      ['textDocument/codeAction', (uri) => ({ textDocument: { uri }, range, context: { diagnostics: [] } })],
      ['textDocument/codeLens', (uri) => ({ textDocument: { uri } })],
      ['textDocument/inlayHint', (uri) => ({ textDocument: { uri }, range })],
      ['textDocument/foldingRange', (uri) => ({ textDocument: { uri } })],
      ['textDocument/documentLink', (uri) => ({ textDocument: { uri } })],
    ];

    /** Null, an empty list or empty tokens — or a ResponseError that is not an internal error. */
    async function assertEmptyAnswers(c: LspClient, uri: string): Promise<void> {
      for (const [method, params] of requests) {
        let result: unknown;
        try {
          result = await c.request<unknown>(method, params(uri));
        } catch (error) {
          assert.ok(error instanceof ResponseError, `${method} for ${uri}: ${String(error)}`);
          assert.notEqual(error.code, INTERNAL_ERROR, `${method} for ${uri}: ${error.message}`);
          continue;
        }
        const empty = result === null || (Array.isArray(result) && result.length === 0) || (method.includes('semanticTokens') && (result as { data: number[] }).data.length === 0);
        assert.ok(empty, `${method} for ${uri} answered ${JSON.stringify(result)}`);
      }
    }

    it('a document never opened and not on disk, or with an odd URI', async () => {
      const c = await start({ 'org.kpi': ORG });
      for (const uri of [uriOf(path.join(root!, 'never-opened.kpi')), 'file:///nowhere/at/all.kpi', 'untitled:Untitled-7', 'kpi-virtual:/x.kpi', 'file:///bad%ZZ.kpi']) {
        await assertEmptyAnswers(c, uri);
      }
      // A close for a file of the folder that was never opened changes nothing.
      const org = uriOf(path.join(root!, 'org.kpi'));
      await c.close(org);
      // Still alive and answering for a real document.
      const known = await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: org } });
      assert.equal(known.length, 3);
      assert.deepEqual(c.logs.filter((l) => /error/i.test(l)), [], 'the server logged an error');
    });

    it('a document just closed: an untitled one and one from outside the folder', async () => {
      const c = await start({ 'org.kpi': ORG });
      const outside = tempWorkspace({});
      try {
        for (const uri of ['untitled:Untitled-3', uriOf(path.join(outside, 'elsewhere.kpi'))]) {
          await c.open(uri, KPI, 1);
          await c.waitForDiagnostics(uri, (p) => p.version === 1);
          await c.close(uri);
          // No waiting: the requests follow the close at once.
          await assertEmptyAnswers(c, uri);
          const cleared = await c.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
          assert.equal(cleared.version, undefined);
        }
        assert.deepEqual(c.logs.filter((l) => /error/i.test(l)), [], 'the server logged an error');
      } finally {
        removeWorkspace(outside);
      }
    });

    it('a file of the folder just closed is answered from its disk text', async () => {
      const c = await start({ 'org.kpi': ORG, 'kpis.kpi': KPI });
      const uri = uriOf(path.join(root!, 'kpis.kpi'));
      await c.open(uri, `// editor only\n${KPI}`, 1);
      await c.close(uri);
      const symbols = await c.request<{ name: string; range: Range }[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(symbols.map((s) => [s.name, s.range.start.line]), [['LeadLogTime', 0]], 'the disk text, not the closed editor text');
    });
  });

  it('didOpen and didChange right after initialized, while a large folder is scanned: the editor text wins', async () => {
    const generated = generateWorkspace(200, 100);
    root = tempWorkspace({});
    writeFiles(root, Object.fromEntries(generated.map((f) => [f.key, f.text])));
    const keys = generated.map((f) => f.key);
    const key = keys[100]!;
    const disk = generated[100]!.text;
    const uri = uriOf(path.join(root, key));
    const otherKey = keys[150]!;
    const otherUri = uriOf(path.join(root, otherKey));

    client = new LspClient();
    const c = client;
    await c.initialize(root);
    // Straight after `initialized`, in the same burst: the scan reads these files from disk meanwhile.
    const opened = `// opened in the editor\n${disk}`;
    const ownerLine = opened.indexOf('  owner', opened.indexOf('\nkpi '));
    const edited = opened.slice(0, ownerLine) + opened.slice(opened.indexOf('\n', ownerLine) + 1);
    await Promise.all([
      c.open(uri, opened, 1),
      c.change(uri, 2, [{ range: rangeAt(opened, ownerLine, opened.indexOf('\n', ownerLine) + 1), text: '' }]),
      // A change for a file of the folder that nobody opened: ignored, the disk text stays.
      c.change(otherUri, 5, [{ text: 'kpi Garbage {{{' }]),
    ]);

    const final = await c.waitForDiagnostics(uri, (p) => p.version === 2, 60_000);
    assert.deepEqual(published(final), expectedDiagnostics(root, keys, { [key]: edited }, key));
    assert.ok(published(final).some((d) => d.endsWith('missing-owner')), 'the editor text (without an owner) was checked, not the disk text');

    const other = await c.waitForDiagnostics(otherUri, () => true, 60_000);
    await barrier(c, root);
    assert.deepEqual(published(c.diagnostics.get(otherUri)!), expectedDiagnostics(root, keys, {}, otherKey));
    assert.equal(other.version, undefined, 'a file nobody opened is published without a version');
    // Once the editor's version is out, nothing older (the disk text) follows.
    const seen = versions(c, uri);
    assertNonDecreasing(seen, key);
    assert.equal(seen[seen.length - 1], 2);
    assert.deepEqual(c.logs.filter((l) => /error/i.test(l)), [], 'the server logged an error');
  });

  it('the disk file of an open document changes under unsaved edits: the editor text wins until it is closed', async () => {
    const c = await start({ 'org.kpi': ORG, 'kpis.kpi': KPI });
    const file = path.join(root!, 'kpis.kpi');
    const uri = uriOf(file);
    const unsaved = KPI.replace('  owner     Analyst\n', '');
    await c.open(uri, unsaved, 1);
    await c.waitForDiagnostics(uri, (p) => p.version === 1);
    // A checkout rewrites the file while the editor holds unsaved edits.
    const checkedOut = KPI.replace('LeadLogTime', 'CheckedOut');
    writeFiles(root!, { 'kpis.kpi': checkedOut });
    await c.watchedFilesChanged([{ uri, type: 2 }]);
    await barrier(c, root!);
    const current = c.diagnostics.get(uri)!;
    assert.equal(current.version, 1);
    assert.deepEqual(published(current), expectedDiagnostics(root!, ['org.kpi'], { 'kpis.kpi': unsaved }, 'kpis.kpi'));
    // Closed without saving: the file on disk is the truth again.
    await c.close(uri);
    const reverted = await c.waitForDiagnostics(uri, (p) => p.version === undefined);
    assert.deepEqual(published(reverted), expectedDiagnostics(root!, ['org.kpi', 'kpis.kpi'], {}, 'kpis.kpi'));
    const symbols = await c.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => s.name), ['CheckedOut']);
  });

  it('a cancelled request gets a result or RequestCancelled, and the server goes on', async () => {
    const generated = generateWorkspace(40, 100);
    const c = await start(Object.fromEntries(generated.map((f) => [f.key, f.text])));
    const uri = uriOf(path.join(root!, generated[0]!.key));
    await c.waitForDiagnostics(uri);
    const text = generated[0]!.text;
    const position = positionAt(text, text.indexOf('role ') + 6);
    // Either answer is right (LSP); the server skips the work when the cancel
    // arrives before it starts, which is what happens when it is read first.
    for (const [method, params] of [
      ['textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } }],
      ['workspace/symbol', { query: '' }],
      ['textDocument/rename', { textDocument: { uri }, position, newName: 'Renamed' }],
      ['kpi/scorecard', { scope: 'workspace' }],
    ] as const) {
      const source = new CancellationTokenSource();
      const answer = c.request<unknown>(method, params, source.token);
      source.cancel(); // goes out right behind the request
      try {
        const result = await answer;
        assert.ok(result !== undefined, `${method} answered`);
      } catch (error) {
        assert.ok(error instanceof ResponseError, `${method}: ${String(error)}`);
        assert.equal(error.code, REQUEST_CANCELLED, `${method}: ${error.message}`);
      }
    }
    // Not cancelled: answered in full.
    const refs = await c.request<unknown[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
    assert.ok(refs.length > 1);
    assert.deepEqual(c.logs.filter((l) => /error/i.test(l)), [], 'the server logged an error');
  });
});
