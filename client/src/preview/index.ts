// Registers the scorecard preview: its commands, the serializer that restores
// the panel after a window reload, and a hook the extension calls on every
// `kpi/modelChanged` notification.
import * as vscode from 'vscode';
import { State, type BaseLanguageClient } from 'vscode-languageclient';
import { exportScorecard } from './exportScorecard';
import { toggleScope } from './logic';
import { ScorecardPanel, type PreviewHost } from './scorecardPanel';

export interface ScorecardPreview {
  /** Fan-out of `kpi/modelChanged`: the open panel refreshes (debounced). */
  modelChanged(): void;
}

/**
 * Call during activation, before awaiting the client's start: the serializer
 * must be registered while VS Code activates the extension for
 * `onWebviewPanel:kpi.scorecard`. Requests sent before the client runs wait for it.
 */
export function registerScorecardPreview(context: vscode.ExtensionContext, client: BaseLanguageClient, log: vscode.LogOutputChannel): ScorecardPreview {
  const host: PreviewHost = { extensionUri: context.extensionUri, client, memento: context.workspaceState, log };

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
    vscode.commands.registerCommand('kpi.exportScorecard', () =>
      exportScorecard(client, ScorecardPanel.currentPanel?.params ?? { scope: 'workspace' }, log),
    ),
    vscode.window.registerWebviewPanelSerializer(ScorecardPanel.viewType, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Thenable<void> {
        ScorecardPanel.revive(panel, host);
        return Promise.resolve();
      },
    }),
    // After a restart the server has analysed everything anew.
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Running) ScorecardPanel.currentPanel?.modelChanged();
    }),
  );

  return {
    modelChanged: () => ScorecardPanel.currentPanel?.modelChanged(),
  };
}
