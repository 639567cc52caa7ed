// Semantic tokens kept between requests, so that a request after an edit costs
// what the edit touched, not what the document holds (VS Code asks for them
// after every edit; on 50k lines computing them afresh took 200–800 ms).
//
// The unit is the chunk (model.chunks: a top-level declaration and the
// comments after it), for the same reason the analysis keeps its diagnostics
// per declaration (docs/ARCHITECTURE.md, invariants 3 and 4): a re-parse makes
// new chunk objects for what it touched and moves the rest. A chunk's tokens
// depend on its own text and on the first declaration of each name it refers
// to, so they are kept until the workspace announces a change of one of those
// names (the `d:NAME` keys of workspace/changes.ts, through a ChangeFeed).
//
// They are kept already encoded (LSP's five integers per token), relative to
// the chunk: within a chunk each token is encoded against the one before it,
// which the chunk's moving does not change, so only its first token's
// position is worked out again per request. A full request copies the chunks'
// integers; a delta request compares the chunks of this result with those of
// the last one and sends only the integers in between; a range request looks
// at the chunks that overlap the range.
import type { ChunkResult, Span } from '../model/ast';
import type { LineIndex } from '../text';
import type { ChangeFeed, SourceDocument, Workspace } from '../workspace/workspace';
import { encodeSemanticTokens, forEachChunkTokens, type SemanticToken } from './semanticTokens';

/** A full result: LSP SemanticTokens. */
export interface SemanticTokensResult {
  resultId: string;
  data: number[];
}

/** A delta to the result `resultId` replaced: LSP SemanticTokensDelta. */
export interface SemanticTokensDeltaResult {
  resultId: string;
  edits: { start: number; deleteCount: number; data: number[] }[];
}

/** One chunk's tokens, encoded; immutable once made. */
interface ChunkTokens {
  /** Each token's start, relative to the chunk's start. */
  readonly starts: Int32Array;
  /** The LSP encoding, five integers a token; the first token's line and character deltas are 0 (they depend on what comes before). */
  readonly data: Uint32Array;
  /** Lines from the first token's to the last token's. */
  readonly lastLine: number;
  /** The last token's column, or its distance from the first token's column when both are on one line. */
  readonly lastChar: number;
  /** The `d:` keys the tokens' types were read from. */
  readonly reads: readonly string[];
  /** The change count the tokens were computed at (see `changedAt`). */
  readonly computedAt: number;
}

/** A chunk of a result: its tokens and its first token's encoded position (against the previous chunk's last token). */
interface Part {
  tokens: ChunkTokens;
  deltaLine: number;
  deltaChar: number;
}

interface DocumentState {
  doc: SourceDocument;
  /** The last full or delta result, which the next delta request is made against. */
  last?: { resultId: string; parts: Part[] };
}

/** How many documents keep their tokens and last result (the ones open in an editor, most recent first). */
const DOCUMENTS_KEPT = 16;
/** Past this many changed names remembered, the cache starts afresh (bounds the table over a long session). */
const NAMES_REMEMBERED = 100_000;

/** The semantic tokens of one workspace's documents, kept between requests. */
export class SemanticTokenCache {
  private feed: ChangeFeed;
  /** Tokens by chunk: a chunk dropped from its document takes its entry with it. */
  private chunkTokens = new WeakMap<ChunkResult, ChunkTokens>();
  /** For each `d:` key announced, the change count at its last change; tokens computed before it that read it are stale. */
  private readonly changedAt = new Map<string, number>();
  private changes = 0;
  /** Documents by key, least recently asked first. */
  private readonly documents = new Map<string, DocumentState>();
  private results = 0;

  constructor(private readonly workspace: Workspace) {
    this.feed = workspace.changeFeed();
  }

  /** All tokens of `doc` (LSP `textDocument/semanticTokens/full`). */
  full(doc: SourceDocument): SemanticTokensResult {
    const state = this.stateOf(doc);
    const parts = this.parts(doc);
    state.last = { resultId: String(++this.results), parts };
    return { resultId: state.last.resultId, data: flatten(parts, 0, parts.length) };
  }

  /**
   * What changed since the result `previousResultId` (LSP `…/full/delta`): one
   * edit replacing the integers between the chunks both results share at the
   * start and at the end. A result this cache no longer holds gets a full one.
   */
  delta(doc: SourceDocument, previousResultId: string): SemanticTokensDeltaResult | SemanticTokensResult {
    const state = this.stateOf(doc);
    const previous = state.last;
    if (!previous || previous.resultId !== previousResultId) return this.full(doc);
    const parts = this.parts(doc);
    state.last = { resultId: String(++this.results), parts };
    const old = previous.parts;
    let head = 0;
    let start = 0;
    while (head < old.length && head < parts.length && samePart(old[head]!, parts[head]!)) start += old[head++]!.tokens.data.length;
    let tail = 0;
    while (tail < old.length - head && tail < parts.length - head && samePart(old[old.length - 1 - tail]!, parts[parts.length - 1 - tail]!)) tail++;
    // The chunks in between: re-parsed ones often encode as before, so trim the integers too.
    const removed = flatten(old, head, old.length - tail);
    const added = flatten(parts, head, parts.length - tail);
    let same = 0;
    while (same < removed.length && same < added.length && removed[same] === added[same]) same++;
    let sameEnd = 0;
    while (sameEnd < removed.length - same && sameEnd < added.length - same && removed[removed.length - 1 - sameEnd] === added[added.length - 1 - sameEnd]) sameEnd++;
    const edits = removed.length - same - sameEnd === 0 && added.length - same - sameEnd === 0 ? [] : [{ start: start + same, deleteCount: removed.length - same - sameEnd, data: added.slice(same, added.length - sameEnd) }];
    return { resultId: state.last.resultId, edits };
  }

  /** The tokens that overlap `range` (LSP `…/range`), computing only the chunks it overlaps. */
  range(doc: SourceDocument, range: Span): number[] {
    this.stateOf(doc);
    const chunks = doc.model.chunks;
    // A token never crosses the end of its chunk, so these chunks hold every token that overlaps the range.
    let from = firstChunkEndingAfter(chunks, range.start);
    let to = from;
    while (to < chunks.length && chunks[to]!.start < range.end) to++;
    this.ensure(doc, from, to);
    const tokens: SemanticToken[] = [];
    for (; from < to; from++) {
      const chunk = chunks[from]!;
      const { starts, data } = this.chunkTokens.get(chunk)!;
      for (let i = 0; i < starts.length; i++) {
        const start = chunk.start + starts[i]!;
        const length = data[i * 5 + 2]!;
        if (start < range.end && start + length > range.start) tokens.push({ start, length, type: data[i * 5 + 3]!, modifiers: data[i * 5 + 4]! });
      }
    }
    return encodeSemanticTokens(tokens, doc.lines);
  }

  /** The state of `doc`, after taking in what changed in the workspace since the last request. */
  private stateOf(doc: SourceDocument): DocumentState {
    this.takeChanges();
    let state = this.documents.get(doc.key);
    if (state?.doc !== doc) state = { doc };
    // Most recently asked last; the least recent beyond the limit lets its tokens go.
    this.documents.delete(doc.key);
    this.documents.set(doc.key, state);
    if (this.documents.size > DOCUMENTS_KEPT) {
      const [key, dropped] = this.documents.entries().next().value!;
      this.documents.delete(key);
      for (const chunk of dropped.doc.model.chunks) this.chunkTokens.delete(chunk);
    }
    return state;
  }

  private takeChanges(): void {
    const feed = this.feed;
    if (feed.everything || this.changedAt.size > NAMES_REMEMBERED) {
      // Documents came that the workspace described by no keys: nothing kept can be trusted.
      this.chunkTokens = new WeakMap();
      this.documents.clear();
      this.changedAt.clear();
      this.feed = this.workspace.changeFeed();
      return;
    }
    if (feed.keys.size > 0) {
      this.changes++;
      for (const key of feed.keys) if (key.startsWith('d:')) this.changedAt.set(key, this.changes);
    }
    for (const key of feed.documents) if (!this.workspace.getDocument(key)) this.documents.delete(key);
    feed.keys.clear();
    feed.documents.clear();
  }

  /** The tokens of chunk `chunk`, when they are kept and still true. */
  private kept(chunk: ChunkResult): ChunkTokens | undefined {
    const tokens = this.chunkTokens.get(chunk);
    if (!tokens) return undefined;
    for (const key of tokens.reads) if ((this.changedAt.get(key) ?? 0) > tokens.computedAt) return undefined;
    return tokens;
  }

  /** Makes sure chunks [from, to) of `doc` have true tokens, computing each run of missing ones with one lexing pass. */
  private ensure(doc: SourceDocument, from: number, to: number): void {
    const chunks = doc.model.chunks;
    for (let i = from; i < to; ) {
      if (this.kept(chunks[i]!)) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < to && !this.kept(chunks[end]!)) end++;
      forEachChunkTokens(this.workspace, doc, i, end, (chunk, tokens, reads) => this.chunkTokens.set(chunk, this.encodeChunk(chunk, tokens, reads, doc.lines)));
      i = end;
    }
  }

  private encodeChunk(chunk: ChunkResult, tokens: readonly SemanticToken[], reads: ReadonlySet<string>, lines: LineIndex): ChunkTokens {
    const data = Uint32Array.from(encodeSemanticTokens(tokens, lines));
    const starts = Int32Array.from(tokens, (t) => t.start - chunk.start);
    let lastLine = 0;
    let lastChar = 0;
    if (tokens.length > 0) {
      // The first token's deltas are from line 0, character 0: its absolute position.
      const firstLine = data[0]!;
      const firstChar = data[1]!;
      const last = tokens[tokens.length - 1]!.start;
      const line = lines.lineOf(last);
      lastLine = line - firstLine;
      lastChar = last - lines.lineStart(line) - (lastLine === 0 ? firstChar : 0);
      data[0] = 0;
      data[1] = 0;
    }
    return { starts, data, lastLine, lastChar, reads: [...reads], computedAt: this.changes };
  }

  /** The chunks of `doc` with tokens, in order, each with its first token placed against the previous chunk's last. */
  private parts(doc: SourceDocument): Part[] {
    const chunks = doc.model.chunks;
    this.ensure(doc, 0, chunks.length);
    const lines = doc.lines;
    const parts: Part[] = [];
    let prevLine = 0;
    let prevChar = 0;
    let line = 0;
    for (const chunk of chunks) {
      const tokens = this.chunkTokens.get(chunk)!;
      if (tokens.starts.length === 0) continue;
      const start = chunk.start + tokens.starts[0]!;
      // Chunks come in order: step on from the previous line (few lines lie between two chunks).
      if (start < lines.lineStart(line)) line = lines.lineOf(start);
      while (line + 1 < lines.lineCount && lines.lineStart(line + 1) <= start) line++;
      const char = start - lines.lineStart(line);
      parts.push({ tokens, deltaLine: line - prevLine, deltaChar: line === prevLine ? char - prevChar : char });
      prevChar = tokens.lastLine === 0 ? char + tokens.lastChar : tokens.lastChar;
      line += tokens.lastLine;
      prevLine = line;
    }
    return parts;
  }
}

function samePart(a: Part, b: Part): boolean {
  return a.tokens === b.tokens && a.deltaLine === b.deltaLine && a.deltaChar === b.deltaChar;
}

/** The integers of parts [from, to): each chunk's, its first token's deltas set. */
function flatten(parts: readonly Part[], from: number, to: number): number[] {
  let size = 0;
  for (let i = from; i < to; i++) size += parts[i]!.tokens.data.length;
  // Sized once: growing a list of hundreds of thousands of numbers copies it again and again.
  const data = new Array<number>(size);
  let at = 0;
  for (let i = from; i < to; i++) {
    const { tokens, deltaLine, deltaChar } = parts[i]!;
    const source = tokens.data;
    data[at] = deltaLine;
    data[at + 1] = deltaChar;
    for (let k = 2; k < source.length; k++) data[at + k] = source[k]!;
    at += source.length;
  }
  return data;
}

/** The first chunk whose end lies after `offset` (chunks are in text order). */
function firstChunkEndingAfter(chunks: readonly ChunkResult[], offset: number): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (chunks[mid]!.end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
