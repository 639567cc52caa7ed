// What the server sends to the editor for one document: the core's
// diagnostics as LSP ones, at most MAX_PUBLISHED_DIAGNOSTICS entries. A generated or pasted file can carry tens
// of thousands of findings; sending them all makes the editor slow for no
// reader's benefit, and VS Code itself drops everything past 1,000 per file
// with a note of its own. So the server keeps the most severe ones and says
// how many it left out; `kpi check` still lists every one.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Position } from 'vscode-languageserver';
import { ruleDocsUrl, type Diagnostic as CoreDiagnostic, type LocatedDiagnostic, type Severity } from './language/service';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A core diagnostic of a document as the editor gets it: positions, a link to the rule's page, the unnecessary tag. */
export function toLspDiagnostic(lines: { positionAt(offset: number): Position }, diagnostic: CoreDiagnostic): Diagnostic {
  const result: Diagnostic = {
    range: { start: lines.positionAt(diagnostic.span.start), end: lines.positionAt(diagnostic.span.end) },
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    codeDescription: { href: ruleDocsUrl(diagnostic.code) },
    source: 'kpi',
    message: diagnostic.message,
  };
  if (diagnostic.unnecessary) result.tags = [DiagnosticTag.Unnecessary];
  // The rule's payload: its quick fixes read it back from the code action request.
  if (diagnostic.data !== undefined) result.data = diagnostic.data;
  return result;
}

/** A `.kpirc.json` problem (1-based, on line 1) as the editor gets it. */
export function configLspDiagnostic(problem: LocatedDiagnostic): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: problem.endColumn - 1 } },
    severity: SEVERITY[problem.severity],
    code: problem.code,
    codeDescription: { href: ruleDocsUrl(problem.code) },
    source: 'kpi',
    message: problem.message,
  };
}

/** Entries sent per document, the note included: VS Code's own per-file limit, so it never truncates again. */
export const MAX_PUBLISHED_DIAGNOSTICS = 1000;

/**
 * `diagnostics` when there are at most `max`; otherwise the `max - 1` most
 * severe (errors first, then by their order in the list) in their original
 * order, after one information note at the top of the file saying how many
 * more there are.
 */
export function capDiagnostics(diagnostics: Diagnostic[], max = MAX_PUBLISHED_DIAGNOSTICS): Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const keep = Math.max(0, max - 1);
  const rank = (d: Diagnostic) => d.severity ?? DiagnosticSeverity.Error;
  const kept = diagnostics
    .map((d, index) => ({ d, index }))
    .sort((a, b) => rank(a.d) - rank(b.d) || a.index - b.index)
    .slice(0, keep)
    .sort((a, b) => a.index - b.index)
    .map(({ d }) => d);
  const left = diagnostics.length - kept.length;
  const note: Diagnostic = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: 'kpi',
    message: `${left.toLocaleString('en-US')} more problems in this file are not shown: the editor gets at most ${max.toLocaleString('en-US')} per file, the most severe first. Run \`kpi check\` to list them all.`,
  };
  return [note, ...kept];
}
