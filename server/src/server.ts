// The language server: LSP in, the core's workspaces in the middle, LSP out.
// Thin on purpose: it maps URIs to a folder's workspace and its keys, offsets
// to positions, and decides when to publish. Each open workspace folder is a
// workspace of its own (LANGUAGE.md section 1): its model, namespace,
// `.kpirc.json` and data root; a document belongs to the innermost open folder
// that holds it, and a document in no open folder is checked alone in a
// workspace of its own. `createServer` wires one connection; everything it
// keeps lives in that call, so a test can run any number of servers in one
// process (test/support/in-process.ts) and main.ts only picks the transport.
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
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { CONFIG_FILE, configDiagnostics, todayFrom, Workspace, type Day, type InlayOptions } from './language/service';
import { FEATURE_CAPABILITIES, registerFeatureHandlers } from './handlers';
import { findKpiFiles, keyFor, readText, type FolderFileSystem } from './node/files';
import { OpenDocuments, type DocumentEdit, type TextDocument } from './openDocuments';
import { ModelChangedNotification, readsDataFiles, type KpiInitializationOptions } from './protocol';
import { capDiagnostics, configLspDiagnostic, toLspDiagnostic } from './publish';
import { VERSION } from './version';

export interface ServerOptions {
  /** The day statuses and staleness are computed for, asked at every analysis. */
  today(): Day;
  /** The server's process id, which `kpi/serverInfo` reports. */
  processId: number;
  /**
   * Where a document that is not a file (an untitled editor) is rooted. Nothing
   * is scanned there.
   */
  workingDirectory: string;
}

/** One open workspace folder, or one document outside every folder, with the core workspace that checks it. */
interface Home {
  /** The folder's URI as the editor sent it; for a document outside every folder, the document's URI. */
  uri: string;
  /** The folder's path (for a document outside every folder, the file's own folder): keys are relative to it. */
  root: string;
  workspace: Workspace;
  /** False for a document outside every folder: nothing is scanned and no configuration read for it. */
  isFolder: boolean;
  /** Workspace key → the URI diagnostics are published under. */
  uris: Map<string, string>;
  /** Documents the editor changed since the last analysis: checked and published before any other. */
  typedIn: Set<string>;
  configText: string | undefined;
}

/** What `initialize` settles for the rest of the session. */
interface Session {
  /** The open workspace folders in the editor's order (the first is the default scorecard scope). */
  folders: Home[];
  /** The same folders, deepest root first: the first that holds a file is its innermost folder. */
  foldersByDepth: Home[];
  /** Open documents outside every folder, by URI: each is checked alone. */
  loose: Map<string, Home>;
  /** The scorecard of a session with no folder: an empty workspace. */
  empty: Workspace;
  readDataFiles: boolean;
  canWatchFiles: boolean;
  canReadConfiguration: boolean;
  /** Whether the client sends `workspace/didChangeWorkspaceFolders`. */
  canFollowFolders: boolean;
  /** Whether the client is our VS Code extension (which provides the `kpi.*` commands). */
  clientIsVsCode: boolean;
}

/** Registers the server's handlers on `connection`; the caller then calls `connection.listen()`. */
export function createServer(connection: Connection, fileSystem: FolderFileSystem, options: ServerOptions): void {
  let session: Session | undefined;
  const documents = new OpenDocuments();
  /** The home each open document was handed to, so a folder change can move it. */
  const openHomes = new Map<string, Home>();
  /** The home of each core workspace, for the URIs of its keys. */
  const homeOfWorkspace = new WeakMap<Workspace, Home>();
  /** URIs that currently carry diagnostics, so removed files get an empty list. */
  const published = new Set<string>();
  /** Homes with something to analyse: an analysis visits only these, so an edit costs one folder's check. */
  const touched = new Set<Home>();
  let inlayOptions: InlayOptions = { ownerFunction: true, status: true };
  let analysisScheduled = false;
  let modelVersion = 0;
  let lastDay: Day | undefined;

  function newHome(uri: string, root: string, isFolder: boolean): Home {
    const workspace = new Workspace({ root, fs: fileSystem, today: options.today, readDataFiles: session?.readDataFiles ?? true });
    const home: Home = { uri, root, workspace, isFolder, uris: new Map(), typedIn: new Set(), configText: undefined };
    homeOfWorkspace.set(workspace, home);
    return home;
  }

  /** The innermost open folder holding `file`: a longest-prefix match, nothing more per keystroke. */
  function folderOfPath(file: string): Home | undefined {
    return session?.foldersByDepth.find((folder) => isInside(folder.root, file));
  }

  /** The home of a document, without creating one. */
  function findHome(uri: string): Home | undefined {
    const file = filePathOf(uri);
    return (file ? folderOfPath(file) : undefined) ?? session?.loose.get(uri);
  }

  /** The home of a document the editor hands over: its folder, else a workspace of its own. */
  function homeFor(uri: string): Home | undefined {
    if (!session) return undefined;
    const found = findHome(uri);
    if (found) return found;
    const file = filePathOf(uri);
    const home = newHome(uri, file ? path.dirname(file) : options.workingDirectory, false);
    session.loose.set(uri, home);
    return home;
  }

  function keyIn(home: Home, uri: string): string {
    const file = filePathOf(uri);
    return file ? keyFor(home.root, file) : uri;
  }

  function sortFolders(current: Session): void {
    current.foldersByDepth = [...current.folders].sort((a, b) => b.root.length - a.root.length);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const initializationOptions = params.initializationOptions as KpiInitializationOptions | undefined;
    // Limited mode (docs/security.md): only when the editor says the folder is untrusted.
    const readDataFiles = readsDataFiles(initializationOptions);
    if (!readDataFiles) connection.console.info('The workspace is not trusted: data files are not read (limited mode).');
    const current: Session = {
      folders: [],
      foldersByDepth: [],
      loose: new Map(),
      empty: new Workspace({ root: options.workingDirectory, fs: fileSystem, today: options.today, readDataFiles }),
      readDataFiles,
      canWatchFiles: params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      canReadConfiguration: params.capabilities.workspace?.configuration === true,
      canFollowFolders: params.capabilities.workspace?.workspaceFolders === true,
      // Our extension says so in its initialization options; other editors lack the kpi.* commands.
      clientIsVsCode: initializationOptions?.kpiExtension === true,
    };
    session = current;
    const folders: WorkspaceFolder[] = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    if (folders.length === 0 && params.rootPath) folders.push({ uri: pathToFileURL(params.rootPath).toString(), name: '' });
    for (const folder of folders) addFolder(current, folder);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...FEATURE_CAPABILITIES,
      },
      serverInfo: { name: 'kpi-language-server', version: VERSION },
    };
  });

  /** Adds an open folder (not yet scanned); a folder that is not a file path, or is open already, is left out. */
  function addFolder(current: Session, folder: WorkspaceFolder): Home | undefined {
    const folderPath = filePathOf(folder.uri);
    if (!folderPath) return undefined;
    const root = path.resolve(folderPath);
    if (current.folders.some((open) => open.root === root)) return undefined;
    const home = newHome(folder.uri, root, true);
    current.folders.push(home);
    sortFolders(current);
    return home;
  }

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
    if (session?.canFollowFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        safely('following workspace folders', () => changeFolders(added, removed));
        scheduleAnalysis();
      });
    }
    // Only open folders are scanned: without one the working directory (often `/`
    // or the home folder) would mean reading the whole disk.
    for (const folder of session?.folders ?? []) safely('scanning a workspace folder', () => scanFolder(folder));
    scheduleAnalysis();
  });

  /**
   * Reads a folder's configuration and its .kpi files into its workspace, and
   * forgets the files that now belong to a folder nested in it. Open documents
   * are left to the editor.
   */
  function scanFolder(folder: Home): void {
    const { workspace, root } = folder;
    folder.configText = readText(path.join(root, CONFIG_FILE), root, fileSystem);
    workspace.setConfigText(folder.configText);
    for (const doc of workspace.documents) {
      if (doc.path && folderOfPath(doc.path) !== folder) forget(folder, doc.key);
    }
    for (const file of findKpiFiles(root, root, fileSystem)) {
      // A nested open folder's files are its own, not also the outer folder's.
      if (folderOfPath(file) !== folder) continue;
      const uri = pathToFileURL(file).toString();
      if (documents.get(uri)) continue; // already open: the editor's text wins
      const text = readText(file, undefined, fileSystem);
      if (text === undefined) continue;
      const key = keyFor(root, file);
      folder.uris.set(key, uri);
      workspace.setDocument(key, text, 0, file);
    }
    touched.add(folder);
  }

  /** Folders opened and closed while the server runs: scanned, or dropped with their diagnostics. */
  function changeFolders(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const current = session;
    if (!current) return;
    const changedRoots: string[] = [];
    for (const folder of removed) {
      const folderPath = filePathOf(folder.uri);
      const home = folderPath ? current.folders.find((open) => open.root === path.resolve(folderPath)) : undefined;
      if (!home) continue;
      current.folders = current.folders.filter((open) => open !== home);
      sortFolders(current);
      dropHome(home);
      changedRoots.push(home.root);
    }
    const addedHomes: Home[] = [];
    for (const folder of added) {
      const home = addFolder(current, folder);
      if (!home) continue;
      addedHomes.push(home);
      changedRoots.push(home.root);
    }
    // A folder around an added or removed one gains or loses the files of the inner one.
    for (const folder of current.folders) {
      if (addedHomes.includes(folder) || changedRoots.some((root) => root !== folder.root && isInside(folder.root, root))) scanFolder(folder);
    }
    // Open documents follow: each to the innermost folder that now holds it.
    for (const [uri, home] of [...openHomes]) {
      const document = documents.get(uri);
      if (!document || findHome(uri) === home) continue;
      // A removed folder was dropped whole; an outer folder lets the document go to the inner one.
      if (!home.isFolder) dropHome(home);
      else if (current.folders.includes(home)) forget(home, keyIn(home, uri));
      openHomes.delete(uri);
      documentChanged(document, undefined);
    }
  }

  /** Clears every diagnostic a home published and stops analysing it. */
  function dropHome(home: Home): void {
    for (const uri of home.uris.values()) if (published.has(uri)) sendDiagnostics(uri, [], undefined);
    home.uris.clear();
    const configUri = configUriOf(home);
    if (published.has(configUri)) sendDiagnostics(configUri, [], undefined);
    touched.delete(home);
    session?.loose.delete(home.uri);
  }

  /** Removes a document from a home's workspace and clears its diagnostics. */
  function forget(home: Home, key: string): void {
    home.workspace.removeDocument(key);
    const uri = home.uris.get(key);
    if (uri) clearDiagnostics(home, uri, key);
    touched.add(home);
  }

  connection.onDidOpenTextDocument((params) => {
    documentChanged(documents.open(params), undefined);
  });

  connection.onDidChangeTextDocument((params) => {
    const edit = documents.change(params);
    if (edit) documentChanged(edit.document, edit);
  });

  /** Hands the editor's text to its home's workspace, with the edited range when the workspace holds the text it applies to. */
  function documentChanged(document: TextDocument, edit: DocumentEdit | undefined): void {
    safely('updating a document', () => {
      const home = homeFor(document.uri);
      if (!home) return;
      const key = keyIn(home, document.uri);
      // Open or not, a file in node_modules or a dot-folder of a folder (a
      // `.history` copy, a vendored package) is not part of the model: it would
      // shadow the real declarations and turn them into duplicates.
      if (home.isFolder && isIgnored(key)) return;
      openHomes.set(document.uri, home);
      // The editor's range applies only to the text the workspace holds from this
      // editor's previous version (two URIs can name one file).
      const sameEditor = home.uris.get(key) === document.uri;
      home.uris.set(key, document.uri);
      const held = home.workspace.getDocument(key);
      const change = edit && held && sameEditor && held.version === edit.fromVersion && held.version !== 0 ? edit.change : undefined;
      home.workspace.setDocument(key, document.getText(), document.version, filePathOf(document.uri), change);
      home.typedIn.add(key);
      touched.add(home);
    });
    scheduleAnalysis();
  }

  connection.onDidCloseTextDocument((params) => {
    if (!documents.close(params)) return;
    const uri = params.textDocument.uri;
    openHomes.delete(uri);
    // The file on disk (if any) is the truth again once the editor lets go.
    safely('closing a document', () => {
      const home = findHome(uri);
      if (!home) return;
      const key = keyIn(home, uri);
      const file = filePathOf(uri);
      // Only a file of an open folder goes back to its disk text; any other
      // (outside every folder, or ignored) leaves with its editor.
      const text = file && file.endsWith('.kpi') && home.isFolder && !isIgnored(key) ? readText(file, home.root, fileSystem) : undefined;
      if (text !== undefined && file) {
        home.workspace.setDocument(key, text, 0, file);
        touched.add(home);
      } else if (home.isFolder) forget(home, key);
      else {
        // A document outside every folder was its workspace's only one.
        clearDiagnostics(home, uri, key);
        dropHome(home);
      }
    });
    scheduleAnalysis();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    safely('following file changes', () => {
      if (!session) return;
      for (const change of changes) {
        const file = filePathOf(change.uri);
        if (!file) continue;
        if (file.endsWith('.csv')) {
          // A data file may be read by any home near it, inside a folder or not.
          for (const home of [...session.folders, ...session.loose.values()]) {
            home.workspace.dataFileChanged(file);
            touched.add(home);
          }
          continue;
        }
        const folder = folderOfPath(file);
        if (!folder) continue; // outside every folder: open documents follow their editor
        touched.add(folder);
        const { workspace, root } = folder;
        if (path.basename(file) === CONFIG_FILE && path.dirname(file) === root) {
          folder.configText = change.type === FileChangeType.Deleted ? undefined : readText(file, root, fileSystem);
          workspace.setConfigText(folder.configText);
        } else if (file.endsWith('.kpi')) {
          followKpiFile(folder, file, change.type === FileChangeType.Deleted);
        } else if (change.type === FileChangeType.Deleted) {
          // Maybe a folder: forget the .kpi files that were below it.
          const prefix = `${keyFor(root, file)}/`;
          for (const doc of workspace.documents) {
            if (doc.key.startsWith(prefix) && doc.path) followKpiFile(folder, doc.path, true);
          }
        } else if (change.type === FileChangeType.Created && fileSystem.stat(file)?.kind === 'directory') {
          if (isIgnored(keyFor(root, file))) continue;
          for (const inner of findKpiFiles(file, root, fileSystem)) {
            const home = folderOfPath(inner);
            if (home) followKpiFile(home, inner, false);
          }
        }
      }
    });
    scheduleAnalysis();
  });

  /** Reads a .kpi file from disk into its folder's workspace, or removes it; open documents follow the editor instead. */
  function followKpiFile(folder: Home, file: string, deleted: boolean): void {
    const uri = pathToFileURL(file).toString();
    if (documents.get(uri)) return;
    const key = keyFor(folder.root, file);
    if (isIgnored(key)) return;
    const text = deleted ? undefined : readText(file, folder.root, fileSystem);
    touched.add(folder);
    if (text === undefined) forget(folder, key);
    else {
      folder.uris.set(key, uri);
      folder.workspace.setDocument(key, text, 0, file);
    }
  }

  /**
   * Analysis runs once per batch of messages: edits that arrive together are
   * folded into one analysis, and only the latest text is ever published. Only
   * the homes something happened in are analysed. The documents being typed in
   * go first; the others an edit reaches (a renamed role used in fifty files)
   * follow in the next turn of the event loop, after any newer message, so a
   * keystroke never waits for the fan-out.
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
      if (completed && touched.size > 0) scheduleAnalysis();
    });
  }

  function publishChanged(): void {
    if (!session) return;
    // A new day changes statuses everywhere, not only where something was edited.
    const today = options.today();
    if (today !== lastDay) {
      lastDay = today;
      for (const home of [...session.folders, ...session.loose.values()]) touched.add(home);
    }
    const homes = [...touched];
    touched.clear();
    let anyChanged = false;
    for (const home of homes) {
      const { workspace } = home;
      const first = home.typedIn.size > 0 ? new Set(home.typedIn) : undefined;
      home.typedIn.clear();
      const changed = workspace.analyze(first);
      if (workspace.hasWork) touched.add(home);
      if (changed.length > 0) anyChanged = true;
      for (const key of changed) {
        const doc = workspace.getDocument(key);
        const uri = home.uris.get(key);
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
      if (!home.isFolder) continue;
      const configUri = configUriOf(home);
      const problems = configDiagnostics(workspace, home.configText);
      if (problems.length > 0 || published.has(configUri)) sendDiagnostics(configUri, problems.map(configLspDiagnostic), undefined);
    }
    // The scorecard preview re-asks for the model when anything it shows may have moved.
    if (anyChanged) void connection.sendNotification(ModelChangedNotification, { version: ++modelVersion });
  }

  function configUriOf(home: Home): string {
    return pathToFileURL(path.join(home.root, CONFIG_FILE)).toString();
  }

  function sendDiagnostics(uri: string, diagnostics: LspDiagnostic[], version: number | undefined): void {
    if (diagnostics.length > 0) published.add(uri);
    else published.delete(uri);
    const sent = capDiagnostics(diagnostics);
    void connection.sendDiagnostics(version === undefined ? { uri, diagnostics: sent } : { uri, version, diagnostics: sent });
  }

  function clearDiagnostics(home: Home, uri: string, key: string): void {
    home.uris.delete(key);
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
    workspaceOf: (uri) => findHome(uri)?.workspace,
    document: (uri) => {
      const home = findHome(uri);
      return home?.workspace.getDocument(keyIn(home, uri));
    },
    uriOf: (workspace, key) => {
      const home = homeOfWorkspace.get(workspace);
      return home?.uris.get(key) ?? pathToFileURL(path.join(home?.root ?? options.workingDirectory, key)).toString();
    },
    workspaces: () => (session ? [...session.folders, ...session.loose.values()].map((home) => home.workspace) : []),
    folderWorkspace: (folderUri) => {
      const folderPath = filePathOf(folderUri);
      return folderPath ? session?.folders.find((folder) => folder.root === path.resolve(folderPath))?.workspace : undefined;
    },
    defaultWorkspace: () => (session ? session.folders[0]?.workspace ?? session.empty : undefined),
    readsDataFiles: () => session?.readDataFiles !== false,
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

/** Whether `file` is `folder` or below it (paths, not URIs: `/a/bc` is not inside `/a/b`). */
function isInside(folder: string, file: string): boolean {
  if (file === folder) return true;
  return file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** Files in node_modules or dot-folders are not part of the workspace (LANGUAGE.md section 1). */
function isIgnored(key: string): boolean {
  return key.split('/').some((part) => part === 'node_modules' || (part.startsWith('.') && part !== '..' && part !== '.'));
}
