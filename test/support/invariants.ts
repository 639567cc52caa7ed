// The invariants the incremental and fuzz tests check on the core
// (docs/fuzzing.md): no exception escapes, every range lies inside its
// document, and an incrementally updated workspace equals a fresh analysis.
// Checks return problems instead of throwing, so a fuzz run can count them,
// minimise the input and carry on.
import { codeLenses, documentLinks, inlayHints } from '../../server/src/language/features/annotations';
import { complete } from '../../server/src/language/features/completion';
import { fixAll, fixesFor } from '../../server/src/language/features/fixes';
import { foldingRanges } from '../../server/src/language/features/folding';
import { formatDocument, formatRange } from '../../server/src/language/features/format';
import { flowItemAt, incomingFlow, outgoingFlow, resolveFlowItem } from '../../server/src/language/features/flow';
import { hover } from '../../server/src/language/features/hover';
import { selectionRanges } from '../../server/src/language/features/selection';
import { definition, highlights, prepareRename, references, rename } from '../../server/src/language/features/navigation';
import { documentOutline, workspaceSymbols, type OutlineItem } from '../../server/src/language/features/outline';
import { documentSemanticTokens, encodeSemanticTokens } from '../../server/src/language/features/semanticTokens';
import type { DocumentModel, Span } from '../../server/src/language/model/ast';
import { parseDate } from '../../server/src/language/model/periods';
import { buildScorecardModel } from '../../server/src/language/scorecard/build';
import { renderReport } from '../../server/src/language/scorecard/render';
import { webviewAssets } from './webview-assets';
import { allDiagnostics, createWorkspace, type SourceDocument, type Workspace } from '../../server/src/language/service';
import { lex } from '../../server/src/language/syntax/lexer';
import type { TextChange } from '../../server/src/language/text';
import { diffEdit, int, lineLengths, pick, tokenize, type Rnd } from './fuzz';
import { MemoryFileSystem } from './memory-fs';

export const TODAY = parseDate('2026-11-22')!;

export type ProblemKind = 'crash' | 'invariant' | 'hang' | 'memory';

export interface Problem {
  kind: ProblemKind;
  /** First line: what went wrong, stable enough to group repeats of one bug; then details. */
  message: string;
  /** The document's text when the problem showed, where that is not the case's last text (a server request). */
  text?: string;
}

/** Every diagnostic of the workspace as one comparable line (file, range, severity, code, message). */
export function diagnosticLines(workspace: Workspace): string[] {
  return allDiagnostics(workspace).map((d) => `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.code} ${d.message}`);
}

/** What a document parsed to, as text: declarations, syntax problems, comments, disable directives. */
export function modelSnapshot(model: DocumentModel): string {
  return JSON.stringify({ declarations: model.declarations, problems: model.problems, comments: model.comments, directives: model.directives });
}

/** Runs `work`; an exception becomes a `crash` problem naming `what` (and the top of its stack). */
export function attempt<T>(problems: Problem[], what: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    const e = error as Error;
    const stack = (e.stack ?? String(e)).split('\n').slice(1, 6).join('\n');
    problems.push({ kind: 'crash', message: `${what} threw ${e.name}: ${e.message.slice(0, 300)}\n${stack}` });
    return undefined;
  }
}

/**
 * The documents of a workspace under test, and the (in-memory) disk behind it:
 * the examples with their data file, or a single fuzzed file.
 */
export class CoreWorkspace {
  readonly fs: MemoryFileSystem;

  constructor(
    /** key → text of every .kpi document. */
    readonly texts: ReadonlyMap<string, string>,
    files: Record<string, string> = {},
    readonly root = '/ws',
  ) {
    this.fs = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([key, text]) => [`${root}/${key}`, text])));
  }

  /** The examples folder (every .kpi and its CSV data). */
  static of(files: ReadonlyMap<string, string>): CoreWorkspace {
    return new CoreWorkspace(new Map([...files].filter(([key]) => key.endsWith('.kpi'))), Object.fromEntries(files));
  }

  /** A fresh analysis, with `key` holding `text`. */
  fresh(key: string, text: string): Workspace {
    const texts = new Map(this.texts).set(key, text);
    return createWorkspace({ root: this.root, fs: this.fs, today: () => TODAY, files: [...texts].map(([k, t]) => ({ key: k, path: this.pathOf(k), text: t })) });
  }

  pathOf(key: string): string {
    return `${this.root}/${key}`;
  }
}

export interface SequenceOptions {
  /** Compare with a fresh analysis after every text, not only after the last. */
  compareEvery?: boolean;
  /** Exercise the editor features on the last text (random offsets from `rnd`). */
  features?: Rnd;
  /** Ask the features at every offset instead of a few (for small reproducers). */
  everyOffset?: boolean;
  /** After the texts, a data file of the workspace changes on disk (restored afterwards). */
  data?: { key: string; text: string };
  /**
   * How edits reach the workspace. Without: the new text alone. `exact`: with
   * the changed range, and the edited document analysed first (as the server
   * does). A generator: each edit picks one of those, or a widened range.
   */
  ranges?: Rnd | 'exact';
}

/** How one edit reaches the workspace (see SequenceOptions.ranges). */
function editStyle(ranges: SequenceOptions['ranges']): { range: 'none' | 'exact' | 'widened'; typedFirst: boolean } {
  if (ranges === undefined) return { range: 'none', typedFirst: false };
  if (ranges === 'exact') return { range: 'exact', typedFirst: true };
  return { range: pick(ranges, ['none', 'exact', 'widened'] as const), typedFirst: ranges() < 0.4 };
}

/** The range of `before` that `after` replaced, as an editor reports it, widened by `widen` characters each side. */
export function textChange(before: string, after: string, widen = 0): TextChange {
  const edit = diffEdit(before, after);
  const start = Math.max(0, edit.start - widen);
  const end = Math.min(before.length, edit.end + widen);
  return { start, end, newLength: edit.text.length + (edit.start - start) + (end - edit.end) };
}

export interface SequenceResult {
  problems: Problem[];
  /** The index of the text at which the first problem showed. */
  failedAt?: number;
}

/**
 * Feeds `texts` to document `key` of `base` one after the other as edits of
 * one live workspace (the first builds it), checking the invariants after
 * each; stops at the first text with a problem.
 */
export function checkSequence(base: CoreWorkspace, key: string, texts: readonly string[], options: SequenceOptions = {}): SequenceResult {
  const problems: Problem[] = [];
  const live = attempt(problems, 'a fresh analysis', () => base.fresh(key, texts[0]!));
  if (!live) return { problems, failedAt: 0 };
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    if (i > 0) {
      const how = editStyle(options.ranges);
      const change = how.range === 'none' ? undefined : textChange(texts[i - 1]!, text, how.range === 'widened' ? 1 + Math.floor((options.ranges as Rnd)() * 5) : 0);
      attempt(problems, `an incremental update${change ? ` (range ${change.start}-${change.end}+${change.newLength})` : ''}`, () => {
        live.setDocument(key, text, i, base.pathOf(key), change);
        live.analyze(how.typedFirst ? new Set([key]) : undefined);
      });
      // As the server does: the edited document is checked (and must be right) before the others.
      if (how.typedFirst && problems.length === 0) {
        compareWithFresh(base, live, key, text, problems, { onlyEdited: true });
        attempt(problems, 'analysing the other documents', () => live.analyze());
      }
    }
    if (problems.length === 0) checkDiagnostics(live, problems);
    if (problems.length === 0 && i > 0 && (options.compareEvery || i === texts.length - 1)) compareWithFresh(base, live, key, text, problems);
    if (problems.length > 0) return { problems, failedAt: i };
  }
  if (options.data) {
    changeDataFile(base, live, key, texts[texts.length - 1]!, options.data, problems);
    if (problems.length > 0) return { problems, failedAt: texts.length - 1 };
  }
  if (options.features) {
    const doc = live.getDocument(key);
    if (doc) checkFeatures(live, doc, options.features, problems, options.everyOffset);
    if (problems.length > 0) return { problems, failedAt: texts.length - 1 };
  }
  return { problems };
}

/**
 * A data file changes on disk and the live workspace hears of it: its
 * diagnostics must equal a fresh analysis that reads the new file. The file
 * system is the base's, shared by the cases, so the old content comes back.
 */
function changeDataFile(base: CoreWorkspace, live: Workspace, key: string, text: string, data: { key: string; text: string }, problems: Problem[]): void {
  const file = base.pathOf(data.key);
  const old = base.fs.readFile(file);
  try {
    base.fs.write(file, data.text);
    attempt(problems, `reading the changed ${data.key}`, () => {
      live.dataFileChanged(file);
      live.analyze();
    });
    if (problems.length === 0) checkDiagnostics(live, problems);
    if (problems.length === 0) compareWithFresh(base, live, key, text, problems);
  } finally {
    if (old === undefined) base.fs.delete(file);
    else base.fs.write(file, old);
  }
}

/** Every diagnostic of every document lies inside it, in offsets and in 1-based lines and columns; no rule failed. */
export function checkDiagnostics(workspace: Workspace, problems: Problem[]): void {
  attempt(problems, 'reading diagnostics', () => {
    for (const doc of workspace.documents) {
      for (const d of workspace.diagnostics(doc.key)) {
        if (!spanInside(d.span, doc.text)) problems.push({ kind: 'invariant', message: `${d.code} diagnostic span ${d.span.start}-${d.span.end} lies outside ${doc.key} (${doc.text.length} characters)` });
        if (/Internal error/.test(d.message)) problems.push({ kind: 'crash', message: `a rule threw: ${d.message}` });
      }
    }
    const lengths = new Map(workspace.documents.map((doc) => [doc.key, lineLengths(doc.text)]));
    for (const d of allDiagnostics(workspace)) {
      const lines = lengths.get(d.file);
      if (!lines) continue; // .kpirc.json
      const inside = (line: number, column: number) => line >= 1 && line <= lines.length && column >= 1 && column <= lines[line - 1]! + 1;
      if (!inside(d.line, d.column) || !inside(d.endLine, d.endColumn)) {
        problems.push({ kind: 'invariant', message: `${d.code} diagnostic at ${d.line}:${d.column}-${d.endLine}:${d.endColumn} lies outside the lines of ${d.file}` });
      }
    }
  });
}

/** The live workspace's diagnostics, and the edited document's model, equal those of a fresh analysis. */
export function compareWithFresh(base: CoreWorkspace, live: Workspace, key: string, text: string, problems: Problem[], options: { onlyEdited?: boolean } = {}): void {
  const fresh = attempt(problems, 'a fresh analysis', () => base.fresh(key, text));
  if (!fresh) return;
  attempt(problems, 'comparing with a fresh analysis', () => {
    const lines = (workspace: Workspace) => diagnosticLines(workspace).filter((line) => !options.onlyEdited || line.startsWith(`${key}:`));
    const [a, b] = [lines(live), lines(fresh)];
    if (a.join('\n') !== b.join('\n')) {
      const missing = b.filter((line) => !a.includes(line));
      const extra = a.filter((line) => !b.includes(line));
      const what = options.onlyEdited ? 'the edited document, checked first, has diagnostics that differ' : 'incremental diagnostics differ';
      problems.push({ kind: 'invariant', message: `${what} from a fresh analysis\n  missing: ${missing.slice(0, 5).join('\n           ')}\n  extra:   ${extra.slice(0, 5).join('\n           ')}` });
    }
    const [mine, theirs] = [live.getDocument(key)!, fresh.getDocument(key)!];
    // The key on the second line: the first groups repeats of one bug, whichever file showed it.
    if (modelSnapshot(mine.model) !== modelSnapshot(theirs.model)) problems.push({ kind: 'invariant', message: `the incrementally built model differs from a fresh parse\n  in ${key}` });
    if (lineStartsOf(mine) !== lineStartsOf(theirs)) problems.push({ kind: 'invariant', message: `the incrementally updated line index differs from a fresh one\n  in ${key}` });
  });
}

function lineStartsOf(doc: SourceDocument): string {
  return Array.from({ length: doc.lines.lineCount }, (_, line) => doc.lines.lineStart(line)).join(',');
}

function spanInside(span: Span, text: string): boolean {
  return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length;
}

/** Locations lie inside the workspace documents they name. */
function checkLocations(workspace: Workspace, what: string, locations: readonly { key: string; span: Span }[], problems: Problem[]): void {
  for (const l of locations) {
    const target = workspace.getDocument(l.key);
    if (!target || !spanInside(l.span, target.text)) problems.push({ kind: 'invariant', message: `${what}: ${l.span.start}-${l.span.end} lies outside ${l.key}` });
  }
}

/** Edits lie inside their documents and do not overlap (editors reject overlapping edits). */
function checkEdits(workspace: Workspace, what: string, edits: readonly { key: string; span: Span }[], problems: Problem[]): void {
  checkLocations(workspace, what, edits, problems);
  const byKey = new Map<string, Span[]>();
  for (const e of edits) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e.span]);
  for (const [key, spans] of byKey) {
    const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.start < sorted[i - 1]!.end) problems.push({ kind: 'invariant', message: `${what}: overlapping edits in ${key} at ${sorted[i - 1]!.start}-${sorted[i - 1]!.end} and ${sorted[i]!.start}-${sorted[i]!.end}` });
    }
  }
}

/** Offsets worth asking about: the ends, every so often a random one, and the start of a few tokens. */
function probeOffsets(text: string, rnd: Rnd): number[] {
  const tokens = tokenize(text);
  const offsets = [0, text.length];
  for (let i = 0; i < 3; i++) offsets.push(int(rnd, 0, text.length));
  for (let i = 0; i < 2 && tokens.length > 0; i++) {
    const t = pick(rnd, tokens);
    offsets.push(t.start, t.end);
  }
  return offsets;
}

/**
 * Every editor feature on `doc` answers without throwing, and what it answers
 * points inside the documents: hover, completion, navigation, rename, outline,
 * folding, semantic tokens, formatting, fixes, lenses, hints, links, scorecard.
 */
export function checkFeatures(workspace: Workspace, doc: SourceDocument, rnd: Rnd, problems: Problem[], everyOffset = false): void {
  const text = doc.text;
  const inside = (what: string, span: Span | undefined) => {
    if (span && !spanInside(span, text)) problems.push({ kind: 'invariant', message: `${what}: span ${span.start}-${span.end} lies outside ${doc.key} (${text.length} characters)` });
  };
  const lineCount = lineLengths(text).length;

  const offsets = everyOffset ? Array.from({ length: text.length + 1 }, (_, i) => i) : probeOffsets(text, rnd);
  for (const offset of offsets) {
    const at = `at offset ${offset}`;
    const h = attempt(problems, `hover ${at}`, () => hover(workspace, doc, offset));
    inside(`hover ${at}`, h?.span);
    const c = attempt(problems, `completion ${at}`, () => complete(workspace, doc, offset));
    if (c) {
      inside(`completion ${at}`, c.range);
      if (c.range.start > offset || c.range.end < offset || /[\r\n]/.test(text.slice(c.range.start, c.range.end))) {
        problems.push({ kind: 'invariant', message: `completion ${at}: the replace range ${c.range.start}-${c.range.end} does not hold the cursor on one line` });
      }
    }
    const d = attempt(problems, `definition ${at}`, () => definition(workspace, doc, offset));
    if (d) checkLocations(workspace, `definition ${at}`, [d], problems);
    const refs = attempt(problems, `references ${at}`, () => references(workspace, doc, offset, rnd() < 0.5));
    if (refs) checkLocations(workspace, `references ${at}`, refs, problems);
    for (const hl of attempt(problems, `highlights ${at}`, () => highlights(workspace, doc, offset)) ?? []) inside(`highlights ${at}`, hl.span);
    const prepared = attempt(problems, `prepareRename ${at}`, () => prepareRename(workspace, doc, offset));
    if (prepared && 'span' in prepared) inside(`prepareRename ${at}`, prepared.span);
    const chain = attempt(problems, `selectionRanges ${at}`, () => selectionRanges(doc, [offset])[0]) ?? [];
    for (let i = 0; i < chain.length; i++) {
      inside(`selection range ${i} ${at}`, chain[i]);
      const inner = i === 0 ? { start: offset, end: offset } : chain[i - 1]!;
      if (chain[i]!.start > inner.start || chain[i]!.end < inner.end) problems.push({ kind: 'invariant', message: `selection range ${i} ${at} does not hold ${i === 0 ? 'the cursor' : 'the range before it'}` });
    }
    const flow = attempt(problems, `flowItemAt ${at}`, () => flowItemAt(workspace, doc, offset));
    if (flow) {
      const sym = resolveFlowItem(workspace, flow.key, flow.data);
      if (!sym) problems.push({ kind: 'invariant', message: `call hierarchy ${at}: the item ${flow.name} is not found again by its data` });
      else {
        const calls = [...(attempt(problems, `incomingFlow ${at}`, () => incomingFlow(workspace, sym)) ?? []), ...(attempt(problems, `outgoingFlow ${at}`, () => outgoingFlow(workspace, sym)) ?? [])];
        checkLocations(workspace, `call hierarchy ${at}`, calls.map((c) => ({ key: c.item.key, span: c.item.span })), problems);
      }
    }
    const newName = pick(rnd, ['Renamed', 'kpi', '', '1bad', 'x'.repeat(300)]);
    const renamed = attempt(problems, `rename ${at} to "${newName.slice(0, 20)}"`, () => rename(workspace, doc, offset, newName));
    if (renamed && 'edits' in renamed) checkEdits(workspace, `rename ${at}`, [...renamed.edits].flatMap(([key, edits]) => edits.map((e) => ({ key, span: e.span }))), problems);
  }

  const outline = attempt(problems, 'documentOutline', () => documentOutline(doc)) ?? [];
  const walk = (item: OutlineItem) => {
    inside(`outline item ${item.name}`, item.span);
    inside(`outline item ${item.name} (selection)`, item.selection);
    item.children.forEach(walk);
  };
  outline.forEach(walk);
  const query = pick(rnd, ['', 'a', 'Sales', text.slice(0, 3)]);
  checkLocations(workspace, 'workspaceSymbols', attempt(problems, 'workspaceSymbols', () => workspaceSymbols(workspace, query)) ?? [], problems);

  for (const r of attempt(problems, 'foldingRanges', () => foldingRanges(doc)) ?? []) {
    if (!(r.startLine >= 0 && r.startLine <= r.endLine && r.endLine < lineCount)) problems.push({ kind: 'invariant', message: `folding range ${r.startLine}-${r.endLine} lies outside ${lineCount} lines` });
  }

  const tokens = attempt(problems, 'semantic tokens', () => documentSemanticTokens(workspace, doc)) ?? [];
  let previousEnd = 0;
  for (const t of tokens) {
    const span = { start: t.start, end: t.start + t.length };
    if (!spanInside(span, text) || t.start < previousEnd || /[\r\n]/.test(text.slice(span.start, span.end))) {
      problems.push({ kind: 'invariant', message: `semantic token ${span.start}-${span.end} is outside the document, overlaps the one before, or spans lines` });
      break;
    }
    previousEnd = span.end;
  }
  attempt(problems, 'encoding semantic tokens', () => encodeSemanticTokens(tokens, doc.lines));
  const a = int(rnd, 0, text.length);
  const b = int(rnd, a, text.length);
  attempt(problems, 'semantic tokens of a range', () => documentSemanticTokens(workspace, doc, { start: a, end: b }));

  checkFormatter(text, a, b, problems);

  for (const lens of attempt(problems, 'codeLenses', () => codeLenses(workspace, doc)) ?? []) inside('code lens', lens.span);
  for (const hint of attempt(problems, 'inlayHints', () => inlayHints(workspace, doc, { start: 0, end: text.length }, { ownerFunction: true, status: true })) ?? []) {
    if (!(hint.offset >= 0 && hint.offset <= text.length)) problems.push({ kind: 'invariant', message: `inlay hint at ${hint.offset} lies outside the document` });
  }
  for (const link of attempt(problems, 'documentLinks', () => documentLinks(workspace, doc)) ?? []) inside('document link', link.span);

  const diagnostics = attempt(problems, 'diagnostics', () => workspace.diagnostics(doc.key)) ?? [];
  for (const diagnostic of diagnostics.slice(0, 12)) {
    for (const fix of attempt(problems, `fixesFor ${diagnostic.code}`, () => fixesFor(workspace, doc, diagnostic)) ?? []) {
      checkEdits(workspace, `the quick fix "${fix.title}"`, fix.edits, problems);
    }
  }
  const all = attempt(problems, 'fixAll', () => fixAll(workspace, doc));
  if (all) checkEdits(workspace, 'fix all', all, problems);

  const model = attempt(problems, 'the scorecard model', () => buildScorecardModel(workspace, rnd() < 0.5 ? { kind: 'workspace' } : { kind: 'file', file: doc.key }));
  const format = pick(rnd, ['html', 'json', 'csv', 'markdown'] as const);
  if (model) attempt(problems, `the ${format} scorecard`, () => renderReport(format, model, { nonce: 'fuzz', assets: webviewAssets() }));
}

/** The images of the tokens and comments the product's lexer sees, in order (the formatter must keep them). */
function images(text: string): string {
  const { tokens, comments } = lex(text);
  return JSON.stringify([...tokens, ...comments].sort((x, y) => x.startOffset - y.startOffset).map((t) => t.image));
}

/** Formatting keeps every token and comment, is idempotent, and range formatting edits inside the text. */
function checkFormatter(text: string, a: number, b: number, problems: Problem[]): void {
  const formatted = attempt(problems, 'formatDocument', () => formatDocument(text));
  if (formatted !== undefined) {
    attempt(problems, 'checking the formatted text', () => {
      if (images(formatted) !== images(text)) problems.push({ kind: 'invariant', message: 'formatting changed the tokens or comments of the document' });
      else if (formatDocument(formatted) !== formatted) problems.push({ kind: 'invariant', message: 'formatting is not idempotent: formatting the formatted text changes it' });
    });
  }
  const edits = attempt(problems, `formatRange ${a}-${b}`, () => formatRange(text, a, b)) ?? [];
  let previousEnd = 0;
  for (const e of [...edits].sort((x, y) => x.start - y.start)) {
    if (!spanInside(e, text) || e.start < previousEnd) {
      problems.push({ kind: 'invariant', message: `formatRange ${a}-${b}: an edit at ${e.start}-${e.end} lies outside the text or overlaps another` });
      break;
    }
    previousEnd = e.end;
  }
}
