// Offsets ↔ lines and columns. The core works in offsets; the edges (LSP,
// CLI) turn them into positions with this index. Columns count UTF-16 code
// units, as JavaScript strings and LSP do.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based column in UTF-16 code units. */
  character: number;
}

/**
 * An edit as the core sees it: the old text's [start, end) was replaced by
 * `newLength` characters. Editors know it; without it the core compares texts.
 */
export interface TextChange {
  start: number;
  end: number;
  newLength: number;
}

/** Pushes the start of every line that begins in text[from, to) (a `\r\n` counts once). */
function scanLineStarts(text: string, from: number, to: number, starts: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
}

export class LineIndex {
  private constructor(
    private readonly text: string,
    /** Offsets where lines start: a typed array, so an edit copies it as one block. */
    private readonly starts: Int32Array,
  ) {}

  static of(text: string): LineIndex {
    const starts = [0];
    scanLineStarts(text, 0, text.length, starts);
    return new LineIndex(text, Int32Array.from(starts));
  }

  /**
   * The index of `text`, which is this index's text with `change` applied.
   * Only the changed lines are scanned; later line starts are copied and
   * moved by the length difference (no character is read again).
   */
  edited(text: string, change: TextChange): LineIndex {
    const delta = change.newLength - (change.end - change.start);
    // From the start of the line holding the character before the edit: a `\r`
    // there may pair with a `\n` the edit brings.
    const line = this.lineOf(Math.max(0, change.start - 1));
    const scanned: number[] = [];
    scanLineStarts(text, this.starts[line]!, change.start + change.newLength, scanned);
    const last = scanned.length > 0 ? scanned[scanned.length - 1]! : this.starts[line]!;
    // Old starts after the edit stand behind unchanged line breaks; one may
    // already be counted when a `\r` at the edit's end met a `\n` after it.
    let keep = this.lineOf(change.end) + 1;
    while (keep < this.starts.length && this.starts[keep]! + delta <= last) keep++;
    const head = line + 1;
    const starts = new Int32Array(head + scanned.length + this.starts.length - keep);
    starts.set(this.starts.subarray(0, head));
    starts.set(scanned, head);
    const from = head + scanned.length;
    starts.set(this.starts.subarray(keep), from);
    if (delta !== 0) for (let i = from; i < starts.length; i++) starts[i]! += delta;
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line]! };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)]!;
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1]! : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }
}
