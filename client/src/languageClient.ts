// The language client: starts the KPI language server (dist/server.cjs) over
// IPC. Bundled on its own (dist/client.cjs) and loaded by the extension's
// entry (extension.ts) right after activation: vscode-languageclient takes
// most of the extension's load time, and activation should not wait for it.
// The server watches .kpi, .csv and .kpirc.json files itself (dynamic
// registration), as it does in any editor.
//
// Workspace Trust (docs/security.md): in an untrusted folder the server runs in
// limited mode and reads no data file; granting trust restarts it in full mode.
// Crash recovery: a server that dies is started again (RestartPolicy) and the
// client sends it every open document's current text, unsaved edits included.
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind } from 'vscode-languageclient/node';
import type { ErrorHandler, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { ModelChangedNotification, ResolveFileRequest, ScorecardRequest, ScorecardUpdateRequest, serverExecArgv, ServerInfoRequest, type KpiInitializationOptions } from '../../server/src/protocol';
import { RestartPolicy } from './restartPolicy';
import type { ServerLink } from './serverLink';

// KPI: New KPI… comes with this bundle: it needs the core's text and formatting helpers, which activation should not load.
export { newKpi } from './newKpi';

/**
 * Creates and starts the language client. `hooks` are the extension's
 * listeners, installed before the start so that no notification is missed.
 */
export function startLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel, hooks: { running(): void; modelChanged(): void }): ServerLink {
  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: serverExecArgv('run') } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: serverExecArgv('debug') },
    },
  };
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

  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      // The server learns about trust only in `initialize`: start it again so that it reads data files.
      outputChannel.info('The workspace is now trusted: restarting the KPI language server so that it reads data files.');
      try {
        await started;
        await languageClient.restart();
      } catch (error: unknown) {
        outputChannel.error(`Restarting the KPI language server after the trust change failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
    // After a restart the server has analysed everything anew.
    languageClient.onDidChangeState(({ newState }) => {
      if (newState === State.Running) hooks.running();
    }),
    // Registered once, before the start; the client installs it on every (re)start.
    languageClient.onNotification(ModelChangedNotification, () => hooks.modelChanged()),
  );
  if (!vscode.workspace.isTrusted) outputChannel.info('The workspace is not trusted: the KPI language server runs in limited mode and reads no data file.');

  // Settles when the first start has succeeded or failed: the client cannot be
  // stopped or restarted while it is starting.
  const started = languageClient.start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    outputChannel.error(`The KPI language server did not start: ${message}`);
    void vscode.window.showErrorMessage(`KPI: the language server did not start: ${message}`);
  });

  return {
    scorecard: (params, token) => languageClient.sendRequest(ScorecardRequest, params, token),
    scorecardUpdate: (params, token) => languageClient.sendRequest(ScorecardUpdateRequest, params, token),
    resolveFile: (file, uri) => languageClient.sendRequest(ResolveFileRequest, uri === undefined ? { file } : { file, uri }),
    serverInfo: () => languageClient.sendRequest(ServerInfoRequest),
    async restart() {
      await started;
      restarts.reset();
      // After a failed start there is nothing to stop: start again.
      if (languageClient.needsStop()) await languageClient.restart();
      else await languageClient.start();
    },
    async stop() {
      await started;
      if (languageClient.needsStop()) await languageClient.stop();
    },
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
