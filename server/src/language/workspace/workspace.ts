// All documents of a workspace as one model with one global namespace: the
// documents, the index of declarations by name, the index of referrers, the
// data files and the kpi statuses. It knows nothing of rules: it tells a
// listener (the analysis) what each change changed, as the keys described in
// changes.ts, and answers the queries checks and features make.
import * as path from 'node:path';
import type { Declaration, DocumentModel, KpiDecl } from '../model/ast';
import { buildDocument } from '../model/build';
import { rebuildDocument } from '../model/reparse';
import type { Day } from '../model/periods';
import { computeStatus, unreadStatus, type KpiStatus } from '../model/status';
import { LineIndex, type TextChange } from '../text';
import {
  dataKey,
  declaredFingerprint,
  declaredFingerprints,
  declaredKey,
  DEPENDS_KEY,
  dependsSignature,
  diffFingerprints,
  referencingFingerprint,
  referencingFingerprints,
  referrersKey,
} from './changes';
import { loadDataFile, resolveDataPath, unreadDataFile, type DataFile, type FileSystem } from './data';
import { shortestPath, stronglyConnectedComponents } from './graph';
import { globalNamesReferenced } from './symbols';

export interface SourceDocument {
  /** Path relative to the workspace root with `/` separators; defines workspace order. */
  readonly key: string;
  /** Absolute file path, when the document is a file (data paths resolve from its folder). */
  readonly path: string | undefined;
  readonly text: string;
  readonly version: number;
  readonly model: DocumentModel;
  readonly lines: LineIndex;
}

export interface DeclEntry<D extends Declaration = Declaration> {
  doc: SourceDocument;
  decl: D;
}

export interface WorkspaceOptions {
  /** Absolute path of the workspace root (`.kpirc.json`, data paths). */
  root: string;
  fs: FileSystem;
  /** Today's date; read at each `refreshToday`, so a long-running server sees midnight pass. */
  today: () => Day;
  /**
   * False in limited mode (an editor's untrusted workspace): data files are
   * never opened; their KPIs get the status `no-data` and a `data-not-read`
   * note. Default true.
   */
  readDataFiles?: boolean;
}

/** Told of every change as it happens; the analysis is the one listener. */
export interface WorkspaceListener {
  /**
   * Whether the keys a new document changes are wanted yet. Until the
   * listener has looked at the workspace once, every document is new to it
   * anyway, and a folder loads without computing them.
   */
  readonly wantsChangedKeys: boolean;
  /** Something other documents may have read changed: a key of changes.ts. */
  changed(key: string): void;
  /** A document was added or given a new text: `removed` declarations are gone, `added` are new (all of a new document's). */
  documentChanged(doc: SourceDocument, removed: readonly Declaration[], added: readonly Declaration[]): void;
  documentRemoved(key: string): void;
}

interface DocState {
  doc: SourceDocument;
  /** Per name declared here: the texts of those declarations (the `d:` fingerprint). */
  declared: Map<string, string>;
  /** Per global name referred to here: the declarations that refer to it. */
  referencing: Map<string, Declaration[]>;
}

/**
 * What changed since a reader last looked: the keys announced (changes.ts),
 * the documents set or removed, and `everything` when a change was not
 * described by keys (a document added before the first analysis). The
 * reader empties it after reading (the scorecard builder does).
 */
export interface ChangeFeed {
  keys: Set<string>;
  documents: Set<string>;
  everything: boolean;
}

export class Workspace {
  /** Feeds of the readers still alive (weakly held: a reader that is gone stops being fed). */
  private readonly feeds = new Set<WeakRef<ChangeFeed>>();
  private readonly docs = new Map<string, DocState>();
  private sortedKeys: string[] | undefined;
  /** Declarations by name, in workspace order (file key, then position). */
  private readonly index = new Map<string, DeclEntry[]>();
  /** Documents referring to a global name. */
  private readonly referrers = new Map<string, Set<string>>();
  private readonly dataCache = new Map<string, DataFile>();
  private statusCache = new WeakMap<KpiDecl, KpiStatus>();
  private lastToday: Day | undefined;
  /** Strongly connected components of the `depends` graph, computed once per state of the documents. */
  private components: Map<KpiDecl, number> | undefined;
  private componentSizes: number[] = [];
  private listener: WorkspaceListener | undefined;

  constructor(readonly options: WorkspaceOptions) {}

  /** A feed of every change from now on (see ChangeFeed); the caller keeps it alive. */
  changeFeed(): ChangeFeed {
    const feed: ChangeFeed = { keys: new Set(), documents: new Set(), everything: false };
    this.feeds.add(new WeakRef(feed));
    return feed;
  }

  private feed(tell: (feed: ChangeFeed) => void): void {
    for (const ref of this.feeds) {
      const feed = ref.deref();
      if (feed) tell(feed);
      else this.feeds.delete(ref);
    }
  }

  /** Sets the one listener told of every change from now on. */
  listen(listener: WorkspaceListener): void {
    this.listener = listener;
  }

  // ---- documents -------------------------------------------------------

  /**
   * Adds or replaces a document; cheap when nothing but this document's
   * declarations changed. `change` (from an editor) says which part of the
   * previous text was replaced, so the texts need not be compared.
   */
  setDocument(key: string, text: string, version = 0, filePath?: string, change?: TextChange): SourceDocument {
    const old = this.docs.get(key);
    if (old) return this.updateDocument(old, text, version, filePath, change);
    const model = buildDocument(text);
    const doc: SourceDocument = { key, path: filePath, text, version, model, lines: LineIndex.of(text) };
    const state: DocState = { doc, declared: declaredFingerprints(doc), referencing: new Map() };
    // Index first: the diff reads what the document refers to.
    for (const decl of doc.model.declarations) this.indexDecl(state, decl);
    if (this.listener?.wantsChangedKeys) this.announceReplacement(undefined, state);
    else {
      this.components = undefined;
      this.feed((feed) => (feed.everything = true));
    }
    this.feed((feed) => feed.documents.add(key));
    this.sortedKeys = undefined;
    this.docs.set(key, state);
    this.listener?.documentChanged(doc, [], doc.model.declarations);
    return doc;
  }

  /**
   * A new text for a known document. Only the declarations the re-parse made
   * anew (the edited ones) and the ones it dropped are indexed again and
   * compared; the document object stays the same, so index entries of the
   * reused declarations stay valid.
   */
  private updateDocument(state: DocState, text: string, version: number, filePath: string | undefined, change: TextChange | undefined): SourceDocument {
    const doc = state.doc as Mutable<SourceDocument>;
    const rebuilt = rebuildDocument(text, doc, change);
    const { model, removed, added } = rebuilt;
    // Fingerprints of the names these declarations touch, before and after.
    const names = new Set([...removed, ...added].map((d) => d.name.text));
    const referenced = new Set<string>();
    for (const d of [...removed, ...added]) globalNamesReferenced(d, (n) => referenced.add(n));
    const oldDeclared = new Map([...names].map((n) => [n, state.declared.get(n)]));
    const oldReferencing = new Map([...referenced].map((n) => [n, referencingFingerprint(state.referencing.get(n))]));

    for (const d of removed) this.unindexDecl(state, d);
    doc.text = text;
    doc.version = version;
    doc.path = filePath;
    doc.model = model;
    if (rebuilt.change) doc.lines = doc.lines.edited(text, rebuilt.change);
    for (const d of added) this.indexDecl(state, d);
    this.listener?.documentChanged(doc, removed, added);
    this.feed((feed) => feed.documents.add(doc.key));

    for (const name of names) {
      const fingerprint = declaredFingerprint(doc, this.index.get(name) ?? []);
      if (fingerprint === undefined) state.declared.delete(name);
      else state.declared.set(name, fingerprint);
      if (fingerprint !== oldDeclared.get(name)) this.announce(declaredKey(name));
    }
    for (const name of referenced) {
      if (referencingFingerprint(state.referencing.get(name)) !== oldReferencing.get(name)) this.announce(referrersKey(name));
    }
    if (dependsSignature(removed) !== dependsSignature(added)) {
      this.announce(DEPENDS_KEY);
      this.components = undefined;
    } else if (this.components) {
      // Same graph: each re-parsed kpi stands where its namesake stood.
      this.carryComponents(removed, added);
    }
    return doc;
  }

  removeDocument(key: string): void {
    const old = this.docs.get(key);
    if (!old) return;
    this.announceReplacement(old, undefined);
    this.unindex(old);
    this.docs.delete(key);
    this.sortedKeys = undefined;
    this.listener?.documentRemoved(key);
    this.feed((feed) => feed.documents.add(key));
  }

  getDocument(key: string): SourceDocument | undefined {
    return this.docs.get(key)?.doc;
  }

  /** All documents in workspace order. */
  get documents(): SourceDocument[] {
    return this.documentKeys.map((k) => this.docs.get(k)!.doc);
  }

  /** The keys of all documents in workspace order. */
  get documentKeys(): readonly string[] {
    this.sortedKeys ??= [...this.docs.keys()].sort(compareKeys);
    return this.sortedKeys;
  }

  // ---- data and status ---------------------------------------------------

  /** A data file changed, appeared or disappeared on disk. */
  dataFileChanged(absolutePath: string): void {
    const file = path.resolve(absolutePath);
    this.dataCache.clear();
    this.statusCache = new WeakMap();
    this.announce(dataKey(file));
  }

  /** The data file a kpi names, loaded (cached) and checked to stay inside the workspace. */
  dataFile(doc: SourceDocument, written: string): { key: string; data: DataFile } {
    const root = this.options.root;
    const fromDir = doc.path ? path.dirname(doc.path) : root;
    const lexical = path.resolve(fromDir, written);
    const key = dataKey(lexical);
    // Cached per spelling as well: problems quote the path as written.
    const cacheKey = `${lexical}\u0000${written}`;
    const cached = this.dataCache.get(cacheKey);
    if (cached) return { key, data: cached };
    if (this.options.readDataFiles === false) {
      const data = unreadDataFile(root, fromDir, written);
      this.dataCache.set(cacheKey, data);
      return { key, data };
    }
    const resolved = resolveDataPath(root, fromDir, written, this.options.fs);
    const data: DataFile = 'problem' in resolved ? { rows: [], problem: resolved.problem } : loadDataFile(resolved.file, written, this.options.fs);
    this.dataCache.set(cacheKey, data);
    return { key, data };
  }

  /** Status of a kpi, from its actuals and data file; cached per parsed declaration. */
  status(entry: DeclEntry<KpiDecl>, record?: (key: string) => void): KpiStatus {
    const data = entry.decl.data ? this.dataFile(entry.doc, entry.decl.data.value.value) : undefined;
    if (data) record?.(data.key);
    let status = this.statusCache.get(entry.decl);
    if (!status) {
      status = data?.data.notRead ? unreadStatus(entry.decl) : computeStatus(entry.decl, data?.data.rows ?? [], this.today());
      this.statusCache.set(entry.decl, status);
    }
    return status;
  }

  /** Today, as of the last `refreshToday`. */
  today(): Day {
    return this.lastToday ?? this.options.today();
  }

  /** Reads today's date; when it moved, statuses are computed afresh and the answer is true. */
  refreshToday(): boolean {
    const today = this.options.today();
    if (today === this.lastToday) return false;
    this.lastToday = today;
    this.statusCache = new WeakMap();
    return true;
  }

  // ---- symbols ----------------------------------------------------------

  /** Declarations named `name`, in workspace order; the first is the one references resolve to. */
  declarations(name: string): readonly DeclEntry[] {
    return this.index.get(name) ?? [];
  }

  /** Top-level declarations that refer to `name`, in workspace order. */
  referrersOf(name: string): DeclEntry[] {
    const keys = [...(this.referrers.get(name) ?? [])].sort(compareKeys);
    const result: DeclEntry[] = [];
    for (const key of keys) {
      const state = this.docs.get(key);
      for (const decl of state?.referencing.get(name) ?? []) result.push({ doc: state!.doc, decl });
    }
    return result;
  }

  /** Whether any declaration refers to `name`. */
  isReferenced(name: string): boolean {
    return (this.referrers.get(name)?.size ?? 0) > 0;
  }

  /** The component of the `depends` graph a kpi is in; kpis on a common cycle share one. */
  dependencyComponent(kpi: KpiDecl): number {
    if (!this.components) {
      const { componentOf, sizes } = stronglyConnectedComponents(this.allKpis(), (k) => this.dependencyTargets(k));
      this.components = componentOf;
      this.componentSizes = sizes;
    }
    return this.components.get(kpi) ?? -1;
  }

  /** How many kpis a component holds. */
  componentSize(component: number): number {
    return this.componentSizes[component] ?? 0;
  }

  /** The shortest `depends` path from `from` to `to` (both included), or undefined. */
  dependencyPath(from: KpiDecl, to: KpiDecl): KpiDecl[] | undefined {
    return shortestPath(from, to, (k) => this.dependencyTargets(k));
  }

  /** The kpis a kpi's `depends` names resolve to. */
  private dependencyTargets(kpi: KpiDecl): KpiDecl[] {
    const targets: KpiDecl[] = [];
    for (const ref of kpi.depends?.refs ?? []) {
      const decl = this.index.get(ref.name)?.[0]?.decl;
      if (decl?.kind === 'kpi') targets.push(decl);
    }
    return targets;
  }

  /** Every kpi, document by document in the order they were added. */
  private *allKpis(): Generator<KpiDecl> {
    for (const state of this.docs.values()) for (const decl of state.doc.model.declarations) if (decl.kind === 'kpi') yield decl;
  }

  /**
   * Moves the components of replaced kpis to their re-parsed counterparts.
   * Equal signatures mean the same kpis, names and `depends` in the same
   * order, so the n-th kpi removed is the n-th added.
   */
  private carryComponents(removed: readonly Declaration[], added: readonly Declaration[]): void {
    const components = this.components!;
    const before = removed.filter((d) => d.kind === 'kpi');
    const after = added.filter((d) => d.kind === 'kpi');
    for (let i = 0; i < before.length; i++) {
      const component = components.get(before[i] as KpiDecl);
      components.delete(before[i] as KpiDecl);
      if (component !== undefined) components.set(after[i] as KpiDecl, component);
    }
  }

  // ---- change bookkeeping -------------------------------------------------

  private announce(key: string): void {
    this.listener?.changed(key);
    this.feed((feed) => feed.keys.add(key));
  }

  /** Announces what replacing `old` by `next` (either may be absent) changed. */
  private announceReplacement(old: DocState | undefined, next: DocState | undefined): void {
    diffFingerprints(old?.declared, next?.declared, (name) => this.announce(declaredKey(name)));
    diffFingerprints(old && referencingFingerprints(old.referencing), next && referencingFingerprints(next.referencing), (name) => this.announce(referrersKey(name)));
    if (dependsSignature(old?.doc.model.declarations ?? []) !== dependsSignature(next?.doc.model.declarations ?? [])) this.announce(DEPENDS_KEY);
    this.components = undefined;
  }

  /** Adds one declaration of `state`'s document to the name index and the reference index. */
  private indexDecl(state: DocState, decl: Declaration): void {
    const entry: DeclEntry = { doc: state.doc, decl };
    const list = this.index.get(decl.name.text);
    if (!list) this.index.set(decl.name.text, [entry]);
    else insertSorted(list, entry, inWorkspaceOrder);
    const names = new Set<string>();
    globalNamesReferenced(decl, (n) => names.add(n));
    for (const name of names) {
      const decls = state.referencing.get(name);
      if (decls) insertSorted(decls, decl, byStart);
      else state.referencing.set(name, [decl]);
      let set = this.referrers.get(name);
      if (!set) this.referrers.set(name, (set = new Set()));
      set.add(state.doc.key);
    }
  }

  private unindexDecl(state: DocState, decl: Declaration): void {
    const list = this.index.get(decl.name.text)?.filter((e) => e.decl !== decl);
    if (!list || list.length === 0) this.index.delete(decl.name.text);
    else this.index.set(decl.name.text, list);
    const names = new Set<string>();
    globalNamesReferenced(decl, (n) => names.add(n));
    for (const name of names) {
      const decls = state.referencing.get(name)?.filter((d) => d !== decl);
      if (decls && decls.length > 0) state.referencing.set(name, decls);
      else {
        state.referencing.delete(name);
        const set = this.referrers.get(name);
        set?.delete(state.doc.key);
        if (set && set.size === 0) this.referrers.delete(name);
      }
    }
  }

  private unindex(state: DocState): void {
    const key = state.doc.key;
    for (const name of state.declared.keys()) {
      const list = this.index.get(name)?.filter((e) => e.doc.key !== key);
      if (!list || list.length === 0) this.index.delete(name);
      else this.index.set(name, list);
    }
    for (const name of state.referencing.keys()) {
      const set = this.referrers.get(name);
      set?.delete(key);
      if (set && set.size === 0) this.referrers.delete(name);
    }
  }
}

/** Workspace order: paths compared by character code (LANGUAGE.md section 5). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byStart(a: Declaration, b: Declaration): number {
  return a.span.start - b.span.start;
}

function inWorkspaceOrder(a: DeclEntry, b: DeclEntry): number {
  return compareKeys(a.doc.key, b.doc.key) || a.decl.span.start - b.decl.span.start;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Adds `item` keeping `list` sorted; appending in order (a whole document being indexed) costs no sort. */
function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  list.push(item);
  if (list.length > 1 && compare(list[list.length - 2]!, item) > 0) list.sort(compare);
}
