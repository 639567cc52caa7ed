// VS Code extension entry: starts the KPI language server (dist/server.cjs)
// over IPC and offers a command to restart it. The server watches .kpi, .csv
// and .kpirc.json files itself (dynamic registration), as it does in any editor.
// The scorecard preview (client/src/preview/) asks the same server for its model.
//
// Workspace Trust (docs/security.md): in an untrusted folder the server runs in
// limited mode and reads no data file; granting trust restarts it in full mode.
// Crash recovery: a server that dies is started again (RestartPolicy) and the
// client sends it every open document's current text, unsaved edits included.
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { ErrorHandler, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { ModelChangedNotification, ServerInfoRequest, type KpiInitializationOptions, type ServerInfo } from '../../server/src/protocol';
import { registerScorecardPreview } from './preview/index';
import { RestartPolicy } from './restartPolicy';

/** What `activate` returns: for the extension-host tests and trouble-shooting. */
export interface KpiExtensionApi {
  /** The running server's process id and mode (waits while it starts). */
  serverInfo(): Promise<ServerInfo>;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<KpiExtensionApi> {
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
  const restarts = new RestartPolicy();

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'kpi' },
      { scheme: 'untitled', language: 'kpi' },
    ],
    outputChannel,
    // Tells the server when `kpi.*` settings change; it then pulls them.
    synchronize: { configurationSection: 'kpi' },
    // Evaluated at every (re)start, so a restart after granting trust starts in full mode.
    initializationOptions: (): KpiInitializationOptions => ({
      // The server may offer commands this extension provides (the scorecard code lens).
      kpiExtension: true,
      workspaceTrusted: vscode.workspace.isTrusted,
    }),
    errorHandler: crashHandler(restarts, outputChannel),
  };

  const languageClient = new LanguageClient('kpi', 'KPI Language Server', serverOptions, clientOptions);
  client = languageClient;

  context.subscriptions.push(
    vscode.commands.registerCommand('kpi.restartServer', async () => {
      try {
        restarts.reset();
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

  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      // The server learns about trust only in `initialize`: start it again so that it reads data files.
      outputChannel.info('The workspace is now trusted: restarting the KPI language server so that it reads data files.');
      try {
        await languageClient.restart();
      } catch (error: unknown) {
        outputChannel.error(`Restarting the KPI language server after the trust change failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  if (!vscode.workspace.isTrusted) outputChannel.info('The workspace is not trusted: the KPI language server runs in limited mode and reads no data file.');

  // Registered once, before the start; the client installs it on every (re)start.
  context.subscriptions.push(languageClient.onNotification(ModelChangedNotification, () => preview.modelChanged()));
  // Activation does not wait for the server: VS Code counts the time until
  // activate() returns, and the editor is usable (highlighting, the grammar)
  // while the server starts. Failures land in the output channel.
  languageClient.start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    outputChannel.error(`The KPI language server did not start: ${message}`);
    void vscode.window.showErrorMessage(`KPI: the language server did not start: ${message}`);
  });

  return {
    serverInfo: () => languageClient.sendRequest(ServerInfoRequest),
  };
}

/**
 * What the client does when the connection to the server fails or closes.
 * A closed connection means the server died (a normal stop never asks): it is
 * restarted, quietly, up to RestartPolicy's limit; then the user is told, once,
 * with a button to restart by hand.
 */
function crashHandler(policy: RestartPolicy, log: vscode.LogOutputChannel): ErrorHandler {
  return {
    // As vscode-languageclient's default: a few broken messages are tolerated, then the server is shut down.
    error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
    closed: () => {
      if (policy.crashed(Date.now())) {
        log.warn('The KPI language server stopped unexpectedly; starting it again. It receives the current text of every open document, unsaved changes included.');
        return { action: CloseAction.Restart, handled: true };
      }
      const message = policy.gaveUpMessage();
      log.error(message);
      void vscode.window.showErrorMessage(`KPI: ${message}`, 'Restart Server', 'Show Output').then((choice) => {
        if (choice === 'Restart Server') void vscode.commands.executeCommand('kpi.restartServer');
        else if (choice === 'Show Output') log.show();
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

export function deactivate(): Thenable<void> | undefined {
  const current = client;
  client = undefined;
  return current?.stop();
}
