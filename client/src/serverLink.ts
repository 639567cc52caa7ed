// What the extension's commands and the scorecard preview need of the
// language server, without loading the language client: the entry
// (extension.ts) registers everything VS Code must find during activation and
// hands over a link that waits for the client (dist/client.cjs), which loads
// right after activation.
import type * as vscode from 'vscode';
import type { ScorecardModel, ScorecardParams, ScorecardUpdate, ScorecardUpdateParams, ServerInfo } from '../../server/src/protocol';

export interface ServerLink {
  scorecard(params: ScorecardParams, token?: vscode.CancellationToken): Promise<ScorecardModel>;
  /** The scorecard as a delta from the model `params.since` the caller holds, or whole (see ScorecardUpdateRequest). */
  scorecardUpdate(params: ScorecardUpdateParams, token?: vscode.CancellationToken): Promise<ScorecardUpdate>;
  /** The document URI of a workspace key, or null; `uri` (a document or an open folder) says which folder's key it is. */
  resolveFile(file: string, uri?: string): Promise<string | null>;
  serverInfo(): Promise<ServerInfo>;
  /** Starts the server again (and forgets earlier crashes). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A link whose calls wait for `ready`, the real one. */
export function deferredLink(ready: Promise<ServerLink>): ServerLink {
  return {
    scorecard: async (params, token) => (await ready).scorecard(params, token),
    scorecardUpdate: async (params, token) => (await ready).scorecardUpdate(params, token),
    resolveFile: async (file, uri) => (await ready).resolveFile(file, uri),
    serverInfo: async () => (await ready).serverInfo(),
    restart: async () => (await ready).restart(),
    stop: async () => (await ready).stop(),
  };
}
