// Nothing inside a workspace can make the checker read outside it
// (docs/security.md): symbolic links to other places are not followed when
// searching for .kpi files or reading them, as for data files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findKpiFiles, keyFor, readText } from '../server/src/node/files';
import { codes, endSession, LspClient, ORG, tempWorkspace, uriOf, writeFiles } from './support/lsp';

const KPI = `kpi Revenue "Revenue" {
  owner  Outsider
  target >= 20
}
`;

describe('reading stays inside the workspace', () => {
  let base: string | undefined;
  let client: LspClient | undefined;

  /** base/ws is the workspace; base/outside holds a role and a config; links in ws lead there and inside. */
  function layout(): { root: string; outside: string } {
    base = tempWorkspace({
      'outside/roles.kpi': 'role Outsider "Outsider"\n',
      'outside/.kpirc.json': '{ "rules": { "unknown-reference": "off" } }\n',
      'ws/org.kpi': ORG,
      'ws/kpis.kpi': KPI,
      'ws/real/inner.kpi': 'role Inner "Inner"\n',
    });
    const root = path.join(base, 'ws');
    const outside = path.join(base, 'outside');
    fs.symlinkSync(outside, path.join(root, 'up'));
    fs.symlinkSync(path.join(outside, 'roles.kpi'), path.join(root, 'linked.kpi'));
    fs.symlinkSync(path.join(outside, '.kpirc.json'), path.join(root, '.kpirc.json'));
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
    return { root, outside };
  }

  afterEach(async () => {
    await endSession(client, base);
    client = base = undefined;
  });

  it('the .kpi search follows links inside the folder only', () => {
    const { root } = layout();
    const found = findKpiFiles(root).map((f) => keyFor(root, f)).sort();
    // alias/ and real/ are one folder, searched once (whichever comes first).
    assert.deepEqual(found.filter((k) => !k.endsWith('inner.kpi')), ['kpis.kpi', 'org.kpi']);
    assert.equal(found.filter((k) => k.endsWith('inner.kpi')).length, 1);
    // A folder that is itself a link to elsewhere is not searched when the root is the boundary.
    assert.deepEqual(findKpiFiles(path.join(root, 'up'), root), []);
  });

  it('readText with a boundary refuses a link that leads outside', () => {
    const { root } = layout();
    assert.equal(readText(path.join(root, 'linked.kpi'), root), undefined);
    assert.equal(readText(path.join(root, '.kpirc.json'), root), undefined);
    assert.equal(readText(path.join(root, 'alias', 'inner.kpi'), root), 'role Inner "Inner"\n');
    // Without a boundary (the CLI reading what the user named) the link is read.
    assert.ok(readText(path.join(root, 'linked.kpi'))?.startsWith('role Outsider'));
  });

  it('the language server reads neither the linked files nor the linked configuration', async () => {
    const { root } = layout();
    client = new LspClient();
    await client.initialize(root);
    const kpis = await client.waitForDiagnostics(uriOf(path.join(root, 'kpis.kpi')));
    // Outsider is declared only outside, and the linked .kpirc.json would have silenced this.
    assert.ok(codes(kpis).includes('unknown-reference'), codes(kpis).join(', '));
    assert.equal(client.diagnostics.get(uriOf(path.join(root, 'linked.kpi'))), undefined);
    assert.equal(client.diagnostics.get(uriOf(path.join(root, 'up', 'roles.kpi'))), undefined);

    // A link created later, announced by the editor's file watcher, is not read either.
    writeFiles(base!, { 'outside/more.kpi': 'role Outsider "Outsider again"\n' });
    fs.symlinkSync(path.join(base!, 'outside', 'more.kpi'), path.join(root, 'more.kpi'));
    await client.watchedFilesChanged([{ uri: uriOf(path.join(root, 'more.kpi')), type: 1 }]);
    const barrier = uriOf(path.join(root, 'barrier.kpi'));
    await client.open(barrier, 'role Barrier "Barrier"\n', 1);
    await client.waitForDiagnostics(barrier, (p) => p.version === 1);
    assert.deepEqual(client.diagnostics.get(uriOf(path.join(root, 'more.kpi')))?.diagnostics ?? [], []);
    assert.ok(codes(client.diagnostics.get(uriOf(path.join(root, 'kpis.kpi')))).includes('unknown-reference'));
  });
});
