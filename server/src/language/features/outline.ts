// The outline of a document (processes → steps, scorecards → perspectives)
// and a fuzzy search over every declaration of the workspace.
import type { DeclarationKind, Span } from '../model/ast';
import { PERSPECTIVES } from '../model/ast';
import type { SourceDocument, Workspace } from '../workspace/workspace';

export type OutlineKind = DeclarationKind | 'step' | 'perspective';

export interface OutlineItem {
  name: string;
  detail?: string;
  kind: OutlineKind;
  /** The whole item. */
  span: Span;
  /** The name. */
  selection: Span;
  children: OutlineItem[];
}

export function documentOutline(doc: SourceDocument): OutlineItem[] {
  return doc.model.declarations.map((decl) => {
    const item: OutlineItem = {
      name: decl.name.text,
      kind: decl.kind,
      span: decl.span,
      selection: decl.name.span,
      children: [],
      ...(decl.title ? { detail: decl.title.value } : {}),
    };
    if (decl.kind === 'process') {
      item.children = decl.steps.map((step) => ({
        name: step.name.text,
        kind: 'step' as const,
        span: step.span,
        selection: step.name.span,
        children: [],
        ...(step.title ? { detail: step.title.value } : {}),
      }));
    } else if (decl.kind === 'scorecard') {
      for (const p of PERSPECTIVES) {
        const line = decl.lines[p];
        if (!line) continue;
        const last = line.refs[line.refs.length - 1];
        item.children.push({
          name: p,
          detail: line.refs.map((r) => r.name).join(', '),
          kind: 'perspective',
          span: { start: line.keyword.start, end: last?.span.end ?? line.keyword.end },
          selection: line.keyword,
          children: [],
        });
      }
    }
    return item;
  });
}

export interface SymbolMatch {
  name: string;
  kind: OutlineKind;
  detail?: string;
  key: string;
  span: Span;
  /** The process of a step. */
  container?: string;
}

/**
 * Declarations and steps whose name (or `Process.Step`, or title) matches the
 * query as a subsequence, case-insensitively; best matches first.
 */
export function workspaceSymbols(workspace: Workspace, query: string, limit = 500): SymbolMatch[] {
  const scored: { score: number; match: SymbolMatch }[] = [];
  const consider = (match: SymbolMatch, texts: string[]) => {
    const score = Math.max(...texts.map((t) => fuzzyScore(query, t)));
    if (score > 0) scored.push({ score, match });
  };
  for (const doc of workspace.documents) {
    for (const decl of doc.model.declarations) {
      const detail = decl.title?.value;
      consider({ name: decl.name.text, kind: decl.kind, key: doc.key, span: decl.name.span, ...(detail ? { detail } : {}) }, [decl.name.text, detail ?? '']);
      if (decl.kind !== 'process') continue;
      for (const step of decl.steps) {
        const full = `${decl.name.text}.${step.name.text}`;
        const stepDetail = step.title?.value;
        consider(
          { name: step.name.text, kind: 'step', key: doc.key, span: step.name.span, container: decl.name.text, ...(stepDetail ? { detail: stepDetail } : {}) },
          [step.name.text, full, stepDetail ?? ''],
        );
      }
    }
  }
  return scored
    .sort((a, b) => b.score - a.score || (a.match.name < b.match.name ? -1 : a.match.name > b.match.name ? 1 : 0))
    .slice(0, limit)
    .map((s) => s.match);
}

/** 0 when `query` is not a subsequence of `text`; higher for earlier, contiguous, word-start matches. */
export function fuzzyScore(query: string, text: string): number {
  if (query === '') return 1;
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  let score = 1;
  let ti = 0;
  let previous = -2;
  for (const c of q) {
    const found = t.indexOf(c, ti);
    if (found < 0) return 0;
    score += found === previous + 1 ? 3 : 1;
    const atWordStart = found === 0 || /[^a-z0-9]/.test(t[found - 1]!) || (text[found] !== t[found] && text[found - 1] === t[found - 1]);
    if (atWordStart) score += 2;
    previous = found;
    ti = found + 1;
  }
  return score + (t.startsWith(q) ? 5 : 0) - text.length / 100;
}
