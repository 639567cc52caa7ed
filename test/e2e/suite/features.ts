// The editor features through VS Code's own commands (the same calls the UI
// makes): completion, hover, definition, rename, formatting and a quick fix,
// each answered by the bundled language server with real content.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, fileUri, hoverText, lineOf, positionAfter, waitFor } from '../support/vscode';

function locationTarget(result: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in result ? { uri: result.targetUri, range: result.targetSelectionRange ?? result.targetRange } : result;
}

describe('editor features', function () {
  let sales: vscode.TextDocument;

  before(async function () {
    await activateExtension();
    sales = await vscode.workspace.openTextDocument(fileUri('sales.kpi'));
  });

  it('completes the roles after `owner`, and no team', async function () {
    const kpiLine = lineOf(sales, /^kpi SellOutGrowth\b/);
    const position = positionAfter(sales, /^\s*owner\s+/, kpiLine);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', sales.uri, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const role of ['BranchManager', 'AreaSalesManager', 'InsideSales']) assert.ok(labels.includes(role), `${role} offered; got ${labels.join(', ')}`);
    assert.ok(!labels.includes('ServiceTeam'), 'a team is not offered as an owner');
    assert.ok(!labels.includes('financial'), 'no perspective after owner');
  });

  it("hovers a KPI with its title and status", async function () {
    const position = positionAfter(sales, /^kpi Sell/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', sales.uri, position);
    const text = hoverText(hovers);
    assert.match(text, /A\+ outlet monthly sell-out growth/);
    assert.match(text, /green/i, 'the status is in the card');
    assert.match(text, /BranchManager|Branch Manager/, 'the owner is in the card');
  });

  it('goes to the definition of a role in another file', async function () {
    const kpiLine = lineOf(sales, /^kpi SellOutGrowth\b/);
    const position = positionAfter(sales, /^\s*owner\s+Branch/, kpiLine);
    const results = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', sales.uri, position);
    assert.equal(results.length, 1, 'one definition');
    const target = locationTarget(results[0]!);
    assert.equal(target.uri.toString(), fileUri('org.kpi').toString());
    const org = await vscode.workspace.openTextDocument(target.uri);
    assert.equal(org.getText(target.range), 'BranchManager');
    assert.match(org.lineAt(target.range.start.line).text, /^role BranchManager\b/);
  });

  it('prepares a rename and renames a KPI in every file that uses it', async function () {
    const position = positionAfter(sales, /^kpi Sell/);
    const prepared = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string } | vscode.Range>('vscode.prepareRename', sales.uri, position);
    const range = prepared instanceof vscode.Range ? prepared : prepared.range;
    assert.equal(sales.getText(range), 'SellOutGrowth');
    if (!(prepared instanceof vscode.Range)) assert.equal(prepared.placeholder, 'SellOutGrowth');

    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', sales.uri, position, 'APlusSellOutGrowth');
    const byFile = new Map(edit.entries().map(([uri, edits]) => [uri.path.split('/').pop()!, edits]));
    assert.deepEqual([...byFile.keys()].sort(), ['sales.kpi', 'strategy.kpi'], 'the declaration and the scorecard and key result that name it');
    for (const edits of byFile.values()) for (const e of edits) assert.equal(e.newText, 'APlusSellOutGrowth');
    assert.equal(byFile.get('strategy.kpi')?.length, 2, 'the key result and the scorecard line');
    // Not applied: the workspace stays as the other suites expect it.
  });

  it('formats a badly laid-out document', async function () {
    const messy = ['function   Ops "Operations"', 'role Lead "Ops lead" in Ops', 'kpi OnTime "Orders on time" {', 'outcome "Orders ship on the promised day"', '      owner    Lead', 'target >= 95', '}', ''].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'kpi', content: messy });
    assert.equal(document.languageId, 'kpi');
    const options = { tabSize: 2, insertSpaces: true };
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', document.uri, options);
    assert.ok(edits && edits.length > 0, 'the formatter returns edits');
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(document.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(workspaceEdit));
    const formatted = document.getText();
    assert.notEqual(formatted, messy);
    assert.match(formatted, /^function Ops "Operations"$/m);
    assert.match(formatted, /^ {2}owner +Lead$/m, 'properties are indented by two spaces');
    assert.match(formatted, /^ {2}target +>= 95$/m);
    const again = await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatDocumentProvider', document.uri, options);
    assert.equal(again?.length ?? 0, 0, 'formatting is idempotent');
  });

  it('offers a quick fix that marks an overdue SOP as reviewed today (KPI_TODAY reaches the server)', async function () {
    const uri = fileUri('sops.kpi');
    // Code actions are asked of an open document (the editor's model).
    const document = await vscode.workspace.openTextDocument(uri);
    const diagnostic = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'sop-review-overdue'),
      () => 'sop-review-overdue in sops.kpi',
    );
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a): a is vscode.CodeAction => a.title === 'Mark as reviewed today (2026-11-22)');
    assert.ok(fix, `the fix is offered; got ${titles.join(' | ')}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    // (VS Code's command does not hand back the fix's `diagnostics`; the title and edit identify it.)
    assert.equal(fix.isPreferred, true, 'it is the preferred fix (Shift+Alt+. applies it)');
    const edits = fix.edit?.get(uri) ?? [];
    assert.equal(edits.length, 1);
    assert.equal(edits[0]!.newText, '2026-11-22');
    assert.equal(document.getText(edits[0]!.range), '2026-05-18', 'it replaces the `reviewed` date');
    assert.ok(titles.includes('Disable sop-review-overdue for this line'), 'the disable-comment fix is there too');
  });
});
