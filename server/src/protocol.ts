// Custom messages between the VS Code client and the language server, typed
// once and imported by both (the client bundles this file too). The server
// registers them by `.method`: it depends on another copy of the protocol
// package than the client, whose types would not match.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ScorecardModel } from './language/service';

export type { ScorecardModel };

/**
 * Node options the extension starts the server with. A small young
 * generation keeps the peak memory of a large folder about 20 MB lower at no
 * measurable cost in speed (docs/performance.md); the benchmark starts the
 * server the same way.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];

export interface ScorecardParams {
  scope: 'workspace' | 'file';
  /** The .kpi document, for scope 'file'. */
  uri?: string;
}

/** The scorecard model of the workspace, or of one file and what it lists. */
export const ScorecardRequest = new RequestType<ScorecardParams, ScorecardModel, void>('kpi/scorecard');

/** Sent by the server after an analysis changed any document's results (edits, files, CSV data, configuration). */
export const ModelChangedNotification = new NotificationType<{ version: number }>('kpi/modelChanged');

export interface RevealParams {
  /** A workspace key (the `file` of a `Where`). */
  file: string;
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
