// The incremental re-parse: the model of an edited text, re-parsing only the
// declarations the edit touches (docs/ARCHITECTURE.md, invariant 3) and
// moving the rest. A moved chunk's offsets are found once by the model's
// declared shape (spans.ts), never by looking for numbers named start and end.
import type { IToken } from 'chevrotain';
import { splitChunks } from '../syntax/chunks';
import { lex } from '../syntax/lexer';
import type { TextChange } from '../text';
import type { ChunkResult, Declaration, DocumentModel } from './ast';
import { buildChunks, buildDocument, isTooLarge, modelOf } from './build';
import { chunkSpans } from './spans';

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
  if (isTooLarge(text) || isTooLarge(previous.text)) {
    // Into or out of the size limit: the model is all or nothing, so it is built anew (and not compared).
    const model = buildDocument(text);
    return { model, removed: previous.model.declarations, added: model.declarations, change: { start: 0, end: previous.text.length, newLength: text.length } };
  }
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
 * after are copied in blocks, not rebuilt item by item. Where each chunk's
 * items start in the lists comes from the old model's tally, so the chunks
 * before the edit are not visited.
 */
function spliceModel(previous: DocumentModel, a: number, b: number, window: DocumentModel): DocumentModel {
  const old = previous.chunks;
  if (a === 0 && b === old.length) return window;
  const before = tallyOf(old);
  const windowTally = tallyChunks(window.chunks, before.subarray(a * KINDS, (a + 1) * KINDS));
  const splice = <T>(list: T[], kind: number, items: T[]): T[] => list.slice(0, before[a * KINDS + kind]).concat(items, list.slice(before[b * KINDS + kind]));
  const model: DocumentModel = {
    declarations: splice(previous.declarations, DECLARATIONS, window.declarations),
    problems: splice(previous.problems, PROBLEMS, window.problems),
    comments: splice(previous.comments, COMMENTS, window.comments),
    directives: splice(previous.directives, DIRECTIVES, window.directives),
    chunks: old.slice(0, a).concat(window.chunks, old.slice(b)),
  };
  tallies.set(model.chunks, spliceTally(before, a, b, windowTally));
  return model;
}

/** The columns of a tally: the model's four lists of items. */
const DECLARATIONS = 0;
const PROBLEMS = 1;
const COMMENTS = 2;
const DIRECTIVES = 3;
const KINDS = 4;

/**
 * The tally of each chunk list an edit made (or started from): for each chunk,
 * and one past the last, how many declarations, problems, comments and
 * directives the chunks before it hold (row i at [i * KINDS, (i + 1) * KINDS)).
 * A chunk list is never changed once its model is made, so its tally stays
 * true; it is kept beside the model, which stays plain data.
 */
const tallies = new WeakMap<readonly ChunkResult[], Int32Array>();

function tallyOf(chunks: readonly ChunkResult[]): Int32Array {
  let tally = tallies.get(chunks);
  if (!tally) tallies.set(chunks, (tally = tallyChunks(chunks, new Int32Array(KINDS))));
  return tally;
}

/** The running counts over `chunks`, from the counts in `start`. */
function tallyChunks(chunks: readonly ChunkResult[], start: Int32Array): Int32Array {
  const tally = new Int32Array((chunks.length + 1) * KINDS);
  tally.set(start);
  for (let i = 0, row = 0; i < chunks.length; i++, row += KINDS) {
    const chunk = chunks[i]!;
    tally[row + KINDS + DECLARATIONS] = tally[row + DECLARATIONS]! + (chunk.declaration ? 1 : 0);
    tally[row + KINDS + PROBLEMS] = tally[row + PROBLEMS]! + chunk.problems.length;
    tally[row + KINDS + COMMENTS] = tally[row + COMMENTS]! + chunk.comments.length;
    tally[row + KINDS + DIRECTIVES] = tally[row + DIRECTIVES]! + chunk.directives.length;
  }
  return tally;
}

/** `tally` with rows [a, b] replaced by `window`'s, and the rows after moved by what the window added or took away. */
function spliceTally(tally: Int32Array, a: number, b: number, window: Int32Array): Int32Array {
  const result = new Int32Array(tally.length - (b - a + 1) * KINDS + window.length);
  result.set(tally.subarray(0, a * KINDS));
  result.set(window, a * KINDS);
  const windowEnd = window.length - KINDS;
  for (let from = (b + 1) * KINDS, to = a * KINDS + window.length; from < tally.length; from += KINDS, to += KINDS) {
    for (let kind = 0; kind < KINDS; kind++) result[to + kind] = tally[from + kind]! + window[windowEnd + kind]! - tally[b * KINDS + kind]!;
  }
  return result;
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
  chunk.spans ??= chunkSpans(chunk);
  for (const span of chunk.spans) {
    span.start += delta;
    span.end += delta;
  }
}
