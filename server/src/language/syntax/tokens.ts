// The token vocabulary of the .kpi language (LANGUAGE.md section 2).
//
// Keywords are *soft*: they are reserved only where the grammar expects them.
// Every keyword token is therefore also in the `Identifier` category, so a rule
// that consumes an Identifier accepts `owner` or `step` as a name, while a rule
// that consumes the keyword token accepts only that word.
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { DECLARATION_KINDS, KEYWORD_WORDS } from './grammar';

/** Characters the lexer skips; every other character starts some token. */
const WHITE_SPACE_CHARS = ' \t\r\n\f\v\uFEFF\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: new RegExp(`[${WHITE_SPACE_CHARS}]+`), group: Lexer.SKIPPED });

// Comments are kept in their own group: disable comments, folding and the
// formatter need them, the parser does not see them.
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
// An unterminated block comment runs to the end of the file; the model builder
// reports it, so the lexer never fails on it.
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))/, group: 'comments', line_breaks: true });

// An unterminated string runs to the end of its line and is reported by the
// model builder; keeping it one token keeps the tree intact for recovery.
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*(?:"|\\?(?=[\r\n]|$(?![\s\S])))/ });

// Periods and dates come before numbers: `2026-10` is one token, not two.
// The patterns accept one or two digits so that `2026-1` is one (malformed)
// period the builder can explain, rather than the numbers 2026 and -1.
export const DateLiteral = createToken({ name: 'DateLiteral', pattern: /\d{4}-\d{1,2}-\d{1,2}(?![\w.])/ });
export const WeekLiteral = createToken({ name: 'WeekLiteral', pattern: /\d{4}-W\d{1,2}(?!\w)/ });
export const QuarterLiteral = createToken({ name: 'QuarterLiteral', pattern: /\d{4}-Q\d(?!\w)/ });
export const MonthLiteral = createToken({ name: 'MonthLiteral', pattern: /\d{4}-\d{1,2}(?![\w.-])/ });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /-?\d+(?:\.\d+)?/ });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/ });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/**
 * Anything else is one token, so a stray character is a parse error on
 * exactly that character. Chevrotain cannot tell which characters start a
 * negated set, and one pattern it cannot analyse turns off its first-character
 * dispatch for all (every token would try every pattern): the hint lists them.
 */
export const Unknown = createToken({
  name: 'Unknown',
  pattern: new RegExp(`[^${WHITE_SPACE_CHARS}]`),
  start_chars_hint: Array.from({ length: 0x10000 }, (_, code) => code).filter((code) => !WHITE_SPACE_CHARS.includes(String.fromCharCode(code))),
});

function keyword(word: string): TokenType {
  return createToken({
    name: `Kw_${word}`,
    pattern: new RegExp(`${word}(?![A-Za-z0-9_])`),
    longer_alt: Identifier,
    categories: [Identifier],
  });
}

/** A word the grammar treats as a keyword somewhere (grammar.ts lists them). */
export type KeywordWord = string;

export const Kw: Readonly<Record<KeywordWord, TokenType>> = Object.fromEntries(KEYWORD_WORDS.map((w) => [w, keyword(w)]));

/** The tokens that start a top-level declaration (`kpi`, `role`, …), from the grammar table. */
export const DECLARATION_STARTS: ReadonlySet<TokenType> = new Set(DECLARATION_KINDS.map((kind) => Kw[kind]!));

export const COMPARATORS: readonly TokenType[] = [GreaterEq, LessEq, Greater, Less, Equals];
export const PERIODS: readonly TokenType[] = [DateLiteral, WeekLiteral, QuarterLiteral, MonthLiteral];

/** Lexer order: longest or most specific patterns first. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  BlockComment,
  LineComment,
  StringLiteral,
  DateLiteral,
  WeekLiteral,
  QuarterLiteral,
  MonthLiteral,
  NumberLiteral,
  Arrow,
  GreaterEq,
  LessEq,
  Greater,
  Less,
  Equals,
  LBrace,
  RBrace,
  Comma,
  Dot,
  // Keywords are sorted longest first so that `reviewed` is tried before `review`;
  // `longer_alt` hands longer words (`owners`) back to Identifier.
  ...[...KEYWORD_WORDS].sort((a, b) => b.length - a.length).map((w) => Kw[w]),
  Identifier,
  Unknown,
];
