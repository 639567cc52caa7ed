// Crash recovery in the real editor: the language server is killed (SIGKILL)
// while a .kpi document has unsaved edits; the extension starts a new server,
// which receives the editor's current text (not the file on disk) and
// publishes diagnostics for it. The server never changes the document.
//
// Runs last: it replaces the server the other suites talked to.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KpiExtensionApi } from '../../../client/src/extension';
import type { ServerInfo } from '../../../server/src/protocol';
import { activateExtension, codesOf, EXPECTED_CODES, fileUri, lineOf, restoreDocument, waitFor } from '../support/vscode';

/** Deletes the whole line `line` (0-based) of the editor's document, unsaved. */
async function deleteLine(editor: vscode.TextEditor, line: number): Promise<void> {
  const applied = await editor.edit((edit) => edit.delete(new vscode.Range(line, 0, line + 1, 0)));
  assert.ok(applied, `deleting line ${line + 1} was applied`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return true;
  } catch {
    return false;
  }
}

describe('crash recovery', function () {
  let api: KpiExtensionApi;

  // In the browser (code-server) VS Code saves edits after a second by default
  // (`files.autoSave` is `afterDelay` on the web): this test is about unsaved
  // text, so it turns that off while it runs.
  let autoSave: string | undefined;
  before(async function () {
    api = (await activateExtension()).exports as KpiExtensionApi;
    const files = vscode.workspace.getConfiguration('files');
    autoSave = files.inspect<string>('autoSave')?.globalValue;
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });

  after(async function () {
    await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
  });

  it('restarts a killed server, which checks the unsaved text again and leaves it untouched', async function () {
    const first = await api.serverInfo();
    assert.equal(first.readsDataFiles, true, 'the harness trusts the workspace, so the server runs in full mode');

    const uri = fileUri('sales.kpi');
    const editor = await vscode.window.showTextDocument(uri);
    const document = editor.document;
    const saved = document.getText();
    const kpiLine = lineOf(document, /^kpi SellOutGrowth\b/);

    try {
      // An unsaved edit the first server sees.
      await deleteLine(editor, lineOf(document, /^\s*owner\s+BranchManager\s*$/, kpiLine));
      await waitFor(
        () => codesOf(uri).includes('missing-owner'),
        () => `missing-owner from the first server; have ${codesOf(uri).join(', ')}`,
      );

      process.kill(first.pid, 'SIGKILL');
      await waitFor(() => !isAlive(first.pid), () => `the killed server ${first.pid} to be gone`);
      // A second unsaved edit once the server is dead: only a new server can
      // report it, and it must still know the first edit.
      await deleteLine(editor, lineOf(document, /^\s*frequency\s+monthly\s*$/, kpiLine));
      const edited = document.getText();

      const second = await waitFor<ServerInfo>(
        async () => {
          try {
            const info = await api.serverInfo();
            return info.pid !== first.pid ? info : undefined;
          } catch {
            return undefined; // not running yet
          }
        },
        () => `a new server process (the killed one was ${first.pid})`,
      );
      assert.equal(second.readsDataFiles, true);

      await waitFor(
        () => {
          const found = codesOf(uri);
          return found.includes('missing-owner') && found.includes('missing-frequency');
        },
        () => `missing-owner and missing-frequency from the new server; have ${codesOf(uri).join(', ')}`,
      );
      // The rest of the folder is back too: the new server scanned it.
      await waitFor(
        () => JSON.stringify(codesOf(fileUri('finance.kpi'))) === JSON.stringify(EXPECTED_CODES['finance.kpi']),
        () => `finance.kpi's diagnostics after the restart; have ${codesOf(fileUri('finance.kpi')).join(', ')}`,
      );

      assert.equal(document.getText(), edited, 'the document still holds exactly the unsaved text');
      assert.equal(document.isDirty, true, 'the edits are still unsaved');
    } finally {
      // Leave the file as it was on disk.
      await restoreDocument(document, saved);
    }
    await waitFor(
      () => JSON.stringify(codesOf(uri)) === JSON.stringify(EXPECTED_CODES['sales.kpi']),
      () => `sales.kpi's usual diagnostics once restored; have ${codesOf(uri).join(', ')}`,
    );
  });
});
