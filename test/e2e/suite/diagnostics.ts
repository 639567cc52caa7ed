// The language and its diagnostics in the real editor: `.kpi` is the `kpi`
// language, every file of the workspace gets its diagnostics without being
// opened, and an edit followed by undo adds and clears a finding.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, codesOf, EXPECTED_CODES, fileUri, lineOf, restoreDocument, waitFor } from '../support/vscode';

describe('kpi language and diagnostics', function () {
  before(async function () {
    await activateExtension();
  });

  it('registers the kpi language for .kpi files', async function () {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('kpi'), `kpi is not among the editor's languages: ${languages.join(', ')}`);
    const found = await vscode.workspace.findFiles('**/*.kpi');
    assert.deepEqual(found.map((u) => u.path.split('/').pop()).sort(), Object.keys(EXPECTED_CODES), 'the workspace holds the seven example files');
  });

  it('publishes the expected diagnostics for every file, none of them opened', async function () {
    const files = Object.keys(EXPECTED_CODES);
    const open = vscode.workspace.textDocuments.filter((d) => d.uri.path.endsWith('.kpi')).map((d) => d.uri.path);
    assert.deepEqual(open, [], 'no .kpi file is open yet: these diagnostics come from files the editor never opened');

    const seen = () => Object.fromEntries(files.map((f) => [f, codesOf(fileUri(f))]));
    const matches = () => files.every((f) => JSON.stringify(codesOf(fileUri(f))) === JSON.stringify(EXPECTED_CODES[f]));
    await waitFor(matches, () => `expected ${JSON.stringify(EXPECTED_CODES)}, have ${JSON.stringify(seen())}`);

    const sales = vscode.languages.getDiagnostics(fileUri('sales.kpi'));
    const teamOwner = sales.find((d) => codeOf(d) === 'team-owner');
    assert.ok(teamOwner);
    assert.equal(teamOwner.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([teamOwner.range.start.line, teamOwner.range.start.character], [78, 14], 'team-owner points at `ServiceTeam` (79:15)');
    assert.equal(teamOwner.source, 'kpi');
    const vague = sales.find((d) => codeOf(d) === 'vague-target');
    assert.equal(vague?.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('reports missing-owner when an owner line is deleted, and clears it on undo', async function () {
    const uri = fileUri('sales.kpi');
    const editor = await vscode.window.showTextDocument(uri);
    const document = editor.document;
    assert.equal(document.languageId, 'kpi', 'an opened .kpi file is in the kpi language');
    const original = document.getText();
    const kpiLine = lineOf(document, /^kpi SellOutGrowth\b/);
    const ownerLine = lineOf(document, /^\s*owner\s+BranchManager\s*$/, kpiLine);

    try {
      const removed = await editor.edit((edit) => edit.delete(new vscode.Range(ownerLine, 0, ownerLine + 1, 0)));
      assert.ok(removed, 'the edit was applied');
      const missing = await waitFor(
        () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'missing-owner'),
        () => `missing-owner in sales.kpi; have ${codesOf(uri).join(', ')}`,
      );
      assert.equal(missing.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(missing.range.start.line, kpiLine, 'missing-owner points at the kpi that lost its owner');

      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('undo');
      await waitFor(
        () => document.getText() === original,
        () => 'the undo to restore the owner line',
      );
      await waitFor(
        () => JSON.stringify(codesOf(uri)) === JSON.stringify(EXPECTED_CODES['sales.kpi']),
        () => `missing-owner to clear after undo; have ${codesOf(uri).join(', ')}`,
      );
      assert.equal(document.isDirty, false, 'undo brings the document back to its saved state');
    } finally {
      // Whatever failed, leave the file as it was for the suites that follow.
      await restoreDocument(document, original);
    }
  });
});
