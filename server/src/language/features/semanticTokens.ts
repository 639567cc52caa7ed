// Semantic tokens: what each word of a document *is*, for themes to colour.
//
// The TextMate grammar (syntaxes/kpi.tmLanguage.json) can only guess from the
// text around a word; here the model knows. Keywords are soft (`role owner`
// declares a role named owner), so a word is a keyword only where the parser
// took it as one, and a reference is coloured by the kind of the declaration
// it resolves to (the first of that name in workspace order), not by the kind
// its position expects. The legend and the reasons for each choice are in
// docs/editor.md ("Semantic highlighting").
//
// How: the model gives the spans of names, references, keyword values and
// periods ("claims"); one pass over the lexer's tokens then gives every token
// its claim or, when it has none, the default of its token type (strings,
// numbers, periods, comparators, keyword tokens the model did not claim as
// names). No parsing is repeated, and nothing here throws on a broken text.
import type { IToken } from 'chevrotain';
import type { ChunkResult, Declaration, DeclarationKind, Span } from '../model/ast';
import { BLOCKS, DECLARATIONS, DISABLE_DIRECTIVE, DISABLE_DIRECTIVE_WORD, type BlockKind } from '../syntax/grammar';
import { lex } from '../syntax/lexer';
import {
  Arrow,
  COMPARATORS,
  DateLiteral,
  MonthLiteral,
  NumberLiteral,
  QuarterLiteral,
  StringLiteral,
  WeekLiteral,
} from '../syntax/tokens';
import type { LineIndex } from '../text';
import { declaredKey } from '../workspace/changes';
import { findStep, forEachRef } from '../workspace/symbols';
import type { SourceDocument, Workspace } from '../workspace/workspace';

/**
 * The token types, in legend order (a token's `type` is an index into this
 * list). All are standard LSP types except `period`, which clients that do not
 * know it may ignore (VS Code: declare it with superType `number`).
 */
export const SEMANTIC_TOKEN_TYPES = [
  'namespace', // a function (department): roles and teams live `in` it
  'class', // a role: one accountable position
  'struct', // a team: a group of people
  'interface', // an objective: the "why" kpis support
  'type', // a process: a type whose members are its steps
  'method', // a process step
  'variable', // a kpi: a measured value over time
  'function', // an sop: a procedure (trigger, steps, exceptions)
  'enum', // a scorecard: kpis grouped under four perspectives
  'enumMember', // a bare-word value from a fixed set (financial, monthly, lagging, weeks), a bare unit, a rule code in a disable comment
  'keyword', // declaration and property keywords, where they are keywords
  'string',
  'number',
  'operator', // comparators and `->`
  'comment',
  'macro', // `kpi-disable-next-line` in a disable comment
  'period', // dates and periods: 2026-11-10, 2026-W05, 2026-10, 2026-Q3, a year after `actual`
] as const;
export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];

/** The token modifiers, in legend order (a token's `modifiers` is a bit set: bit i = modifier i). */
export const SEMANTIC_TOKEN_MODIFIERS = [
  'declaration', // the name where a declaration or a step is declared
] as const;
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

/** One token: `start` is an offset into the document's text, `length` in UTF-16 code units; never spans lines. */
export interface SemanticToken {
  start: number;
  length: number;
  /** Index into SEMANTIC_TOKEN_TYPES. */
  type: number;
  /** Bit set over SEMANTIC_TOKEN_MODIFIERS. */
  modifiers: number;
}

/** The token type of each kind of declaration (and of steps). */
export const KIND_TOKEN_TYPE: Readonly<Record<DeclarationKind | 'step', SemanticTokenType>> = {
  function: 'namespace',
  role: 'class',
  team: 'struct',
  objective: 'interface',
  process: 'type',
  step: 'method',
  kpi: 'variable',
  sop: 'function',
  scorecard: 'enum',
};

const TYPE_INDEX = new Map<string, number>(SEMANTIC_TOKEN_TYPES.map((t, i) => [t, i]));

/** The legend index of a token type. */
export function tokenTypeIndex(type: SemanticTokenType): number {
  return TYPE_INDEX.get(type)!;
}

/** The modifier bit set of some modifiers. */
export function tokenModifierBits(...modifiers: SemanticTokenModifier[]): number {
  let bits = 0;
  for (const m of modifiers) bits |= 1 << SEMANTIC_TOKEN_MODIFIERS.indexOf(m);
  return bits;
}

const DECLARATION = tokenModifierBits('declaration');

/** The types of unclaimed lexer tokens; keyword tokens are handled by name (`Kw_…`). */
const DEFAULT_TYPES = new Map<IToken['tokenType'], number>([
  [StringLiteral, tokenTypeIndex('string')],
  [NumberLiteral, tokenTypeIndex('number')],
  [DateLiteral, tokenTypeIndex('period')],
  [WeekLiteral, tokenTypeIndex('period')],
  [MonthLiteral, tokenTypeIndex('period')],
  [QuarterLiteral, tokenTypeIndex('period')],
  [Arrow, tokenTypeIndex('operator')],
  ...COMPARATORS.map((c) => [c, tokenTypeIndex('operator')] as const),
]);


/**
 * The semantic tokens of the document `key`, sorted by offset, one line each,
 * never overlapping; with `range`, only those that overlap it. Unknown key: [].
 */
export function semanticTokens(workspace: Workspace, key: string, range?: Span): SemanticToken[] {
  const doc = workspace.getDocument(key);
  return doc ? documentSemanticTokens(workspace, doc, range) : [];
}

/**
 * As `semanticTokens`, for a document at hand, computed from scratch: the whole
 * text lexed once. The server keeps them per declaration instead
 * (semanticTokenCache.ts); this is what its results must equal.
 */
export function documentSemanticTokens(workspace: Workspace, doc: SourceDocument, range?: Span): SemanticToken[] {
  const result: SemanticToken[] = [];
  forEachChunkTokens(workspace, doc, 0, doc.model.chunks.length, (_chunk, tokens) => {
    for (const t of tokens) result.push(t);
  });
  if (!range) return result;
  return result.filter((t) => t.start < range.end && t.start + t.length > range.start);
}

/**
 * The tokens of chunks [from, to) of a document (model.chunks: each top-level
 * declaration with the comments after it), handed over chunk by chunk with the
 * declaration keys (`d:NAME`) their types were read from; the chunks' text is
 * lexed once. A chunk's tokens depend on its own text and on what those keys
 * say (a reference is typed by the declaration it resolves to), nothing else.
 */
export function forEachChunkTokens(
  workspace: Workspace,
  doc: SourceDocument,
  from: number,
  to: number,
  each: (chunk: ChunkResult, tokens: SemanticToken[], reads: ReadonlySet<string>) => void,
): void {
  const chunks = doc.model.chunks;
  if (from >= to) return;
  const text = doc.text;
  const regionStart = from === 0 ? 0 : chunks[from]!.start;
  const next = chunks[to];
  // The lexer looks a character past a token (`2026-10` right before a letter
  // is no month), so the text lexed runs into the next chunk's first token;
  // what starts there is left to that chunk.
  const lexEnd = next ? Math.min(text.length, next.firstTokenStart + next.firstTokenLength + 1) : text.length;
  const { tokens, comments } = lex(regionStart === 0 && lexEnd === text.length ? text : text.slice(regionStart, lexEnd));
  const keyword = tokenTypeIndex('keyword');
  let token = 0;
  let comment = 0;
  for (let i = from; i < to; i++) {
    const chunk = chunks[i]!;
    // Offsets in the lexed text; the document's last chunk takes whatever is left.
    const end = i + 1 === chunks.length ? Infinity : chunk.end - regionStart;
    const reads = new Set<string>();
    const claims = claimsOf(workspace, doc, chunk.declaration, reads);
    const result: SemanticToken[] = [];
    const commentsBefore = (offset: number) => {
      // Comments go in between the tokens as they come, so the list is in order
      // without sorting it (a full request on 50k lines sorted 126,000 tokens).
      for (; comment < comments.length && comments[comment]!.startOffset < offset; comment++) {
        commentTokens(regionStart + comments[comment]!.startOffset, comments[comment]!.image, result);
      }
    };
    for (; token < tokens.length && tokens[token]!.startOffset < end; token++) {
      const t = tokens[token]!;
      commentsBefore(t.startOffset);
      const start = regionStart + t.startOffset;
      const claim = claims.get(start);
      if (claim !== undefined) {
        // `null`: a name the model knows but cannot type (an unresolved reference): never a keyword.
        if (claim) result.push({ start, length: t.image.length, type: claim.type, modifiers: claim.modifiers });
        continue;
      }
      const type = t.tokenType.name.startsWith('Kw_') ? keyword : DEFAULT_TYPES.get(t.tokenType);
      if (type !== undefined) result.push({ start, length: t.image.length, type, modifiers: 0 });
    }
    commentsBefore(end);
    each(chunk, result, reads);
  }
}

interface Claim {
  type: number;
  modifiers: number;
}

/**
 * What the model says about the tokens of one declaration it knows, by start
 * offset; `null` for a name with no token. `reads` gets the key of every name
 * looked up in the workspace.
 */
function claimsOf(workspace: Workspace, doc: SourceDocument, decl: Declaration | undefined, reads: Set<string>): Map<number, Claim | null> {
  const claims = new Map<number, Claim | null>();
  if (!decl) return claims;
  const claim = (span: Span, type: SemanticTokenType, modifiers = 0) => {
    claims.set(span.start, { type: tokenTypeIndex(type), modifiers });
  };
  const unresolved = (span: Span) => claims.set(span.start, null);
  claim(decl.keyword, 'keyword');
  claim(decl.name.span, KIND_TOKEN_TYPE[decl.kind], DECLARATION);
  claimValues(doc, decl, claim);
  // A reference is typed by what it resolves to; an unresolved one gets no
  // token (see docs/editor.md), even when its text is a keyword.
  forEachRef(decl, ({ ref, site }) => {
    if (ref.member) unresolved(ref.member.span);
    if (site === 'next') {
      // `next` names a step of the same process.
      if (decl.kind === 'process' && findStep(decl, ref.name)) claim(ref.span, 'method');
      else unresolved(ref.span);
      return;
    }
    // The first declaration of the name: its kind, and its steps for a member.
    reads.add(declaredKey(ref.name));
    const target = workspace.declarations(ref.name)[0]?.decl;
    if (!target) {
      unresolved(ref.span);
      return;
    }
    claim(ref.span, KIND_TOKEN_TYPE[target.kind]);
    if (ref.member && target.kind === 'process' && findStep(target, ref.member.text)) claim(ref.member.span, 'method');
  });
  return claims;
}

type ClaimSpan = (span: Span, type: SemanticTokenType, modifiers?: number) => void;
type Fields = Record<string, unknown>;

/** Keywords, step names, bare-word values and periods of one declaration, by the value kinds of its properties. */
function claimValues(doc: SourceDocument, decl: Declaration, claim: ClaimSpan): void {
  const spec = DECLARATIONS[decl.kind];
  if (!spec.block) return;
  const fields = decl as unknown as Fields;
  claimBlock(doc, spec.block, spec.container ? (fields[spec.container] as Fields) : fields, claim);
}

function claimBlock(doc: SourceDocument, block: BlockKind, fields: Fields, claim: ClaimSpan): void {
  for (const spec of BLOCKS[block]) {
    const value = fields[spec.field];
    if (value === undefined) continue;
    for (const item of (spec.repeatable ? value : [value]) as Fields[]) {
      switch (spec.value) {
        case 'word':
          claim(item['span'] as Span, 'enumMember');
          break;
        case 'unit': {
          // `unit hours`: a bare unit name (keywords included) is a value, not a reference.
          const span = (item['value'] as { span: Span }).span;
          if (doc.text.charCodeAt(span.start) !== 34) claim(span, 'enumMember');
          break;
        }
        case 'actual':
          claim(item['periodSpan'] as Span, 'period');
          break;
        case 'review': {
          // The unit is the last word of `review every N unit`.
          const span = item['span'] as Span;
          let start = span.end;
          while (start > span.start && /[A-Za-z0-9_]/.test(doc.text[start - 1]!)) start--;
          claim({ start, end: span.end }, 'enumMember');
          break;
        }
        case 'step':
          claim(item['keyword'] as Span, 'keyword');
          claim((item['name'] as { span: Span }).span, 'method', DECLARATION);
          claimBlock(doc, spec.block!, item, claim);
          break;
        default:
          break;
      }
    }
  }
}

/** A comment as tokens: one per line; a disable comment split into `//`, the directive and its codes. */
function commentTokens(start: number, image: string, into: SemanticToken[]): void {
  const comment = tokenTypeIndex('comment');
  const push = (from: number, to: number, type: number) => {
    if (to > from) into.push({ start: start + from, length: to - from, type, modifiers: 0 });
  };
  const directive = DISABLE_DIRECTIVE.exec(image);
  if (directive) {
    const rest = directive[1]!;
    const lead = image.indexOf(DISABLE_DIRECTIVE_WORD);
    push(0, 2, comment);
    push(lead, lead + DISABLE_DIRECTIVE_WORD.length, tokenTypeIndex('macro'));
    const base = lead + DISABLE_DIRECTIVE_WORD.length;
    const code = tokenTypeIndex('enumMember');
    for (const m of rest.matchAll(/[^\s,]+/g)) push(base + m.index, base + m.index + m[0].length, code);
    return;
  }
  // Split at line breaks (\r\n, \r or \n): a token never spans lines.
  let lineStart = 0;
  for (let i = 0; i < image.length; i++) {
    const c = image.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    push(lineStart, i, comment);
    if (c === 13 && image.charCodeAt(i + 1) === 10) i++;
    lineStart = i + 1;
  }
  push(lineStart, image.length, comment);
}

/**
 * The LSP encoding of tokens (SemanticTokens.data): five integers per token,
 * [deltaLine, deltaStartCharacter, length, type, modifiers], each position
 * relative to the previous token's (the first to line 0, character 0);
 * characters in UTF-16 code units. The same encoding serves full and range
 * requests.
 */
export function encodeSemanticTokens(tokens: readonly SemanticToken[], lines: LineIndex): number[] {
  // Sized once: growing a list of hundreds of thousands of numbers copies it again and again.
  const data = new Array<number>(tokens.length * 5);
  let at = 0;
  let prevLine = 0;
  let prevChar = 0;
  // The tokens come sorted, so each one's line is found by stepping on from the
  // previous one's (a binary search per token cost a third of a full request on
  // 50k lines); the search stays for the first token and for any step back.
  let line = tokens.length > 0 ? lines.lineOf(tokens[0]!.start) : 0;
  for (const t of tokens) {
    if (t.start < lines.lineStart(line)) line = lines.lineOf(t.start);
    while (line + 1 < lines.lineCount && lines.lineStart(line + 1) <= t.start) line++;
    const character = t.start - lines.lineStart(line);
    data[at++] = line - prevLine;
    data[at++] = line === prevLine ? character - prevChar : character;
    data[at++] = t.length;
    data[at++] = t.type;
    data[at++] = t.modifiers;
    prevLine = line;
    prevChar = character;
  }
  return data;
}
