// What the formatter reads and what it checks: the lexed and parsed shape of
// a text, small queries over its syntax trees, and the verification of a
// formatted result. The formatter works over the core's own lexer and parser
// and never guesses at broken text, so `analyse` gives nothing when the text
// does not lex or parse cleanly; and since a layout bug must never change
// what a text means, `verify` re-analyses the printed text and compares its
// tokens, comments, declarations and disable comments with the source's. The
// raw text scans (line breaks, the line after a comment) live here too,
// because both the verification and the layout need them.
import type { CstNode, IToken } from 'chevrotain';
import { decodeString, isTooLarge } from '../../model/build';
import { splitChunks } from '../../syntax/chunks';
import { endOf, lex } from '../../syntax/lexer';
import { DISABLE_DIRECTIVE } from '../../syntax/grammar';
import { parseDeclaration, propertyNodes } from '../../syntax/parser';
import { BlockComment, DECLARATION_STARTS, LineComment, StringLiteral, Unknown } from '../../syntax/tokens';

export interface Decl {
  cst: CstNode;
  /** Token indexes: [first, end). */
  first: number;
  end: number;
  /** `functionDecl`, `kpiDecl`, … */
  rule: string;
}

export interface Structure {
  tokens: IToken[];
  comments: IToken[];
  decls: Decl[];
}


/** Tokens, comments and one syntax tree per declaration; undefined on any lexical or parse error. */
export function analyse(text: string): Structure | undefined {
  if (isTooLarge(text)) return undefined;
  const { tokens, comments } = lex(text);
  for (const t of tokens) {
    if (t.tokenType === Unknown) return undefined;
    if (t.tokenType === StringLiteral && !decodeString(t.image).terminated) return undefined;
  }
  for (const c of comments) {
    if (c.tokenType === BlockComment && (c.image.length < 4 || !c.image.endsWith('*/'))) return undefined;
  }
  const decls: Decl[] = [];
  for (const chunk of splitChunks(tokens, text)) {
    const chunkTokens = tokens.slice(chunk.first, chunk.end);
    if (!DECLARATION_STARTS.has(chunkTokens[0]!.tokenType)) return undefined;
    const { cst, errors } = parseDeclaration(chunkTokens);
    if (!cst || errors.length > 0) return undefined;
    const inner = firstNode(cst);
    if (!inner) return undefined;
    decls.push({ cst: inner, first: chunk.first, end: chunk.end, rule: inner.name });
  }
  return { tokens, comments, decls };
}

/**
 * The formatted text must hold the same tokens and comments, parse as cleanly,
 * and keep each disable comment above the same code.
 */
export function verify(input: string, before: Structure, output: string): boolean {
  const after = analyse(output);
  if (!after) return false;
  const same = (a: IToken[], b: IToken[]) => a.length === b.length && a.every((t, i) => t.image === b[i]!.image && t.tokenType === b[i]!.tokenType);
  if (!same(before.tokens, after.tokens) || !same(before.comments, after.comments)) return false;
  if (before.decls.length !== after.decls.length) return false;
  for (let j = 0; j < before.comments.length; j++) {
    const c = before.comments[j]!;
    if (c.tokenType !== LineComment || !DISABLE_DIRECTIVE.test(c.image)) continue;
    const a = tokensOnNextLine(input, before.tokens, endOf(c));
    const b = tokensOnNextLine(output, after.tokens, endOf(after.comments[j]!));
    if ((a === undefined) !== (b === undefined) || (a && b && (a[0] !== b[0] || a[1] !== b[1]))) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Syntax tree queries

type Child = CstNode | IToken;

function isToken(child: Child): child is IToken {
  return (child as IToken).image !== undefined;
}

function firstNode(node: CstNode): CstNode | undefined {
  for (const list of Object.values(node.children)) for (const child of list) if (!isToken(child)) return child;
  return undefined;
}

export function labelled(node: CstNode, label: string): IToken | undefined {
  const first = node.children[label]?.[0];
  return first && isToken(first) ? first : undefined;
}

/** The property nodes (`p_…`) of a block, in text order. */
export function properties(node: CstNode): CstNode[] {
  return propertyNodes(node);
}

/** Every token below `node`, in text order. */
function flatten(node: CstNode, out: IToken[] = []): IToken[] {
  for (const list of Object.values(node.children)) {
    for (const child of list) {
      if (isToken(child)) out.push(child);
      else flatten(child, out);
    }
  }
  return out;
}

export function sortedTokens(node: CstNode): IToken[] {
  return flatten(node).sort((a, b) => a.startOffset - b.startOffset);
}

export { endOf };

// ---------------------------------------------------------------------------
// Text scans

export function hasNewline(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/** Line breaks in text[from, to) (`\r\n` counts once). */
export function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** Token index range [a, b] of the tokens starting on the line after the one `offset` ends (a line comment's end). */
export function tokensOnNextLine(text: string, tokens: IToken[], offset: number): [number, number] | undefined {
  let start = offset;
  if (text.charCodeAt(start) === 13) start++;
  if (text.charCodeAt(start) === 10) start++;
  if (start === offset || start >= text.length) return undefined;
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < start) lo = mid + 1;
    else hi = mid;
  }
  let b = lo;
  while (b < tokens.length && tokens[b]!.startOffset < end) b++;
  return b > lo ? [lo, b - 1] : undefined;
}
