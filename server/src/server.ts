// The language server: LSP in, the core's workspace in the middle, LSP out.
// Thin on purpose: it maps URIs to workspace keys, offsets to positions, and
// decides when to publish. `createServer` wires one connection to one
// workspace; everything it keeps lives in that call, so a test can run any
// number of servers in one process (test/support/in-process.ts) and main.ts
// only picks the transport.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  WatchKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { CONFIG_FILE, configDiagnostics, todayFrom, Workspace, type Day, type InlayOptions } from './language/service';
import { FEATURE_CAPABILITIES, registerFeatureHandlers } from './handlers';
import { findKpiFiles, keyFor, readText, type FolderFileSystem } from './node/files';
import { OpenDocuments, type DocumentEdit, type TextDocument } from './openDocuments';
import { ModelChangedNotification, readsDataFiles, type KpiInitializationOptions } from './protocol';
import { capDiagnostics, configLspDiagnostic, toLspDiagnostic } from './publish';

export interface ServerOptions {
  /** The day statuses and staleness are computed for, asked at every analysis. */
  today(): Day;
  /** The server's process id, which `kpi/serverInfo` reports. */
  processId: number;
  /**
   * The root when the editor opens no folder (the process's working
   * directory): open files below it get keys relative to it. Nothing is
   * scanned there.
   */
  workingDirectory: string;
}

/** What `initialize` settles for the rest of the session. */
interface Session {
  workspace: Workspace;
  root: string;
  /** False when the client opened no folder: then only open documents are checked. */
  hasFolder: boolean;
  canWatchFiles: boolean;
  canReadConfiguration: boolean;
  /** Whether the client is our VS Code extension (which provides the `kpi.*` commands). */
  clientIsVsCode: boolean;
}

/**
 * A file outside the workspace folder (opened from elsewhere) gets a key that
 * sorts after every file of the folder, so its declarations never shadow the
 * folder's own: a copy of org.kpi opened from elsewhere is the duplicate.
 */
const OUTSIDE = '\uffff';

/** Registers the server's handlers on `connection`; the caller then calls `connection.listen()`. */
export function createServer(connection: Connection, fileSystem: FolderFileSystem, options: ServerOptions): void {
  let session: Session | undefined;
  const documents = new OpenDocuments();
  /** Workspace key → the URI diagnostics are published under. */
  const uris = new Map<string, string>();
  /** URIs that currently carry diagnostics, so removed files get an empty list. */
  const published = new Set<string>();
  /** Documents the editor changed since the last analysis: checked and published before any other. */
  const typedIn = new Set<string>();
  let configText: string | undefined;
  let inlayOptions: InlayOptions = { ownerFunction: true, status: true };
  let analysisScheduled = false;
  let modelVersion = 0;

  function keyOf(uri: string): string {
    const file = filePathOf(uri);
    if (!file) return `${OUTSIDE}${uri}`;
    const key = keyFor(session?.root ?? options.workingDirectory, file);
    return key === '..' || key.startsWith('../') || path.isAbsolute(key) ? `${OUTSIDE}${file}` : key;
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    const folderPath = folder ? filePathOf(folder) : params.rootPath ?? undefined;
    const initializationOptions = params.initializationOptions as KpiInitializationOptions | undefined;
    const hasFolder = Boolean(folderPath);
    const root = folderPath || options.workingDirectory;
    // Limited mode (docs/security.md): only when the editor says the folder is untrusted.
    const readDataFiles = readsDataFiles(initializationOptions);
    if (!readDataFiles) connection.console.info('The workspace is not trusted: data files are not read (limited mode).');
    session = {
      workspace: new Workspace({ root, fs: fileSystem, today: options.today, readDataFiles }),
      root,
      hasFolder,
      canWatchFiles: params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      canReadConfiguration: params.capabilities.workspace?.configuration === true,
      // Our extension says so in its initialization options; other editors lack the kpi.* commands.
      clientIsVsCode: initializationOptions?.kpiExtension === true,
    };
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        workspace: { workspaceFolders: { supported: true } },
        ...FEATURE_CAPABILITIES,
      },
      serverInfo: { name: 'kpi-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    void refreshSettings();
    if (session?.canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.kpi' },
          { globPattern: '**/*.csv' },
          { globPattern: `**/${CONFIG_FILE}` },
          // Editors report a deleted or moved-in folder, not the files inside it.
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      });
    }
    // Without a folder the root is merely the server's working directory (often
    // `/` or the home folder): scanning it would read the whole disk.
    if (session?.hasFolder) {
      const { workspace, root } = session;
      safely('scanning the workspace', () => {
        configText = readText(path.join(root, CONFIG_FILE), root, fileSystem);
        workspace.setConfigText(configText);
        for (const file of findKpiFiles(root, root, fileSystem)) {
          const uri = pathToFileURL(file).toString();
          if (documents.get(uri)) continue; // already open: the editor's text wins
          const text = readText(file, undefined, fileSystem);
          if (text === undefined) continue;
          const key = keyFor(root, file);
          uris.set(key, uri);
          workspace.setDocument(key, text, 0, file);
        }
      });
    }
    scheduleAnalysis();
  });

  connection.onDidOpenTextDocument((params) => {
    documentChanged(documents.open(params), undefined);
  });

  connection.onDidChangeTextDocument((params) => {
    const edit = documents.change(params);
    if (edit) documentChanged(edit.document, edit);
  });

  /** Hands the editor's text to the workspace, with the edited range when the workspace holds the text it applies to. */
  function documentChanged(document: TextDocument, edit: DocumentEdit | undefined): void {
    safely('updating a document', () => {
      if (!session) return;
      const key = keyOf(document.uri);
      // Open or not, a file in node_modules or a dot-folder below the root (a
      // `.history` copy, a vendored package) is not part of the model: it would
      // shadow the real declarations and turn them into duplicates.
      if (isBelowRoot(key) && isIgnored(key)) return;
      // The editor's range applies only to the text the workspace holds from this
      // editor's previous version (two URIs can name one file).
      const sameEditor = uris.get(key) === document.uri;
      uris.set(key, document.uri);
      const held = session.workspace.getDocument(key);
      const change = edit && held && sameEditor && held.version === edit.fromVersion && held.version !== 0 ? edit.change : undefined;
      session.workspace.setDocument(key, document.getText(), document.version, filePathOf(document.uri), change);
      typedIn.add(key);
    });
    scheduleAnalysis();
  }

  connection.onDidCloseTextDocument((params) => {
    if (!documents.close(params)) return;
    const uri = params.textDocument.uri;
    // The file on disk (if any) is the truth again once the editor lets go.
    safely('closing a document', () => {
      if (!session) return;
      const key = keyOf(uri);
      const file = filePathOf(uri);
      // Only a file of the workspace folder goes back to its disk text; any other
      // (outside the folder, ignored, or no folder at all) leaves with its editor.
      const text = file && file.endsWith('.kpi') && session.hasFolder && isBelowRoot(key) && !isIgnored(key) ? readText(file, session.root, fileSystem) : undefined;
      if (text !== undefined && file) session.workspace.setDocument(key, text, 0, file);
      else {
        session.workspace.removeDocument(key);
        clearDiagnostics(uri, key);
      }
    });
    scheduleAnalysis();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    safely('following file changes', () => {
      if (!session) return;
      const { workspace, root } = session;
      for (const change of changes) {
        const file = filePathOf(change.uri);
        if (!file) continue;
        if (path.basename(file) === CONFIG_FILE && path.dirname(file) === root) {
          configText = change.type === FileChangeType.Deleted ? undefined : readText(file, root, fileSystem);
          workspace.setConfigText(configText);
        } else if (file.endsWith('.csv')) {
          workspace.dataFileChanged(file);
        } else if (file.endsWith('.kpi')) {
          followKpiFile(session, file, change.type === FileChangeType.Deleted);
        } else if (change.type === FileChangeType.Deleted) {
          // Maybe a folder: forget the .kpi files that were below it.
          const prefix = `${keyFor(root, file)}/`;
          for (const doc of workspace.documents) {
            if (doc.key.startsWith(prefix) && doc.path) followKpiFile(session, doc.path, true);
          }
        } else if (change.type === FileChangeType.Created && fileSystem.stat(file)?.kind === 'directory') {
          if (!isIgnored(keyFor(root, file))) for (const inner of findKpiFiles(file, root, fileSystem)) followKpiFile(session, inner, false);
        }
      }
    });
    scheduleAnalysis();
  });

  /** Reads a .kpi file from disk into the workspace, or removes it; open documents follow the editor instead. */
  function followKpiFile({ workspace, root }: Session, file: string, deleted: boolean): void {
    const uri = pathToFileURL(file).toString();
    if (documents.get(uri)) return;
    const key = keyFor(root, file);
    if (!isBelowRoot(key) || isIgnored(key)) return;
    const text = deleted ? undefined : readText(file, root, fileSystem);
    if (text === undefined) {
      workspace.removeDocument(key);
      clearDiagnostics(uri, key);
    } else {
      uris.set(key, uri);
      workspace.setDocument(key, text, 0, file);
    }
  }

  /**
   * Analysis runs once per batch of messages: edits that arrive together are
   * folded into one analysis, and only the latest text is ever published. The
   * documents being typed in go first; the others an edit reaches (a renamed
   * role used in fifty files) follow in the next turn of the event loop, after
   * any newer message, so a keystroke never waits for the fan-out.
   */
  function scheduleAnalysis(): void {
    if (analysisScheduled) return;
    analysisScheduled = true;
    setImmediate(() => {
      analysisScheduled = false;
      let completed = false;
      safely('analysing', () => {
        publishChanged();
        completed = true;
      });
      // A failed analysis is logged once and retried on the next message, not in a loop.
      if (completed && session?.workspace.hasWork) scheduleAnalysis();
    });
  }

  function publishChanged(): void {
    if (!session) return;
    const { workspace, root } = session;
    const first = typedIn.size > 0 ? new Set(typedIn) : undefined;
    typedIn.clear();
    const changed = workspace.analyze(first);
    // The scorecard preview re-asks for the model when anything it shows may have moved.
    if (changed.length > 0) void connection.sendNotification(ModelChangedNotification, { version: ++modelVersion });
    for (const key of changed) {
      const doc = workspace.getDocument(key);
      const uri = uris.get(key);
      if (!doc || !uri) continue;
      const open = documents.get(uri);
      // An open document that moved on since this analysis is published by the next one.
      if (open && open.version !== doc.version && doc.version !== 0) continue;
      sendDiagnostics(
        uri,
        workspace.diagnostics(key).map((d) => toLspDiagnostic(doc.lines, d)),
        open?.version,
      );
    }
    const configUri = pathToFileURL(path.join(root, CONFIG_FILE)).toString();
    const problems = configDiagnostics(workspace, configText);
    if (problems.length > 0 || published.has(configUri)) sendDiagnostics(configUri, problems.map(configLspDiagnostic), undefined);
  }

  function sendDiagnostics(uri: string, diagnostics: LspDiagnostic[], version: number | undefined): void {
    if (diagnostics.length > 0) published.add(uri);
    else published.delete(uri);
    const sent = capDiagnostics(diagnostics);
    void connection.sendDiagnostics(version === undefined ? { uri, diagnostics: sent } : { uri, version, diagnostics: sent });
  }

  function clearDiagnostics(uri: string, key: string): void {
    uris.delete(key);
    sendDiagnostics(uri, [], undefined);
  }

  /** Runs `work`, logging instead of crashing: one bad input must not take the server down. */
  function safely(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      connection.console.error(`kpi-language-server: error while ${what}: ${(error as Error).stack ?? String(error)}`);
    }
  }

  /** Reads `kpi.inlayHints.*` from the editor, when it can tell. */
  async function refreshSettings(): Promise<void> {
    if (!session?.canReadConfiguration) return;
    try {
      const settings = (await connection.workspace.getConfiguration('kpi')) as { inlayHints?: Partial<InlayOptions> } | null;
      inlayOptions = { ownerFunction: settings?.inlayHints?.ownerFunction !== false, status: settings?.inlayHints?.status !== false };
      void connection.languages.inlayHint.refresh().catch(() => undefined);
    } catch {
      // Keep the defaults when the editor cannot answer.
    }
  }

  connection.onDidChangeConfiguration(() => void refreshSettings());

  registerFeatureHandlers(connection, {
    workspace: () => session?.workspace,
    document: (uri) => session?.workspace.getDocument(keyOf(uri)),
    uriOf: (key) => uris.get(key) ?? pathToFileURL(path.join(session?.root ?? options.workingDirectory, key)).toString(),
    inlayOptions: () => inlayOptions,
    clientIsVsCode: () => session?.clientIsVsCode === true,
    processId: options.processId,
  });
}

/**
 * Today from `KPI_TODAY` (a pinned date for tests and demos, as for the CLI),
 * else the real date, asked afresh each time. A pinned value that is not a
 * date is reported once through `warn` and ignored.
 */
export function todayFromEnvironment(pinned: string | undefined, warn: (message: string) => void): () => Day {
  const day = pinned ? todayFrom(pinned) : undefined;
  let warned = false;
  return () => {
    if (pinned && day === undefined && !warned) {
      warned = true;
      warn(`KPI_TODAY="${pinned}" is not a date YYYY-MM-DD; using the real date.`);
    }
    return day ?? todayFrom(undefined)!;
  };
}

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Whether a file's key is below the root (not `../…`, not on another drive). */
function isBelowRoot(key: string): boolean {
  return !key.startsWith(OUTSIDE) && key !== '..' && !key.startsWith('../') && !path.isAbsolute(key);
}

/** Files in node_modules or dot-folders are not part of the workspace (LANGUAGE.md section 1). */
function isIgnored(key: string): boolean {
  return key.split('/').some((part) => part === 'node_modules' || (part.startsWith('.') && part !== '..' && part !== '.'));
}
