// VS Code extension entry: starts the KPI language server (dist/server.cjs)
// over IPC and offers a command to restart it. The server watches .kpi, .csv
// and .kpirc.json files itself (dynamic registration), as it does in any editor.
// The scorecard preview (client/src/preview/) asks the same server for its model.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { ModelChangedNotification } from '../../server/src/protocol';
import { registerScorecardPreview } from './preview/index';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };

  const outputChannel = vscode.window.createOutputChannel('KPI Language Server', { log: true });
  context.subscriptions.push(outputChannel);

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'kpi' },
      { scheme: 'untitled', language: 'kpi' },
    ],
    outputChannel,
    // Tells the server when `kpi.*` settings change; it then pulls them.
    synchronize: { configurationSection: 'kpi' },
    // Tells the server it may offer commands this extension provides (the scorecard code lens).
    initializationOptions: { kpiExtension: true },
  };

  const languageClient = new LanguageClient('kpi', 'KPI Language Server', serverOptions, clientOptions);
  client = languageClient;

  context.subscriptions.push(
    vscode.commands.registerCommand('kpi.restartServer', async () => {
      try {
        await languageClient.restart();
        outputChannel.info('KPI language server restarted.');
      } catch (error: unknown) {
        const message = error instanceof Error ? error.message : String(error);
        outputChannel.error(`Restarting the KPI language server failed: ${message}`);
        void vscode.window.showErrorMessage(`KPI: could not restart the language server: ${message}`);
      }
    }),
  );

  // Before the start: the panel serializer must exist when VS Code restores a preview.
  const preview = registerScorecardPreview(context, languageClient, outputChannel);

  await languageClient.start();
  // Registered once; the client re-installs it after a restart.
  context.subscriptions.push(languageClient.onNotification(ModelChangedNotification, () => preview.modelChanged()));
}

export function deactivate(): Thenable<void> | undefined {
  const current = client;
  client = undefined;
  return current?.stop();
}
