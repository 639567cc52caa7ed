// Text → tokens → syntax tree → model, for one document.
//
// Never throws: every problem becomes a SyntaxProblem, and a partial tree
// (error recovery) gives a partial declaration rather than none. Checks that
// need the whole workspace live in ../checks; this file only knows one text.
import type { CstNode, IToken } from 'chevrotain';
import { splitChunks } from '../syntax/chunks';
import { lex } from '../syntax/lexer';
import { describeToken, parseDeclaration } from '../syntax/parser';
import { BlockComment, Kw, NumberLiteral, StringLiteral, type DeclarationKind } from '../syntax/tokens';
import {
  FREQUENCIES,
  type ChunkResult,
  INDICATORS,
  PERSPECTIVES,
  REVIEW_UNITS,
  type Comparator,
  type Comparison,
  type Declaration,
  type DocumentModel,
  type KpiDecl,
  type Name,
  type ObjectiveDecl,
  type ProcessDecl,
  type Ref,
  type RefsProp,
  type ReviewUnit,
  type ScorecardDecl,
  type SopDecl,
  type Span,
  type Step,
  type Str,
  type SyntaxProblem,
  type ThresholdsProp,
} from './ast';
import { parseDate, parsePeriod } from './periods';
import type { TextChange } from '../text';

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

function subs(node: CstNode, name: string): CstNode[] {
  return (node.children[name] ?? []).filter((c): c is CstNode => !isToken(c));
}

/** Offset after the token (Chevrotain's `endOffset` is inclusive and not tracked in 'onlyOffset' mode). */
function endOf(t: IToken): number {
  return t.startOffset + t.image.length;
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

function spanOf(t: IToken): Span {
  return { start: t.startOffset, end: endOf(t) };
}

/** Decodes a string token; `terminated` is false for a string cut off by the end of its line. */
export function decodeString(image: string): { value: string; terminated: boolean } {
  // Most strings have no escape: one slice, not a chain of one-character concatenations.
  const close = image.indexOf('"', 1);
  if (close === image.length - 1 && !image.includes('\\')) return { value: image.slice(1, -1), terminated: true };
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
    return { value: decodeString(t.image).value, span: spanOf(t) };
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
    const refs = list ? subs(list, 'ref').map((r) => this.ref(r)).filter((r): r is Ref => r !== undefined) : [];
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

  /** Walks a block's properties in text order, reporting once-only properties that repeat. */
  properties(block: CstNode, repeatable: ReadonlySet<string>, visit: (prop: CstNode, kw: IToken) => void): void {
    const props: CstNode[] = [];
    for (const [key, list] of Object.entries(block.children)) {
      if (!key.startsWith('p_')) continue;
      for (const child of list) if (!isToken(child)) props.push(child);
    }
    props.sort((a, b) => (a.location?.startOffset ?? 0) - (b.location?.startOffset ?? 0));
    const seen = new Set<string>();
    for (const prop of props) {
      const kw = tok(prop, 'kw');
      if (!kw) continue;
      const word = prop.name === 'p_keyResult' ? 'key result' : kw.image;
      if (seen.has(word) && !repeatable.has(word)) {
        this.problem('duplicate-property', `'${word}' is already given in this block; keep one and delete the other.`, spanOf(kw));
        continue;
      }
      seen.add(word);
      visit(prop, kw);
    }
  }

  declaration(node: CstNode, chunkEnd: number): Declaration | undefined {
    const inner = Object.values(node.children)[0]?.[0];
    if (!inner || isToken(inner)) return undefined;
    const kw = tok(inner, 'kw');
    const nameTok = tok(inner, 'name');
    if (!kw || !nameTok) return undefined;
    const titleTok = tok(inner, 'title');
    const close = tok(inner, 'close');
    // Without its closing brace a declaration runs to the end of its chunk.
    const end = close ? endOf(close) : chunkEnd;
    const base = {
      span: { start: kw.startOffset, end },
      keyword: spanOf(kw),
      name: this.name(nameTok),
      ...(titleTok ? { title: this.str(titleTok) } : {}),
    };
    switch (kw.image as DeclarationKind) {
      case 'function':
        return { kind: 'function', ...base };
      case 'role':
      case 'team': {
        const refNode = sub(inner, 'ref');
        const ref = refNode ? this.ref(refNode) : undefined;
        return { kind: kw.image as 'role' | 'team', ...base, ...(ref ? { in: ref } : {}) };
      }
      case 'process':
        return this.process(inner, base);
      case 'kpi':
        return this.kpi(inner, base);
      case 'sop':
        return this.sop(inner, base);
      case 'objective':
        return this.objective(inner, base);
      case 'scorecard':
        return this.scorecard(inner, base);
    }
  }

  process(node: CstNode, base: Omit<ProcessDecl, 'kind' | 'steps'>): ProcessDecl {
    const decl: ProcessDecl = { kind: 'process', ...base, steps: [] };
    this.properties(node, REPEATABLE_PROCESS, (prop, kw) => {
      if (prop.name === 'p_owner') decl.owner = this.refsProp(prop, kw);
      else if (prop.name === 'p_processStep') {
        const step = this.step(prop, kw);
        if (step) decl.steps.push(step);
      }
    });
    return decl;
  }

  step(node: CstNode, kw: IToken): Step | undefined {
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
    this.properties(node, NOTHING_REPEATS, (prop, pkw) => {
      if (prop.name === 'p_owner') step.owner = this.refsProp(prop, pkw);
      else if (prop.name === 'p_next') step.next = this.refsProp(prop, pkw);
      else if (prop.name === 'p_stepSop') {
        const refNode = sub(prop, 'ref');
        const ref = refNode ? this.ref(refNode) : undefined;
        if (ref) step.sop = { keyword: spanOf(pkw), ref };
      }
    });
    return step;
  }

  kpi(node: CstNode, base: Omit<KpiDecl, 'kind' | 'actuals'>): KpiDecl {
    const decl: KpiDecl = { kind: 'kpi', ...base, actuals: [] };
    this.properties(node, REPEATABLE_KPI, (prop, kw) => {
      const value = tok(prop, 'value');
      switch (prop.name) {
        case 'p_outcome':
        case 'p_why':
        case 'p_visibility':
        case 'p_motivation':
        case 'p_data':
          if (value) decl[prop.name.slice(2) as 'outcome'] = { keyword: spanOf(kw), value: this.str(value) };
          break;
        case 'p_unit':
          // `unit "%"` or `unit hours`: only a string has quotes to remove.
          if (value) decl.unit = { keyword: spanOf(kw), value: value.tokenType === StringLiteral ? this.str(value) : { value: value.image, span: spanOf(value) } };
          break;
        case 'p_owner':
        case 'p_supports':
        case 'p_depends':
          decl[prop.name.slice(2) as 'owner'] = this.refsProp(prop, kw);
          break;
        case 'p_kpiStep':
          decl.step = this.refsProp(prop, kw);
          break;
        case 'p_levers':
          decl.levers = { keyword: spanOf(kw), values: this.strings(sub(prop, 'stringList')) };
          break;
        case 'p_perspective': {
          const w = this.word(prop, kw, PERSPECTIVES, 'perspective');
          if (w) decl.perspective = w;
          break;
        }
        case 'p_frequency':
        case 'p_checkpoint': {
          const w = this.word(prop, kw, FREQUENCIES, prop.name === 'p_frequency' ? 'frequency' : 'checkpoint');
          if (w) decl[prop.name === 'p_frequency' ? 'frequency' : 'checkpoint'] = w;
          break;
        }
        case 'p_indicator': {
          const w = this.word(prop, kw, INDICATORS, 'indicator');
          if (w) decl.indicator = w;
          break;
        }
        case 'p_target': {
          const comparison = this.comparison(sub(prop, 'comparison'));
          if (comparison) decl.target = { keyword: spanOf(kw), comparison };
          else if (value) decl.target = { keyword: spanOf(kw), text: this.str(value) };
          else decl.target = { keyword: spanOf(kw) };
          break;
        }
        case 'p_thresholds':
          decl.thresholds = this.thresholds(prop, kw);
          break;
        case 'p_actual':
          this.actual(prop, kw, decl);
          break;
      }
    });
    return decl;
  }

  thresholds(node: CstNode, kw: IToken): ThresholdsProp {
    const result: ThresholdsProp = { keyword: spanOf(kw) };
    for (const band of subs(node, 'p_band')) {
      const bandKw = tok(band, 'kw');
      const comparison = this.comparison(sub(band, 'comparison'));
      if (!bandKw || !comparison) continue;
      const which = bandKw.image as 'green' | 'amber';
      if (result[which]) {
        this.problem('duplicate-property', `'${which}' is already given in these thresholds; keep one.`, spanOf(bandKw));
        continue;
      }
      result[which] = comparison;
    }
    const closed = tok(node, 'RBrace') !== undefined;
    if (closed && (!result.green || !result.amber)) {
      const missing = !result.green && !result.amber ? 'no green and no amber band' : `no ${!result.green ? 'green' : 'amber'} band`;
      this.problem('syntax-error', `These thresholds have ${missing}; write both, e.g. { green >= 90  amber >= 75 }.`, spanOf(kw));
    }
    return result;
  }

  actual(node: CstNode, kw: IToken, decl: KpiDecl): void {
    const periodTok = tok(node, 'period');
    const valueTok = tok(node, 'value');
    if (!periodTok || !valueTok) return;
    if (periodTok.tokenType === NumberLiteral && !/^\d{4}$/.test(periodTok.image)) {
      this.problem('syntax-error', `Expected a period (YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD) but found ${periodTok.image}.`, spanOf(periodTok));
      return;
    }
    if (!CANONICAL_PERIOD.test(periodTok.image)) {
      this.problem('syntax-error', `${periodTok.image} is not written as a period; use two digits for months, weeks and days (YYYY-MM, YYYY-Www, YYYY-MM-DD).`, spanOf(periodTok));
      return;
    }
    const period = parsePeriod(periodTok.image);
    if (period === undefined || typeof period === 'string') {
      this.problem('invalid-period', `${period ?? `${periodTok.image} is not a period`}; write a real calendar period.`, spanOf(periodTok));
      return;
    }
    const value = this.number(valueTok);
    if (value === undefined) return;
    if (decl.actuals.some((a) => a.period.text === period.text)) {
      this.problem('duplicate-property', `There is already an actual for ${period.text}; keep one value per period.`, spanOf(kw));
      return;
    }
    decl.actuals.push({ period, periodSpan: spanOf(periodTok), value, span: { start: kw.startOffset, end: endOf(valueTok) } });
  }

  sop(node: CstNode, base: Omit<SopDecl, 'kind' | 'exceptions'>): SopDecl {
    const decl: SopDecl = { kind: 'sop', ...base, exceptions: [] };
    this.properties(node, REPEATABLE_SOP, (prop, kw) => {
      const value = tok(prop, 'value');
      switch (prop.name) {
        case 'p_objective':
        case 'p_trigger':
          if (value) decl[prop.name === 'p_objective' ? 'objective' : 'trigger'] = { keyword: spanOf(kw), value: this.str(value) };
          break;
        case 'p_owner':
        case 'p_roles':
          decl[prop.name === 'p_owner' ? 'owner' : 'roles'] = this.refsProp(prop, kw);
          break;
        case 'p_checklist':
          decl.steps = { keyword: spanOf(kw), values: this.strings(prop) };
          break;
        case 'p_tools':
          decl.tools = { keyword: spanOf(kw), values: this.strings(sub(prop, 'stringList')) };
          break;
        case 'p_exception': {
          const when = tok(prop, 'when');
          const then = tok(prop, 'then');
          if (when && then) decl.exceptions.push({ keyword: spanOf(kw), when: this.str(when), then: this.str(then) });
          break;
        }
        case 'p_review': {
          const count = tok(prop, 'count');
          const unit = tok(prop, 'unit');
          if (!count || !unit) break;
          const singular = unit.image.endsWith('s') ? unit.image.slice(0, -1) : unit.image;
          if (!(REVIEW_UNITS as readonly string[]).includes(singular)) {
            this.problem('syntax-error', `Unknown review unit '${unit.image}'; use days, weeks, months, quarters or years.`, spanOf(unit));
            break;
          }
          const every = Number(count.image);
          if (!Number.isInteger(every) || every < 1) {
            this.problem('syntax-error', `A review cadence needs a whole number of at least 1, not ${count.image}.`, spanOf(count));
            break;
          }
          decl.review = { keyword: spanOf(kw), every, unit: singular as ReviewUnit, span: { start: kw.startOffset, end: endOf(unit) } };
          break;
        }
        case 'p_reviewed': {
          const d = this.date(prop, kw);
          if (d) decl.reviewed = d;
          break;
        }
      }
    });
    return decl;
  }

  objective(node: CstNode, base: Omit<ObjectiveDecl, 'kind' | 'keyResults'>): ObjectiveDecl {
    const decl: ObjectiveDecl = { kind: 'objective', ...base, keyResults: [] };
    this.properties(node, REPEATABLE_OBJECTIVE, (prop, kw) => {
      if (prop.name === 'p_owner') decl.owner = this.refsProp(prop, kw);
      else if (prop.name === 'p_perspective') {
        const w = this.word(prop, kw, PERSPECTIVES, 'perspective');
        if (w) decl.perspective = w;
      } else if (prop.name === 'p_due') {
        const d = this.date(prop, kw);
        if (d) decl.due = d;
      } else if (prop.name === 'p_keyResult') {
        const refNode = sub(prop, 'ref');
        const ref = refNode ? this.ref(refNode) : undefined;
        if (ref) decl.keyResults.push({ keyword: spanOf(kw), ref });
      }
    });
    return decl;
  }

  scorecard(node: CstNode, base: Omit<ScorecardDecl, 'kind' | 'lines'>): ScorecardDecl {
    const decl: ScorecardDecl = { kind: 'scorecard', ...base, lines: {} };
    this.properties(node, NOTHING_REPEATS, (prop, kw) => {
      decl.lines[kw.image as keyof ScorecardDecl['lines']] = this.refsProp(prop, kw);
    });
    return decl;
  }

  /** Strings cut off by the end of a line and comments cut off by the end of the file. */
  lexicalProblems(tokens: IToken[], comments: IToken[]): void {
    for (const t of tokens) {
      if (t.tokenType === StringLiteral && !decodeString(t.image).terminated) {
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
const NOTHING_REPEATS: ReadonlySet<string> = new Set();
const REPEATABLE_PROCESS: ReadonlySet<string> = new Set(['step']);
const REPEATABLE_KPI: ReadonlySet<string> = new Set(['actual']);
const REPEATABLE_SOP: ReadonlySet<string> = new Set(['exception']);
const REPEATABLE_OBJECTIVE: ReadonlySet<string> = new Set(['key result']);

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Parses one document into its model. Total: never throws. */
export function buildDocument(text: string): DocumentModel {
  const { tokens, comments } = lex(text);
  return modelOf(buildChunks(text, tokens, comments, 0, text.length, undefined));
}

/** A re-parsed document, the declarations the re-parse dropped and made anew, and the edit (none: same text). */
export interface Rebuilt {
  model: DocumentModel;
  removed: Declaration[];
  added: Declaration[];
  change: TextChange | undefined;
}

/**
 * The model of `text`, an edit of `previous.text`, reusing every declaration
 * the edit did not touch (the rest of the old model moves, it is not copied).
 * `change`, when the editor told us, spares comparing the texts; it must
 * describe the edit exactly (or more widely).
 */
export function rebuildDocument(text: string, previous: { text: string; model: DocumentModel }, change?: TextChange): Rebuilt {
  const old = previous.model.chunks;
  const edit = change && isPlausible(change, previous.text, text) ? change : changeBetween(previous.text, text);
  if (!edit) return { model: previous.model, removed: [], added: [], change: undefined };
  const incremental = buildIncrementally(text, previous.text, old, edit);
  if (!incremental) {
    const model = buildDocument(text);
    return { model, removed: previous.model.declarations, added: model.declarations, change: edit };
  }
  const { a, b, window } = incremental;
  const fresh = modelOf(window);
  const model = spliceModel(previous.model, a, b, fresh);
  return { model, removed: model === fresh ? previous.model.declarations : old.slice(a, b).flatMap((c) => (c.declaration ? [c.declaration] : [])), added: fresh.declarations, change: edit };
}

/**
 * The model with chunks [a, b) replaced by `window`'s: the lists before and
 * after are copied in blocks, not rebuilt item by item.
 */
function spliceModel(previous: DocumentModel, a: number, b: number, window: DocumentModel): DocumentModel {
  const old = previous.chunks;
  if (a === 0 && b === old.length) return window;
  const count = (from: number, to: number) => {
    const n = { declarations: 0, problems: 0, comments: 0, directives: 0 };
    for (let i = from; i < to; i++) {
      const chunk = old[i]!;
      if (chunk.declaration) n.declarations++;
      n.problems += chunk.problems.length;
      n.comments += chunk.comments.length;
      n.directives += chunk.directives.length;
    }
    return n;
  };
  const before = count(0, a);
  const replaced = count(a, b);
  const splice = <T>(list: T[], key: keyof typeof before, items: T[]) =>
    list.slice(0, before[key]).concat(items, list.slice(before[key] + replaced[key]));
  return {
    declarations: splice(previous.declarations, 'declarations', window.declarations),
    problems: splice(previous.problems, 'problems', window.problems),
    comments: splice(previous.comments, 'comments', window.comments),
    directives: splice(previous.directives, 'directives', window.directives),
    chunks: old.slice(0, a).concat(window.chunks, old.slice(b)),
  };
}

function modelOf(chunks: ChunkResult[]): DocumentModel {
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
function buildChunks(text: string, tokens: IToken[], comments: IToken[], regionStart: number, regionEnd: number, sentinel: IToken | undefined): ChunkResult[] {
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
      builder.problem('syntax-error', `Expected a declaration (function, role, team, objective, process, kpi, sop or scorecard) but found ${describeToken(first)}.`, spanOf(first));
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

/** `// kpi-disable-next-line …` comments: the only comments the checks read. */
export const DISABLE_DIRECTIVE = /^\/\/\s*kpi-disable-next-line\b(.*)$/;

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

/**
 * Re-parses only the declarations an edit touches (docs/ARCHITECTURE.md,
 * invariant 3). The changed text is found by comparing the old and new texts;
 * the declarations around it are lexed and split again until a chunk starts
 * exactly where an old chunk started after the edit, from where on the old
 * results are reused, moved by the length difference. Any doubt (a token or
 * comment running across that point) widens the window; undefined means
 * "parse the whole text".
 */
function buildIncrementally(text: string, oldText: string, old: ChunkResult[], edit: TextChange): { a: number; b: number; window: ChunkResult[] } | undefined {
  if (old.length === 0) return undefined;
  const prefix = edit.start;
  const oldEditEnd = edit.end;
  const delta = text.length - oldText.length;
  // The chunks are in text order: binary searches keep this independent of the file's size.
  let touched = firstChunk(old, (c) => prefix < c.end);
  if (touched >= old.length) touched = old.length - 1;
  const a = Math.max(0, touched - 1);
  let b = firstChunk(old, (c) => c.firstTokenStart >= oldEditEnd, touched + 1);
  while (b < old.length && old[b]!.firstTokenLength === 0) b++;
  for (let attempt = 0; attempt < 4; attempt++, b++) {
    if (b > old.length) return undefined;
    const regionStart = old[a]!.start;
    const reuse = b < old.length ? old[b]! : undefined;
    const boundary = reuse ? reuse.firstTokenStart + delta : text.length;
    // The reused chunk is lexed too: whether its first token starts a
    // declaration can depend on the token after it (`objective "…"` in an sop).
    const lexEnd = reuse ? Math.min(text.length, reuse.end + delta) : text.length;
    const lexed = lex(text.slice(regionStart, lexEnd));
    for (const t of lexed.tokens) t.startOffset += regionStart;
    for (const c of lexed.comments) c.startOffset += regionStart;
    let tokens = lexed.tokens;
    let sentinel: IToken | undefined;
    if (reuse) {
      const at = tokens.findIndex((t) => t.startOffset >= boundary);
      sentinel = at < 0 ? undefined : tokens[at];
      const crossing = lexed.comments.some((c) => c.startOffset < boundary && c.startOffset + c.image.length > boundary);
      if (!sentinel || sentinel.startOffset !== boundary || sentinel.image.length !== reuse.firstTokenLength || crossing) continue;
      const after = tokens[at + 1];
      tokens = tokens.slice(0, at);
      // The reused chunk must really start there: split with the sentinel (and the token after it) in place.
      const withSentinel = splitChunks(after ? [...tokens, sentinel, after] : [...tokens, sentinel], text);
      if (!withSentinel.some((chunk) => chunk.first === tokens.length)) continue;
    }
    const window = buildChunks(text, tokens, lexed.comments.filter((c) => c.startOffset < boundary), regionStart, boundary, sentinel);
    if (delta !== 0) for (let i = b; i < old.length; i++) shiftChunk(old[i]!, delta);
    return { a, b, window };
  }
  return undefined;
}

/** The first index from `from` whose chunk satisfies `test`, which is false and then true along the chunks. */
function firstChunk(chunks: readonly ChunkResult[], test: (chunk: ChunkResult) => boolean, from = 0): number {
  let lo = from;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(chunks[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Whether a change the editor reported fits the two texts (lengths agree, inside both). */
function isPlausible(change: TextChange, oldText: string, text: string): boolean {
  return (
    change.start >= 0 &&
    change.start <= change.end &&
    change.end <= oldText.length &&
    oldText.length - (change.end - change.start) + change.newLength === text.length
  );
}

/** The smallest change turning `oldText` into `text`, or undefined when they are equal. */
function changeBetween(oldText: string, text: string): TextChange | undefined {
  if (text === oldText) return undefined;
  const max = Math.min(text.length, oldText.length);
  // Whole blocks first (string comparison is native), then characters.
  const BLOCK = 1024;
  let prefix = 0;
  while (prefix + BLOCK <= max && text.substr(prefix, BLOCK) === oldText.substr(prefix, BLOCK)) prefix += BLOCK;
  while (prefix < max && text.charCodeAt(prefix) === oldText.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + BLOCK <= max - prefix && text.substr(text.length - suffix - BLOCK, BLOCK) === oldText.substr(oldText.length - suffix - BLOCK, BLOCK)) suffix += BLOCK;
  while (suffix < max - prefix && text.charCodeAt(text.length - 1 - suffix) === oldText.charCodeAt(oldText.length - 1 - suffix)) suffix++;
  return { start: prefix, end: oldText.length - suffix, newLength: text.length - suffix - prefix };
}

/** Moves a reused chunk's offsets by `delta` (its text did not change, only its place). */
function shiftChunk(chunk: ChunkResult, delta: number): void {
  chunk.start += delta;
  chunk.end += delta;
  chunk.firstTokenStart += delta;
  chunk.spans ??= collectSpans(chunk);
  for (const span of chunk.spans) {
    span.start += delta;
    span.end += delta;
  }
}

/** Every Span (an object with exactly the numbers `start` and `end`) of a chunk, each once. */
function collectSpans(chunk: ChunkResult): Span[] {
  const found = new Set<Span>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 2 && typeof record['start'] === 'number' && typeof record['end'] === 'number') {
      found.add(record as unknown as Span);
      return;
    }
    for (const key of keys) if (key !== 'period') walk(record[key]);
  };
  walk(chunk.problems);
  walk(chunk.comments);
  walk(chunk.directives);
  walk(chunk.declaration);
  return [...found];
}

function isDeclarationStart(t: IToken): boolean {
  return [Kw.function, Kw.role, Kw.team, Kw.objective, Kw.process, Kw.kpi, Kw.sop, Kw.scorecard].includes(t.tokenType);
}
