// The scorecard preview's decisions that need no editor: which scope and file
// it shows, when it refreshes (debounced, coalesced, skipped when the model is
// unchanged), which declaration is under the cursor, where a click-through
// opens, what an export is called. No `vscode` import here, so it is unit-tested
// in test/preview-logic.test.ts; scorecardPanel.ts and exportScorecard.ts are
// the thin VS Code side.
import type { ScorecardModel, ScorecardParams, ScorecardUpdate } from '../../../server/src/protocol';
import { applyDelta } from '../../../server/src/language/scorecard/delta';
import { escapeHtml } from '../../../server/src/language/scorecard/render/text';

// ---------------------------------------------------------------- view state

export type Scope = 'workspace' | 'file';

/** What the panel shows: the whole workspace, or one `.kpi` document (its URI). */
export interface ViewState {
  scope: Scope;
  /** The last `.kpi` document followed, kept in workspace scope too so a toggle back returns to it. */
  file?: string;
  /**
   * The URI of the open folder shown in workspace scope: the folder of the
   * last document followed, or the one the reader chose. Each open folder is a
   * workspace of its own (LANGUAGE.md section 1).
   */
  folder?: string;
}

/** An open workspace folder as the panel needs it: its URI and the name the editor shows. */
export interface FolderInfo {
  uri: string;
  name: string;
}

/** The parameters of `kpi/scorecard`, as server/src/protocol.ts declares them. */
export type ScorecardRequestParams = ScorecardParams;

export const DEFAULT_VIEW: ViewState = { scope: 'workspace' };

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** Reads a persisted view state defensively (it may come from an older version or be garbage). */
export function parseViewState(value: unknown): ViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { scope, file, folder } = value as { scope?: unknown; file?: unknown; folder?: unknown };
  if (scope !== 'workspace' && scope !== 'file') return undefined;
  return { scope, ...(nonEmptyString(file) ? { file } : {}), ...(nonEmptyString(folder) ? { folder } : {}) };
}

export function toggleScope(state: ViewState): ViewState {
  return { ...state, scope: state.scope === 'file' ? 'workspace' : 'file' };
}

/** `state` showing `folder`, or keeping its own when `folder` is undefined. */
function withFolder(state: ViewState, folder: string | undefined): ViewState {
  return folder === undefined ? state : { ...state, folder };
}

/**
 * The innermost open folder holding the document `uri`, as the server decides
 * it: the longest folder URI that is a path prefix of the document's.
 */
export function folderOf(folders: readonly FolderInfo[], uri: string): FolderInfo | undefined {
  let best: FolderInfo | undefined;
  for (const folder of folders) {
    const root = folder.uri.replace(/\/+$/, '');
    const inside = uri === root || uri.startsWith(`${root}/`);
    if (inside && (!best || root.length > best.uri.replace(/\/+$/, '').length)) best = folder;
  }
  return best;
}

/**
 * Follows a newly active document: only `.kpi` documents count, the last one
 * is kept otherwise. A document in an open folder makes that folder the one
 * shown; the same document again keeps a folder the reader chose meanwhile.
 */
export function followDocument(state: ViewState, uri: string, languageId: string, folders: readonly FolderInfo[] = []): ViewState {
  if (languageId !== 'kpi' || state.file === uri) return state;
  return showDocument(state, uri, folders);
}

/**
 * An explicit request to show a document (the editor title's button, a code
 * lens's "Open in scorecard"): its folder is shown even when the document was
 * followed already and the reader chose another folder since.
 */
export function showDocument(state: ViewState, uri: string, folders: readonly FolderInfo[] = []): ViewState {
  const folder = folderOf(folders, uri)?.uri ?? state.folder;
  if (state.file === uri && state.folder === folder) return state;
  return withFolder({ ...state, file: uri }, folder);
}

/** The reader chose an open folder: its whole workspace is shown. */
export function chooseFolder(state: ViewState, folderUri: string): ViewState {
  if (state.scope === 'workspace' && state.folder === folderUri) return state;
  return { ...state, scope: 'workspace', folder: folderUri };
}

/** File scope without a known file (nothing opened yet, or restored without one) shows the workspace. */
export function effectiveScope(state: ViewState): Scope {
  return state.scope === 'file' && state.file !== undefined ? 'file' : 'workspace';
}

/**
 * The open folder whose scorecard is shown: in file scope the file's folder;
 * in workspace scope the chosen or followed folder while it is still open,
 * else the followed document's folder, else the first folder.
 */
export function shownFolder(state: ViewState, folders: readonly FolderInfo[]): FolderInfo | undefined {
  if (effectiveScope(state) === 'file') return folderOf(folders, state.file!);
  const kept = folders.find((folder) => folder.uri === state.folder);
  return kept ?? (state.file !== undefined ? folderOf(folders, state.file) : undefined) ?? folders[0];
}

/**
 * What to ask `kpi/scorecard` for. In workspace scope the folder is named;
 * without open folders the followed document stands for its own workspace.
 */
export function requestParams(state: ViewState, folders: readonly FolderInfo[] = []): ScorecardRequestParams {
  if (effectiveScope(state) === 'file') return { scope: 'file', uri: state.file! };
  const folder = shownFolder(state, folders);
  if (folder) return { scope: 'workspace', folder: folder.uri };
  return state.file !== undefined ? { scope: 'workspace', uri: state.file } : { scope: 'workspace' };
}

/** A stable key for "what is asked for", to drop answers to a question no longer asked. */
export function paramsKey(params: ScorecardRequestParams): string {
  return params.scope === 'file' ? `file:${params.uri ?? ''}` : `workspace:${params.folder ?? ''}:${params.uri ?? ''}`;
}

/**
 * The document or folder `kpi/resolveFile` resolves a clicked card's key in:
 * a card's file is relative to the folder whose scorecard shows it.
 */
export function revealContext(params: ScorecardRequestParams): string | undefined {
  return params.folder ?? params.uri;
}

/** The last path segment of a URI, decoded (`file:///a/b%20c.kpi` → `b c.kpi`). */
export function basenameOfUri(uri: string): string {
  const path = uri.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The folder's name worth showing: only with more than one folder open is there a choice to name. */
function folderLabel(state: ViewState, folders: readonly FolderInfo[]): string | undefined {
  return folders.length > 1 ? shownFolder(state, folders)?.name : undefined;
}

/** The panel's tab title: it names the scope, and the folder when several are open. */
export function panelTitle(state: ViewState, folders: readonly FolderInfo[] = []): string {
  if (effectiveScope(state) === 'file') return `Scorecard: ${basenameOfUri(state.file!)}`;
  return `Scorecard: ${folderLabel(state, folders) ?? 'Workspace'}`;
}

/** The page's heading: it names the folder when several are open (undefined: the renderer's default). */
export function pageTitle(state: ViewState, folders: readonly FolderInfo[] = []): string | undefined {
  const name = folderLabel(state, folders);
  return name === undefined ? undefined : `KPI Scorecard — ${name}`;
}

/** The quick pick of "KPI: Choose Scorecard Folder…": every open folder, the shown one marked. */
export function folderChoices(state: ViewState, folders: readonly FolderInfo[]): { label: string; description?: string; uri: string }[] {
  const shown = shownFolder(state, folders)?.uri;
  return folders.map((folder) => ({ label: folder.name, uri: folder.uri, ...(folder.uri === shown ? { description: 'shown now' } : {}) }));
}

// ---------------------------------------------------------------- timing

/** The timer functions the schedulers use; tests pass a fake clock. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Calls the latest callback once, `delay` ms after the last trigger. */
export class Debouncer {
  private handle: unknown;
  private pending = false;
  private disposed = false;

  constructor(
    private readonly delay: number,
    private readonly timers: Timers = realTimers,
  ) {}

  trigger(callback: () => void): void {
    if (this.disposed) return;
    this.cancel();
    this.pending = true;
    this.handle = this.timers.setTimeout(() => {
      this.pending = false;
      this.handle = undefined;
      callback();
    }, this.delay);
  }

  get isPending(): boolean {
    return this.pending;
  }

  cancel(): void {
    if (this.pending) this.timers.clearTimeout(this.handle);
    this.pending = false;
    this.handle = undefined;
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
  }
}

/**
 * Runs an async refresh: at once (`runNow`) or debounced (`schedule`). Never
 * two at a time: a trigger while one runs makes exactly one more run after it,
 * so answers cannot arrive out of order. Nothing runs after `dispose`.
 */
export class RefreshScheduler {
  private readonly debouncer: Debouncer;
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;

  constructor(
    private readonly task: () => Promise<void>,
    delay: number,
    timers: Timers = realTimers,
  ) {
    this.debouncer = new Debouncer(delay, timers);
  }

  /** Runs now (dropping a pending debounced run); if one is running, once more after it. */
  runNow(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.debouncer.cancel();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          try {
            await this.task();
          } catch {
            // The task reports its own errors; a failed refresh must not stop later ones.
          }
        } while (this.again && !this.disposed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Runs `delay` ms after the last call. */
  schedule(): void {
    if (this.disposed) return;
    this.debouncer.trigger(() => void this.runNow());
  }

  get isPending(): boolean {
    return this.debouncer.isPending || this.running !== undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.again = false;
    this.debouncer.dispose();
  }
}

/** Says whether a render would show anything new: the same model JSON twice in a row is skipped. */
export class RenderGate {
  private last: string | undefined;

  /** True (and remembers `key`) when it differs from the last one passed. */
  changed(key: string): boolean {
    if (key === this.last) return false;
    this.last = key;
    return true;
  }

  /** Forgets the last key: the next render happens whatever it is (e.g. after an error page). */
  reset(): void {
    this.last = undefined;
  }
}

// ---------------------------------------------------------------- selection sync

export interface Position {
  line: number;
  character: number;
}

export interface RangeLike {
  start: Position;
  end: Position;
}

/** The shape shared by LSP/VS Code `DocumentSymbol`s. */
export interface SymbolLike {
  name: string;
  kind?: number;
  range: RangeLike;
  children?: readonly SymbolLike[];
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(range: RangeLike, pos: Position): boolean {
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) <= 0;
}

/** The symbols containing `pos`, outermost first (empty when the cursor is between declarations). */
export function symbolPathAt(symbols: readonly SymbolLike[], pos: Position): SymbolLike[] {
  const path: SymbolLike[] = [];
  let level: readonly SymbolLike[] | undefined = symbols;
  while (level && level.length > 0) {
    // The smallest containing one, should siblings overlap.
    let best: SymbolLike | undefined;
    for (const s of level) {
      if (!rangeContains(s.range, pos)) continue;
      if (!best || comparePositions(s.range.start, best.range.start) > 0) best = s;
    }
    if (!best) break;
    path.push(best);
    level = best.children;
  }
  return path;
}

/**
 * The name to select in the preview for the cursor at `pos`: the innermost
 * containing symbol whose kind is not in `skipKinds` (the server's outline has
 * scorecard perspectives as children; they are not cards). A nested symbol is
 * qualified by its parents, as the preview names steps: `Process.Step`.
 * Undefined between declarations.
 */
export function selectionNameAt(symbols: readonly SymbolLike[], pos: Position, skipKinds: readonly number[] = []): string | undefined {
  const path = symbolPathAt(symbols, pos);
  for (let i = path.length - 1; i >= 0; i--) {
    const s = path[i]!;
    if (s.kind === undefined || !skipKinds.includes(s.kind)) {
      return path
        .slice(0, i + 1)
        .map((p) => p.name)
        .join('.');
    }
  }
  return undefined;
}

/** VS Code's TextEditorSelectionChangeKind values (1 keyboard, 2 mouse, 3 command). */
const USER_SELECTION_KINDS: readonly number[] = [1, 2, 3];

/**
 * Whether a cursor move may switch the preview to the view of the card under
 * it. Only a move the person made does (keys, mouse, a command); a cursor
 * placed by opening a file (no kind) highlights the card only where the
 * reader already looks, so that opening a file does not change the tab.
 */
export function selectionSwitchesView(kind: number | undefined): boolean {
  return kind !== undefined && USER_SELECTION_KINDS.includes(kind);
}

// ---------------------------------------------------------------- click-through

/**
 * The editor column (1-based, as VS Code's ViewColumn) a click-through opens
 * in: where the document is already visible, else the last active text
 * editor's column, else column One — never the panel's own column (that would
 * cover the preview) while there is another.
 */
export function chooseRevealColumn(options: {
  /** Columns of visible editors already showing the document. */
  documentColumns: readonly number[];
  lastTextEditorColumn?: number;
  panelColumn?: number;
}): number {
  const { documentColumns, lastTextEditorColumn, panelColumn } = options;
  const usable = (c: number | undefined): c is number => c !== undefined && c >= 1 && c !== panelColumn;
  const shown = documentColumns.find(usable);
  if (shown !== undefined) return shown;
  if (usable(lastTextEditorColumn)) return lastTextEditorColumn;
  return panelColumn === 1 ? 2 : 1;
}

// ---------------------------------------------------------------- export

export type ExportFormat = 'html' | 'csv' | 'markdown' | 'json';

export interface ExportFormatInfo {
  id: ExportFormat;
  label: string;
  description: string;
  extension: string;
  /** For the save dialog's filter. */
  filterName: string;
}

export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { id: 'html', label: 'HTML', description: 'A self-contained report page', extension: 'html', filterName: 'HTML' },
  { id: 'csv', label: 'CSV', description: 'One row per KPI, for spreadsheets', extension: 'csv', filterName: 'CSV' },
  { id: 'markdown', label: 'Markdown', description: 'A report for wikis and pull requests', extension: 'md', filterName: 'Markdown' },
  { id: 'json', label: 'JSON', description: 'The scorecard model', extension: 'json', filterName: 'JSON' },
];

/** `scorecard.html` for the workspace; `sales-scorecard.csv` for sales.kpi. */
export function exportFileName(format: ExportFormat, params: ScorecardRequestParams): string {
  const info = EXPORT_FORMATS.find((f) => f.id === format)!;
  if (params.scope === 'file' && params.uri) {
    const stem = basenameOfUri(params.uri).replace(/\.kpi$/i, '');
    if (stem !== '') return `${stem}-scorecard.${info.extension}`;
  }
  return `scorecard.${info.extension}`;
}

/** The title of an exported report. */
export function exportTitle(params: ScorecardRequestParams, workspaceName: string | undefined): string {
  if (params.scope === 'file' && params.uri) return `KPI Scorecard — ${basenameOfUri(params.uri)}`;
  return workspaceName ? `KPI Scorecard — ${workspaceName}` : 'KPI Scorecard';
}

// ---------------------------------------------------------------- fallback page

/** A plain page for when there is no model to render (server not ready, request failed). No scripts. */
export function messageHtml(message: string, cspSource: string, detail?: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Scorecard</title>
<style>
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1.5em; }
  pre { white-space: pre-wrap; color: var(--vscode-descriptionForeground); }
</style>
</head>
<body>
<p>${escapeHtml(message)}</p>
${detail ? `<pre>${escapeHtml(detail)}</pre>` : ''}
</body>
</html>`;
}

/** The model a client holds after `update` (the whole model, or its `base` with the delta applied); undefined when the update does not fit what it holds. */
export function modelAfter(held: { id: string; model: ScorecardModel } | undefined, update: ScorecardUpdate): ScorecardModel | undefined {
  if ('model' in update) return update.model;
  if (!held || held.id !== update.base) return undefined;
  if (update.id === held.id) return held.model;
  try {
    return applyDelta(held.model, update.delta);
  } catch {
    return undefined;
  }
}
