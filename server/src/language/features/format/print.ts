// The printer: it writes the laid-out tokens and the source's comments in
// source order, and records where each top-level unit went so range
// formatting can edit one declaration at a time. Comments are not in the
// syntax trees, so each is placed by what surrounded it in the source: on its
// own line (at the indentation of the code that follows) or trailing the code
// before it (after one space); a line comment ends its line. The printed text
// keeps the file's own line-end style (taken from its first line end: CRLF,
// LF or a lone CR) and its byte order mark, and ends with one line end.
import type { IToken } from 'chevrotain';
import { DISABLE_DIRECTIVE } from '../../syntax/grammar';
import { LBrace, LineComment, RBrace } from '../../syntax/tokens';
import { INDENT, nl, type Layout, type Sep } from './layoutState';
import { endOf, hasNewline, lineBreaks } from './structure';

/** A top-level unit for range formatting: one declaration, or one run of aligned one-line declarations. */
export interface Unit {
  /** Source: the edit's range. */
  srcStart: number;
  srcEnd: number;
  /** Source: where the unit's own text (its leading comments or first token) starts. */
  ownStart: number;
  /** Output: the replacement's range. */
  outStart: number;
  outEnd: number;
}

export interface Printed {
  text: string;
  units: Unit[];
}

export function print(layout: Layout): Printed {
  const { text, tokens, comments } = layout;
  // The file's own line end style, taken from its first line end (CRLF, LF or a lone CR).
  const eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
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
    const L: Sep = t ? layout.sep[index]! : nl(0);
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
  return { text: out, units: unitRanges(layout, out, tokenOut, commentOut) };
}

/** Source and output ranges of each top-level unit, for formatRange. */
function unitRanges(layout: Layout, out: string, tokenOut: number[], commentOut: number[]): Unit[] {
  const { text, tokens, comments, decls } = layout;
  const groups: [number, number][] = [];
  decls.forEach((_, k) => {
    const run = layout.runOf[k]!;
    const last = groups[groups.length - 1];
    if (last && run >= 0 && layout.runOf[k - 1] === run) last[1] = k;
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
    const firstComment = layout.commentAt(srcStart);
    if (firstComment < comments.length && comments[firstComment]!.startOffset < own) own = comments[firstComment]!.startOffset;
    // It ends after its last token and the comments trailing it on the same line.
    let srcEnd = endOf(tokens[lastTok]!);
    let outEnd = tokenOut[lastTok]!;
    for (let j = layout.commentAt(srcEnd); j < comments.length; j++) {
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
