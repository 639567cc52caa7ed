// Smart selection (Expand Selection, Shift+Alt+Right in VS Code): from the
// cursor outwards, the word (or the comment), a whole `Process.Step`, the property it is in
// (keyword and values), the inside of the braces, the braces, the step or
// property holding them, and so on up to the whole declaration. Properties
// are found from the model: every property, step and actual it built keeps
// where its keyword starts, so a word that merely looks like a keyword (a
// role named `owner`) never splits a property.
import type { IToken } from 'chevrotain';
import type { Declaration, Span } from '../model/ast';
import { endOf, spanOf } from '../syntax/lexer';
import { Dot, LBrace, RBrace } from '../syntax/tokens';
import type { SourceDocument } from '../workspace/workspace';
import { lexAround } from './context';
import { declarationAt } from './locate';

/** For each offset, the ranges to select from the innermost out, each holding the one before. */
export function selectionRanges(doc: SourceDocument, offsets: readonly number[]): Span[][] {
  return offsets.map((offset) => rangesAt(doc, offset));
}

function rangesAt(doc: SourceDocument, offset: number): Span[] {
  const decl = declarationAt(doc, offset);
  if (!decl) return [];
  const lexed = lexAround(doc.text, offset, doc.model.chunks);
  const tokens = lexed.tokens.filter((t) => t.startOffset >= decl.span.start && t.startOffset < decl.span.end);
  const ranges: Span[] = [];
  const at = tokens.findIndex((t) => t.startOffset <= offset && offset <= endOf(t));
  // A token touching the cursor wins over a comment that ends there (`/*…*/Name`).
  const comment = at < 0 ? lexed.comments.find((c) => c.startOffset <= offset && offset <= endOf(c)) : undefined;
  if (comment) ranges.push(spanOf(comment));
  else if (at >= 0) {
    ranges.push(spanOf(tokens[at]!));
    const dotted = dottedAround(tokens, at);
    if (dotted) ranges.push(dotted);
  }
  const starts = propertyStarts(decl);
  // The brace groups around the offset, innermost first: [index of `{`, index of `}` or -1 when unclosed].
  for (const [open, close] of groupsAround(tokens, offset)) {
    const last = close < 0 ? tokens.length - 1 : close - 1;
    const item = itemAround(tokens, open + 1, last, offset, starts);
    if (item) ranges.push(item);
    if (last > open) ranges.push({ start: tokens[open + 1]!.startOffset, end: endOf(tokens[last]!) });
    ranges.push({ start: tokens[open]!.startOffset, end: close < 0 ? decl.span.end : endOf(tokens[close]!) });
    // The property or step the braces belong to is the item around them in the enclosing group (next turn) or the declaration.
  }
  ranges.push(decl.span);
  return nested(ranges, offset);
}

/** `Process.Step` around token `at` (either name or the dot). */
function dottedAround(tokens: readonly IToken[], at: number): Span | undefined {
  let first = at;
  let last = at;
  if (tokens[at]!.tokenType === Dot) {
    first = at - 1;
    last = at + 1;
  } else if (tokens[at + 1]?.tokenType === Dot && tokens[at + 2]) last = at + 2;
  else if (tokens[at - 1]?.tokenType === Dot && tokens[at - 2]) first = at - 2;
  else return undefined;
  const a = tokens[first];
  const b = tokens[last];
  if (!a || !b || endOf(a) !== tokens[first + 1]!.startOffset || endOf(tokens[last - 1]!) !== b.startOffset) return undefined;
  return { start: a.startOffset, end: endOf(b) };
}

/** The brace groups that hold `offset`, innermost first. */
function groupsAround(tokens: readonly IToken[], offset: number): [number, number][] {
  const open: number[] = [];
  const groups: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === LBrace) open.push(i);
    else if (t.tokenType === RBrace && open.length > 0) {
      const start = open.pop()!;
      if (tokens[start]!.startOffset < offset && offset <= t.startOffset) groups.push([start, i]);
    }
  }
  // Unclosed groups that began before the offset hold it to the end of the declaration.
  for (let k = open.length - 1; k >= 0; k--) if (tokens[open[k]!]!.startOffset < offset) groups.push([open[k]!, -1]);
  return groups.sort((a, b) => tokens[b[0]]!.startOffset - tokens[a[0]]!.startOffset);
}

/**
 * The property (or step) holding `offset` among tokens [first, last] of one
 * group: from the nearest property start at or before it, at this group's
 * depth, to the token before the next start at that depth.
 */
function itemAround(tokens: readonly IToken[], first: number, last: number, offset: number, starts: ReadonlySet<number>): Span | undefined {
  let depth = 0;
  let from = -1;
  let to = -1;
  for (let i = first; i <= last; i++) {
    const t = tokens[i]!;
    if (depth === 0 && starts.has(t.startOffset)) {
      if (t.startOffset > offset) break;
      from = i;
    }
    if (t.tokenType === LBrace) depth++;
    else if (t.tokenType === RBrace) depth = Math.max(0, depth - 1);
    if (from >= 0) to = i;
  }
  if (from < 0) return undefined;
  const span = { start: tokens[from]!.startOffset, end: endOf(tokens[to]!) };
  return span.start <= offset && offset <= span.end ? span : undefined;
}

/** Where each property, step, actual and exception of `decl` starts (its keyword), read from the model. */
function propertyStarts(decl: Declaration): Set<number> {
  const starts = new Set<number>();
  const visit = (value: unknown, top: boolean): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, false);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const fields = value as Record<string, unknown>;
    if (!top) {
      const keyword = fields['keyword'] as Span | undefined;
      if (keyword && typeof keyword.start === 'number') starts.add(keyword.start);
      else if ('periodSpan' in fields) starts.add((fields['span'] as Span).start);
    }
    for (const [key, field] of Object.entries(fields)) if (key !== 'keyword' && key !== 'span') visit(field, false);
  };
  visit(decl, true);
  return starts;
}

/** The ranges that hold the offset and the range before them, without repeats. */
function nested(ranges: readonly Span[], offset: number): Span[] {
  const result: Span[] = [];
  let inner: Span = { start: offset, end: offset };
  for (const r of ranges) {
    if (r.start > inner.start || r.end < inner.end || (result.length > 0 && r.start === inner.start && r.end === inner.end)) continue;
    result.push(r);
    inner = r;
  }
  return result;
}
