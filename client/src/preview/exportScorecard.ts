// "KPI: Export Scorecard…": pick a format, pick a file, render the model the
// server builds with the shared renderer, write it, offer to open it.
import * as vscode from 'vscode';
import type { ServerLink } from '../serverLink';
import { renderReport } from '../../../server/src/language/scorecard/render/index';
import { PAGE_ASSETS } from '../../../server/src/pageAssets';
import { EXPORT_FORMATS, exportFileName, exportTitle, type ExportFormatInfo, type ScorecardRequestParams } from './logic';
import { makeNonce } from './scorecardPanel';

/** The folder the save dialog starts in: the file's folder in file scope, else the folder shown, else the first workspace folder. */
function defaultFolder(params: ScorecardRequestParams): vscode.Uri | undefined {
  if (params.scope === 'file' && params.uri) {
    const uri = vscode.Uri.parse(params.uri);
    if (uri.scheme === 'file') return vscode.Uri.joinPath(uri, '..');
  }
  if (params.folder) return vscode.Uri.parse(params.folder);
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** The name an exported report carries: the folder shown when several are open, else the workspace's. */
function reportName(params: ScorecardRequestParams): string | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const shown = folders.length > 1 ? folders.find((folder) => folder.uri.toString() === params.folder) : undefined;
  return shown?.name ?? vscode.workspace.name;
}

/** Exports the scorecard for `params` (the open panel's scope, or the workspace). */
export async function exportScorecard(server: ServerLink, params: ScorecardRequestParams, log: vscode.LogOutputChannel): Promise<void> {
  type Item = vscode.QuickPickItem & { format: ExportFormatInfo };
  const picked = await vscode.window.showQuickPick<Item>(
    EXPORT_FORMATS.map((format) => ({ label: format.label, description: format.description, format })),
    { title: 'Export Scorecard', placeHolder: params.scope === 'file' ? 'Format of the file’s scorecard' : 'Format of the workspace scorecard' },
  );
  if (!picked) return;
  const format = picked.format;

  const name = exportFileName(format.id, params);
  const folder = defaultFolder(params);
  const target = await vscode.window.showSaveDialog({
    title: 'Export Scorecard',
    saveLabel: 'Export',
    filters: { [format.filterName]: [format.extension] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
  });
  if (!target) return;

  const cancelled = new vscode.CancellationTokenSource();
  try {
    const written = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exporting the scorecard as ${format.label}…`, cancellable: true },
      async (_progress, token) => {
        token.onCancellationRequested(() => cancelled.cancel());
        const model = await server.scorecard(params, token);
        if (token.isCancellationRequested) return false;
        const text = renderReport(format.id, model, { nonce: makeNonce(), assets: PAGE_ASSETS, title: exportTitle(params, reportName(params)) });
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
        return true;
      },
    );
    if (!written) return;
  } catch (error: unknown) {
    if (cancelled.token.isCancellationRequested) return;
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Scorecard export to ${target.toString()} failed: ${message}`);
    void vscode.window.showErrorMessage(`KPI: the scorecard could not be exported: ${message}`);
    return;
  } finally {
    cancelled.dispose();
  }

  const choice = await vscode.window.showInformationMessage(`Scorecard exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
  if (choice !== 'Open') return;
  // A report page opens in the browser; the other formats in the editor.
  if (format.id === 'html') await vscode.env.openExternal(target);
  else await vscode.commands.executeCommand('vscode.open', target);
}
