// The formatter: one canonical, idempotent layout for .kpi text
// (docs/formatting.md describes it for users).
//
// It works in three steps, all over the core's own lexer and parser:
//
// 1. Structure. The text is lexed and split into declarations, each parsed
//    into its syntax tree. A text that does not lex or parse cleanly is left
//    alone (`undefined`): a formatter never guesses at broken text.
// 2. Layout. Walking the trees, every code token gets the separator that goes
//    before it: `sp` (n spaces on the same line), `nl` (a new line at an
//    indentation level, keeping at most one blank line from the source),
//    `blank` (exactly one blank line: between top-level declarations) or `brk`
//    (a forced continuation line). Only the parser knows which word is a
//    property keyword (`owner owner` is legal), so the layout comes from the
//    trees, never from the words.
// 3. Printing. Tokens and comments are written in source order. Comments are
//    not in the trees; each is placed by what surrounded it in the source: on
//    its own line (at the indentation of the code that follows) or trailing
//    the code before it (after one space). Line comments end their line.
//
// Whatever the layout does, the printed text must lex to the same tokens and
// comments, parse without errors, and keep every `// kpi-disable-next-line`
// above exactly the code it silenced; the result is verified, and a text that
// would fail the check is left alone too. Nothing here throws.
import type { CstNode, IToken } from 'chevrotain';
import { decodeString } from '../model/build';
import { splitChunks } from '../syntax/chunks';
import { lex } from '../syntax/lexer';
import { DECLARATIONS, DECLARATION_KINDS, DISABLE_DIRECTIVE, propertyRules, type PropertySpec } from '../syntax/grammar';
import { parseDeclaration } from '../syntax/parser';
import { BlockComment, Comma, Dot, Kw, LBrace, LineComment, RBrace, StringLiteral, Unknown } from '../syntax/tokens';

/** The widest a one-line process step may be, indentation included. */
export const MAX_LINE_WIDTH = 100;
/** A process step with more properties than this is always written over several lines. */
export const MAX_ONE_LINE_STEP_PROPERTIES = 3;
const INDENT = '  ';


export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export type FormatOutcome = { text: string } | { reason: 'syntax' | 'unsafe' };

/** The canonical layout of `text`, or `undefined` when the text has syntax errors. Never throws. */
export function formatDocument(text: string): string | undefined {
  const outcome = formatWithReason(text);
  return 'text' in outcome ? outcome.text : undefined;
}

/**
 * Like formatDocument, but says why nothing came out: `syntax` when the text
 * does not parse, `unsafe` when the formatted text failed its own verification
 * (a formatter bug; the text is left alone).
 */
export function formatWithReason(text: string): FormatOutcome {
  try {
    const structure = analyse(text);
    if (!structure) return { reason: 'syntax' };
    const printed = new Formatter(text, structure).run();
    return verify(text, structure, printed.text) ? { text: printed.text } : { reason: 'unsafe' };
  } catch {
    return { reason: 'unsafe' };
  }
}

/**
 * Edits that give the top-level declarations intersecting [start, end) their
 * canonical layout (whole declarations; a run of aligned one-line
 * declarations counts as one), the same as formatDocument gives them. A
 * declaration's part includes the white space and comments between it and
 * the declaration before it; the last one's part runs to the end of the text.
 * At most one edit per declaration (or run), trimmed to what changes.
 * `undefined` when the text has syntax errors. Never throws.
 */
export function formatRange(text: string, start: number, end: number): TextEdit[] | undefined {
  try {
    const structure = analyse(text);
    if (!structure) return undefined;
    const printed = new Formatter(text, structure).run();
    if (!verify(text, structure, printed.text)) return undefined;
    const edits: TextEdit[] = [];
    if (printed.units.length === 0) {
      if (printed.text !== text) edits.push({ start: 0, end: text.length, newText: printed.text });
      return edits;
    }
    const [from, to] = start <= end ? [start, end] : [end, start];
    for (const unit of printed.units) {
      const touched = from === to ? unit.ownStart <= from && from <= unit.srcEnd : unit.ownStart < to && from < unit.srcEnd;
      if (!touched) continue;
      const edit = minimalEdit(text.slice(unit.srcStart, unit.srcEnd), printed.text.slice(unit.outStart, unit.outEnd), unit.srcStart);
      if (edit) edits.push(edit);
    }
    return edits;
  } catch {
    return undefined;
  }
}

/** One edit that turns `before` (at `offset`) into `after`, without their common start and end. */
function minimalEdit(before: string, after: string, offset: number): TextEdit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let head = 0;
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  // Never cut a CRLF in two.
  if (head > 0 && before.charCodeAt(head - 1) === 13) head--;
  if (tail > 0 && before.charCodeAt(before.length - tail) === 10 && before.charCodeAt(before.length - tail - 1) === 13) tail--;
  return { start: offset + head, end: offset + before.length - tail, newText: after.slice(head, after.length - tail) };
}

// ---------------------------------------------------------------------------
// Structure

interface Decl {
  cst: CstNode;
  /** Token indexes: [first, end). */
  first: number;
  end: number;
  /** `functionDecl`, `kpiDecl`, … */
  rule: string;
}

interface Structure {
  tokens: IToken[];
  comments: IToken[];
  decls: Decl[];
}

/** Tokens, comments and one syntax tree per declaration; undefined on any lexical or parse error. */
function analyse(text: string): Structure | undefined {
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

const DECLARATION_STARTS = new Set(DECLARATION_KINDS.map((kind) => Kw[kind]));
/** Declarations without a block are one line each (and a run of them is aligned). */
const ONE_LINERS = new Set(DECLARATION_KINDS.filter((kind) => !DECLARATIONS[kind].block).map((kind) => DECLARATIONS[kind].rule));
/** The grammar table's row of each property rule: its value kind decides its layout. */
const SPEC_OF_RULE = new Map<string, PropertySpec>(propertyRules().map((p) => [p.rule, p]));

type Child = CstNode | IToken;

function isToken(child: Child): child is IToken {
  return (child as IToken).image !== undefined;
}

function firstNode(node: CstNode): CstNode | undefined {
  for (const list of Object.values(node.children)) for (const child of list) if (!isToken(child)) return child;
  return undefined;
}

function labelled(node: CstNode, label: string): IToken | undefined {
  const first = node.children[label]?.[0];
  return first && isToken(first) ? first : undefined;
}

/** The property nodes (`p_…`) of a block, in text order. */
function properties(node: CstNode): CstNode[] {
  const props: CstNode[] = [];
  for (const [key, list] of Object.entries(node.children)) {
    if (!key.startsWith('p_')) continue;
    for (const child of list) if (!isToken(child)) props.push(child);
  }
  return props.sort((a, b) => (a.location?.startOffset ?? 0) - (b.location?.startOffset ?? 0));
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

function sortedTokens(node: CstNode): IToken[] {
  return flatten(node).sort((a, b) => a.startOffset - b.startOffset);
}

function endOf(t: IToken): number {
  return t.startOffset + t.image.length;
}

// ---------------------------------------------------------------------------
// Layout and printing

interface Sep {
  k: 'sp' | 'nl' | 'blank' | 'brk';
  /** Spaces, for `sp`. */
  n: number;
  /** Indentation level, for `nl` and `blank`. */
  level: number;
}

const SP1: Sep = { k: 'sp', n: 1, level: 0 };
const sp = (n: number): Sep => (n === 1 ? SP1 : { k: 'sp', n, level: 0 });
const nl = (level: number): Sep => ({ k: 'nl', n: 0, level });

/** A top-level unit for range formatting: one declaration, or one run of aligned one-line declarations. */
interface Unit {
  /** Source: the edit's range. */
  srcStart: number;
  srcEnd: number;
  /** Source: where the unit's own text (its leading comments or first token) starts. */
  ownStart: number;
  /** Output: the replacement's range. */
  outStart: number;
  outEnd: number;
}

interface Printed {
  text: string;
  units: Unit[];
}

class Formatter {
  private readonly tokens: IToken[];
  private readonly comments: IToken[];
  private readonly decls: Decl[];
  private readonly sep: Sep[];
  private readonly index = new Map<IToken, number>();
  /** Token indexes that start the line right after a `kpi-disable-next-line` comment. */
  private readonly directiveLineStarts = new Set<number>();
  /** Declaration index → run id, for one-line declarations aligned as a table. */
  private readonly runOf: number[] = [];
  private readonly eol: string;

  constructor(
    private readonly text: string,
    structure: Structure,
  ) {
    this.tokens = structure.tokens;
    this.comments = structure.comments;
    this.decls = structure.decls;
    this.sep = new Array<Sep>(this.tokens.length);
    this.tokens.forEach((t, i) => {
      this.index.set(t, i);
      this.sep[i] = SP1;
    });
    // The file's own line end style, taken from its first line end (CRLF, LF or a lone CR).
    this.eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
  }

  run(): Printed {
    this.findDirectiveLines();
    this.layoutDeclarations();
    this.glueDirectiveLines();
    return this.print();
  }

  // -- separators -----------------------------------------------------------

  private set(t: IToken | undefined, s: Sep): void {
    if (!t) return;
    const i = this.index.get(t);
    if (i !== undefined) this.sep[i] = s;
  }

  private get(t: IToken): Sep {
    return this.sep[this.index.get(t)!]!;
  }

  /** Default spacing inside a line: one space, none around `.` and before `,`. */
  private inline(toks: IToken[], from: number): void {
    for (let i = Math.max(1, from); i < toks.length; i++) {
      const t = toks[i]!;
      const glued = t.tokenType === Comma || t.tokenType === Dot || toks[i - 1]!.tokenType === Dot;
      this.set(t, glued ? sp(0) : SP1);
    }
  }

  /** The width of tokens first..last (inclusive) written on one line with their current separators. */
  private width(first: IToken, last: IToken): number {
    const a = this.index.get(first)!;
    const b = this.index.get(last)!;
    let w = first.image.length;
    for (let i = a + 1; i <= b; i++) w += this.sep[i]!.n + this.tokens[i]!.image.length;
    return w;
  }

  // -- comments in the source -----------------------------------------------

  /** Index of the first comment starting at or after `offset`. */
  private commentAt(offset: number): number {
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid]!.startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether a comment starts strictly between the two offsets. */
  private commentBetween(from: number, to: number): boolean {
    const c = this.comments[this.commentAt(from + 1)];
    return c !== undefined && c.startOffset < to;
  }

  /**
   * Whether the gap between two code tokens keeps them "adjacent" for alignment:
   * no blank line and no comment on its own line (a trailing comment is fine).
   */
  private adjacent(prev: IToken, next: IToken): boolean {
    let from = endOf(prev);
    for (let j = this.commentAt(from); j < this.comments.length && this.comments[j]!.startOffset < next.startOffset; j++) {
      const c = this.comments[j]!;
      if (hasNewline(this.text, from, c.startOffset)) return false;
      from = endOf(c);
    }
    return lineBreaks(this.text, from, next.startOffset) <= 1;
  }

  // -- disable comments ------------------------------------------------------

  /** The token index range [a, b] of the code on the line after each directive. */
  private directiveLines(): [number, number][] {
    const ranges: [number, number][] = [];
    for (const c of this.comments) {
      if (c.tokenType !== LineComment || !DISABLE_DIRECTIVE.test(c.image)) continue;
      const range = tokensOnNextLine(this.text, this.tokens, endOf(c));
      if (range) ranges.push(range);
    }
    return ranges;
  }

  private findDirectiveLines(): void {
    for (const [a] of this.directiveLines()) this.directiveLineStarts.add(a);
  }

  /**
   * A `// kpi-disable-next-line` silences the line after it, so that line keeps
   * exactly its code: its tokens stay on one line, and what follows them starts
   * a new one.
   */
  private glueDirectiveLines(): void {
    for (const [a, b] of this.directiveLines()) {
      for (let i = a + 1; i <= b; i++) if (this.sep[i]!.k !== 'sp') this.sep[i] = SP1;
      if (b + 1 < this.tokens.length && this.sep[b + 1]!.k === 'sp') this.sep[b + 1] = { k: 'brk', n: 1, level: 0 };
    }
  }

  // -- declarations ----------------------------------------------------------

  private layoutDeclarations(): void {
    this.decls.forEach((decl, k) => {
      const first = this.tokens[decl.first]!;
      const prev = this.decls[k - 1];
      const oneLiner = ONE_LINERS.has(decl.rule);
      if (k === 0) this.set(first, nl(0));
      else this.set(first, oneLiner && ONE_LINERS.has(prev!.rule) ? nl(0) : { k: 'blank', n: 0, level: 0 });
      if (oneLiner) {
        this.inline(sortedTokens(decl.cst), 1);
        const last = this.tokens[decl.end - 1]!;
        const alone = this.commentBetween(first.startOffset, endOf(last));
        const continues =
          !alone && prev !== undefined && prev.rule === decl.rule && this.runOf[k - 1]! >= 0 && this.adjacent(this.tokens[prev.end - 1]!, first);
        this.runOf[k] = alone ? -1 : continues ? this.runOf[k - 1]! : k;
      } else {
        this.runOf[k] = -1;
        this.layoutBlockDeclaration(decl.cst);
      }
    });
    this.alignOneLiners();
  }

  /** `kind Name "Title" {` then the block. */
  private layoutBlockDeclaration(node: CstNode): void {
    const kw = labelled(node, 'kw');
    const open = labelled(node, 'open');
    const close = labelled(node, 'close');
    for (const label of ['name', 'title', 'open']) this.set(labelled(node, label), SP1);
    if (!kw || !open || !close) return;
    this.layoutBlock(open, close, properties(node), 1, node.name === 'processDecl');
  }

  /** A `{ … }` block over several lines: one property per line, values aligned. */
  private layoutBlock(open: IToken, close: IToken, props: CstNode[], level: number, isProcess: boolean): void {
    let width = 0;
    for (const p of props) if (isAligned(p)) width = Math.max(width, keywordWidth(p));
    for (const p of props) this.layoutProperty(p, level, width);
    const empty = props.length === 0 && !this.commentBetween(open.startOffset, close.startOffset + 1);
    this.set(close, empty ? sp(0) : nl(level - 1));
    if (isProcess) this.alignSteps(props, level);
  }

  private layoutProperty(p: CstNode, level: number, width: number): void {
    const toks = sortedTokens(p);
    const kw = toks[0]!;
    this.set(kw, nl(level));
    this.inline(toks, 1);
    const pad = isAligned(p) && width > 0 ? sp(width - keywordWidth(p) + 1) : SP1;
    switch (SPEC_OF_RULE.get(p.name)?.value) {
      case 'step':
        this.layoutStep(p, toks, level);
        return;
      case 'checklist': {
        const open = toks[1];
        const close = toks[toks.length - 1];
        if (!open || !close || open.tokenType !== LBrace || close.tokenType !== RBrace) return;
        const items = toks.slice(2, -1);
        for (const item of items) this.set(item, nl(level + 1));
        const empty = items.length === 0 && !this.commentBetween(open.startOffset, close.startOffset + 1);
        this.set(close, empty ? sp(0) : nl(level));
        return;
      }
      case 'thresholds': {
        this.set(toks[1], pad);
        properties(p).forEach((band, i) => this.set(sortedTokens(band)[0], sp(i === 0 ? 1 : 2)));
        const close = toks[toks.length - 1]!;
        if (close.tokenType === RBrace && toks.length === 3 && !this.commentBetween(toks[1]!.startOffset, close.startOffset + 1)) this.set(close, sp(0));
        return;
      }
      case 'keyResult':
        // After the two words of `key result`.
        this.set(toks[2], pad);
        return;
      default:
        this.set(toks[1], pad);
    }
  }

  /** A process step: on one line when short and simple, else a block of its own. */
  private layoutStep(p: CstNode, toks: IToken[], level: number): void {
    const open = labelled(p, 'open');
    const close = labelled(p, 'close');
    if (!open || !close) return;
    const props = properties(p);
    const kw = toks[0]!;
    const interior = this.commentBetween(kw.startOffset, endOf(close));
    // One line: `step Id "Title" { owner X  sop Y  next A, B }`.
    props.forEach((prop, i) => this.set(sortedTokens(prop)[0], sp(i === 0 ? 1 : 2)));
    this.set(close, props.length === 0 ? sp(0) : SP1);
    let oneLine: boolean;
    if (this.directiveLineStarts.has(this.index.get(kw)!)) {
      // Under a disable comment the step keeps its shape, so the comment keeps silencing the same code.
      oneLine = !interior && !hasNewline(this.text, kw.startOffset, close.startOffset);
    } else {
      oneLine = !interior && props.length <= MAX_ONE_LINE_STEP_PROPERTIES && INDENT.length * level + this.width(kw, close) <= MAX_LINE_WIDTH;
    }
    if (!oneLine) this.layoutBlock(open, close, props, level + 1, false);
  }

  /** The `{` of adjacent one-line steps in a process line up (when that keeps them within the width). */
  private alignSteps(props: CstNode[], level: number): void {
    const runs: { header: number; open: IToken; close: IToken }[][] = [];
    let current: { header: number; open: IToken; close: IToken }[] = [];
    let prevLast: IToken | undefined;
    for (const p of props) {
      const toks = sortedTokens(p);
      const isStep = SPEC_OF_RULE.get(p.name)?.value === 'step';
      const open = isStep ? labelled(p, 'open') : undefined;
      const close = isStep ? labelled(p, 'close') : undefined;
      // Only one-line steps with properties line up (`step X {}` stays as it is).
      const oneLine = open && close && this.get(close).k === 'sp' && properties(p).length > 0;
      const joins = oneLine && prevLast !== undefined && current.length > 0 && this.adjacent(prevLast, toks[0]!);
      if (!joins) {
        if (current.length > 1) runs.push(current);
        current = [];
      }
      if (oneLine) current.push({ header: this.width(toks[0]!, this.tokens[this.index.get(open)! - 1]!), open, close });
      prevLast = toks[toks.length - 1];
    }
    if (current.length > 1) runs.push(current);
    for (const members of runs) {
      const header = Math.max(...members.map((m) => m.header));
      const fits = members.every((m) => INDENT.length * level + header + this.width(m.open, m.close) + 1 <= MAX_LINE_WIDTH);
      if (!fits) continue;
      for (const m of members) this.set(m.open, sp(header - m.header + 1));
    }
  }

  /** Adjacent function, role or team lines are aligned in columns: name, title, `in`. */
  private alignOneLiners(): void {
    const groups = new Map<number, Decl[]>();
    this.decls.forEach((decl, k) => {
      const run = this.runOf[k]!;
      if (run < 0) return;
      const group = groups.get(run);
      if (group) group.push(decl);
      else groups.set(run, [decl]);
    });
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      const rows = members.map((d) => ({
        name: labelled(d.cst, 'name'),
        title: labelled(d.cst, 'title'),
        inKw: labelled(d.cst, 'inKw'),
      }));
      const nameWidth = Math.max(...rows.map((r) => r.name?.image.length ?? 0));
      const titleWidth = Math.max(...rows.map((r) => r.title?.image.length ?? 0));
      for (const r of rows) {
        if (!r.name) continue;
        if (r.title) this.set(r.title, sp(nameWidth - r.name.image.length + 1));
        if (r.inKw) {
          const titleColumn = titleWidth > 0 ? titleWidth + 1 : 0;
          const pad = r.title ? titleWidth - r.title.image.length + 1 : nameWidth - r.name.image.length + 1 + titleColumn;
          this.set(r.inKw, sp(pad));
        }
      }
    }
  }

  // -- printing --------------------------------------------------------------

  private print(): Printed {
    const { text, tokens, comments, eol } = this;
    const parts: string[] = [];
    let length = 0;
    const write = (s: string) => {
      parts.push(s);
      length += s.length;
    };
    if (text.charCodeAt(0) === 0xfeff) write('\uFEFF');
    let started = false;
    let lineIndent = 0;
    let prevEnd = 0;
    let afterOpen = false;
    let afterDirective = false;
    const newline = (blank: boolean, level: number) => {
      write(blank ? eol + eol : eol);
      write(INDENT.repeat(level));
    };
    const blankBefore = (to: number, forced: boolean, beforeClose: boolean) => {
      if (afterDirective) return lineBreaks(text, prevEnd, to) > 1;
      if (afterOpen || beforeClose) return false;
      return forced || lineBreaks(text, prevEnd, to) > 1;
    };
    const tokenOut: number[] = new Array<number>(tokens.length);
    const commentOut: number[] = new Array<number>(comments.length);
    let cj = 0;

    const atom = (t: IToken | undefined, index: number) => {
      const until = t ? t.startOffset : Infinity;
      const L: Sep = t ? this.sep[index]! : nl(0);
      const isClose = t?.tokenType === RBrace;
      let forced = L.k === 'blank';
      let hadComment = false;
      let pendingBreak = false;
      let leadingInline = false;
      while (cj < comments.length && comments[cj]!.startOffset < until) {
        const c = comments[cj]!;
        const own = !started || hasNewline(text, prevEnd, c.startOffset);
        if (!started) {
          // The first thing in the file: no line before it.
        } else if (own) {
          const level = L.k === 'sp' || L.k === 'brk' ? lineIndent + 1 : L.level + (isClose ? 1 : 0);
          newline(blankBefore(c.startOffset, forced, false), level);
          forced = false;
        } else {
          write(' ');
        }
        write(c.image);
        started = true;
        commentOut[cj] = length;
        const next = comments[cj + 1];
        const nextStart = next && next.startOffset < until ? next.startOffset : t ? t.startOffset : text.length;
        pendingBreak = c.tokenType === LineComment || hasNewline(text, endOf(c), nextStart);
        leadingInline = own && !pendingBreak;
        afterDirective = c.tokenType === LineComment && DISABLE_DIRECTIVE.test(c.image);
        afterOpen = false;
        prevEnd = endOf(c);
        hadComment = true;
        cj++;
      }
      if (!t) return;
      if (!started) {
        // The first token of the file.
      } else if (hadComment && !pendingBreak && (leadingInline || L.k === 'sp')) {
        write(' ');
        if (leadingInline && L.k !== 'sp' && L.k !== 'brk') lineIndent = L.level;
      } else if (hadComment || L.k !== 'sp') {
        if (L.k === 'sp' || L.k === 'brk') newline(blankBefore(t.startOffset, false, isClose), lineIndent + 1);
        else {
          newline(blankBefore(t.startOffset, forced, isClose), L.level);
          lineIndent = L.level;
        }
      } else {
        write(' '.repeat(L.n));
      }
      write(t.image);
      started = true;
      tokenOut[index] = length;
      prevEnd = endOf(t);
      afterOpen = t.tokenType === LBrace;
      afterDirective = false;
    };

    for (let i = 0; i < tokens.length; i++) atom(tokens[i], i);
    atom(undefined, -1);
    if (started) write(eol);
    const out = parts.join('');
    return { text: out, units: this.units(out, tokenOut, commentOut) };
  }

  /** Source and output ranges of each top-level unit, for formatRange. */
  private units(out: string, tokenOut: number[], commentOut: number[]): Unit[] {
    const { text, tokens, comments, decls } = this;
    const groups: [number, number][] = [];
    decls.forEach((_, k) => {
      const run = this.runOf[k]!;
      const last = groups[groups.length - 1];
      if (last && run >= 0 && this.runOf[k - 1] === run) last[1] = k;
      else groups.push([k, k]);
    });
    const units: Unit[] = [];
    let srcStart = 0;
    let outStart = 0;
    groups.forEach(([a, b], g) => {
      const firstTok = decls[a]!.first;
      const lastTok = decls[b]!.end - 1;
      // The unit's own text starts at its first leading comment, else at its first token.
      let own = tokens[firstTok]!.startOffset;
      const firstComment = this.commentAt(srcStart);
      if (firstComment < comments.length && comments[firstComment]!.startOffset < own) own = comments[firstComment]!.startOffset;
      // It ends after its last token and the comments trailing it on the same line.
      let srcEnd = endOf(tokens[lastTok]!);
      let outEnd = tokenOut[lastTok]!;
      for (let j = this.commentAt(srcEnd); j < comments.length; j++) {
        const c = comments[j]!;
        if (hasNewline(text, srcEnd, c.startOffset) || (tokens[lastTok + 1] && c.startOffset > tokens[lastTok + 1]!.startOffset)) break;
        srcEnd = endOf(c);
        outEnd = commentOut[j]!;
      }
      if (g === groups.length - 1) {
        srcEnd = text.length;
        outEnd = out.length;
      }
      units.push({ srcStart, srcEnd, ownStart: own, outStart, outEnd });
      srcStart = srcEnd;
      outStart = outEnd;
    });
    return units;
  }
}

function isAligned(p: CstNode): boolean {
  const kind = SPEC_OF_RULE.get(p.name)?.value;
  return kind !== 'checklist' && kind !== 'step';
}

/** The keyword's width: `key result` counts as one keyword. */
function keywordWidth(p: CstNode): number {
  return SPEC_OF_RULE.get(p.name)?.label.length ?? labelled(p, 'kw')?.image.length ?? 0;
}

function hasNewline(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/** Line breaks in text[from, to) (`\r\n` counts once). */
function lineBreaks(text: string, from: number, to: number): number {
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
function tokensOnNextLine(text: string, tokens: IToken[], offset: number): [number, number] | undefined {
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

/**
 * The formatted text must hold the same tokens and comments, parse as cleanly,
 * and keep each disable comment above the same code.
 */
function verify(input: string, before: Structure, output: string): boolean {
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
