// How the workspace describes what an edit changed: a set of keys, one per
// fact that other documents may have read.
//   d:NAME     the declarations named NAME (their texts and files, in order)
//   r:NAME     which declarations, in which files, refer to NAME
//   f:PATH     a data file's contents
//   g:depends  the shape of the whole `depends` graph (cycles can be any length)
// The analysis records what each check reads with the same keys, so an edit
// re-checks exactly the declarations that read a key it changed. Each key
// comes from a fingerprint below: a key changes when its fingerprint does.
import type { Declaration } from '../model/ast';
import type { DeclEntry, SourceDocument } from './workspace';

export const DEPENDS_KEY = 'g:depends';

/**
 * Keys are shared strings: every declaration keeps its own set of the keys
 * it read, and one string per name instead of one per read keeps that small.
 * They are looked up by the bare name, one table per prefix, so that a read
 * (tens of thousands while a folder is checked) hashes a name the model
 * already holds instead of building `prefix + name` first. The tables start
 * afresh when they grow past any plausible number of names.
 */
const sharedDeclared = new Map<string, string>();
const sharedReferrers = new Map<string, string>();
function sharedKey(table: Map<string, string>, prefix: 'd:' | 'r:', name: string): string {
  let key = table.get(name);
  if (key === undefined) {
    if (sharedDeclared.size + sharedReferrers.size > 200_000) {
      sharedDeclared.clear();
      sharedReferrers.clear();
    }
    table.set(name, (key = prefix + name));
  }
  return key;
}

/** The key of the declarations named `name`. */
export function declaredKey(name: string): string {
  return sharedKey(sharedDeclared, 'd:', name);
}

/** The key of what refers to `name`. */
export function referrersKey(name: string): string {
  return sharedKey(sharedReferrers, 'r:', name);
}

/** The key of a data file's contents, by absolute path. */
export function dataKey(absolutePath: string): string {
  return `f:${absolutePath}`;
}

/** The `d:` fingerprint of a name in one document: the texts of its declarations there, in order. */
export function declaredFingerprint(doc: SourceDocument, entries: readonly DeclEntry[]): string | undefined {
  const texts = entries.filter((e) => e.doc === doc).map((e) => doc.text.slice(e.decl.span.start, e.decl.span.end));
  return texts.length === 0 ? undefined : texts.join('\u0000');
}

/** The `d:` fingerprints of every name a document declares. */
export function declaredFingerprints(doc: SourceDocument): Map<string, string> {
  const map = new Map<string, string>();
  for (const decl of doc.model.declarations) {
    const text = doc.text.slice(decl.span.start, decl.span.end);
    const prev = map.get(decl.name.text);
    map.set(decl.name.text, prev === undefined ? text : `${prev}\u0000${text}`);
  }
  return map;
}

/** The `r:` fingerprint of a name in one document: the names of the declarations there that refer to it. */
export function referencingFingerprint(decls: readonly Declaration[] | undefined): string | undefined {
  return decls && decls.length > 0 ? decls.map((d) => d.name.text).join('\u0000') : undefined;
}

/** The `r:` fingerprints of every name a document refers to. */
export function referencingFingerprints(referencing: ReadonlyMap<string, readonly Declaration[]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, decls] of referencing) map.set(name, decls.map((d) => d.name.text).join('\u0000'));
  return map;
}

/**
 * The `g:depends` fingerprint: what some declarations contribute to the shape
 * of the `depends` graph, in order (among namesakes the first is the one
 * references resolve to).
 */
export function dependsSignature(decls: readonly Declaration[]): string {
  return decls.map((d) => `${d.kind} ${d.name.text}${d.kind === 'kpi' && d.depends ? ` > ${d.depends.refs.map((r) => r.name).join(' ')}` : ''}`).join('\n');
}

/** Calls `changed` with every name whose fingerprint differs between `before` and `after`. */
export function diffFingerprints(before: ReadonlyMap<string, string> | undefined, after: ReadonlyMap<string, string> | undefined, changed: (name: string) => void): void {
  if (before) for (const [name, value] of before) if (after?.get(name) !== value) changed(name);
  if (after) for (const name of after.keys()) if (!before?.has(name)) changed(name);
}
