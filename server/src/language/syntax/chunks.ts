// Splits a file's tokens into top-level declarations ("chunks") before parsing.
//
// This is part of the language's recovery semantics, written down in
// docs/ARCHITECTURE.md: a declaration keyword starts a new declaration when it
// stands at brace depth 0, or when it begins a line inside a block that cannot
// hold it as a property or as a name the line before asks for (a missing `}`
// then damages only its own declaration).
// Because a chunk's parse depends on nothing but its own tokens, re-parsing
// only the chunks an edit touches gives exactly the result of a full parse.
import type { IToken } from 'chevrotain';
import { BLOCKS } from './grammar';
import { Comma, DECLARATION_STARTS, Kw, LBrace, RBrace, StringLiteral } from './tokens';

/**
 * Tokens after which the grammar expects a name: the keyword of a property
 * that takes references (`result` for `key result`) and a comma in a list. A
 * declaration keyword there is a reference (`owner` then `sop` on the next
 * line, for a role named sop), even at the start of a line.
 */
const NAME_AFTER: ReadonlySet<IToken['tokenType']> = new Set([
  Comma,
  ...Object.values(BLOCKS)
    .flat()
    .flatMap((p) => (p.site === undefined ? [] : [Kw[p.label.split(' ').pop()! as keyof typeof Kw]]))
    .filter((t): t is IToken['tokenType'] => t !== undefined),
]);


export interface Chunk {
  /** Index of the first token of the chunk in the file's token array. */
  first: number;
  /** Index after the last token. */
  end: number;
}

/**
 * `lineStarts` marks, per token index, whether the token is the first one on
 * its line; `text` is used to compute it when not given.
 */
export function splitChunks(tokens: IToken[], text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let first = 0;
  let depth = 0;
  let kind: IToken['tokenType'] | undefined;
  // Keywords are soft: right after a declaration keyword or `in`, a keyword is a name (`role kpi`, `in function`).
  let nameExpected = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    const isName = nameExpected;
    nameExpected = false;
    if (DECLARATION_STARTS.has(type) && i > first && !isName) {
      const starts = depth <= 0 || (startsLine(text, token.startOffset) && !NAME_AFTER.has(tokens[i - 1]!.tokenType) && !acceptsAsProperty(kind, depth, type, tokens[i + 1]));
      if (starts) {
        chunks.push({ first, end: i });
        first = i;
        depth = 0;
      }
    }
    if (i === first) {
      kind = DECLARATION_STARTS.has(type) ? type : undefined;
      nameExpected = kind !== undefined;
    } else if (!isName && depth <= 0 && type === Kw.in) nameExpected = true;
    if (type === LBrace) depth++;
    else if (type === RBrace) depth = Math.max(0, depth - 1);
  }
  if (tokens.length > first) chunks.push({ first, end: tokens.length });
  return chunks;
}

/** Inside a process step's block, `sop X` is a property; directly inside an sop, `objective "…"` is. */
function acceptsAsProperty(kind: IToken['tokenType'] | undefined, depth: number, keyword: IToken['tokenType'], next: IToken | undefined): boolean {
  if (kind === Kw.process && keyword === Kw.sop) return depth === 2;
  if (kind === Kw.sop && keyword === Kw.objective) return depth === 1 && next?.tokenType === StringLiteral;
  return false;
}

function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
