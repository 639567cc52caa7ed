// Where the cursor is in the grammar, from the tokens before it. A small state
// machine over one declaration's tokens rather than the parser: it must answer
// inside half-written text (an unclosed brace above the cursor, a property with
// no value yet), which is exactly where completion is asked for.
import type { IToken } from 'chevrotain';
import type { ChunkResult, DeclarationKind } from '../model/ast';
import { isTooLarge } from '../model/build';
import { splitChunks } from '../syntax/chunks';
import { lex } from '../syntax/lexer';
import {
  Arrow,
  BlockComment,
  COMPARATORS,
  Comma,
  DateLiteral,
  Dot,
  Identifier,
  LBrace,
  LineComment,
  MonthLiteral,
  NumberLiteral,
  QuarterLiteral,
  RBrace,
  StringLiteral,
  WeekLiteral,
} from '../syntax/tokens';
import { DECLARATION_KINDS, DECLARATIONS, DISABLE_DIRECTIVE, propertyOf, type BlockKind, type ValueKind } from '../syntax/grammar';

export type Expectation =
  | { kind: 'declaration' }
  | { kind: 'header'; decl: DeclarationKind; hasIn: boolean }
  | { kind: 'in' }
  | { kind: 'property'; block: BlockKind; used: ReadonlySet<string> }
  /** A reference in `prop`'s list; `index` counts the references before it; `head` is set after `Head.`. */
  | { kind: 'ref'; block: BlockKind; prop: string; index: number; head?: string }
  | { kind: 'word'; block: BlockKind; prop: string }
  | { kind: 'comparator'; block: BlockKind; prop: string }
  | { kind: 'every' }
  | { kind: 'reviewUnit' }
  | { kind: 'result' }
  | { kind: 'disableCode' }
  | { kind: 'none' };

export interface CompletionContext {
  expect: Expectation;
  /** The word being typed (replaced by the chosen item). */
  word: { start: number; end: number; text: string };
  /** The enclosing declaration's keyword, if any. */
  declaration?: DeclarationKind;
}

const PERIODS = new Set([DateLiteral, WeekLiteral, MonthLiteral, QuarterLiteral, NumberLiteral]);
const DECLARATION_WORDS = new Set<string>(DECLARATION_KINDS);

interface Frame {
  block: BlockKind;
  used: Set<string>;
}

/** A property value being read: its kind, keyword, progress and (for `thresholds`, `steps`, `step`) the block it opens. */
type Value = { shape: ValueKind; prop: string; phase: number; head?: string; index: number; block?: BlockKind };

/**
 * `chunks` (the document model's) lets it lex only the declaration around
 * the cursor instead of the whole text: declarations are self-contained.
 */
export function completionContext(text: string, offset: number, chunks?: readonly ChunkResult[]): CompletionContext {
  const { tokens, comments } = lexAround(text, offset, chunks);
  // Inside a comment: only the codes of a disable directive are completed.
  for (const c of comments) {
    // The cursor at the end of a line comment is still in it; right after a closed `*/` it is not.
    const closed = c.tokenType === BlockComment && c.image.length >= 4 && c.image.endsWith('*/');
    const end = c.startOffset + c.image.length;
    if (c.startOffset < offset && (closed ? offset < end : offset <= end)) {
      const before = text.slice(c.startOffset, offset);
      const directive = c.tokenType === LineComment ? DISABLE_DIRECTIVE.exec(before) : null;
      if (directive && /^\s/.test(directive[1]!)) {
        const word = /[a-z-]*$/.exec(before)![0];
        return { expect: { kind: 'disableCode' }, word: { start: offset - word.length, end: offset, text: word } };
      }
      return none(offset);
    }
  }
  // The word under the cursor, if the cursor is in or right after a name; a string or number under it means nothing to complete.
  let word = { start: offset, end: offset, text: '' };
  for (const t of tokens) {
    const end = t.startOffset + t.image.length;
    if (t.startOffset > offset) break;
    if (offset > end || (offset === t.startOffset && !isWordToken(t))) continue;
    if (isWordToken(t)) word = { start: t.startOffset, end, text: text.slice(t.startOffset, offset) };
    else if (offset < end || t.tokenType === StringLiteral) return none(offset);
  }
  const before = tokens.filter((t) => t.startOffset + t.image.length <= word.start);
  // Only the declaration the cursor is in matters (declarations are self-contained).
  const split = splitChunks(before, text);
  const last = split[split.length - 1];
  const own = last ? before.slice(last.first, last.end) : [];
  const walked = walk(own);
  // A word at the start of its own line after a finished header (`role X "T"`,
  // `function F`) starts the next declaration: the header continues only on its line.
  if (walked.expect.kind === 'header' && startsLine(text, word.start)) return { expect: { kind: 'declaration' }, word };
  return { expect: walked.expect, word, ...(walked.declaration ? { declaration: walked.declaration } : {}) };
}

/** The tokens of the declaration region holding `offset` (with the one before it), or of the whole text. */
export function lexAround(text: string, offset: number, chunks: readonly ChunkResult[] | undefined): { tokens: IToken[]; comments: IToken[] } {
  if (isTooLarge(text)) return { tokens: [], comments: [] };
  if (!chunks || chunks.length === 0) return lex(text);
  let i = chunks.findIndex((c) => offset < c.end);
  if (i < 0) i = chunks.length - 1;
  const start = chunks[Math.max(0, i - 1)]!.start;
  const end = Math.max(chunks[i]!.end, offset);
  const lexed = lex(text.slice(start, end));
  for (const t of lexed.tokens) t.startOffset += start;
  for (const c of lexed.comments) c.startOffset += start;
  return lexed;
}

/** Whether only spaces and tabs stand between the start of `offset`'s line and `offset`. */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

function none(offset: number): CompletionContext {
  return { expect: { kind: 'none' }, word: { start: offset, end: offset, text: '' } };
}

function isWordToken(t: IToken): boolean {
  return t.tokenType === Identifier || (t.tokenType.CATEGORIES ?? []).includes(Identifier);
}

function walk(tokens: IToken[]): { expect: Expectation; declaration?: DeclarationKind } {
  let declaration: DeclarationKind | undefined;
  let header: 'name' | 'afterName' | 'in' | undefined;
  let hasIn = false;
  const stack: Frame[] = [];
  let value: Value | undefined;

  const startValue = (frame: Frame, prop: string) => {
    const spec = propertyOf(frame.block, prop)!;
    frame.used.add(prop);
    value = { shape: spec.value, prop, phase: 0, index: 0, ...(spec.block ? { block: spec.block } : {}) };
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (declaration === undefined) {
      if (DECLARATION_WORDS.has(t.image) && isWordToken(t)) {
        declaration = t.image as DeclarationKind;
        header = 'name';
      }
      continue;
    }
    if (header) {
      if (header === 'name') {
        if (isWordToken(t)) header = 'afterName';
        continue;
      }
      if (header === 'in') {
        if (isWordToken(t)) {
          header = 'afterName';
          hasIn = true;
        }
        continue;
      }
      if (type === StringLiteral) continue;
      if (t.image === 'in' && (declaration === 'role' || declaration === 'team')) {
        header = 'in';
        continue;
      }
      if (type === LBrace) {
        const block = DECLARATIONS[declaration].block;
        header = undefined;
        if (block) stack.push({ block, used: new Set() });
        continue;
      }
      continue;
    }
    const frame = stack[stack.length - 1];
    if (!frame) return { expect: { kind: 'none' }, declaration };
    if (value) {
      const consumed = advance(value, t, frame, stack);
      if (consumed === 'done') value = undefined;
      if (consumed !== 'reprocess') continue;
      value = undefined;
    }
    // Expecting a property keyword (or the end of the block).
    if (type === RBrace) {
      stack.pop();
      // The declaration is closed: whatever follows at the top level starts the next one.
      if (stack.length === 0) return { expect: { kind: 'declaration' } };
      continue;
    }
    if (frame.block === 'checklist') continue;
    if (isWordToken(t) && propertyOf(frame.block, t.image)) startValue(frame, t.image);
  }

  if (declaration === undefined) return { expect: { kind: 'declaration' } };
  if (header === 'name') return { expect: { kind: 'none' }, declaration };
  if (header === 'in') return { expect: { kind: 'in' }, declaration };
  if (header === 'afterName') return { expect: { kind: 'header', decl: declaration, hasIn }, declaration };
  const frame = stack[stack.length - 1];
  if (!frame) return { expect: { kind: 'none' }, declaration };
  if (!value) return { expect: frame.block === 'checklist' ? { kind: 'none' } : { kind: 'property', block: frame.block, used: frame.used }, declaration };
  return { expect: expectationOf(value, frame), declaration };
}

/** Feeds one token to a property value; 'reprocess' hands the token back as the next property's keyword. */
function advance(v: Value, t: IToken, frame: Frame, stack: Frame[]): 'more' | 'done' | 'reprocess' {
  const type = t.tokenType;
  const word = isWordToken(t);
  switch (v.shape) {
    case 'refs':
      // phase 0: expecting a name; 1: after a name; 2: after `Head.`
      if (v.phase === 0 && word) return (v.head = t.image), (v.phase = 1), 'more';
      if (v.phase === 1 && type === Dot) return (v.phase = 2), 'more';
      if (v.phase === 2 && word) return (v.phase = 3), 'more';
      if ((v.phase === 1 || v.phase === 3) && type === Comma) return (v.phase = 0), v.index++, delete v.head, 'more';
      return 'reprocess';
    case 'ref':
      if (v.phase === 0 && word) return 'done';
      return 'reprocess';
    case 'word':
    case 'date':
      return v.phase === 0 && (word || type === DateLiteral) ? 'done' : 'reprocess';
    case 'string':
      return type === StringLiteral ? 'done' : 'reprocess';
    case 'unit':
      return type === StringLiteral || word ? 'done' : 'reprocess';
    case 'strings':
      if (v.phase === 0 && type === StringLiteral) return (v.phase = 1), 'more';
      if (v.phase === 1 && type === Comma) return (v.phase = 0), 'more';
      return 'reprocess';
    case 'target':
    case 'band':
      if (v.phase === 0 && COMPARATORS.includes(type)) return (v.phase = 1), 'more';
      if (v.phase === 0 && type === StringLiteral && v.shape === 'target') return 'done';
      if (v.phase === 1 && type === NumberLiteral) return 'done';
      return 'reprocess';
    case 'actual':
      if (v.phase === 0 && PERIODS.has(type)) return (v.phase = 1), 'more';
      if (v.phase === 1 && type === NumberLiteral) return 'done';
      return 'reprocess';
    case 'review':
      if (v.phase === 0 && t.image === 'every') return (v.phase = 1), 'more';
      if (v.phase === 1 && type === NumberLiteral) return (v.phase = 2), 'more';
      if (v.phase === 2 && word) return 'done';
      return 'reprocess';
    case 'exception':
      if (v.phase === 0 && type === StringLiteral) return (v.phase = 1), 'more';
      if (v.phase === 1 && type === Arrow) return (v.phase = 2), 'more';
      if (v.phase === 2 && type === StringLiteral) return 'done';
      return 'reprocess';
    case 'keyResult':
      if (v.phase === 0 && t.image === 'result') return (v.phase = 1), 'more';
      if (v.phase === 1 && word) return 'done';
      return 'reprocess';
    case 'thresholds':
    case 'checklist':
      if (v.phase === 0 && type === LBrace) {
        stack.push({ block: v.block!, used: new Set() });
        return 'done';
      }
      return 'reprocess';
    case 'step':
      // `step Id "Title"? { … }?`
      if (v.phase === 0 && word) return (v.phase = 1), 'more';
      if (v.phase === 1 && type === StringLiteral) return (v.phase = 2), 'more';
      if ((v.phase === 1 || v.phase === 2) && type === LBrace) {
        stack.push({ block: v.block!, used: new Set() });
        return 'done';
      }
      return 'reprocess';
  }
  void frame;
  return 'reprocess';
}

function expectationOf(v: Value, frame: Frame): Expectation {
  const block = frame.block;
  switch (v.shape) {
    case 'refs':
      if (v.phase === 0) return { kind: 'ref', block, prop: v.prop, index: v.index };
      if (v.phase === 2) return { kind: 'ref', block, prop: v.prop, index: v.index, head: v.head! };
      // After a complete name the next word starts a new property.
      return { kind: 'property', block, used: frame.used };
    case 'ref':
      return { kind: 'ref', block, prop: v.prop, index: 0 };
    case 'keyResult':
      return v.phase === 0 ? { kind: 'result' } : { kind: 'ref', block, prop: 'key', index: 0 };
    case 'word':
      return { kind: 'word', block, prop: v.prop };
    case 'target':
    case 'band':
      return v.phase === 0 ? { kind: 'comparator', block, prop: v.prop } : { kind: 'none' };
    case 'review':
      return v.phase === 0 ? { kind: 'every' } : v.phase === 2 ? { kind: 'reviewUnit' } : { kind: 'none' };
    case 'strings':
      return v.phase === 1 ? { kind: 'property', block, used: frame.used } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}
