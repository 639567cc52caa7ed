// The language server in this process: createServer over in-memory streams
// and a MemoryFileSystem (test/support/in-process.ts), spoken to by the same
// LspClient as the stdio tests (protocol.test.ts and others run the bundle).
// Also the pieces the server is made of: the document store's edit ranges and
// the pinned date.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InitializeResult, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { todayFrom } from '../server/src/language/model/periods';
import { applyChanges } from '../server/src/openDocuments';
import { ModelChangedNotification, ResolveFileRequest, ScorecardRequest, ScorecardUpdateRequest, ServerInfoRequest, type ScorecardParams } from '../server/src/protocol';
import { modelAfter } from '../client/src/preview/logic';
import { todayFromEnvironment } from '../server/src/server';
import { inProcessClient, MEMORY_ROOT } from './support/in-process';
import { codes, hasCode, lacksCode, type LspClient, rangeOf, TODAY } from './support/lsp';

/** One role, unused until a KPI names it as its owner. */
const ORG = `function Sales "Sales"
role Spare "Spare role" in Sales
`;

const USES_SPARE = `kpi Coverage "Shifts covered" {
  outcome   "Every shift has someone on it"
  owner     Spare
  why       "Customers wait otherwise"
  target    >= 95
  frequency weekly
}
`;

const uri = (name: string) => `file://${MEMORY_ROOT}/${name}`;

describe('language server in process (createServer)', () => {
  it('the language client and the language server use one copy of vscode-languageserver-protocol (the shared messages are typed against it)', () => {
    const require = createRequire(import.meta.url);
    const protocolOf = (pkg: string) => createRequire(require.resolve(`${pkg}/node`)).resolve('vscode-languageserver-protocol');
    assert.equal(protocolOf('vscode-languageclient'), protocolOf('vscode-languageserver'), 'two copies: align the versions (npm ls vscode-languageserver-protocol)');
    assert.equal(protocolOf('vscode-languageserver'), require.resolve('vscode-languageserver-protocol'), 'server/src/protocol.ts imports another copy than the server');
  });

  describe('the changed range of a didChange batch (what the core re-parses)', () => {
    const TEXT = 'abc\ndef\nghi\n';
    const at = (line: number, character: number) => ({ line, character });
    function apply(changes: TextDocumentContentChangeEvent[]) {
      const { document, change } = applyChanges(TextDocument.create('file:///a.kpi', 'kpi', 1, TEXT), changes, 2);
      return { text: document.getText(), version: document.version, change };
    }

    it('one insertion replaces nothing and adds its length', () => {
      assert.deepEqual(apply([{ range: { start: at(1, 1), end: at(1, 1) }, text: 'XY' }]), { text: 'abc\ndXYef\nghi\n', version: 2, change: { start: 5, end: 5, newLength: 2 } });
    });

    it('several changes, each in the text the one before left: one range from the earliest start to the latest end', () => {
      // The second range is in the text after the first: line 0 is then "aZc".
      const result = apply([
        { range: { start: at(2, 0), end: at(2, 3) }, text: 'G' },
        { range: { start: at(0, 1), end: at(0, 2) }, text: 'Z' },
      ]);
      assert.equal(result.text, 'aZc\ndef\nG\n');
      // Old text [1, 11) ("bc\ndef\nghi") became "Zc\ndef\nG" (8 characters).
      assert.deepEqual(result.change, { start: 1, end: 11, newLength: 8 });
    });

    it('a reversed range is put in order, as the editor applies it', () => {
      assert.deepEqual(apply([{ range: { start: at(1, 3), end: at(1, 0) }, text: 'D' }]), { text: 'abc\nD\nghi\n', version: 2, change: { start: 4, end: 7, newLength: 1 } });
    });

    it('a change without a range replaces the whole text', () => {
      assert.deepEqual(apply([{ text: 'new' }]), { text: 'new', version: 2, change: { start: 0, end: TEXT.length, newLength: 3 } });
    });
  });

  describe('today', () => {
    it('KPI_TODAY pins the date; a value that is not a date is reported once and the real date used', () => {
      assert.equal(todayFromEnvironment(TODAY, () => assert.fail('no warning expected'))(), todayFrom(TODAY));
      const warnings: string[] = [];
      const today = todayFromEnvironment('next tuesday', (message) => warnings.push(message));
      assert.equal(today(), todayFrom(undefined));
      today();
      assert.deepEqual(warnings, ['KPI_TODAY="next tuesday" is not a date YYYY-MM-DD; using the real date.']);
    });
  });

  describe('a session', () => {
    const clients: LspClient[] = [];
    async function start(files: Record<string, string>, options: Parameters<typeof inProcessClient>[1] = {}) {
      const session = inProcessClient(files, options);
      clients.push(session.client);
      const initialized = await session.client.initialize(MEMORY_ROOT);
      return { ...session, initialized };
    }

    afterEach(async () => {
      for (const client of clients.splice(0)) await client.shutdown();
    });

    it('initialize announces incremental sync and the features; initialized scans the folder and publishes every file', async () => {
      const { client, initialized } = await start({ 'org.kpi': ORG, 'node_modules/pkg/broken.kpi': 'kpi {' });
      const { capabilities, serverInfo }: InitializeResult = initialized;
      assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
      assert.ok(capabilities.hoverProvider && capabilities.completionProvider && capabilities.codeActionProvider, JSON.stringify(capabilities));
      assert.equal(serverInfo?.name, 'kpi-language-server');
      const org = await client.waitForDiagnostics(uri('org.kpi'));
      assert.deepEqual(codes(org), ['unused-declaration']);
      assert.deepEqual(org.diagnostics[0]!.range, rangeOf(ORG, 'Spare'));
      assert.equal((await client.registered)[0]!.method, 'workspace/didChangeWatchedFiles');
      assert.deepEqual([...client.diagnostics.keys()], [uri('org.kpi')], 'nothing below node_modules is read');
    });

    it('publishes an opened document and each incremental change with its version, and what the change reaches in other files', async () => {
      const { client } = await start({ 'org.kpi': ORG });
      await client.waitForDiagnostics(uri('org.kpi'), hasCode('unused-declaration'));
      await client.open(uri('kpis.kpi'), USES_SPARE.replace('Spare', 'Nobody'));
      const opened = await client.waitForDiagnostics(uri('kpis.kpi'), (p) => p.version === 1);
      assert.ok(codes(opened).includes('unknown-reference'), codes(opened).join(', '));
      // Nobody → Spare: the reference resolves, and Spare in org.kpi is used now.
      await client.change(uri('kpis.kpi'), 2, [{ range: rangeOf(USES_SPARE.replace('Spare', 'Nobody'), 'Nobody'), text: 'Spare' }]);
      const changed = await client.waitForDiagnostics(uri('kpis.kpi'), (p) => p.version === 2);
      assert.ok(!codes(changed).includes('unknown-reference'), codes(changed).join(', '));
      await client.waitForDiagnostics(uri('org.kpi'), lacksCode('unused-declaration'));
    });

    it('a closed document goes back to the text of the file system', async () => {
      const { client } = await start({ 'org.kpi': ORG });
      await client.waitForDiagnostics(uri('org.kpi'), hasCode('unused-declaration'));
      await client.open(uri('org.kpi'), `${ORG}role Ghost "Ghost"\n`);
      await client.waitForDiagnostics(uri('org.kpi'), (p) => p.version === 1 && p.diagnostics.length === 2);
      await client.close(uri('org.kpi'));
      const back = await client.waitForDiagnostics(uri('org.kpi'), (p) => p.version === undefined && p.diagnostics.length === 1);
      assert.deepEqual(back.diagnostics[0]!.range, rangeOf(ORG, 'Spare'));
    });

    it('follows files created and deleted in its file system', async () => {
      const { client, fileSystem } = await start({ 'org.kpi': ORG });
      await client.waitForDiagnostics(uri('org.kpi'), hasCode('unused-declaration'));
      fileSystem.write(`${MEMORY_ROOT}/sub/kpis.kpi`, USES_SPARE);
      await client.watchedFilesChanged([{ uri: uri('sub/kpis.kpi'), type: 1 }]);
      await client.waitForDiagnostics(uri('sub/kpis.kpi'));
      await client.waitForDiagnostics(uri('org.kpi'), lacksCode('unused-declaration'));
      fileSystem.delete(`${MEMORY_ROOT}/sub/kpis.kpi`);
      await client.watchedFilesChanged([{ uri: uri('sub'), type: 3 }]);
      await client.waitForDiagnostics(uri('org.kpi'), hasCode('unused-declaration'));
      await client.waitForDiagnostics(uri('sub/kpis.kpi'), (p) => p.diagnostics.length === 0);
    });

    it('answers the custom requests as server/src/protocol.ts types them, and notifies kpi/modelChanged', async () => {
      const { client } = await start({ 'org.kpi': ORG, 'kpis.kpi': USES_SPARE }, { processId: 4242 });
      const versions: number[] = [];
      client.onNotification(ModelChangedNotification, ({ version }) => versions.push(version));
      await client.waitForDiagnostics(uri('kpis.kpi'));
      assert.deepEqual(await client.send(ServerInfoRequest), { pid: 4242, readsDataFiles: true });
      const model = await client.send(ScorecardRequest, { scope: 'file', uri: uri('kpis.kpi') });
      assert.deepEqual(model.scope, { kind: 'file', file: 'kpis.kpi' });
      assert.equal(model.today, TODAY);
      assert.deepEqual(
        model.kpis.map((k) => k.name),
        ['Coverage'],
      );
      assert.equal(await client.send(ResolveFileRequest, { file: 'kpis.kpi' }), uri('kpis.kpi'));
      assert.equal(await client.send(ResolveFileRequest, { file: 'missing.kpi' }), null);
      // An edit that changes results is followed by a newer model version.
      await client.open(uri('kpis.kpi'), USES_SPARE.replace('>= 95', '>= 90'));
      await client.waitForDiagnostics(uri('kpis.kpi'), (p) => p.version === 1);
      assert.ok(versions.length > 0 && versions.every((v, i) => i === 0 || v > versions[i - 1]!), versions.join(', '));
    });

    it('kpi/scorecardUpdate: the whole model first, then what an edit changed, as a delta to the model held', async () => {
      const { client } = await start({ 'org.kpi': ORG, 'kpis.kpi': USES_SPARE });
      await client.waitForDiagnostics(uri('kpis.kpi'));
      const first = await client.send(ScorecardUpdateRequest, { scope: 'workspace' });
      assert.ok('model' in first, 'the whole model, when nothing is held');
      // Nothing changed: the same id and an empty delta.
      const same = await client.send(ScorecardUpdateRequest, { scope: 'workspace', since: first.id });
      assert.ok('delta' in same);
      assert.equal(same.id, first.id);
      assert.deepEqual(same.delta.lists, {});
      await client.open(uri('kpis.kpi'), USES_SPARE.replace('>= 95', '>= 90'));
      await client.waitForDiagnostics(uri('kpis.kpi'), (p) => p.version === 1);
      const update = await client.send(ScorecardUpdateRequest, { scope: 'workspace', since: first.id });
      assert.ok('delta' in update && update.base === first.id && update.id !== first.id);
      // Only the edited KPI travels; the others are indexes into the model held.
      assert.deepEqual(Object.keys(update.delta.lists), ['kpis']);
      const held = modelAfter({ id: first.id, model: first.model }, update)!;
      assert.deepEqual(held, await client.send(ScorecardRequest, { scope: 'workspace' }));
      assert.equal(held.kpis.find((k) => k.name === 'Coverage')?.target?.value, 90);
      // A model the server does not have (another process's, or long gone): the whole model.
      assert.ok('model' in (await client.send(ScorecardUpdateRequest, { scope: 'workspace', since: 'gone' })));
    });

    it('two servers in one process keep separate workspaces, settings and modes', async () => {
      const full = await start({ 'org.kpi': ORG });
      const limited = inProcessClient({ 'org.kpi': ORG, 'kpis.kpi': USES_SPARE }, { processId: 7 });
      clients.push(limited.client);
      await limited.client.initialize(MEMORY_ROOT, { workspaceTrusted: false });
      await full.client.waitForDiagnostics(uri('org.kpi'), hasCode('unused-declaration'));
      await limited.client.waitForDiagnostics(uri('org.kpi'), lacksCode('unused-declaration'));
      assert.deepEqual(await limited.client.send(ServerInfoRequest), { pid: 7, readsDataFiles: false });
      assert.equal((await full.client.send(ServerInfoRequest)).readsDataFiles, true);
      assert.equal(await full.client.send(ResolveFileRequest, { file: 'kpis.kpi' }), null);
    });

    describe('a multi-root workspace: each open folder is a workspace of its own (LANGUAGE.md section 1)', () => {
      const ALPHA = `${MEMORY_ROOT}/alpha`;
      const BETA = `${MEMORY_ROOT}/beta`;
      const org = (fn: string, role: string) => `function ${fn} "${fn}"\nrole ${role} "${role}" in ${fn}\nrole Spare "Spare role" in ${fn}\n`;
      const onTime = (title: string, owner: string) => `kpi OnTime "${title}" {\n  outcome   "Orders arrive on time"\n  owner     ${owner}\n  why       "Customers plan on it"\n  target    >= 95\n  frequency weekly\n}\n`;
      const FOLDERS = {
        'alpha/org.kpi': org('Ops', 'OpsLead'),
        'alpha/kpis.kpi': onTime('On time (alpha)', 'OpsLead'),
        'beta/org.kpi': org('Support', 'SupportLead'),
        'beta/kpis.kpi': onTime('On time (beta)', 'SupportLead'),
      };
      const ACROSS = lacksCode('duplicate-name');
      async function startFolders(files: Record<string, string>, folders: readonly string[]) {
        const session = inProcessClient(files);
        clients.push(session.client);
        await session.client.initialize(folders);
        return session;
      }
      const folderUri = (folder: string) => `file://${folder}`;

      it('two folders declaring the same kpi and their own roles: no duplicate-name and no unknown-reference across them', async () => {
        const { client } = await startFolders(FOLDERS, [ALPHA, BETA]);
        for (const name of ['alpha/kpis.kpi', 'beta/kpis.kpi']) {
          const published = await client.waitForDiagnostics(uri(name));
          assert.ok(ACROSS(published) && !codes(published).includes('unknown-reference'), `${name}: ${codes(published).join(', ')}`);
        }
        // An edit in beta is checked against beta: SupportLead resolves there, OpsLead does not.
        await client.open(uri('beta/kpis.kpi'), onTime('On time (beta)', 'OpsLead'));
        const edited = await client.waitForDiagnostics(uri('beta/kpis.kpi'), (p) => p.version === 1);
        assert.ok(codes(edited).includes('unknown-reference'), codes(edited).join(', '));
        // Symbols are searched in every folder.
        const symbols = await client.request<{ location: { uri: string } }[]>('workspace/symbol', { query: 'OnTime' });
        assert.deepEqual(symbols.map((s) => s.location.uri).sort(), [uri('alpha/kpis.kpi'), uri('beta/kpis.kpi')]);
      });

      it('the .kpirc.json of a folder applies to that folder only', async () => {
        const { client } = await startFolders({ ...FOLDERS, 'beta/.kpirc.json': '{ "rules": { "unused-declaration": "off" } }\n' }, [ALPHA, BETA]);
        await client.waitForDiagnostics(uri('alpha/org.kpi'), hasCode('unused-declaration'));
        await client.waitForDiagnostics(uri('beta/kpis.kpi'));
        assert.ok(!codes(client.diagnostics.get(uri('beta/org.kpi'))).includes('unused-declaration'));
      });

      it('kpi/scorecard shows the folder of the document, the named folder, or else the first folder; kpi/resolveFile follows the folder of the document', async () => {
        const { client } = await startFolders(FOLDERS, [ALPHA, BETA]);
        await client.waitForDiagnostics(uri('beta/kpis.kpi'));
        const titles = async (params: ScorecardParams) => (await client.send(ScorecardRequest, params)).kpis.map((k) => k.title);
        assert.deepEqual(await titles({ scope: 'workspace' }), ['On time (alpha)']);
        assert.deepEqual(await titles({ scope: 'workspace', uri: uri('beta/kpis.kpi') }), ['On time (beta)']);
        assert.deepEqual(await titles({ scope: 'workspace', folder: folderUri(BETA) }), ['On time (beta)']);
        assert.deepEqual(await titles({ scope: 'file', uri: uri('beta/kpis.kpi') }), ['On time (beta)']);
        assert.equal(await client.send(ResolveFileRequest, { file: 'kpis.kpi', uri: uri('beta/org.kpi') }), uri('beta/kpis.kpi'));
        assert.equal(await client.send(ResolveFileRequest, { file: 'kpis.kpi' }), uri('alpha/kpis.kpi'));
      });

      it('rename stays inside the folder', async () => {
        const { client } = await startFolders(FOLDERS, [ALPHA, BETA]);
        await client.waitForDiagnostics(uri('beta/kpis.kpi'));
        const text = FOLDERS['beta/org.kpi'];
        const at = rangeOf(text, 'Spare').start;
        const edit = await client.request<{ changes: Record<string, unknown[]> }>('textDocument/rename', { textDocument: { uri: uri('beta/org.kpi') }, position: at, newName: 'Backup' });
        assert.deepEqual(Object.keys(edit.changes), [uri('beta/org.kpi')]);
      });

      it('a nested folder: its files are its own, and the outer folder does not also read them', async () => {
        const { client } = await startFolders({ ...FOLDERS, 'alpha/inner/kpis.kpi': onTime('On time (inner)', 'Nobody') }, [ALPHA, `${ALPHA}/inner`]);
        const inner = await client.waitForDiagnostics(uri('alpha/inner/kpis.kpi'), hasCode('unknown-reference'));
        assert.ok(ACROSS(inner), codes(inner).join(', '));
        const outer = await client.waitForDiagnostics(uri('alpha/kpis.kpi'));
        assert.ok(ACROSS(outer), codes(outer).join(', '));
        assert.equal(await client.send(ResolveFileRequest, { file: 'inner/kpis.kpi', uri: uri('alpha/kpis.kpi') }), null);
        assert.deepEqual(await client.send(ScorecardRequest, { scope: 'workspace', uri: uri('alpha/inner/kpis.kpi') }).then((m) => m.kpis.map((k) => k.title)), ['On time (inner)']);
      });

      it('a file outside every folder is checked alone, against nothing else', async () => {
        const { client } = await startFolders(FOLDERS, [ALPHA, BETA]);
        await client.waitForDiagnostics(uri('alpha/kpis.kpi'));
        const outside = 'file:///elsewhere/kpis.kpi';
        await client.open(outside, onTime('On time (elsewhere)', 'OpsLead'));
        const alone = await client.waitForDiagnostics(outside, (p) => p.version === 1);
        assert.ok(codes(alone).includes('unknown-reference') && ACROSS(alone), codes(alone).join(', '));
        assert.ok(ACROSS(client.diagnostics.get(uri('alpha/kpis.kpi'))!));
        await client.close(outside);
        await client.waitForDiagnostics(outside, (p) => p.version === undefined && p.diagnostics.length === 0);
      });

      it('workspace/didChangeWorkspaceFolders: an added folder is scanned and published, a removed one cleared', async () => {
        const { client } = await startFolders(FOLDERS, [ALPHA]);
        assert.deepEqual((await client.send(ScorecardRequest, { scope: 'workspace' })).kpis.map((k) => k.title), ['On time (alpha)']);
        await client.waitForDiagnostics(uri('alpha/org.kpi'), hasCode('unused-declaration'));
        assert.equal(client.diagnostics.get(uri('beta/org.kpi')), undefined, 'a folder not open is not read');
        const event = (added: string[], removed: string[]) => ({ event: { added: added.map((f) => ({ uri: folderUri(f), name: f })), removed: removed.map((f) => ({ uri: folderUri(f), name: f })) } });
        await client.notify('workspace/didChangeWorkspaceFolders', event([BETA], []));
        await client.waitForDiagnostics(uri('beta/org.kpi'), hasCode('unused-declaration'));
        assert.ok(ACROSS(await client.waitForDiagnostics(uri('beta/kpis.kpi'))));
        await client.notify('workspace/didChangeWorkspaceFolders', event([], [BETA]));
        await client.waitForDiagnostics(uri('beta/org.kpi'), (p) => p.diagnostics.length === 0);
        assert.equal(await client.send(ResolveFileRequest, { file: 'org.kpi', uri: uri('beta/kpis.kpi') }), null);
        // Alpha goes on as before.
        assert.ok(codes(client.diagnostics.get(uri('alpha/org.kpi'))).includes('unused-declaration'));
      });

      it('folder changes move what they reach: an open document into its new folder, the files of a nested folder in and out of the outer one', async () => {
        const INNER = `${ALPHA}/inner`;
        const { client } = await startFolders({ ...FOLDERS, 'alpha/inner/kpis.kpi': onTime('On time (inner)', 'OpsLead') }, [ALPHA, INNER]);
        const event = (added: string[], removed: string[]) => ({ event: { added: added.map((f) => ({ uri: folderUri(f), name: f })), removed: removed.map((f) => ({ uri: folderUri(f), name: f })) } });
        // Beta is not open: its kpis.kpi is checked alone, and SupportLead is unknown.
        await client.open(uri('beta/kpis.kpi'), FOLDERS['beta/kpis.kpi']);
        await client.waitForDiagnostics(uri('beta/kpis.kpi'), (p) => p.version === 1 && codes(p).includes('unknown-reference'));
        await client.notify('workspace/didChangeWorkspaceFolders', event([BETA], []));
        await client.waitForDiagnostics(uri('beta/kpis.kpi'), (p) => p.version === 1 && !codes(p).includes('unknown-reference'));
        // Without the inner folder, alpha reads its file: two OnTime in one namespace.
        await client.waitForDiagnostics(uri('alpha/kpis.kpi'));
        await client.notify('workspace/didChangeWorkspaceFolders', event([], [INNER]));
        await client.waitForDiagnostics(uri('alpha/kpis.kpi'), hasCode('duplicate-name'));
        await client.notify('workspace/didChangeWorkspaceFolders', event([INNER], []));
        await client.waitForDiagnostics(uri('alpha/kpis.kpi'), ACROSS);
        assert.ok(ACROSS(await client.waitForDiagnostics(uri('alpha/inner/kpis.kpi'))));
      });
    });

    it('exits with 0 on shutdown then exit, and with 1 on exit alone', async () => {
      const polite = await start({ 'org.kpi': ORG });
      await polite.client.request('shutdown', null);
      await polite.client.notify('exit');
      assert.equal(await polite.client.whenExited(), 0);
      const abrupt = await start({ 'org.kpi': ORG });
      await abrupt.client.notify('exit');
      assert.equal(await abrupt.client.whenExited(), 1);
    });
  });
});
