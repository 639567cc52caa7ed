// One lexer instance for the whole process (Chevrotain's performance guide:
// building a lexer analyses every pattern, so it is done once).
import { Lexer, type IToken } from 'chevrotain';
import { allTokens } from './tokens';

const lexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
  // The `Unknown` token catches every other character, so lexing never fails;
  // these checks only cost start-up time.
  skipValidations: true,
});

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
}

export function lex(text: string): LexResult {
  const result = lexer.tokenize(text);
  return { tokens: result.tokens, comments: result.groups['comments'] ?? [] };
}

/** Offset after the token (Chevrotain's `endOffset` is inclusive and not tracked in 'onlyOffset' mode). */
export function endOf(t: IToken): number {
  return t.startOffset + t.image.length;
}

/** The token's text as a span. */
export function spanOf(t: IToken): { start: number; end: number } {
  return { start: t.startOffset, end: endOf(t) };
}
