// The layout walk: it lays out a whole file by walking its declarations' syntax
// trees and setting the separator before every code token. Only the parser
// knows which word is a property keyword (`owner owner` is legal), so the
// layout comes from the trees, never from the words. Top-level declarations
// are separated by one blank line, except adjacent one-line declarations
// (functions, roles, teams), which stay together and are aligned in columns;
// block declarations hand their properties to properties.ts. Lines silenced
// by a `// kpi-disable-next-line` are found first (steps under one keep their
// shape) and glued back together last, so the comment keeps silencing exactly
// the code it silenced.
import type { CstNode } from 'chevrotain';
import { DECLARATIONS, DECLARATION_KINDS } from '../../syntax/grammar';
import { BLANK, Layout, nl, SP1, sp } from './layoutState';
import { layoutBlock } from './properties';
import { endOf, labelled, properties, sortedTokens, type Decl, type Structure } from './structure';

/** Declarations without a block are one line each (and a run of them is aligned). */
const ONE_LINERS = new Set(DECLARATION_KINDS.filter((kind) => !DECLARATIONS[kind].block).map((kind) => DECLARATIONS[kind].rule));

/** The separators of the canonical layout of an analysed text. */
export function layOut(text: string, structure: Structure): Layout {
  const layout = new Layout(text, structure);
  layout.findDirectiveLines();
  layoutDeclarations(layout);
  layout.glueDirectiveLines();
  return layout;
}

function layoutDeclarations(layout: Layout): void {
  const { tokens, decls, runOf } = layout;
  decls.forEach((decl, k) => {
    const first = tokens[decl.first]!;
    const prev = decls[k - 1];
    const oneLiner = ONE_LINERS.has(decl.rule);
    if (k === 0) layout.set(first, nl(0));
    else layout.set(first, oneLiner && ONE_LINERS.has(prev!.rule) ? nl(0) : BLANK);
    if (oneLiner) {
      layout.inline(sortedTokens(decl.cst), 1);
      const last = tokens[decl.end - 1]!;
      const alone = layout.commentBetween(first.startOffset, endOf(last));
      const continues = !alone && prev !== undefined && prev.rule === decl.rule && runOf[k - 1]! >= 0 && layout.adjacent(tokens[prev.end - 1]!, first);
      runOf[k] = alone ? -1 : continues ? runOf[k - 1]! : k;
    } else {
      runOf[k] = -1;
      layoutBlockDeclaration(layout, decl.cst);
    }
  });
  alignOneLiners(layout);
}

/** `kind Name "Title" {` then the block. */
function layoutBlockDeclaration(layout: Layout, node: CstNode): void {
  const kw = labelled(node, 'kw');
  const open = labelled(node, 'open');
  const close = labelled(node, 'close');
  for (const label of ['name', 'title', 'open']) layout.set(labelled(node, label), SP1);
  if (!kw || !open || !close) return;
  layoutBlock(layout, open, close, properties(node), 1, node.name === 'processDecl');
}

/** Adjacent function, role or team lines are aligned in columns: name, title, `in`. */
function alignOneLiners(layout: Layout): void {
  const groups = new Map<number, Decl[]>();
  layout.decls.forEach((decl, k) => {
    const run = layout.runOf[k]!;
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
      if (r.title) layout.set(r.title, sp(nameWidth - r.name.image.length + 1));
      if (r.inKw) {
        const titleColumn = titleWidth > 0 ? titleWidth + 1 : 0;
        const pad = r.title ? titleWidth - r.title.image.length + 1 : nameWidth - r.name.image.length + 1 + titleColumn;
        layout.set(r.inKw, sp(pad));
      }
    }
  }
}
