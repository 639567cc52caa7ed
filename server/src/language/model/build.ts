// Text → tokens → syntax tree → model, for one document. The model builder
// is driven by the grammar table (../syntax/grammar.ts): each property fills
// the field its row names, built by its value kind. Re-parsing after an edit
// is reparse.ts.
//
// Never throws: every problem becomes a SyntaxProblem, and a partial tree
// (error recovery) gives a partial declaration rather than none. Checks that
// need the whole workspace live in ../checks; this file only knows one text.
import type { CstNode, IToken } from 'chevrotain';
import { splitChunks } from '../syntax/chunks';
import { BLOCKS, DECLARATIONS, DECLARATION_KINDS, DISABLE_DIRECTIVE, REVIEW_UNIT_WORDS, type BlockKind, type DeclarationKind, type PropertySpec } from '../syntax/grammar';
import { endOf, lex, spanOf } from '../syntax/lexer';
import { describeToken, parseDeclaration, propertyNodes } from '../syntax/parser';
import { BlockComment, DECLARATION_STARTS, NumberLiteral, StringLiteral } from '../syntax/tokens';
import {
  REVIEW_UNITS,
  type Actual,
  type ChunkResult,
  type Comparator,
  type Comparison,
  type Declaration,
  type DocumentModel,
  type Name,
  type Ref,
  type RefsProp,
  type Review,
  type ReviewUnit,
  type Span,
  type Step,
  type Str,
  type SyntaxProblem,
  type ThresholdsProp,
} from './ast';
import { parseDate, parsePeriod } from './periods';

type Child = CstNode | IToken;

function isToken(child: Child): child is IToken {
  return (child as IToken).image !== undefined;
}

/** A real token under `label` (tokens inserted by error recovery do not count). */
function tok(node: CstNode, label: string): IToken | undefined {
  const list = node.children[label];
  if (!list) return undefined;
  for (const child of list) if (isToken(child) && !child.isInsertedInRecovery && !Number.isNaN(child.startOffset)) return child;
  return undefined;
}

function toks(node: CstNode, label: string): IToken[] {
  const list = node.children[label] ?? [];
  return list.filter((c): c is IToken => isToken(c) && !c.isInsertedInRecovery && !Number.isNaN(c.startOffset));
}

function sub(node: CstNode, name: string): CstNode | undefined {
  const list = node.children[name];
  const first = list?.[0];
  return first && !isToken(first) ? first : undefined;
}

/** The last real token anywhere below `node`, by offset. */
function lastToken(node: CstNode): IToken | undefined {
  let last: IToken | undefined;
  for (const list of Object.values(node.children)) {
    for (const child of list) {
      const candidate = isToken(child) ? (child.isInsertedInRecovery || Number.isNaN(child.startOffset) ? undefined : child) : lastToken(child);
      if (candidate && (!last || candidate.startOffset > last.startOffset)) last = candidate;
    }
  }
  return last;
}

/** Whether a string token is closed and holds no escape: its value is the text between the quotes. */
function isPlainString(image: string): boolean {
  return image.indexOf('"', 1) === image.length - 1 && !image.includes('\\');
}

/** Decodes a string token; `terminated` is false for a string cut off by the end of its line. */
export function decodeString(image: string): { value: string; terminated: boolean } {
  // Most strings have no escape: one slice, not a chain of one-character concatenations.
  if (isPlainString(image)) return { value: image.slice(1, -1), terminated: true };
  let value = '';
  for (let i = 1; i < image.length; i++) {
    const c = image[i]!;
    if (c === '\\' && i + 1 < image.length) {
      const next = image[++i]!;
      value += next === '"' || next === '\\' ? next : `\\${next}`;
    } else if (c === '"') {
      return { value, terminated: i === image.length - 1 };
    } else {
      value += c;
    }
  }
  return { value, terminated: false };
}

class Builder {
  readonly problems: SyntaxProblem[] = [];

  constructor(private readonly text: string) {}

  problem(code: SyntaxProblem['code'], message: string, span: Span): void {
    this.problems.push({ code, message, span });
  }

  str(t: IToken): Str {
    const image = t.image;
    // Most strings have no escape and a closing quote: one slice, no decoding result to make.
    const value = isPlainString(image) ? image.slice(1, -1) : decodeString(image).value;
    return { value, span: spanOf(t) };
  }

  name(t: IToken): Name {
    return { text: t.image, span: spanOf(t) };
  }

  ref(node: CstNode): Ref | undefined {
    const head = tok(node, 'head');
    if (!head) return undefined;
    const member = tok(node, 'member');
    const ref: Ref = { name: head.image, span: spanOf(head) };
    if (member) ref.member = this.name(member);
    return ref;
  }

  refsProp(node: CstNode, kw: IToken): RefsProp {
    const list = sub(node, 'refList');
    const refs: Ref[] = [];
    for (const child of (list && list.children['ref']) ?? []) {
      const ref = isToken(child) ? undefined : this.ref(child);
      if (ref) refs.push(ref);
    }
    return { keyword: spanOf(kw), refs };
  }

  strings(node: CstNode | undefined, label = 'items'): Str[] {
    return node ? toks(node, label).map((t) => this.str(t)) : [];
  }

  number(t: IToken): number | undefined {
    const value = Number(t.image);
    if (!Number.isFinite(value)) {
      this.problem('syntax-error', `The number ${t.image.slice(0, 20)}… is too large; write a smaller number.`, spanOf(t));
      return undefined;
    }
    return value;
  }

  comparison(node: CstNode | undefined): Comparison | undefined {
    if (!node) return undefined;
    const op = tok(node, 'op');
    const valueTok = tok(node, 'value');
    if (!op || !valueTok) return undefined;
    const value = this.number(valueTok);
    if (value === undefined) return undefined;
    return { op: op.image as Comparator, value, span: { start: op.startOffset, end: endOf(valueTok) } };
  }

  /** A keyword value such as `perspective financial`, checked against its allowed words. */
  word<T extends string>(node: CstNode, kw: IToken, allowed: readonly T[], what: string): { keyword: Span; value: T; span: Span } | undefined {
    const t = tok(node, 'value');
    if (!t) return undefined;
    if (!(allowed as readonly string[]).includes(t.image)) {
      this.problem('syntax-error', `Unknown ${what} '${t.image}'; use ${listWords(allowed)}.`, spanOf(t));
      return undefined;
    }
    return { keyword: spanOf(kw), value: t.image as T, span: spanOf(t) };
  }

  date(node: CstNode, kw: IToken): { keyword: Span; date: number; span: Span } | undefined {
    const t = tok(node, 'value');
    if (!t) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(t.image)) {
      this.problem('syntax-error', `${t.image} is not written as a date; use YYYY-MM-DD with two-digit months and days.`, spanOf(t));
      return undefined;
    }
    const date = parseDate(t.image);
    if (date === undefined) {
      this.problem('invalid-period', `${t.image} is not a calendar date; check the month and the day.`, spanOf(t));
      return undefined;
    }
    return { keyword: spanOf(kw), date, span: spanOf(t) };
  }

  /**
   * Fills `target` from a block's properties, in text order, each into the
   * model field its table row names (a list for a repeatable one), and
   * reports a once-only property that repeats.
   */
  properties(node: CstNode, block: BlockKind, target: Record<string, unknown>, repeated = 'this block'): void {
    const props = propertyNodes(node);
    const specs = RULES_OF_BLOCK.get(block)!;
    const seen = new Set<PropertySpec>();
    for (const prop of props) {
      const kw = tok(prop, 'kw');
      const spec = specs.get(prop.name);
      if (!kw || !spec) continue;
      if (seen.has(spec) && !spec.repeatable) {
        this.problem('duplicate-property', `'${spec.label}' is already given in ${repeated}; keep one and delete the other.`, spanOf(kw));
        continue;
      }
      seen.add(spec);
      if (spec.repeatable) {
        const list = target[spec.field] as unknown[];
        const value = this.value(spec, prop, kw, list);
        if (value !== undefined) list.push(value);
      } else {
        const value = this.value(spec, prop, kw, undefined);
        if (value !== undefined) target[spec.field] = value;
        // A word or cadence the builder could not read was reported on its value; the rule that asks for the property stays quiet.
        else if (spec.value === 'word' || spec.value === 'review') ((target['unreadable'] as string[] | undefined) ?? (target['unreadable'] = [] as string[])).push(spec.field);
      }
    }
  }

  /** A property's model value, built by its value kind; undefined when too broken to keep. */
  value(spec: PropertySpec, prop: CstNode, kw: IToken, siblings: unknown[] | undefined): unknown {
    // The keyword's span is made only where the value keeps it: a folder holds
    // tens of thousands of properties, and every object made here is copied by
    // the collector before the model settles.
    switch (spec.value) {
      case 'refs':
        return this.refsProp(prop, kw);
      case 'ref':
      case 'keyResult': {
        const refNode = sub(prop, 'ref');
        const ref = refNode ? this.ref(refNode) : undefined;
        return ref ? { keyword: spanOf(kw), ref } : undefined;
      }
      case 'string': {
        const value = tok(prop, 'value');
        return value ? { keyword: spanOf(kw), value: this.str(value) } : undefined;
      }
      case 'unit': {
        // `unit "%"` or `unit hours`: only a string has quotes to remove.
        const value = tok(prop, 'value');
        return value ? { keyword: spanOf(kw), value: value.tokenType === StringLiteral ? this.str(value) : { value: value.image, span: spanOf(value) } } : undefined;
      }
      case 'strings':
        return { keyword: spanOf(kw), values: this.strings(sub(prop, 'stringList')) };
      case 'checklist':
        return { keyword: spanOf(kw), values: this.strings(prop) };
      case 'word':
        return this.word(prop, kw, spec.words ?? [], spec.label);
      case 'target': {
        const keyword = spanOf(kw);
        const comparison = this.comparison(sub(prop, 'comparison'));
        if (comparison) return { keyword, comparison };
        const value = tok(prop, 'value');
        return value ? { keyword, text: this.str(value) } : { keyword };
      }
      case 'thresholds':
        return this.thresholds(prop, spec, kw);
      case 'band':
        return this.comparison(sub(prop, 'comparison'));
      case 'actual':
        return this.actual(prop, kw, (siblings ?? []) as Actual[]);
      case 'review':
        return this.review(prop, kw);
      case 'date':
        return this.date(prop, kw);
      case 'exception': {
        const when = tok(prop, 'when');
        const then = tok(prop, 'then');
        return when && then ? { keyword: spanOf(kw), when: this.str(when), then: this.str(then) } : undefined;
      }
      case 'step':
        return this.step(prop, spec, kw);
    }
  }

  declaration(node: CstNode, chunkEnd: number): Declaration | undefined {
    // The `declaration` rule holds one child: the node of the kind's own rule.
    let inner: Child | undefined;
    for (const key in node.children) {
      inner = node.children[key]![0];
      break;
    }
    if (!inner || isToken(inner)) return undefined;
    const kw = tok(inner, 'kw');
    const nameTok = tok(inner, 'name');
    if (!kw || !nameTok) return undefined;
    const spec = DECLARATIONS[kw.image as DeclarationKind];
    if (!spec) return undefined;
    const titleTok = tok(inner, 'title');
    const close = tok(inner, 'close');
    // Without its closing brace a declaration runs to the end of its chunk.
    const end = close ? endOf(close) : chunkEnd;
    const decl: Record<string, unknown> = {
      kind: spec.kind,
      span: { start: kw.startOffset, end },
      keyword: spanOf(kw),
      name: this.name(nameTok),
      ...(titleTok ? { title: this.str(titleTok) } : {}),
    };
    if (spec.placed) {
      const refNode = sub(inner, 'ref');
      const ref = refNode ? this.ref(refNode) : undefined;
      if (ref) decl['in'] = ref;
    }
    if (spec.block) {
      const target = spec.container ? (decl[spec.container] = {}) : decl;
      for (const p of BLOCKS[spec.block]) if (p.repeatable) (target as Record<string, unknown>)[p.field] = [];
      this.properties(inner, spec.block, target as Record<string, unknown>);
    }
    return decl as unknown as Declaration;
  }

  step(node: CstNode, spec: PropertySpec, kw: IToken): Step | undefined {
    const nameTok = tok(node, 'name');
    if (!nameTok) return undefined;
    const titleTok = tok(node, 'title');
    const close = tok(node, 'close');
    const step: Step = {
      kind: 'step',
      span: { start: kw.startOffset, end: endOf(close ?? lastToken(node) ?? nameTok) },
      keyword: spanOf(kw),
      name: this.name(nameTok),
      ...(titleTok ? { title: this.str(titleTok) } : {}),
    };
    this.properties(node, spec.block!, step as unknown as Record<string, unknown>);
    return step;
  }

  thresholds(node: CstNode, spec: PropertySpec, kw: IToken): ThresholdsProp {
    const result: ThresholdsProp = { keyword: spanOf(kw) };
    this.properties(node, spec.block!, result as unknown as Record<string, unknown>, 'these thresholds');
    const closed = tok(node, 'RBrace') !== undefined;
    if (closed && (!result.green || !result.amber)) {
      const missing = !result.green && !result.amber ? 'no green and no amber band' : `no ${!result.green ? 'green' : 'amber'} band`;
      this.problem('syntax-error', `These thresholds have ${missing}; write both, e.g. { green >= 90  amber >= 75 }.`, spanOf(kw));
    }
    return result;
  }

  /** `actual period value`; `earlier` are the actuals before it, for one value per period. */
  actual(node: CstNode, kw: IToken, earlier: readonly Actual[]): Actual | undefined {
    const periodTok = tok(node, 'period');
    const valueTok = tok(node, 'value');
    if (!periodTok || !valueTok) return undefined;
    if (periodTok.tokenType === NumberLiteral && !/^\d{4}$/.test(periodTok.image)) {
      this.problem('syntax-error', `Expected a period (YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD) but found ${periodTok.image}.`, spanOf(periodTok));
      return undefined;
    }
    if (!CANONICAL_PERIOD.test(periodTok.image)) {
      this.problem('syntax-error', `${periodTok.image} is not written as a period; use two digits for months, weeks and days (YYYY-MM, YYYY-Www, YYYY-MM-DD).`, spanOf(periodTok));
      return undefined;
    }
    const period = parsePeriod(periodTok.image);
    if (period === undefined || typeof period === 'string') {
      const why = period ?? `${periodTok.image} is not a period`;
      this.problem('invalid-period', `${why.charAt(0).toUpperCase()}${why.slice(1)}; write a real calendar period.`, spanOf(periodTok));
      return undefined;
    }
    const value = this.number(valueTok);
    if (value === undefined) return undefined;
    if (earlier.some((a) => a.period.text === period.text)) {
      this.problem('duplicate-property', `There is already an actual for ${period.text}; keep one value per period.`, spanOf(kw));
      return undefined;
    }
    return { period, periodSpan: spanOf(periodTok), value, span: { start: kw.startOffset, end: endOf(valueTok) } };
  }

  review(node: CstNode, kw: IToken): Review | undefined {
    const count = tok(node, 'count');
    const unit = tok(node, 'unit');
    if (!count || !unit) return undefined;
    const singular = unit.image.endsWith('s') ? unit.image.slice(0, -1) : unit.image;
    if (!(REVIEW_UNITS as readonly string[]).includes(singular)) {
      this.problem('syntax-error', `Unknown review unit '${unit.image}'; use ${listWords(REVIEW_UNIT_WORDS)}.`, spanOf(unit));
      return undefined;
    }
    const every = Number(count.image);
    if (!Number.isInteger(every) || every < 1) {
      this.problem('syntax-error', `A review cadence needs a whole number of at least 1, not ${count.image}.`, spanOf(count));
      return undefined;
    }
    return { keyword: spanOf(kw), every, unit: singular as ReviewUnit, span: { start: kw.startOffset, end: endOf(unit) } };
  }

  /** Strings cut off by the end of a line and comments cut off by the end of the file. */
  lexicalProblems(tokens: IToken[], comments: IToken[]): void {
    for (const t of tokens) {
      if (t.tokenType === StringLiteral && !isPlainString(t.image) && !decodeString(t.image).terminated) {
        this.problem('syntax-error', 'This string has no closing quote; add " before the end of the line.', spanOf(t));
      }
    }
    for (const c of comments) {
      if (c.tokenType === BlockComment && (c.image.length < 4 || !c.image.endsWith('*/'))) {
        this.problem('syntax-error', 'This comment has no closing */; add one where the comment ends.', { start: c.startOffset, end: c.startOffset + 2 });
      }
    }
  }

  get source(): string {
    return this.text;
  }
}

const CANONICAL_PERIOD = /^\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2}|-Q\d)?$/;
/** Each block's properties by the Chevrotain rule that parses them. */
const RULES_OF_BLOCK = new Map<BlockKind, ReadonlyMap<string, PropertySpec>>(
  (Object.entries(BLOCKS) as [BlockKind, readonly PropertySpec[]][]).map(([block, props]) => [block, new Map(props.map((p) => [p.rule, p]))]),
);

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/**
 * The longest text analysed, in UTF-16 code units (10 MiB; the largest
 * models seen are well under 1 MB). A longer one — a generated dump, a file
 * given the wrong extension — would hold the server for seconds to minutes
 * and gigabytes; it gets one syntax error instead and no declarations, and
 * the editor features that read the text leave it alone (isTooLarge).
 */
export const MAX_DOCUMENT_LENGTH = 10 * 1024 * 1024;

export function isTooLarge(text: string): boolean {
  return text.length > MAX_DOCUMENT_LENGTH;
}

/** Parses one document into its model. Total: never throws. */
export function buildDocument(text: string): DocumentModel {
  if (isTooLarge(text)) return tooLargeModel(text);
  const { tokens, comments } = lex(text);
  return modelOf(buildChunks(text, tokens, comments, 0, text.length, undefined));
}

/** A text over MAX_DOCUMENT_LENGTH: no chunk and no declaration, one syntax error on its first line. */
function tooLargeModel(text: string): DocumentModel {
  const lineEnd = text.slice(0, 200).search(/\r|\n/);
  const megabytes = (n: number) => (n / (1024 * 1024)).toFixed(1);
  const problem: SyntaxProblem = {
    code: 'syntax-error',
    message: `This file has ${megabytes(text.length)} MB of text, more than the ${megabytes(MAX_DOCUMENT_LENGTH)} MB a .kpi file may have, so it is not checked; split it into smaller files.`,
    span: { start: 0, end: lineEnd < 0 ? Math.min(text.length, 200) : lineEnd },
  };
  return { declarations: [], problems: [problem], comments: [], directives: [], chunks: [] };
}

/** The document model made of its chunks' results. */
export function modelOf(chunks: ChunkResult[]): DocumentModel {
  const declarations: Declaration[] = [];
  const problems: SyntaxProblem[] = [];
  const comments: Span[] = [];
  const directives: Span[] = [];
  for (const chunk of chunks) {
    if (chunk.declaration) declarations.push(chunk.declaration);
    for (const problem of chunk.problems) problems.push(problem);
    for (const comment of chunk.comments) comments.push(comment);
    for (const directive of chunk.directives) directives.push(directive);
  }
  return { declarations, problems, comments, directives, chunks };
}

/**
 * Builds the chunks of `tokens` (all inside [regionStart, regionEnd) of
 * `text`). `sentinel` is the first token after the region (the start of the
 * next, reused chunk), where an unclosed last declaration reports its end.
 */
export function buildChunks(text: string, tokens: IToken[], comments: IToken[], regionStart: number, regionEnd: number, sentinel: IToken | undefined): ChunkResult[] {
  const split = splitChunks(tokens, text);
  const results: ChunkResult[] = [];
  let comment = 0;
  if (split.length === 0) {
    // Only white space and comments.
    return [{ start: regionStart, end: regionEnd, firstTokenStart: regionEnd, firstTokenLength: 0, problems: commentProblems(comments), comments: comments.map(spanOf), directives: directivesOf(comments) }];
  }
  split.forEach((chunk, i) => {
    const chunkTokens = tokens.slice(chunk.first, chunk.end);
    const first = chunkTokens[0]!;
    const start = i === 0 ? regionStart : first.startOffset;
    const next = tokens[chunk.end];
    const end = next ? next.startOffset : regionEnd;
    const ownComments: IToken[] = [];
    while (comment < comments.length && comments[comment]!.startOffset < end) ownComments.push(comments[comment++]!);
    const builder = new Builder(text);
    builder.lexicalProblems(chunkTokens, ownComments);
    const result: ChunkResult = { start, end, firstTokenStart: first.startOffset, firstTokenLength: first.image.length, problems: builder.problems, comments: ownComments.map(spanOf), directives: directivesOf(ownComments) };
    results.push(result);
    if (!isDeclarationStart(first)) {
      builder.problem('syntax-error', `Expected a declaration (${listWords(DECLARATION_KINDS)}) but found ${describeToken(first)}.`, spanOf(first));
      return;
    }
    // Where "the end of the declaration" is reported: the token that starts the
    // next declaration (it stands where the missing part was expected), or the
    // last token of the file.
    const endToken = next ?? sentinel ?? chunkTokens[chunkTokens.length - 1]!;
    const { cst, errors } = parseDeclaration(chunkTokens);
    const reported = new Set<number>();
    for (const error of errors) {
      const at = error.token && !Number.isNaN(error.token.startOffset) ? error.token : endToken;
      if (reported.has(at.startOffset)) continue;
      reported.add(at.startOffset);
      builder.problem('syntax-error', error.message, spanOf(at));
    }
    const decl = cst ? builder.declaration(cst, endOf(chunkTokens[chunkTokens.length - 1]!)) : undefined;
    if (decl) result.declaration = decl;
  });
  return results;
}

function directivesOf(comments: IToken[]): Span[] {
  const result: Span[] = [];
  for (const c of comments) if (c.image.startsWith('//') && DISABLE_DIRECTIVE.test(c.image)) result.push(spanOf(c));
  return result;
}

function commentProblems(comments: IToken[]): SyntaxProblem[] {
  const builder = new Builder('');
  builder.lexicalProblems([], comments);
  return builder.problems;
}


function isDeclarationStart(t: IToken): boolean {
  return DECLARATION_STARTS.has(t.tokenType);
}
