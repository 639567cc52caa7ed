// Folding ranges: blocks, comment runs, block comments and #region markers.
//
// Lines are 0-based. The conventions (also in docs/editor.md):
// - a `{ … }` block folds from the line of `{` to the line before `}` when `}`
//   starts its line (the closing brace stays visible, as VS Code does for its
//   own languages), else to the line of `}`; braces are matched within one
//   top-level declaration (syntax/chunks.ts), so a missing `}` damages only its
//   own declaration, and an unmatched brace folds nothing;
// - 2 or more line comments, each alone on its line, on consecutive lines
//   fold as one `comment` range (region markers do not join runs);
// - a block comment over several lines folds whole (`comment`);
// - `// #region …` to the matching `// #endregion`, both lines included
//   (`region`); the `#` is optional, as in language-configuration.json;
// - when several ranges start on one line, only the longest is kept.
import { isTooLarge } from '../model/build';
import { splitChunks } from '../syntax/chunks';
import { lex } from '../syntax/lexer';
import { LBrace, RBrace } from '../syntax/tokens';
import type { SourceDocument } from '../workspace/workspace';

export interface FoldingRange {
  /** 0-based. */
  startLine: number;
  /** 0-based, inclusive: the last line hidden when folded. */
  endLine: number;
  kind?: 'comment' | 'region';
}

const REGION_START = /^\/\/\s*#?region\b/;
const REGION_END = /^\/\/\s*#?endregion\b/;

/** The folding ranges of a document, sorted by start line, at most one per start line. */
export function foldingRanges(doc: SourceDocument): FoldingRange[] {
  const { text, lines } = doc;
  if (isTooLarge(text)) return [];
  const ranges: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind?: FoldingRange['kind']) => {
    if (endLine > startLine) ranges.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  const startsLine = (offset: number) => /^[ \t]*$/.test(text.slice(lines.lineStart(lines.lineOf(offset)), offset));

  // Blocks.
  const { tokens } = lex(text);
  for (const chunk of splitChunks(tokens, text)) {
    const open: number[] = [];
    for (let i = chunk.first; i < chunk.end; i++) {
      const t = tokens[i]!;
      if (t.tokenType === LBrace) open.push(t.startOffset);
      else if (t.tokenType === RBrace && open.length > 0) {
        const closeLine = lines.lineOf(t.startOffset);
        add(lines.lineOf(open.pop()!), startsLine(t.startOffset) ? closeLine - 1 : closeLine);
      }
    }
  }

  // Comments.
  const regions: number[] = [];
  let run: { first: number; last: number } | undefined;
  const endRun = () => {
    if (run) add(run.first, run.last, 'comment');
    run = undefined;
  };
  for (const span of doc.model.comments) {
    const image = text.slice(span.start, span.end);
    const line = lines.lineOf(span.start);
    if (image.startsWith('/*')) {
      endRun();
      add(line, lines.lineOf(Math.max(span.start, span.end - 1)), 'comment');
      continue;
    }
    if (!startsLine(span.start)) {
      endRun();
      continue;
    }
    if (REGION_START.test(image)) {
      endRun();
      regions.push(line);
    } else if (REGION_END.test(image)) {
      endRun();
      const start = regions.pop();
      if (start !== undefined) add(start, line, 'region');
    } else if (run && run.last === line - 1) {
      run.last = line;
    } else {
      endRun();
      run = { first: line, last: line };
    }
  }
  endRun();

  // One range per start line: the longest.
  ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return ranges.filter((r, i) => i === 0 || ranges[i - 1]!.startLine !== r.startLine);
}
