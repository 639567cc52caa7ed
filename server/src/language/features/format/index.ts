// The formatter: one canonical, idempotent layout for .kpi text
// (docs/formatting.md describes it for users). These are its public entry
// points: a whole document, a range of top-level declarations, and the whole
// document with the reason when nothing comes out. Each works in three steps
// over the core's own lexer and parser: structure.ts analyses the text (a
// text that does not lex or parse cleanly is left alone: a formatter never
// guesses at broken text); layout.ts and properties.ts set the separator
// before every code token; print.ts writes tokens and comments. Whatever the
// layout does, the printed text must lex to the same tokens and comments,
// parse without errors, and keep every `// kpi-disable-next-line` above
// exactly the code it silenced; structure.ts verifies that, and a text that
// would fail the check is left alone too. Nothing here throws.
import { layOut } from './layout';
import { print, type Printed } from './print';
import { analyse, verify, type Structure } from './structure';

export { MAX_LINE_WIDTH, MAX_ONE_LINE_STEP_PROPERTIES } from './layoutState';

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
    const printed = printStructure(text, structure);
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
    const printed = printStructure(text, structure);
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

function printStructure(text: string, structure: Structure): Printed {
  return print(layOut(text, structure));
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
