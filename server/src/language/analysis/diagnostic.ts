// What the analysis produces: diagnostics with a code, a severity and a span,
// and the two steps every document's diagnostics go through at the end
// (`// kpi-disable-next-line` and a stable order).
import { DISABLE_DIRECTIVE } from '../syntax/grammar';
import type { Span } from '../model/ast';
import type { SourceDocument } from '../workspace/workspace';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Tagged *unnecessary* (faded in editors): unused declarations. */
  unnecessary?: boolean;
  /**
   * The rule's payload for its quick fixes: plain data (it travels through an
   * editor's `data` field), opaque to the analysis; any offsets in it are
   * relative to `span.start`, so moving the span moves them too.
   */
  data?: unknown;
}

/** A copy of `d` with its offsets moved by `delta`. */
export function moved(d: Diagnostic, delta: number): Diagnostic {
  const copy: Diagnostic = { code: d.code, severity: d.severity, message: d.message, span: { start: d.span.start + delta, end: d.span.end + delta } };
  if (d.unnecessary) copy.unnecessary = true;
  if (d.data !== undefined) copy.data = d.data;
  return copy;
}

/** Drops diagnostics silenced by `// kpi-disable-next-line code, …` on the line above their start. */
export function applyDisableComments(doc: SourceDocument, diagnostics: Diagnostic[]): Diagnostic[] {
  const silenced = new Map<number, Set<string> | 'all'>();
  for (const span of doc.model.directives) {
    const m = DISABLE_DIRECTIVE.exec(doc.text.slice(span.start, span.end));
    if (!m) continue;
    const codes = m[1]!.split(/[\s,]+/).filter(Boolean);
    const line = doc.lines.lineOf(span.start) + 1;
    if (codes.length === 0) silenced.set(line, 'all');
    else {
      const existing = silenced.get(line);
      if (existing !== 'all') silenced.set(line, new Set([...(existing ?? []), ...codes]));
    }
  }
  if (silenced.size === 0) return diagnostics;
  return diagnostics.filter((d) => {
    const rule = silenced.get(doc.lines.lineOf(d.span.start));
    return !(rule === 'all' || rule?.has(d.code));
  });
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
