// Registers the scorecard preview: its commands, the serializer that restores
// the panel after a window reload, and a hook the extension calls on every
// `kpi/modelChanged` notification. What they do lives in a bundle of its own
// (panelCommands.ts, bundled as dist/preview.cjs: the page's renderer, the
// maps and dagre), loaded the first time a command or the serializer runs, so
// that activation loads none of it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerLink } from '../serverLink';
import type * as PanelCommandsModule from './panelCommands';
import type { ScorecardPanel } from './scorecardPanel';

/** The panel's view type, also in package.json's `onWebviewPanel:` (the type makes tsc check it against ScorecardPanel's). */
const VIEW_TYPE: typeof ScorecardPanel.viewType = 'kpi.scorecard';

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
  const host: PanelCommandsModule.PreviewHost = { server, memento: context.workspaceState, log };
  let loaded: typeof PanelCommandsModule | undefined;
  const panelCommands = (): typeof PanelCommandsModule => {
    if (loaded) return loaded;
    try {
      // Not bundled into this file: a bundle of its own, loaded when first needed.
      loaded = require(path.join(__dirname, 'preview.cjs')) as typeof PanelCommandsModule;
      return loaded;
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`The scorecard preview did not load: ${message}`);
      void vscode.window.showErrorMessage(`KPI: the scorecard preview did not load: ${message}`);
      throw error;
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('kpi.openScorecard', (resource?: unknown, name?: unknown) => panelCommands().openScorecard(host, resource, name)),
    vscode.commands.registerCommand('kpi.scorecardScope', () => panelCommands().toggleScorecardScope(host)),
    vscode.commands.registerCommand('kpi.chooseScorecardFolder', () => panelCommands().chooseScorecardFolder(host)),
    vscode.commands.registerCommand('kpi.exportScorecard', () => panelCommands().exportShownScorecard(host)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      // Async so that a bundle that fails to load rejects the restore instead of throwing into VS Code.
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        panelCommands().revivePanel(panel, host);
      },
    }),
  );

  return {
    // No panel can be open before the bundle has loaded: nothing to refresh then.
    modelChanged: () => loaded?.modelChanged(),
  };
}
