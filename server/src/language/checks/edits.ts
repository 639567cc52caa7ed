// What quick fixes are made of: text edits, and the few shapes of edit the
// rules' fixes share (insert a property into a block, append a declaration,
// replace a name with a near one). A rule's check records where its fix will
// edit in the diagnostic's payload, as offsets relative to the diagnostic's
// start: they move with the diagnostic when text above it changes, and they
// survive the round trip through an editor's `data` field as plain numbers.
import type { Declaration, DeclarationKind, Span } from '../model/ast';
import type { SourceDocument, Workspace } from '../workspace/workspace';

export interface TextEdit {
  key: string;
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply when the user asks for "the" fix. */
  preferred?: boolean;
  /** Safe to apply unattended (fix all, `kpi check --fix`). */
  auto?: boolean;
}

/** A span as offsets relative to a diagnostic's start. */
export interface RelativeSpan {
  start: number;
  end: number;
}

export function relativeSpan(span: Span, diagnostic: Span): RelativeSpan {
  return { start: span.start - diagnostic.start, end: span.end - diagnostic.start };
}

/** The absolute span of `relative` in `doc`; throws when the payload does not fit the text (a stale or forged `data`). */
export function absoluteSpan(doc: SourceDocument, diagnostic: Span, relative: RelativeSpan): Span {
  const start = diagnostic.start + relative.start;
  const end = diagnostic.start + relative.end;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > doc.text.length) {
    throw new RangeError('The diagnostic data does not fit the document.');
  }
  return { start, end };
}

/**
 * Where a property goes in a declaration or a step, relative to the
 * diagnostic's start: the holder's start (for its indentation), the end of
 * its header (name or title) and its end.
 */
export interface BlockAt {
  start: number;
  header: number;
  end: number;
}

/** What a check knows of the block it reports on: a declaration or a step. */
interface Block {
  span: Span;
  name: { span: Span };
  title?: { span: Span };
}

export function blockAt(holder: Block, diagnostic: Span): BlockAt {
  return {
    start: holder.span.start - diagnostic.start,
    header: (holder.title ?? holder.name).span.end - diagnostic.start,
    end: holder.span.end - diagnostic.start,
  };
}

export function lineIndent(doc: SourceDocument, offset: number): string {
  const start = doc.lines.lineStart(doc.lines.lineOf(offset));
  return /^[ \t]*/.exec(doc.text.slice(start))![0];
}

/** Inserts a property as the first line of a block (or into a one-line block, or a new block for a bare step). */
export function insertProperty(doc: SourceDocument, diagnostic: Span, block: BlockAt, property: string): TextEdit {
  const { start: ownerStart, end: headerEnd } = absoluteSpan(doc, diagnostic, { start: block.start, end: block.header });
  const blockEnd = absoluteSpan(doc, diagnostic, { start: block.start, end: block.end }).end;
  const brace = doc.text.indexOf('{', headerEnd);
  if (brace < 0 || brace >= blockEnd) return { key: doc.key, span: { start: headerEnd, end: headerEnd }, newText: ` { ${property} }` };
  const lineEnd = doc.text.indexOf('\n', brace);
  const oneLine = lineEnd < 0 || lineEnd >= blockEnd;
  if (oneLine) return { key: doc.key, span: { start: brace + 1, end: brace + 1 }, newText: ` ${property} ` };
  // Indent like the block's first property, or one level deeper than the declaration.
  const firstLine = doc.text.slice(lineEnd + 1, doc.text.indexOf('\n', lineEnd + 1) >>> 0);
  const inner = /^([ \t]*)\S/.exec(firstLine)?.[1];
  const indent = inner !== undefined && !firstLine.trimStart().startsWith('}') ? inner : `${lineIndent(doc, ownerStart)}  `;
  return { key: doc.key, span: { start: brace + 1, end: brace + 1 }, newText: `\n${indent}${property}` };
}

/** A new declaration at the end of the document, after a blank line. */
export function appendDeclaration(doc: SourceDocument, text: string): TextEdit {
  const end = doc.text.length;
  const separator = doc.text.length === 0 ? '' : doc.text.endsWith('\n\n') ? '' : doc.text.endsWith('\n') ? '\n' : '\n\n';
  return { key: doc.key, span: { start: end, end }, newText: `${separator}${text}\n` };
}

/** The smallest declaration of `kind` named `name`. */
export function scaffold(kind: DeclarationKind, name: string): string {
  switch (kind) {
    case 'function':
    case 'role':
    case 'team':
      return `${kind} ${name} "${name}"`;
    default:
      return `${kind} ${name} "${name}" {\n}`;
  }
}

/** Names one or two edits apart, or equal but for case. */
export function isNear(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 2) return false;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]! <= 2;
}

/** A string from a payload, escaped for a `"…"` literal. */
export function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** The declarations of `kinds` that their names resolve to (the first of each name), in workspace order. */
export function allOfKind(workspace: Workspace, ...kinds: DeclarationKind[]): Declaration[] {
  const result: Declaration[] = [];
  for (const doc of workspace.documents) for (const decl of doc.model.declarations) if (kinds.includes(decl.kind) && workspace.declarations(decl.name.text)[0]?.decl === decl) result.push(decl);
  return result;
}
