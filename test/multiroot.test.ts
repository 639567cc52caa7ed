// A multi-root workspace through the real protocol (dist/server.cjs over
// stdio) and the panel's own decisions (client/src/preview/logic.ts): two
// open folders, alpha and beta, each declaring `kpi OnTime` and its own roles
// (the fixture the e2e test opens in code-server, test/e2e/fixtures/multiroot).
// What the panel asks for — the active file's folder, the folder chosen, a
// clicked card's file, "Open in scorecard" — reaches the right folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver';
import { chooseFolder, DEFAULT_VIEW, followDocument, requestParams, revealContext, showDocument, type FolderInfo } from '../client/src/preview/logic';
import { ResolveFileRequest, ScorecardRequest, type KpiInitializationOptions, type ScorecardParams } from '../server/src/protocol';
import { assertBuilt, codes, endSession, LspClient, REPO, SERVER, uriOf } from './support/lsp';

const FIXTURE = path.join(REPO, 'test', 'e2e', 'fixtures', 'multiroot');
const ALPHA_TITLE = 'Alpha deliveries on time';
const BETA_TITLE = 'Beta replies on time';

describe('a multi-root workspace over the protocol (dist/server.cjs, folders alpha and beta)', function () {
  let root: string | undefined;
  let client: LspClient | undefined;
  let folders: FolderInfo[];
  const uri = (name: string) => uriOf(path.join(root!, name));

  before(() => assertBuilt(SERVER));

  beforeEach(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-multiroot-')));
    fs.cpSync(FIXTURE, root, { recursive: true });
    // As VS Code names them: the folder's URI without a trailing slash, and its name.
    folders = ['alpha', 'beta'].map((name) => ({ uri: uriOf(path.join(root!, name)), name }));
    client = new LspClient();
    const options: KpiInitializationOptions = { kpiExtension: true };
    await client.initialize(
      folders.map((folder) => path.join(root!, folder.name)),
      options,
    );
  });

  afterEach(async () => {
    await endSession(client, root);
    client = root = undefined;
  });

  const titles = async (params: ScorecardParams) => (await client!.send(ScorecardRequest, params)).kpis.map((k) => k.title);

  it('checks each folder against itself: one unlinked-kpi warning each, no duplicate-name, no unknown-reference', async () => {
    for (const name of ['alpha/kpis.kpi', 'beta/kpis.kpi']) {
      const published = await client!.waitForDiagnostics(uri(name));
      assert.deepEqual(codes(published), ['unlinked-kpi'], name);
    }
    for (const name of ['alpha/org.kpi', 'beta/org.kpi']) assert.deepEqual(codes(await client!.waitForDiagnostics(uri(name))), [], name);
  });

  it('kpi/scorecard answers the folder the panel asks for: the active file’s, the one chosen, the first by default', async () => {
    await client!.waitForDiagnostics(uri('beta/kpis.kpi'));
    const beta = followDocument(DEFAULT_VIEW, uri('beta/kpis.kpi'), 'kpi', folders);
    assert.deepEqual(requestParams(beta, folders), { scope: 'workspace', folder: folders[1]!.uri });
    assert.deepEqual(await titles(requestParams(beta, folders)), [BETA_TITLE]);
    const alpha = followDocument(beta, uri('alpha/kpis.kpi'), 'kpi', folders);
    assert.deepEqual(await titles(requestParams(alpha, folders)), [ALPHA_TITLE]);
    // Beta chosen while alpha's file is active.
    assert.deepEqual(await titles(requestParams(chooseFolder(alpha, folders[1]!.uri), folders)), [BETA_TITLE]);
    // File scope: the file of beta, with what it lists from beta only.
    assert.deepEqual(await titles(requestParams({ ...beta, scope: 'file' }, folders)), [BETA_TITLE]);
    // The protocol's own rules: a document's folder, a named folder winning over it, else the first folder.
    assert.deepEqual(await titles({ scope: 'workspace', uri: uri('beta/org.kpi') }), [BETA_TITLE]);
    assert.deepEqual(await titles({ scope: 'workspace', uri: uri('beta/kpis.kpi'), folder: folders[0]!.uri }), [ALPHA_TITLE]);
    assert.deepEqual(await titles({ scope: 'workspace' }), [ALPHA_TITLE]);
  });

  it('kpi/resolveFile finds a clicked card’s file in the folder shown (a folder or a document of it), else in the first', async () => {
    await client!.waitForDiagnostics(uri('beta/kpis.kpi'));
    const shown = requestParams(followDocument(DEFAULT_VIEW, uri('beta/org.kpi'), 'kpi', folders), folders);
    assert.equal(await client!.send(ResolveFileRequest, { file: 'kpis.kpi', uri: revealContext(shown)! }), uri('beta/kpis.kpi'));
    assert.equal(await client!.send(ResolveFileRequest, { file: 'kpis.kpi', uri: revealContext({ scope: 'file', uri: uri('beta/org.kpi') })! }), uri('beta/kpis.kpi'));
    assert.equal(await client!.send(ResolveFileRequest, { file: 'kpis.kpi', uri: folders[0]!.uri }), uri('alpha/kpis.kpi'));
    assert.equal(await client!.send(ResolveFileRequest, { file: 'kpis.kpi' }), uri('alpha/kpis.kpi'));
    assert.equal(await client!.send(ResolveFileRequest, { file: 'missing.kpi', uri: folders[1]!.uri }), null);
  });

  it('code lenses work in every folder, and "Open in scorecard" names the document, so the panel shows its folder', async () => {
    await client!.waitForDiagnostics(uri('beta/kpis.kpi'));
    for (const folder of folders) {
      const document = `${folder.uri}/kpis.kpi`;
      const lenses = await client!.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: document } });
      const open = lenses.find((lens) => lens.command?.command === 'kpi.openScorecard');
      assert.ok(open, `${folder.name}: an "Open in scorecard" lens among ${lenses.map((l) => l.command?.title).join(', ')}`);
      assert.deepEqual(open.command!.arguments, [document, 'OnTime']);
      // What the command does with it: show that document's folder, even when another folder was chosen.
      const chosenElsewhere = chooseFolder(followDocument(DEFAULT_VIEW, document, 'kpi', folders), folders.find((f) => f !== folder)!.uri);
      const params = requestParams(showDocument(chosenElsewhere, document, folders), folders);
      assert.deepEqual(await titles(params), [folder.name === 'alpha' ? ALPHA_TITLE : BETA_TITLE]);
    }
  });
});
