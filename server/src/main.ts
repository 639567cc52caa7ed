// The language server: LSP in, the core's workspace in the middle, LSP out.
// Thin on purpose: it maps URIs to workspace keys, offsets to positions, and
// decides when to publish. Started with --stdio, --node-ipc or --socket.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection,
  DiagnosticSeverity,
  DiagnosticTag,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE, configDiagnostics, ruleDocsUrl, todayFrom, Workspace, type Diagnostic, type InlayOptions, type Severity, type TextChange } from './language/service';
import { FEATURE_CAPABILITIES, registerFeatureHandlers } from './handlers';
import { ModelChangedNotification, readsDataFiles } from './protocol';
import { findKpiFiles, keyFor, nodeFileSystem, readText } from './node/files';
import { capDiagnostics } from './publish';

const connection = createConnection(ProposedFeatures.all);

/**
 * What the latest didChange of each document replaced, in its previous text:
 * handed to the core so an edit costs the same in a short and a long file.
 */
const lastChanges = new Map<string, { fromVersion: number; change: TextChange | undefined }>();

const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update(document, changes, version) {
    // TextDocument.update changes the document in place: note what it was first.
    const fromVersion = document.version;
    const oldLength = document.getText().length;
    let start = Infinity;
    let tail = Infinity;
    let next = document;
    for (const change of changes) {
      if (!('range' in change)) {
        start = 0;
        tail = 0;
      } else {
        // Characters before the earliest start and after the latest end stay untouched.
        // A range may come reversed; TextDocument.update puts it in order, so do we.
        const length = next.getText().length;
        const from = next.offsetAt(change.range.start);
        const to = next.offsetAt(change.range.end);
        start = Math.min(start, from, to);
        tail = Math.min(tail, length - Math.max(from, to));
      }
      next = TextDocument.update(next, [change], version);
    }
    const newLength = next.getText().length;
    const known = Number.isFinite(start) && Number.isFinite(tail) && start + tail <= Math.min(oldLength, newLength);
    lastChanges.set(document.uri, { fromVersion, change: known ? { start, end: oldLength - tail, newLength: newLength - tail - start } : undefined });
    return next;
  },
});

let root = process.cwd();
/** False when the client opened no folder: then only open documents are checked. */
let hasFolder = false;
let workspace: Workspace | undefined;
let canWatchFiles = false;
/** Workspace key → the URI diagnostics are published under. */
const uris = new Map<string, string>();
/** URIs that currently carry diagnostics, so removed files get an empty list. */
const published = new Set<string>();
let configText: string | undefined;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

let warnedAboutToday = false;

function todayProvider(): number {
  // KPI_TODAY pins the date for tests and demos, as it does for the CLI.
  const pinned = process.env['KPI_TODAY'];
  const day = pinned ? todayFrom(pinned) : undefined;
  if (pinned && day === undefined && !warnedAboutToday) {
    warnedAboutToday = true;
    connection.console.warn(`KPI_TODAY="${pinned}" is not a date YYYY-MM-DD; using the real date.`);
  }
  return day ?? todayFrom(undefined)!;
}

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * A file outside the workspace folder (opened from elsewhere) gets a key that
 * sorts after every file of the folder, so its declarations never shadow the
 * folder's own: a copy of org.kpi opened from elsewhere is the duplicate.
 */
const OUTSIDE = '\uffff';

function keyOf(uri: string): string {
  const file = filePathOf(uri);
  if (!file) return `${OUTSIDE}${uri}`;
  const key = keyFor(root, file);
  return key === '..' || key.startsWith('../') || path.isAbsolute(key) ? `${OUTSIDE}${file}` : key;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  const folderPath = folder ? filePathOf(folder) : params.rootPath ?? undefined;
  if (folderPath) {
    root = folderPath;
    hasFolder = true;
  }
  canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  canReadConfiguration = params.capabilities.workspace?.configuration === true;
  // Our extension says so in its initialization options; other editors lack the kpi.* commands.
  clientIsVsCode = (params.initializationOptions as { kpiExtension?: boolean } | undefined)?.kpiExtension === true;
  // Limited mode (docs/security.md): only when the editor says the folder is untrusted.
  const readDataFiles = readsDataFiles(params.initializationOptions);
  if (!readDataFiles) connection.console.info('The workspace is not trusted: data files are not read (limited mode).');
  workspace = new Workspace({ root, fs: nodeFileSystem, today: todayProvider, readDataFiles });
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
  if (canWatchFiles) {
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
  if (hasFolder) safely('scanning the workspace', () => {
    const ws = workspace!;
    configText = readText(path.join(root, CONFIG_FILE), root);
    ws.setConfigText(configText);
    for (const file of findKpiFiles(root)) {
      const uri = pathToFileURL(file).toString();
      const key = keyFor(root, file);
      if (documents.get(uri)) continue; // already open: the editor's text wins
      const text = readText(file);
      if (text === undefined) continue;
      uris.set(key, uri);
      ws.setDocument(key, text, 0, file);
    }
  });
  schedule();
});

documents.onDidChangeContent(({ document }) => {
  safely('updating a document', () => {
    const key = keyOf(document.uri);
    // Open or not, a file in node_modules or a dot-folder below the root (a
    // `.history` copy, a vendored package) is not part of the model: it would
    // shadow the real declarations and turn them into duplicates.
    if (isBelowRoot(key) && isIgnored(key)) return;
    // The editor's range applies only to the text the workspace holds from this
    // editor's previous version (two URIs can name one file).
    const sameEditor = uris.get(key) === document.uri;
    uris.set(key, document.uri);
    const last = lastChanges.get(document.uri);
    lastChanges.delete(document.uri);
    const held = workspace?.getDocument(key);
    const change = last && held && sameEditor && held.version === last.fromVersion && held.version !== 0 ? last.change : undefined;
    workspace?.setDocument(key, document.getText(), document.version, filePathOf(document.uri), change);
    typedIn.add(key);
  });
  schedule();
});

documents.onDidClose(({ document }) => {
  // The file on disk (if any) is the truth again once the editor lets go.
  safely('closing a document', () => {
    lastChanges.delete(document.uri);
    const key = keyOf(document.uri);
    const file = filePathOf(document.uri);
    // Only a file of the workspace folder goes back to its disk text; any other
    // (outside the folder, ignored, or no folder at all) leaves with its editor.
    const text = file && file.endsWith('.kpi') && hasFolder && isBelowRoot(key) && !isIgnored(key) ? readText(file, root) : undefined;
    if (text !== undefined && file) workspace?.setDocument(key, text, 0, file);
    else {
      workspace?.removeDocument(key);
      clearDiagnostics(document.uri, key);
    }
  });
  schedule();
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  safely('following file changes', () => {
    const ws = workspace!;
    for (const change of changes) {
      const file = filePathOf(change.uri);
      if (!file) continue;
      if (path.basename(file) === CONFIG_FILE && path.dirname(file) === root) {
        configText = change.type === FileChangeType.Deleted ? undefined : readText(file, root);
        ws.setConfigText(configText);
      } else if (file.endsWith('.csv')) {
        ws.dataFileChanged(file);
      } else if (file.endsWith('.kpi')) {
        followKpiFile(file, change.type === FileChangeType.Deleted);
      } else if (change.type === FileChangeType.Deleted) {
        // Maybe a folder: forget the .kpi files that were below it.
        const prefix = `${keyFor(root, file)}/`;
        for (const doc of ws.documents) {
          if (doc.key.startsWith(prefix) && doc.path) followKpiFile(doc.path, true);
        }
      } else if (change.type === FileChangeType.Created && nodeFileSystem.stat(file)?.kind === 'directory') {
        if (!isIgnored(keyFor(root, file))) for (const inner of findKpiFiles(file, root)) followKpiFile(inner, false);
      }
    }
  });
  schedule();
});

/** Reads a .kpi file from disk into the workspace, or removes it; open documents follow the editor instead. */
function followKpiFile(file: string, deleted: boolean): void {
  const uri = pathToFileURL(file).toString();
  if (documents.get(uri)) return;
  const key = keyFor(root, file);
  if (!isBelowRoot(key) || isIgnored(key)) return;
  const text = deleted ? undefined : readText(file, root);
  if (text === undefined) {
    workspace?.removeDocument(key);
    clearDiagnostics(uri, key);
  } else {
    uris.set(key, uri);
    workspace?.setDocument(key, text, 0, file);
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

let scheduled = false;
/** Documents the editor changed since the last analysis: checked and published before any other. */
const typedIn = new Set<string>();

/**
 * Analysis runs once per batch of messages: edits that arrive together are
 * folded into one analysis, and only the latest text is ever published. The
 * documents being typed in go first; the others an edit reaches (a renamed
 * role used in fifty files) follow in the next turn of the event loop, after
 * any newer message, so a keystroke never waits for the fan-out.
 */
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    let completed = false;
    safely('analysing', () => {
      publishChanged();
      completed = true;
    });
    // A failed analysis is logged once and retried on the next message, not in a loop.
    if (completed && workspace?.hasWork) schedule();
  });
}

let modelVersion = 0;

function publishChanged(): void {
  const ws = workspace;
  if (!ws) return;
  const first = typedIn.size > 0 ? new Set(typedIn) : undefined;
  typedIn.clear();
  const changed = ws.analyze(first);
  // The scorecard preview re-asks for the model when anything it shows may have moved.
  if (changed.length > 0) void connection.sendNotification(ModelChangedNotification.method, { version: ++modelVersion });
  for (const key of changed) {
    const doc = ws.getDocument(key);
    const uri = uris.get(key);
    if (!doc || !uri) continue;
    const open = documents.get(uri);
    // An open document that moved on since this analysis is published by the next one.
    if (open && open.version !== doc.version && doc.version !== 0) continue;
    const diagnostics = ws.diagnostics(key).map((d) => toLsp(doc.lines, d));
    sendDiagnostics(uri, diagnostics, open?.version);
  }
  const configUri = pathToFileURL(path.join(root, CONFIG_FILE)).toString();
  const problems = configDiagnostics(ws, configText);
  if (problems.length > 0 || published.has(configUri)) {
    sendDiagnostics(
      configUri,
      problems.map((p) => ({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: p.endColumn - 1 } },
        severity: DiagnosticSeverity.Error,
        code: p.code,
        codeDescription: { href: ruleDocsUrl(p.code) },
        source: 'kpi',
        message: p.message,
      })),
      undefined,
    );
  }
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

function toLsp(lines: { positionAt(offset: number): { line: number; character: number } }, d: Diagnostic): LspDiagnostic {
  const result: LspDiagnostic = {
    range: { start: lines.positionAt(d.span.start), end: lines.positionAt(d.span.end) },
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: ruleDocsUrl(d.code) },
    source: 'kpi',
    message: d.message,
  };
  if (d.unnecessary) result.tags = [DiagnosticTag.Unnecessary];
  // The rule's payload: its quick fixes read it back from the code action request.
  if (d.data !== undefined) result.data = d.data;
  return result;
}

/** Runs `work`, logging instead of crashing: one bad input must not take the server down. */
function safely(what: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    connection.console.error(`kpi-language-server: error while ${what}: ${(error as Error).stack ?? String(error)}`);
  }
}

// ---- settings -------------------------------------------------------------

let canReadConfiguration = false;
let clientIsVsCode = false;
let inlayOptions: InlayOptions = { ownerFunction: true, status: true };

/** Reads `kpi.inlayHints.*` from the editor, when it can tell. */
async function refreshSettings(): Promise<void> {
  if (!canReadConfiguration) return;
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
  workspace: () => workspace,
  document: (uri) => workspace?.getDocument(keyOf(uri)),
  uriOf: (key) => uris.get(key) ?? pathToFileURL(path.join(root, key)).toString(),
  inlayOptions: () => inlayOptions,
  clientIsVsCode: () => clientIsVsCode,
});

documents.listen(connection);
connection.listen();
