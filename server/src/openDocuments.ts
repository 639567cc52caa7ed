// The documents the editor has open, kept in step with didOpen / didChange /
// didClose. Each change batch also reports which part of the previous text
// it replaced: the core re-parses only that part, so an edit costs the same in
// a short and a long file (Workspace.setDocument's `change`).
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextChange } from './language/service';

export type { TextDocument };

/** A document after one didChange. */
export interface DocumentEdit {
  document: TextDocument;
  /** The document's version before the batch: the hint applies only to the text of that version. */
  fromVersion: number;
  /** What the batch replaced in the previous text (all of it for a full-text change), or undefined when it cannot say. */
  change: TextChange | undefined;
}

export class OpenDocuments {
  private readonly byUri = new Map<string, TextDocument>();

  get(uri: string): TextDocument | undefined {
    return this.byUri.get(uri);
  }

  /** didOpen: the editor's text replaces whatever was known of the URI. */
  open({ textDocument }: DidOpenTextDocumentParams): TextDocument {
    const document = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    this.byUri.set(textDocument.uri, document);
    return document;
  }

  /**
   * didChange: applies the batch in order. Undefined when there is nothing to
   * apply: no changes, no version, or a document that is not open (the
   * protocol forbids the last two; an editor that sends them anyway is ignored).
   */
  change({ textDocument, contentChanges }: DidChangeTextDocumentParams): DocumentEdit | undefined {
    const previous = this.byUri.get(textDocument.uri);
    if (!previous || contentChanges.length === 0 || typeof textDocument.version !== 'number') return undefined;
    // Read before applying: TextDocument.update may change the document in place.
    const fromVersion = previous.version;
    const { document, change } = applyChanges(previous, contentChanges, textDocument.version);
    this.byUri.set(textDocument.uri, document);
    return { document, fromVersion, change };
  }

  /** didClose: the document that was open, if any. */
  close({ textDocument }: DidCloseTextDocumentParams): TextDocument | undefined {
    const document = this.byUri.get(textDocument.uri);
    this.byUri.delete(textDocument.uri);
    return document;
  }
}

/**
 * Applies `changes` in order, as TextDocument.update does, and says which part
 * of the previous text they replaced, as one TextChange: everything before
 * the earliest start, and after the latest end counted from the back, is
 * untouched. A change without a range replaces everything.
 *
 * Each range refers to the text as the changes before it left it, so they are
 * applied one at a time; the document's own line index makes each offset
 * cheap, which is why this works on the document rather than on a copy.
 */
export function applyChanges(document: TextDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): { document: TextDocument; change: TextChange | undefined } {
  const oldLength = document.getText().length;
  let start = Infinity;
  let tail = Infinity;
  let next = document;
  for (const change of changes) {
    if (!('range' in change)) {
      start = 0;
      tail = 0;
    } else {
      const length = next.getText().length;
      const from = next.offsetAt(change.range.start);
      const to = next.offsetAt(change.range.end);
      // A range may come reversed; TextDocument.update puts it in order, so do we.
      start = Math.min(start, from, to);
      tail = Math.min(tail, length - Math.max(from, to));
    }
    next = TextDocument.update(next, [change], version);
  }
  const newLength = next.getText().length;
  const known = Number.isFinite(start) && Number.isFinite(tail) && start + tail <= Math.min(oldLength, newLength);
  return { document: next, change: known ? { start, end: oldLength - tail, newLength: newLength - tail - start } : undefined };
}
