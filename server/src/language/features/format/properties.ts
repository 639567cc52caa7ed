// The layout of a `{ … }` block's properties, decided by the grammar table's
// value kind of each property (syntax/grammar.ts), never by the words: one
// property per line with the values of the plain kinds aligned in a column
// after the widest keyword (`key result` counts as one keyword); checklists
// one item a line; threshold bands on the keyword's line; and process steps
// on one line when short and simple, else as a block of their own, with the
// `{` of adjacent one-line steps lined up. It is the part of the layout that
// changes when the grammar table gains a property or a value kind.
import type { CstNode, IToken } from 'chevrotain';
import { propertyRules, type PropertySpec } from '../../syntax/grammar';
import { LBrace, RBrace } from '../../syntax/tokens';
import { INDENT, Layout, MAX_LINE_WIDTH, MAX_ONE_LINE_STEP_PROPERTIES, nl, SP1, sp } from './layoutState';
import { endOf, hasNewline, labelled, properties, sortedTokens } from './structure';

/** The grammar table's row of each property rule: its value kind decides its layout. */
const SPEC_OF_RULE = new Map<string, PropertySpec>(propertyRules().map((p) => [p.rule, p]));

/** A `{ … }` block over several lines: one property per line, values aligned. */
export function layoutBlock(layout: Layout, open: IToken, close: IToken, props: CstNode[], level: number, isProcess: boolean): void {
  let width = 0;
  for (const p of props) if (isAligned(p)) width = Math.max(width, keywordWidth(p));
  for (const p of props) layoutProperty(layout, p, level, width);
  const empty = props.length === 0 && !layout.commentBetween(open.startOffset, close.startOffset + 1);
  layout.set(close, empty ? sp(0) : nl(level - 1));
  if (isProcess) alignSteps(layout, props, level);
}

function layoutProperty(layout: Layout, p: CstNode, level: number, width: number): void {
  const toks = sortedTokens(p);
  const kw = toks[0]!;
  layout.set(kw, nl(level));
  layout.inline(toks, 1);
  const pad = isAligned(p) && width > 0 ? sp(width - keywordWidth(p) + 1) : SP1;
  switch (SPEC_OF_RULE.get(p.name)?.value) {
    case 'step':
      layoutStep(layout, p, toks, level);
      return;
    case 'checklist': {
      const open = toks[1];
      const close = toks[toks.length - 1];
      if (!open || !close || open.tokenType !== LBrace || close.tokenType !== RBrace) return;
      const items = toks.slice(2, -1);
      for (const item of items) layout.set(item, nl(level + 1));
      const empty = items.length === 0 && !layout.commentBetween(open.startOffset, close.startOffset + 1);
      layout.set(close, empty ? sp(0) : nl(level));
      return;
    }
    case 'thresholds': {
      layout.set(toks[1], pad);
      properties(p).forEach((band, i) => layout.set(sortedTokens(band)[0], sp(i === 0 ? 1 : 2)));
      const close = toks[toks.length - 1]!;
      if (close.tokenType === RBrace && toks.length === 3 && !layout.commentBetween(toks[1]!.startOffset, close.startOffset + 1)) layout.set(close, sp(0));
      return;
    }
    case 'keyResult':
      // After the two words of `key result`.
      layout.set(toks[2], pad);
      return;
    default:
      layout.set(toks[1], pad);
  }
}

/** A process step: on one line when short and simple, else a block of its own. */
function layoutStep(layout: Layout, p: CstNode, toks: IToken[], level: number): void {
  const open = labelled(p, 'open');
  const close = labelled(p, 'close');
  if (!open || !close) return;
  const props = properties(p);
  const kw = toks[0]!;
  const interior = layout.commentBetween(kw.startOffset, endOf(close));
  // One line: `step Id "Title" { owner X  sop Y  next A, B }`.
  props.forEach((prop, i) => layout.set(sortedTokens(prop)[0], sp(i === 0 ? 1 : 2)));
  layout.set(close, props.length === 0 ? sp(0) : SP1);
  let oneLine: boolean;
  if (layout.directiveLineStarts.has(layout.indexOf(kw))) {
    // Under a disable comment the step keeps its shape, so the comment keeps silencing the same code.
    oneLine = !interior && !hasNewline(layout.text, kw.startOffset, close.startOffset);
  } else {
    oneLine = !interior && props.length <= MAX_ONE_LINE_STEP_PROPERTIES && INDENT.length * level + layout.width(kw, close) <= MAX_LINE_WIDTH;
  }
  if (!oneLine) layoutBlock(layout, open, close, props, level + 1, false);
}

/** The `{` of adjacent one-line steps in a process line up (when that keeps them within the width). */
function alignSteps(layout: Layout, props: CstNode[], level: number): void {
  const runs: { header: number; open: IToken; close: IToken }[][] = [];
  let current: { header: number; open: IToken; close: IToken }[] = [];
  let prevLast: IToken | undefined;
  for (const p of props) {
    const toks = sortedTokens(p);
    const isStep = SPEC_OF_RULE.get(p.name)?.value === 'step';
    const open = isStep ? labelled(p, 'open') : undefined;
    const close = isStep ? labelled(p, 'close') : undefined;
    // Only one-line steps with properties line up (`step X {}` stays as it is).
    const oneLine = open && close && layout.get(close).k === 'sp' && properties(p).length > 0;
    const joins = oneLine && prevLast !== undefined && current.length > 0 && layout.adjacent(prevLast, toks[0]!);
    if (!joins) {
      if (current.length > 1) runs.push(current);
      current = [];
    }
    if (oneLine) current.push({ header: layout.width(toks[0]!, layout.tokens[layout.indexOf(open) - 1]!), open, close });
    prevLast = toks[toks.length - 1];
  }
  if (current.length > 1) runs.push(current);
  for (const members of runs) {
    const header = Math.max(...members.map((m) => m.header));
    const fits = members.every((m) => INDENT.length * level + header + layout.width(m.open, m.close) + 1 <= MAX_LINE_WIDTH);
    if (!fits) continue;
    for (const m of members) layout.set(m.open, sp(header - m.header + 1));
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
