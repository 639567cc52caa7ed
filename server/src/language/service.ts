// The facade the edges use (the language server, the CLI, the preview): the
// one module they import from the core. It gives the workspace its rule set,
// presents diagnostics with 1-based line/column positions, and re-exports the
// features and the scorecard. Nothing here knows LSP.
import { AnalyzedWorkspace } from './analysis/engine';
import type { Diagnostic } from './analysis/diagnostic';
import type { RuleSet } from './analysis/rule';
import { ALL_RULES } from './checks';
import { RULES, type Severity } from './checks/rules';
import type { Day } from './model/periods';
import type { FileSystem } from './workspace/data';
import type { SourceDocument, WorkspaceOptions } from './workspace/workspace';

export type { Diagnostic, Severity } from './analysis/diagnostic';
export { RULES, RULE_CODES, ruleDocsUrl } from './checks/rules';
export type { Span } from './model/ast';
export { todayFrom, type Day } from './model/periods';
export type { TextChange } from './text';
export type { FileKind, FileSystem } from './workspace/data';
export type { DeclEntry, SourceDocument, WorkspaceOptions } from './workspace/workspace';
export { codeLenses, documentLinks, inlayHints, type InlayOptions } from './features/annotations';
export { complete, type CompletionKind } from './features/completion';
export { applyEdits, fixAll, fixesFor, type Fix } from './features/fixes';
export { foldingRanges } from './features/folding';
export { formatDocument, formatRange, formatWithReason } from './features/format';
export { hover } from './features/hover';
export { definition, highlights, prepareRename, references, rename } from './features/navigation';
export { selectionRanges } from './features/selection';
export { flowItemAt, incomingFlow, outgoingFlow, resolveFlowItem, type FlowCall, type FlowItem, type FlowItemData } from './features/flow';
export { documentOutline, workspaceSymbols, type OutlineItem, type OutlineKind } from './features/outline';
export { documentSemanticTokens, encodeSemanticTokens, SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from './features/semanticTokens';
export { SemanticTokenCache, type SemanticTokensDeltaResult, type SemanticTokensResult } from './features/semanticTokenCache';
export { buildScorecardModel, ScorecardBuilder, type ScorecardScope } from './scorecard/build';
export { applyDelta, diffModels, isEmptyDelta, type ScorecardDelta } from './scorecard/delta';
export type { ScorecardModel } from './scorecard/model';
export { renderReport, type ReportFormat } from './scorecard/render';
export { parseMapSelector, renderMapSvg, type MapSelector } from './scorecard/render/maps';
export type { PageAssets } from './scorecard/render/html';
export { renderCsv } from './scorecard/render/csv';
export { agendaFilterProblem, filterAgenda, type Agenda, type AgendaFilter } from './scorecard/agenda';
export { renderAgenda, type AgendaFormat } from './scorecard/render/agenda';

/** Every rule of the language: the set the edges' workspaces run. */
const LANGUAGE_RULES: RuleSet = { rules: ALL_RULES, codes: RULES };

/** The workspace the edges hold: the documents, analysed by every rule of the language. */
export class Workspace extends AnalyzedWorkspace {
  constructor(options: WorkspaceOptions) {
    super(options, LANGUAGE_RULES);
  }
}

export interface InputFile {
  key: string;
  path?: string;
  text: string;
}

export interface LocatedDiagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, UTF-16 code units. */
  column: number;
  endLine: number;
  /** 1-based, exclusive. */
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export const CONFIG_FILE = '.kpirc.json';

export function createWorkspace(options: { root: string; fs: FileSystem; today: () => Day; files: InputFile[]; configText?: string; readDataFiles?: boolean }): Workspace {
  const workspace = new Workspace({ root: options.root, fs: options.fs, today: options.today, ...(options.readDataFiles === false ? { readDataFiles: false } : {}) });
  workspace.setConfigText(options.configText);
  for (const file of options.files) workspace.setDocument(file.key, file.text, 0, file.path);
  workspace.analyze();
  return workspace;
}

export function locate(doc: SourceDocument, d: Diagnostic): LocatedDiagnostic {
  const start = doc.lines.positionAt(d.span.start);
  const end = doc.lines.positionAt(d.span.end);
  return {
    file: doc.key,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

/** `bad-config` diagnostics for `.kpirc.json`: line 1, column 1 to the end of line 1. */
export function configDiagnostics(workspace: Workspace, configText: string | undefined, file = CONFIG_FILE): LocatedDiagnostic[] {
  const firstLine = (configText ?? '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  return workspace.configurationProblems.map((message) => ({
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: Math.max(2, firstLine.length + 1),
    severity: RULES.get('bad-config')!.severity,
    code: 'bad-config',
    message,
  }));
}

/** Every diagnostic of the workspace, sorted by file, line, column, code (LANGUAGE.md section 6). */
export function allDiagnostics(workspace: Workspace, configText?: string): LocatedDiagnostic[] {
  const result: LocatedDiagnostic[] = [];
  for (const doc of workspace.documents) for (const d of workspace.diagnostics(doc.key)) result.push(locate(doc, d));
  result.push(...configDiagnostics(workspace, configText));
  return result.sort(compareLocated);
}

export function compareLocated(a: LocatedDiagnostic, b: LocatedDiagnostic): number {
  return cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
