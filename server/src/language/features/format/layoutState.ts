// The state the formatter's layout builds: one separator before every code
// token (`sp`: n spaces on the same line; `nl`: a new line at an indentation
// level, keeping at most one blank line from the source; `blank`: exactly one
// blank line, between top-level declarations; `brk`: a forced continuation
// line), with the queries the layout rules share: the width of a stretch of
// tokens as currently laid out, where the source's comments are, whether two
// tokens are "adjacent" for alignment, and which lines a
// `// kpi-disable-next-line` silences. It is a class of its own so the
// declaration walk (layout.ts), the property rules (properties.ts) and the
// printer (print.ts) can each be read alone while working on the same
// separators.
import type { IToken } from 'chevrotain';
import { DISABLE_DIRECTIVE } from '../../syntax/grammar';
import { Comma, Dot, LineComment } from '../../syntax/tokens';
import { endOf, hasNewline, lineBreaks, tokensOnNextLine, type Decl, type Structure } from './structure';

/** The widest a one-line process step may be, indentation included. */
export const MAX_LINE_WIDTH = 100;
/** A process step with more properties than this is always written over several lines. */
export const MAX_ONE_LINE_STEP_PROPERTIES = 3;
export const INDENT = '  ';

export interface Sep {
  k: 'sp' | 'nl' | 'blank' | 'brk';
  /** Spaces, for `sp`. */
  n: number;
  /** Indentation level, for `nl` and `blank`. */
  level: number;
}

export const SP1: Sep = { k: 'sp', n: 1, level: 0 };
export const sp = (n: number): Sep => (n === 1 ? SP1 : { k: 'sp', n, level: 0 });
export const nl = (level: number): Sep => ({ k: 'nl', n: 0, level });
export const BLANK: Sep = { k: 'blank', n: 0, level: 0 };
export const BRK: Sep = { k: 'brk', n: 1, level: 0 };

export class Layout {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly decls: Decl[];
  /** The separator before each token, by token index. */
  readonly sep: Sep[];
  private readonly index = new Map<IToken, number>();
  /** Token indexes that start the line right after a `kpi-disable-next-line` comment. */
  readonly directiveLineStarts = new Set<number>();
  /** Declaration index → run id, for one-line declarations aligned as a table (-1: not in a run). */
  readonly runOf: number[] = [];

  constructor(
    readonly text: string,
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
  }

  // -- separators -----------------------------------------------------------

  indexOf(t: IToken): number {
    return this.index.get(t)!;
  }

  set(t: IToken | undefined, s: Sep): void {
    if (!t) return;
    const i = this.index.get(t);
    if (i !== undefined) this.sep[i] = s;
  }

  get(t: IToken): Sep {
    return this.sep[this.index.get(t)!]!;
  }

  /** Default spacing inside a line: one space, none around `.` and before `,`. */
  inline(toks: IToken[], from: number): void {
    for (let i = Math.max(1, from); i < toks.length; i++) {
      const t = toks[i]!;
      const glued = t.tokenType === Comma || t.tokenType === Dot || toks[i - 1]!.tokenType === Dot;
      this.set(t, glued ? sp(0) : SP1);
    }
  }

  /** The width of tokens first..last (inclusive) written on one line with their current separators. */
  width(first: IToken, last: IToken): number {
    const a = this.index.get(first)!;
    const b = this.index.get(last)!;
    let w = first.image.length;
    for (let i = a + 1; i <= b; i++) w += this.sep[i]!.n + this.tokens[i]!.image.length;
    return w;
  }

  // -- comments in the source -----------------------------------------------

  /** Index of the first comment starting at or after `offset`. */
  commentAt(offset: number): number {
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
  commentBetween(from: number, to: number): boolean {
    const c = this.comments[this.commentAt(from + 1)];
    return c !== undefined && c.startOffset < to;
  }

  /**
   * Whether the gap between two code tokens keeps them "adjacent" for alignment:
   * no blank line and no comment on its own line (a trailing comment is fine).
   */
  adjacent(prev: IToken, next: IToken): boolean {
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

  findDirectiveLines(): void {
    for (const [a] of this.directiveLines()) this.directiveLineStarts.add(a);
  }

  /**
   * A `// kpi-disable-next-line` silences the line after it, so that line keeps
   * exactly its code: its tokens stay on one line, and what follows them starts
   * a new one.
   */
  glueDirectiveLines(): void {
    for (const [a, b] of this.directiveLines()) {
      for (let i = a + 1; i <= b; i++) if (this.sep[i]!.k !== 'sp') this.sep[i] = SP1;
      if (b + 1 < this.tokens.length && this.sep[b + 1]!.k === 'sp') this.sep[b + 1] = BRK;
    }
  }
}
