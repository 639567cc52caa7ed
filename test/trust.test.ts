// Workspace Trust (docs/security.md): in an untrusted workspace the server runs
// in limited mode — the .kpi files are checked, no data file is ever touched,
// and each KPI with a `data` line has the status no-data and one
// `data-not-read` note. Editors that say nothing about trust get full mode.
import * as assert from 'node:assert/strict';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { codeLenses, documentLinks, inlayHints } from '../server/src/language/features/annotations';
import { hover } from '../server/src/language/features/hover';
import { parseDate } from '../server/src/language/model/periods';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { allDiagnostics, createWorkspace } from '../server/src/language/service';
import type { FileSystem } from '../server/src/language/workspace/data';
import type { ServerInfo } from '../server/src/protocol';
import { codes, endSession, LspClient, ORG, removeWorkspace, tempWorkspace, uriOf } from './support/lsp';
import { MemoryFileSystem } from './support/memory-fs';

const TODAY = parseDate('2026-11-22')!;

/** Green from its data file, red from its old `actual` line alone. */
const KPIS = `kpi Revenue "Revenue" {
  outcome   "Revenue grows"
  owner     Analyst
  why       "It pays the bills"
  target    >= 20
  frequency monthly
  actual    2025-01 3
  data      "data/revenue.csv"
}
`;
const CSV = 'period,value\n2026-10,25\n';
/** The codes that depend on measured values; the KPI above is also unlinked, which does not matter here. */
const DATA_CODES = ['bad-data-file', 'data-not-read', 'joint-review', 'no-data', 'stale-data'];
const dataCodes = (found: string[]) => found.filter((c) => DATA_CODES.includes(c));

/** A FileSystem that records every call: limited mode must make none. */
class RecordingFileSystem implements FileSystem {
  readonly calls: string[] = [];
  private readonly inner = new MemoryFileSystem({ '/ws/data/revenue.csv': CSV });
  realPath(file: string) {
    this.calls.push(`realPath ${file}`);
    return this.inner.realPath(file);
  }
  stat(file: string) {
    this.calls.push(`stat ${file}`);
    return this.inner.stat(file);
  }
  readFile(file: string) {
    this.calls.push(`readFile ${file}`);
    return this.inner.readFile(file);
  }
}

function workspace(readDataFiles: boolean, fs: FileSystem) {
  return createWorkspace({
    root: '/ws',
    fs,
    today: () => TODAY,
    readDataFiles,
    files: [
      { key: 'kpis.kpi', path: '/ws/kpis.kpi', text: KPIS },
      { key: 'org.kpi', path: '/ws/org.kpi', text: ORG },
    ],
  });
}

describe('workspace trust', () => {
  describe('the core in limited mode', () => {
    it('touches no data file, whatever the editor asks for', () => {
      const fs = new RecordingFileSystem();
      const ws = workspace(false, fs);
      const doc = ws.getDocument('kpis.kpi')!;
      allDiagnostics(ws);
      hover(ws, doc, KPIS.indexOf('Revenue'));
      codeLenses(ws, doc);
      inlayHints(ws, doc, { start: 0, end: KPIS.length }, { ownerFunction: true, status: true });
      const links = documentLinks(ws, doc);
      buildScorecardModel(ws, { kind: 'workspace' });
      assert.deepEqual(fs.calls, []);
      // The link still opens the file, by the path as written.
      assert.deepEqual(links.map((l) => l.target), ['/ws/data/revenue.csv']);
    });

    it('gives a kpi with a data line the status no-data and one note, not guesses from its actual lines', () => {
      const ws = workspace(false, new RecordingFileSystem());
      const found = allDiagnostics(ws).filter((d) => d.file === 'kpis.kpi' && DATA_CODES.includes(d.code));
      assert.deepEqual(
        found.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`),
        ['8:13 information data-not-read'],
        'no stale-data from the 2025 actual, no no-data, no bad-data-file',
      );
      assert.match(found[0]!.message, /not read because this workspace is not trusted/);
      const card = buildScorecardModel(ws, { kind: 'workspace' }).kpis.find((k) => k.name === 'Revenue')!;
      assert.equal(card.status, 'no-data');
      assert.equal(card.latest, undefined);
      assert.match(card.statusReason, /not read because the workspace is not trusted/);
    });

    it('reads the data file in full mode (the default)', () => {
      const fs = new RecordingFileSystem();
      const ws = workspace(true, fs);
      assert.deepEqual(dataCodes(allDiagnostics(ws).filter((d) => d.file === 'kpis.kpi').map((d) => d.code)), []);
      assert.ok(fs.calls.includes('readFile /ws/data/revenue.csv'), fs.calls.join('\n'));
      assert.equal(buildScorecardModel(ws, { kind: 'workspace' }).kpis.find((k) => k.name === 'Revenue')!.status, 'green');
    });
  });

  describe('the language server', () => {
    let root: string | undefined;
    let client: LspClient | undefined;

    afterEach(async () => {
      await endSession(client, root);
      client = root = undefined;
    });

    async function start(initializationOptions?: unknown): Promise<LspClient> {
      root = tempWorkspace({ 'org.kpi': ORG, 'kpis.kpi': KPIS, 'data/revenue.csv': CSV });
      client = new LspClient();
      await client.initialize(root, initializationOptions);
      return client;
    }

    it('runs in limited mode when the extension says the workspace is untrusted; the folder is still scanned', async () => {
      const c = await start({ kpiExtension: true, workspaceTrusted: false });
      // Analyst comes from org.kpi, never opened: the folder's .kpi files are read.
      const published = await c.waitForDiagnostics(uriOf(`${root}/kpis.kpi`));
      assert.deepEqual(dataCodes(codes(published)), ['data-not-read']);
      assert.equal(published.diagnostics.find((d) => d.code === 'data-not-read')!.severity, 3, 'information');
      assert.ok(!codes(published).includes('unknown-reference'));
      assert.equal((await c.request<ServerInfo>('kpi/serverInfo', undefined)).readsDataFiles, false);
      assert.ok(c.logs.some((l) => /not trusted: data files are not read/.test(l)), c.logs.join('\n'));

      // Single-file checks still work on an open document.
      const uri = uriOf(`${root}/kpis.kpi`);
      await c.open(uri, KPIS.replace('  owner     Analyst\n', ''), 1);
      const edited = await c.waitForDiagnostics(uri, (p: PublishDiagnosticsParams) => p.version === 1);
      assert.deepEqual(codes(edited).filter((c) => c !== 'unlinked-kpi'), ['data-not-read', 'missing-owner']);
    });

    it('keeps full mode for editors that send no initialization options, and when trusted', async () => {
      for (const options of [undefined, { kpiExtension: true, workspaceTrusted: true }]) {
        const c = await start(options);
        const published = await c.waitForDiagnostics(uriOf(`${root}/kpis.kpi`));
        assert.deepEqual(dataCodes(codes(published)), [], JSON.stringify(options));
        const info = await c.request<ServerInfo>('kpi/serverInfo', undefined);
        assert.equal(info.readsDataFiles, true);
        assert.equal(typeof info.pid, 'number');
        await c.shutdown();
        client = undefined;
        removeWorkspace(root);
        root = undefined;
      }
    });
  });
});
