// The scorecard preview: one webview panel beside the editor, showing the
// scorecard of the workspace or of the active .kpi file. It asks the server for
// what changed in the model since the one it holds (`kpi/scorecardUpdate`, a
// delta), renders it with the shared renderer (in dist/preview.cjs, loaded on
// first use), refreshes on `kpi/modelChanged`, opens declarations on
// click and selects the declaration under the cursor. The page is loaded once;
// later renders reach it as a `content` message (messages.ts), so that the
// reader's view, filters, search, scroll and focus stay. The decisions live
// in logic.ts; this class is the VS Code side.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ServerLink } from '../serverLink';
import { PAGE_ASSETS } from '../../../server/src/pageAssets';
import { PageRenderer, renderHtml, type RenderedPage } from '../../../server/src/language/scorecard/render/index';
import { parsePageMessage, type PanelToPageMessage, type RevealMessage } from './messages';
import {
  chooseFolder,
  chooseRevealColumn,
  Debouncer,
  DEFAULT_VIEW,
  folderOf,
  followDocument,
  messageHtml,
  modelAfter,
  pageTitle,
  panelTitle,
  paramsKey,
  parseViewState,
  RefreshScheduler,
  RenderGate,
  requestParams,
  revealContext,
  selectionNameAt,
  selectionSwitchesView,
  showDocument,
  toggleScope,
  type FolderInfo,
  type ScorecardRequestParams,
  type SymbolLike,
  type ViewState,
} from './logic';
import type { ScorecardModel } from '../../../server/src/protocol';

/** What the panel needs from the extension. */
export interface PreviewHost {
  server: ServerLink;
  /** Where the scope and file are kept across reloads (the extension's workspaceState). */
  memento: vscode.Memento;
  log: vscode.LogOutputChannel;
}

/** Debounce of model refreshes after `kpi/modelChanged` or an editor switch. */
const REFRESH_DELAY_MS = 250;
/** Debounce of cursor moves before asking for the symbol under the cursor. */
const SELECTION_DELAY_MS = 150;
const VIEW_STATE_KEY = 'kpi.scorecard.view';

export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The webview options, set on creation and again on revival. The page inlines
 * its stylesheet and script and loads nothing else, so the webview may read
 * no local file at all.
 */
function webviewOptions(): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [] };
}

/** The open workspace folders, in the editor's order. */
export function openFolders(): FolderInfo[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ uri: folder.uri.toString(), name: folder.name }));
}

function isKpiEditor(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return editor !== undefined && editor.document.languageId === 'kpi';
}

export class ScorecardPanel {
  static readonly viewType = 'kpi.scorecard';
  private static current: ScorecardPanel | undefined;

  /** The open panel, if any. */
  static get currentPanel(): ScorecardPanel | undefined {
    return ScorecardPanel.current;
  }

  /** The view state kept across reloads (also the starting point of a new panel). */
  static storedView(host: PreviewHost): ViewState {
    return parseViewState(host.memento.get(VIEW_STATE_KEY)) ?? DEFAULT_VIEW;
  }

  /**
   * Shows the panel beside the editor without taking focus, creating it if
   * needed. `file` (a .kpi document) is shown with its folder when given, else
   * the active .kpi editor's document, else the last one followed.
   */
  static createOrShow(host: PreviewHost, options: { file?: vscode.Uri; view?: ViewState } = {}): ScorecardPanel {
    const file = options.file ?? (isKpiEditor(vscode.window.activeTextEditor) ? vscode.window.activeTextEditor.document.uri : undefined);
    const existing = ScorecardPanel.current;
    if (existing) {
      if (options.view) existing.setView(options.view);
      if (file) existing.setView(showDocument(existing.view, file.toString(), openFolders()));
      existing.show();
      return existing;
    }
    let view = options.view ?? ScorecardPanel.storedView(host);
    if (file) view = showDocument(view, file.toString(), openFolders());
    const panel = vscode.window.createWebviewPanel(
      ScorecardPanel.viewType,
      panelTitle(view, openFolders()),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { ...webviewOptions(), retainContextWhenHidden: false, enableFindWidget: true },
    );
    return new ScorecardPanel(panel, host, view);
  }

  /**
   * Restores a panel after a window reload. The scope and file come from the
   * workspaceState (the webview's own state belongs to the renderer's script,
   * which keeps its UI state there).
   */
  static revive(panel: vscode.WebviewPanel, host: PreviewHost): ScorecardPanel {
    ScorecardPanel.current?.panel.dispose();
    panel.webview.options = webviewOptions();
    return new ScorecardPanel(panel, host, ScorecardPanel.storedView(host));
  }

  private readonly disposables: vscode.Disposable[] = [];
  private readonly scheduler: RefreshScheduler;
  private readonly selection = new Debouncer(SELECTION_DELAY_MS);
  private readonly gate = new RenderGate();
  private inflight: vscode.CancellationTokenSource | undefined;
  /** A refresh was asked for while the panel was hidden. */
  private stale = false;
  private lastTextEditorColumn: vscode.ViewColumn | undefined;
  private lastSelected: string | undefined;
  private disposed = false;
  /** The webview holds the scorecard page (not a message page); later content goes to it by message. */
  private pageLoaded = false;
  /** The page has said `ready` and not been hidden since: messages reach it. */
  private pageReady = false;
  /** The newest content rendered, and its version. */
  private content: { version: number; page: RenderedPage } | undefined;
  /** The model last received, and its id on the server: the next update is a delta from it. */
  private held: { id: string; model: ScorecardModel } | undefined;
  private contentVersion = 0;
  /** Renders the page's regions, reusing the HTML of the cards that did not change since the last render. */
  private readonly renderer = new PageRenderer();
  /** The content the page was last sent (or loaded with): the next is sent as what changed since. */
  private sentContent: { version: number; page: RenderedPage } | undefined;
  /** What the content shown was asked with: a click-through resolves its keys in that folder. */
  private contentParams: ScorecardRequestParams | undefined;
  /** A card to select once the page is ready and shows the current folder ("Open in scorecard" on a closed panel or another folder). */
  private pendingSelect: string | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly host: PreviewHost,
    private view: ViewState,
  ) {
    ScorecardPanel.current = this;
    this.scheduler = new RefreshScheduler(() => this.refresh(), REFRESH_DELAY_MS);
    this.lastTextEditorColumn = vscode.window.activeTextEditor?.viewColumn;
    panel.title = panelTitle(view, openFolders());
    panel.webview.html = messageHtml('Loading the scorecard…', panel.webview.cspSource);

    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        // A hidden webview is discarded; shown again, it reloads the page, which says `ready` again.
        if (!webviewPanel.visible) this.pageReady = false;
        if (webviewPanel.visible && this.stale) {
          this.stale = false;
          void this.scheduler.runNow();
        }
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parsePageMessage(raw);
        if (message?.type === 'reveal') void this.reveal(message);
        else if (message?.type === 'ready') this.pageIsReady(message.version);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.viewColumn !== undefined) this.lastTextEditorColumn = editor.viewColumn;
        if (isKpiEditor(editor)) this.follow(editor.document.uri.toString(), editor.document.languageId);
      }),
      // A folder added or removed may change which one is shown, and the title names it.
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.setView(this.view, false)),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (!isKpiEditor(event.textEditor)) return;
        const editor = event.textEditor;
        const switchView = selectionSwitchesView(event.kind);
        this.selection.trigger(() => void this.syncSelection(editor, switchView));
      }),
    );
    this.persist();
    void this.scheduler.runNow();
  }

  /** What the panel currently asks the server for (export uses it too). */
  get params(): ScorecardRequestParams {
    return requestParams(this.view, openFolders());
  }

  /** Called (via the extension) on every `kpi/modelChanged` and when the server (re)starts. */
  modelChanged(): void {
    this.requestRefresh();
  }

  toggleScope(): void {
    this.setView(toggleScope(this.view));
  }

  /** Shows the whole workspace of the open folder `folderUri` ("KPI: Choose Scorecard Folder…"). */
  chooseFolder(folderUri: string): void {
    this.setView(chooseFolder(this.view, folderUri));
  }

  /** Brings the panel into view without taking the focus. */
  show(): void {
    this.panel.reveal(undefined, true);
  }

  /** The view state now (the folder picker marks the folder shown). */
  get viewState(): ViewState {
    return this.view;
  }

  /** Sets what the panel shows; a deliberate switch renders at once, a follow-up of the editor debounced. */
  setView(next: ViewState, deliberate = true): void {
    const before = paramsKey(this.params);
    this.view = next;
    this.panel.title = panelTitle(next, openFolders());
    this.persist();
    if (paramsKey(this.params) === before) return;
    if (deliberate) void this.scheduler.runNow();
    else this.requestRefresh();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ScorecardPanel.current === this) ScorecardPanel.current = undefined;
    this.scheduler.dispose();
    this.selection.dispose();
    this.inflight?.cancel();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  // ---------------------------------------------------------------- internals

  /** Follows a newly active document; in file scope that changes what is shown. */
  private follow(uri: string, languageId: string): void {
    const next = followDocument(this.view, uri, languageId, openFolders());
    if (next !== this.view) this.setView(next, false);
  }

  private requestRefresh(): void {
    if (this.disposed) return;
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    this.scheduler.schedule();
  }

  private persist(): void {
    void this.host.memento.update(VIEW_STATE_KEY, this.view);
  }

  private async refresh(): Promise<void> {
    const params = this.params;
    const asked = paramsKey(params);
    const cts = new vscode.CancellationTokenSource();
    this.inflight = cts;
    const title = pageTitle(this.view, openFolders());
    let model: ScorecardModel | undefined;
    let id: string;
    try {
      // After an edit the server sends what changed since the model held here; the whole model when it no longer has that one.
      const update = await this.host.server.scorecardUpdate({ ...params, ...(this.held ? { since: this.held.id } : {}) }, cts.token);
      model = modelAfter(this.held, update);
      id = update.id;
      if (!model) {
        const whole = await this.host.server.scorecardUpdate(params, cts.token);
        model = modelAfter(undefined, whole)!;
        id = whole.id;
      }
    } catch (error: unknown) {
      if (this.disposed || cts.token.isCancellationRequested) return;
      const message = error instanceof Error ? error.message : String(error);
      this.host.log.warn(`Scorecard preview: the model request failed: ${message}`);
      this.showMessage('The scorecard could not be built. It is shown again once the language server answers.', message);
      return;
    } finally {
      cts.dispose();
      if (this.inflight === cts) this.inflight = undefined;
    }
    // Disposed, or the scope/file changed meanwhile (a new refresh is already queued).
    if (this.disposed || paramsKey(this.params) !== asked) return;
    // The content on the page (new or unchanged) now answers these parameters.
    this.contentParams = params;
    this.held = { id, model };
    if (!this.gate.changed(`${title}\u0000${id}`)) {
      this.flushPendingSelect();
      return;
    }
    try {
      const webview = this.panel.webview;
      const version = ++this.contentVersion;
      this.content = { version, page: this.renderer.render(model, title) };
      if (this.pageLoaded) {
        if (this.pageReady) this.postContent();
        this.flushPendingSelect();
      } else {
        webview.html = renderHtml(model, { mode: 'panel', nonce: makeNonce(), assets: PAGE_ASSETS, cspSource: webview.cspSource, version, regions: this.content.page.regions, ...(title ? { title } : {}) });
        this.sentContent = this.content;
        this.pageLoaded = true;
        this.pageReady = false;
        this.lastSelected = undefined;
      }
    } catch (error: unknown) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.host.log.error(`Scorecard preview: rendering failed: ${message}`);
      this.showMessage('The scorecard could not be rendered.', message);
    }
  }

  /** The page has loaded with content `version`: it gets newer content, and a card asked for meanwhile. */
  private pageIsReady(version: number): void {
    this.pageReady = true;
    if (this.sentContent?.version !== version) this.sentContent = undefined;
    if (this.content && version < this.content.version) this.postContent();
    this.flushPendingSelect();
  }

  /** Whether the page shows content for what the panel asks now (not the folder or file shown before a switch). */
  private showsCurrentContent(): boolean {
    return this.pageReady && this.contentParams !== undefined && paramsKey(this.contentParams) === paramsKey(this.params);
  }

  /** Selects the card asked for while the page was loading or showed another folder. */
  private flushPendingSelect(): void {
    if (this.pendingSelect === undefined || !this.showsCurrentContent()) return;
    const name = this.pendingSelect;
    this.pendingSelect = undefined;
    this.post({ type: 'select', name, switchView: true });
    this.lastSelected = name;
  }

  /** Sends the newest content: what changed since the content the page shows, or all of it. */
  private postContent(): void {
    const content = this.content;
    if (!content) return;
    const sent = this.sentContent;
    this.post(sent ? { type: 'content', version: content.version, base: sent.version, regions: content.page.changeSince(sent.page) } : { type: 'content', version: content.version, regions: content.page.regions });
    this.sentContent = content;
  }

  private post(message: PanelToPageMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private showMessage(message: string, detail?: string): void {
    this.gate.reset();
    this.pageLoaded = false;
    this.pageReady = false;
    this.panel.webview.html = messageHtml(message, this.panel.webview.cspSource, detail);
  }

  /** Highlights a declaration in the preview (switching to its view), now or as soon as the page is ready. */
  selectName(name: string): void {
    this.pendingSelect = name;
    this.flushPendingSelect();
  }

  /** Opens the declaration a click in the preview points at. */
  private async reveal(message: RevealMessage): Promise<void> {
    // The preview has selected it already: the cursor landing there need not select it again.
    if (message.name !== undefined) this.lastSelected = message.name;
    const uri = await this.resolveFile(message.file, revealContext(this.contentParams ?? this.params));
    if (!uri) {
      void vscode.window.showWarningMessage(`KPI: cannot find ${message.file} in the workspace.`);
      return;
    }
    const key = uri.toString();
    const documentColumns = vscode.window.visibleTextEditors
      .filter((e) => e.document.uri.toString() === key)
      .map((e) => e.viewColumn)
      .filter((c): c is vscode.ViewColumn => c !== undefined);
    const viewColumn = chooseRevealColumn({
      documentColumns,
      ...(this.lastTextEditorColumn !== undefined ? { lastTextEditorColumn: this.lastTextEditorColumn } : {}),
      ...(this.panel.viewColumn !== undefined ? { panelColumn: this.panel.viewColumn } : {}),
    });
    const position = new vscode.Position(message.line, message.character);
    const range = new vscode.Range(position, position);
    try {
      const editor = await vscode.window.showTextDocument(uri, { viewColumn, selection: range, preserveFocus: false });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error: unknown) {
      const text = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`KPI: cannot open ${message.file}: ${text}`);
    }
  }

  /**
   * A workspace key → the document's URI, as the server knows it
   * (`kpi/resolveFile`), in the folder of `context` (the folder or document
   * shown: keys are relative to their folder). Only when the request itself
   * fails (server stopped) the key is joined with that folder, or the first.
   */
  private async resolveFile(file: string, context: string | undefined): Promise<vscode.Uri | undefined> {
    try {
      const uri = await this.host.server.resolveFile(file, context);
      return uri ? vscode.Uri.parse(uri) : undefined;
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      this.host.log.warn(`Scorecard preview: kpi/resolveFile failed (${message}); joining with the folder shown.`);
      const folders = openFolders();
      const folder = (context !== undefined ? folderOf(folders, context) : undefined) ?? folders[0];
      return folder ? vscode.Uri.joinPath(vscode.Uri.parse(folder.uri), ...file.split('/')) : undefined;
    }
  }

  /** Posts the declaration under the cursor to the preview, once per change. */
  private async syncSelection(editor: vscode.TextEditor, switchView: boolean): Promise<void> {
    if (this.disposed || !this.panel.visible || !this.pageReady) return;
    let symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
    try {
      symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
        'vscode.executeDocumentSymbolProvider',
        editor.document.uri,
      );
    } catch {
      return;
    }
    if (!symbols || this.disposed) return;
    const tree: SymbolLike[] = symbols.map((s) => ('location' in s ? { name: s.name, kind: s.kind, range: s.location.range } : s));
    // Scorecard perspectives are outline children but not cards of their own.
    const name = selectionNameAt(tree, editor.selection.active, [vscode.SymbolKind.Field]);
    if (name === undefined || name === this.lastSelected) return;
    this.lastSelected = name;
    this.post({ type: 'select', name, switchView });
  }
}
