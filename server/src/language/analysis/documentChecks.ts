// Per-document check state kept between analyses: what each declaration's
// checks read (turned around into an index by key) and their diagnostics.
import type { Declaration } from '../model/ast';
import type { Diagnostic } from './diagnostic';

/**
 * One document's read sets turned around: for each key, the declarations
 * whose checks read it. An edit then finds what it invalidates by looking up
 * the few keys it changed, not by visiting every declaration.
 */
export class ReadIndex {
  // Arrays, not sets: most keys have one or two readers and a declaration
  // reads a dozen keys; a folder holds tens of thousands of both.
  private readonly readers = new Map<string, Declaration[]>();
  private readonly registered = new Map<Declaration, readonly string[]>();
  /** What the document-wide rules read. */
  private documentReads: ReadonlySet<string> = new Set();

  /** Whether anything in the document read one of `keys`. */
  readsAny(keys: ReadonlySet<string>): boolean {
    for (const key of this.documentReads) if (keys.has(key)) return true;
    return !this.readKeys(keys).next().done;
  }

  /** The declarations that read one of `keys`. */
  readersOf(keys: ReadonlySet<string>): Set<Declaration> {
    const result = new Set<Declaration>();
    for (const key of this.readKeys(keys)) for (const decl of this.readers.get(key)!) result.add(decl);
    return result;
  }

  /** The keys among `keys` some declaration read, walking the smaller side: an edit changes a few keys, loading a folder thousands. */
  private *readKeys(keys: ReadonlySet<string>): Generator<string> {
    if (keys.size > this.readers.size) {
      for (const key of this.readers.keys()) if (keys.has(key)) yield key;
    } else {
      for (const key of keys) if (this.readers.has(key)) yield key;
    }
  }

  set(decl: Declaration, reads: ReadonlySet<string>): void {
    this.remove(decl);
    const keys = [...reads];
    this.registered.set(decl, keys);
    for (const key of keys) {
      const list = this.readers.get(key);
      if (list) list.push(decl);
      else this.readers.set(key, [decl]);
    }
  }

  /** Forgets a declaration (re-checked, or gone from the document). */
  remove(decl: Declaration): void {
    const keys = this.registered.get(decl);
    if (!keys) return;
    this.registered.delete(decl);
    for (const key of keys) {
      const list = this.readers.get(key)!;
      if (list.length === 1) this.readers.delete(key);
      else list.splice(list.indexOf(decl), 1);
    }
  }

  setDocumentReads(reads: ReadonlySet<string>): void {
    this.documentReads = reads;
  }
}

/**
 * One document's check state, kept between analyses: what each declaration's
 * checks read, which declarations await a check, and the diagnostics of those
 * that have any. An edit then costs what it touches, not what the document
 * holds.
 */
export class DocumentChecks {
  /** The epoch (configuration, today) the results belong to. */
  epoch = -1;
  readonly reads = new ReadIndex();
  private readonly unchecked = new Set<Declaration>();
  /** Declarations with diagnostics, offsets relative to the declaration's start (so they move with it). */
  readonly flagged = new Map<Declaration, readonly Diagnostic[]>();

  /** New declarations (a new document, or the ones a re-parse made). */
  added(decls: Iterable<Declaration>): void {
    for (const decl of decls) this.unchecked.add(decl);
  }

  /** Declarations gone from the document. */
  removed(decls: Iterable<Declaration>): void {
    for (const decl of decls) {
      this.unchecked.delete(decl);
      this.flagged.delete(decl);
      this.reads.remove(decl);
    }
  }

  /** What to check now: what was never checked and what read a changed key. */
  takeDue(changed: ReadonlySet<string>): Set<Declaration> {
    const due = this.reads.readersOf(changed);
    for (const decl of this.unchecked) due.add(decl);
    this.unchecked.clear();
    return due;
  }

  record(decl: Declaration, diagnostics: Diagnostic[], reads: ReadonlySet<string>): void {
    this.reads.set(decl, reads);
    if (diagnostics.length > 0) this.flagged.set(decl, diagnostics);
    else this.flagged.delete(decl);
  }
}

