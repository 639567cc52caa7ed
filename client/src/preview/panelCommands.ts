// What the scorecard preview's commands and serializer do, bundled apart as
// dist/preview.cjs: the panel renders the page in the extension, so this
// bundle carries the page's renderer, the maps with dagre and the page's
// inlined stylesheet and script. index.ts (in dist/extension.cjs) registers
// the commands and the serializer during activation and loads this bundle the
// first time one of them runs, so none of it loads at activation.
import * as vscode from 'vscode';
import { exportScorecard } from './exportScorecard';
import { folderChoices, toggleScope } from './logic';
import { openFolders, ScorecardPanel, type PreviewHost } from './scorecardPanel';

export type { PreviewHost };

/** "KPI: Open Scorecard": from the editor title `resource` is the .kpi file's URI; from a code lens, a URI string and a KPI's name. */
export function openScorecard(host: PreviewHost, resource?: unknown, name?: unknown): void {
  const file = resource instanceof vscode.Uri ? resource : typeof resource === 'string' ? vscode.Uri.parse(resource) : undefined;
  const panel = ScorecardPanel.createOrShow(host, file ? { file } : {});
  if (typeof name === 'string') panel.selectName(name);
}

/** "KPI: Toggle Scorecard Scope": the open panel switches; with none, one opens in the other scope. */
export function toggleScorecardScope(host: PreviewHost): void {
  const panel = ScorecardPanel.currentPanel;
  if (panel) panel.toggleScope();
  else ScorecardPanel.createOrShow(host, { view: toggleScope(ScorecardPanel.storedView(host)) });
}

/**
 * "KPI: Choose Scorecard Folder…": in a multi-root workspace each open folder
 * is a workspace of its own; the panel shows the active file's folder until
 * the reader picks another here (or opens a .kpi file of another folder).
 */
export async function chooseScorecardFolder(host: PreviewHost): Promise<void> {
  const folders = openFolders();
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('KPI: open a folder to see its scorecard.');
    return;
  }
  const view = ScorecardPanel.currentPanel?.viewState ?? ScorecardPanel.storedView(host);
  const picked = await vscode.window.showQuickPick(folderChoices(view, folders), { title: 'Choose Scorecard Folder', placeHolder: 'The folder whose scorecard the panel shows' });
  if (!picked) return;
  const panel = ScorecardPanel.currentPanel;
  if (panel) panel.show();
  (panel ?? ScorecardPanel.createOrShow(host)).chooseFolder(picked.uri);
}

/** "KPI: Export Scorecard…": what the open panel shows, else the workspace. */
export function exportShownScorecard(host: PreviewHost): Promise<void> {
  return exportScorecard(host.server, ScorecardPanel.currentPanel?.params ?? { scope: 'workspace' }, host.log);
}

/** The serializer's half: a panel VS Code restores after a window reload. */
export function revivePanel(panel: vscode.WebviewPanel, host: PreviewHost): void {
  ScorecardPanel.revive(panel, host);
}

/** Fan-out of `kpi/modelChanged` and of a (re)started server: the open panel refreshes (debounced). */
export function modelChanged(): void {
  ScorecardPanel.currentPanel?.modelChanged();
}
