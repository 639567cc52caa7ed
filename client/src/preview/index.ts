// Registers the scorecard preview: its commands, the serializer that restores
// the panel after a window reload, and a hook the extension calls on every
// `kpi/modelChanged` notification.
import * as vscode from 'vscode';
import type { ServerLink } from '../serverLink';
import { exportScorecard } from './exportScorecard';
import { folderChoices, toggleScope } from './logic';
import { openFolders, ScorecardPanel, type PreviewHost } from './scorecardPanel';

export interface ScorecardPreview {
  /** Fan-out of `kpi/modelChanged` and of a (re)started server: the open panel refreshes (debounced). */
  modelChanged(): void;
}

/**
 * Call during activation: the serializer must be registered while VS Code
 * activates the extension for `onWebviewPanel:kpi.scorecard`. Requests sent
 * before the language client runs wait for it (ServerLink).
 */
export function registerScorecardPreview(context: vscode.ExtensionContext, server: ServerLink, log: vscode.LogOutputChannel): ScorecardPreview {
  const host: PreviewHost = { server, memento: context.workspaceState, log };

  context.subscriptions.push(
    vscode.commands.registerCommand('kpi.openScorecard', (resource?: unknown, name?: unknown) => {
      // From the editor title the resource is the .kpi file's URI; from a code lens, a URI string and a KPI's name.
      const file = resource instanceof vscode.Uri ? resource : typeof resource === 'string' ? vscode.Uri.parse(resource) : undefined;
      const panel = ScorecardPanel.createOrShow(host, file ? { file } : {});
      if (typeof name === 'string') panel.selectName(name);
    }),
    vscode.commands.registerCommand('kpi.scorecardScope', () => {
      const panel = ScorecardPanel.currentPanel;
      if (panel) panel.toggleScope();
      else ScorecardPanel.createOrShow(host, { view: toggleScope(ScorecardPanel.storedView(host)) });
    }),
    vscode.commands.registerCommand('kpi.chooseScorecardFolder', () => chooseScorecardFolder(host)),
    vscode.commands.registerCommand('kpi.exportScorecard', () =>
      exportScorecard(server, ScorecardPanel.currentPanel?.params ?? { scope: 'workspace' }, log),
    ),
    vscode.window.registerWebviewPanelSerializer(ScorecardPanel.viewType, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Thenable<void> {
        ScorecardPanel.revive(panel, host);
        return Promise.resolve();
      },
    }),
  );

  return {
    modelChanged: () => ScorecardPanel.currentPanel?.modelChanged(),
  };
}

/**
 * "KPI: Choose Scorecard Folder…": in a multi-root workspace each open folder
 * is a workspace of its own; the panel shows the active file's folder until
 * the reader picks another here (or opens a .kpi file of another folder).
 */
async function chooseScorecardFolder(host: PreviewHost): Promise<void> {
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
