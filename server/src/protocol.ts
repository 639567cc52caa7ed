// Custom messages between the VS Code client and the language server, typed
// once and imported by both (the client bundles this file too): the server
// registers them with `connection.onRequest(ScorecardRequest, …)`, the client
// sends them with `sendRequest(ScorecardRequest, …)`, and both are checked
// against these types. That needs one copy of vscode-languageserver-protocol
// for vscode-languageclient and vscode-languageserver (package.json pins the
// version both use; test/server.test.ts checks it).
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ScorecardDelta, ScorecardModel } from './language/service';

export type { ScorecardDelta, ScorecardModel };

/**
 * Node options the extension starts the server with. The heap's growth policy
 * is not among them: the server sets it on itself as it starts
 * (server/src/node/heap.ts), so the extension and `kpi-language-server --stdio`
 * both stay bounded over long sessions. The one option here sizes the young
 * generation, which V8 fixes before any of our code runs: it keeps the peak of
 * a cold start on a large folder about 20 MB lower at no measurable cost in
 * speed (docs/performance.md). Other editors' start-ups may lack it and lose
 * only that. The benchmark starts the server both ways.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];

/** The Node options of the extension's two launch modes: `debug` adds only the debugger's. */
export function serverExecArgv(mode: 'run' | 'debug'): string[] {
  return mode === 'run' ? [...SERVER_EXEC_ARGV] : [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'];
}

export interface ScorecardParams {
  scope: 'workspace' | 'file';
  /**
   * The .kpi document: for scope 'file' the file shown; for scope 'workspace'
   * its folder is the workspace shown (each open folder is a workspace of its own).
   */
  uri?: string;
  /** For scope 'workspace': the URI of the open folder to show, which wins over `uri`. Without either, the first folder. */
  folder?: string;
}

/** The scorecard model of the workspace, or of one file and what it lists. */
export const ScorecardRequest = new RequestType<ScorecardParams, ScorecardModel, void>('kpi/scorecard');

export interface ScorecardUpdateParams extends ScorecardParams {
  /** The `id` of the model the client holds for these parameters, from an earlier reply. */
  since?: string;
}

/**
 * The scorecard as what changed since the model the client holds (`since`):
 * a delta to apply to it (server/src/language/scorecard/delta.ts), or the
 * whole model when the server no longer has that one. An unchanged model
 * comes back with the same `id` and an empty delta.
 */
export type ScorecardUpdate = { id: string; model: ScorecardModel } | { id: string; base: string; delta: ScorecardDelta };

/** The scorecard for the preview panel: a delta after each edit instead of megabytes of model. */
export const ScorecardUpdateRequest = new RequestType<ScorecardUpdateParams, ScorecardUpdate, void>('kpi/scorecardUpdate');

/** Sent by the server after an analysis changed any document's results (edits, files, CSV data, configuration). */
export const ModelChangedNotification = new NotificationType<{ version: number }>('kpi/modelChanged');

export interface RevealParams {
  /** A workspace key (the `file` of a `Where`), relative to its folder. */
  file: string;
  /** A document of the folder the key belongs to; without it, the first folder holding such a key. */
  uri?: string;
}

/** The document URI of a workspace key, or null when there is no such document. */
export const ResolveFileRequest = new RequestType<RevealParams, string | null, void>('kpi/resolveFile');

/**
 * What the VS Code extension says in `initialize`. Other editors send none of
 * it and get the defaults: no `kpi.*` commands, full mode.
 */
export interface KpiInitializationOptions {
  /** The client is this extension (it provides the `kpi.*` commands). */
  kpiExtension?: boolean;
  /** False in an untrusted workspace: the server then runs in limited mode and reads no data file. */
  workspaceTrusted?: boolean;
}

/** Whether the server may read data files, from the initialization options (anything but an explicit `false` is full mode). */
export function readsDataFiles(options: unknown): boolean {
  return (options as KpiInitializationOptions | null | undefined)?.workspaceTrusted !== false;
}

export interface ServerInfo {
  /** The server's process id (the crash-recovery test kills it). */
  pid: number;
  /** False in limited mode (an untrusted workspace). */
  readsDataFiles: boolean;
}

/** The running server's process and mode, for tests and trouble-shooting. */
export const ServerInfoRequest = new RequestType0<ServerInfo, void>('kpi/serverInfo');
