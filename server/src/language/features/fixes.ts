// The quick-fix machinery: each rule's own fixes (from its definition, fed
// the payload its check reported), a "disable for this line" fix for every
// diagnostic, and "fix all" (the fixes that are safe to apply without a human
// choosing: the same edits as `kpi check --fix`).
import type { AnalyzedWorkspace } from '../analysis/engine';
import { RULES } from '../checks/rules';
import type { Reported } from '../checks/definition';
import { lineIndent, type Fix, type TextEdit } from '../checks/edits';
import type { Span } from '../model/ast';
import { DISABLE_DIRECTIVE, DISABLE_DIRECTIVE_WORD } from '../syntax/grammar';
import type { SourceDocument, Workspace } from '../workspace/workspace';

export type { Fix, TextEdit } from '../checks/edits';

/**
 * The fixes for one diagnostic: a workspace diagnostic, or one an editor
 * sent back (its code, its span now, and the `data` it was published with).
 */
export function fixesFor(workspace: Workspace, doc: SourceDocument, diagnostic: Reported<unknown>): Fix[] {
  const fixes: Fix[] = [];
  const rule = RULES.get(diagnostic.code);
  // A code the editor sent that no rule has (an old marker, a forged request) gets no fix at all.
  if (!rule) return fixes;
  if (rule.fixes) {
    try {
      fixes.push(...rule.fixes(diagnostic, { workspace, doc }));
    } catch {
      // A quick fix is a convenience: never let one break the others.
    }
  }
  fixes.push(disableFix(doc, diagnostic));
  return fixes;
}

/** The auto fixes for every diagnostic of a document, without overlapping edits. */
export function fixAll(workspace: AnalyzedWorkspace, doc: SourceDocument): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const d of workspace.diagnostics(doc.key)) {
    const fix = fixesFor(workspace, doc, d).find((f) => f.auto);
    if (!fix || fix.edits.some((e) => e.key !== doc.key)) continue;
    if (fix.edits.some((e) => edits.some((o) => e.span.start < o.span.end + 1 && o.span.start < e.span.end + 1))) continue;
    edits.push(...fix.edits);
  }
  return edits.sort((a, b) => a.span.start - b.span.start);
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly { span: Span; newText: string }[]): string {
  let result = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) result = result.slice(0, e.span.start) + e.newText + result.slice(e.span.end);
  return result;
}

function disableFix(doc: SourceDocument, d: { code: string; span: Span }): Fix {
  const line = doc.lines.lineOf(d.span.start);
  const start = doc.lines.lineStart(line);
  const indent = lineIndent(doc, d.span.start);
  if (line > 0) {
    const prevStart = doc.lines.lineStart(line - 1);
    // The comment above, up to its last code: a further code goes after it.
    const previous = doc.text.slice(prevStart, start).trimEnd();
    if (DISABLE_DIRECTIVE.test(previous.trimStart())) {
      const end = prevStart + previous.length;
      return { title: `Disable ${d.code} for this line`, edits: [{ key: doc.key, span: { start: end, end }, newText: `, ${d.code}` }] };
    }
  }
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  return { title: `Disable ${d.code} for this line`, edits: [{ key: doc.key, span: { start, end: start }, newText: `${indent}// ${DISABLE_DIRECTIVE_WORD} ${d.code}${eol}` }] };
}
