// VS Code extension entry. Activation registers what VS Code must find at
// once — the commands and the scorecard panel's serializer — and returns; the
// language client (languageClient.ts, bundled as dist/client.cjs because
// vscode-languageclient is most of the extension's load time) is loaded and
// started on the next turn of the event loop. Commands and the preview reach
// the server through a ServerLink that waits for it. The preview's panel and
// renderer are a third bundle (dist/preview.cjs), loaded by preview/index.ts
// when a preview command or the panel's serializer first runs.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NewKpiAnswers } from '../../server/src/language/features/newKpi';
import type { ServerInfo } from '../../server/src/protocol';
import type * as LanguageClientModule from './languageClient';
import { registerScorecardPreview } from './preview/index';
import { deferredLink, type ServerLink } from './serverLink';
import { registerKpiTasks } from './tasks';

/** What `activate` returns: for the extension-host tests and trouble-shooting. */
export interface KpiExtensionApi {
  /** The running server's process id and mode (waits while it starts). */
  serverInfo(): Promise<ServerInfo>;
}

let stopClient: (() => Promise<void>) | undefined;
/** Set by deactivate: a client not loaded yet is then never loaded (no server starts during shutdown). */
let deactivated = false;

export function activate(context: vscode.ExtensionContext): KpiExtensionApi {
  const outputChannel = vscode.window.createOutputChannel('KPI Language Server', { log: true });
  context.subscriptions.push(outputChannel);

  deactivated = false;
  let preview: { modelChanged(): void } | undefined;
  let clientModule: (module: typeof LanguageClientModule) => void = () => undefined;
  const loaded = new Promise<typeof LanguageClientModule>((resolve) => (clientModule = resolve));
  const ready = new Promise<ServerLink>((resolve, reject) => {
    setImmediate(() => {
      if (deactivated) {
        reject(new Error('The extension was deactivated before the language client loaded.'));
        return;
      }
      try {
        // Not bundled into this file: a second bundle, loaded once activation has returned.
        const module = require(path.join(__dirname, 'client.cjs')) as typeof LanguageClientModule;
        clientModule(module);
        resolve(module.startLanguageClient(context, outputChannel, { running: () => preview?.modelChanged(), modelChanged: () => preview?.modelChanged() }));
      } catch (error: unknown) {
        const message = error instanceof Error ? error.message : String(error);
        outputChannel.error(`The KPI language client did not load: ${message}`);
        void vscode.window.showErrorMessage(`KPI: the language client did not load: ${message}`);
        reject(error);
      }
    });
  });
  ready.catch(() => undefined);
  const link = deferredLink(ready);
  stopClient = () => link.stop();

  context.subscriptions.push(
    vscode.commands.registerCommand('kpi.restartServer', async () => {
      try {
        await link.restart();
        outputChannel.info('KPI language server restarted.');
      } catch (error: unknown) {
        const message = error instanceof Error ? error.message : String(error);
        outputChannel.error(`Restarting the KPI language server failed: ${message}`);
        void vscode.window.showErrorMessage(`KPI: could not restart the language server: ${message}`);
      }
    }),
  );

  // During activation: the panel serializer must exist when VS Code restores a preview.
  preview = registerScorecardPreview(context, link, outputChannel);
  registerKpiTasks(context);
  context.subscriptions.push(vscode.commands.registerCommand('kpi.newKpi', async (answers?: NewKpiAnswers) => (await loaded).newKpi(answers)));

  return { serverInfo: () => link.serverInfo() };
}

export function deactivate(): Thenable<void> | undefined {
  deactivated = true;
  const stop = stopClient;
  stopClient = undefined;
  // A client that never loaded has nothing to stop.
  return stop?.().catch(() => undefined);
}
