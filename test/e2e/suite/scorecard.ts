// The scorecard preview command opens its webview panel in the editor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, fileUri, waitFor } from '../support/vscode';

function scorecardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('kpi.scorecard'));
}

describe('scorecard preview', function () {
  before(async function () {
    await activateExtension();
  });

  it('kpi.openScorecard opens the scorecard webview panel', async function () {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('kpi.openScorecard'));
    await vscode.window.showTextDocument(fileUri('strategy.kpi'));
    assert.equal(scorecardTabs().length, 0, 'no panel before the command');
    await vscode.commands.executeCommand('kpi.openScorecard');
    const [tab] = await waitFor(
      () => (scorecardTabs().length > 0 ? scorecardTabs() : undefined),
      () => `a webview tab of kpi.scorecard; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join(', ')}`,
    );
    assert.ok(tab);
    assert.match(tab.label, /Scorecard/i);
    // Beside the editor, which keeps the focus.
    const editorTab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith('/strategy.kpi'));
    assert.ok(editorTab, 'the strategy.kpi editor is still open');
    assert.notEqual(tab.group.viewColumn, editorTab.group.viewColumn, 'the panel opens beside the editor');
    await vscode.commands.executeCommand('kpi.openScorecard');
    assert.equal(scorecardTabs().length, 1, 'the command shows the existing panel instead of opening a second');
  });
});
