// All documents of a workspace as one model with one global namespace, and
// the incremental engine that decides which documents need checking again.
//
// The invariant (docs/ARCHITECTURE.md): the diagnostics of every document
// always equal those of a from-scratch analysis of the same texts. It holds
// because checks see the rest of the workspace only through CheckContext,
// which records every key it reads:
//   d:NAME  the declarations named NAME (their texts and files, in order)
//   r:NAME  which declarations, in which files, refer to NAME
//   f:PATH  a data file's contents
//   g:depends  the shape of the whole `depends` graph (cycles can be any length)
// An edit computes which keys changed; a document is checked again only when
// it changed itself or read a changed key.
import * as path from 'node:path';
import type { Declaration, DocumentModel, KpiDecl, Span } from '../model/ast';
import { buildDocument } from '../model/build';
import { rebuildDocument } from '../model/reparse';
import type { Day } from '../model/periods';
import { computeStatus, unreadStatus, type KpiStatus } from '../status';
import { LineIndex, type TextChange } from '../text';
import { ALL_RULES } from '../checks';
import { DocumentChecks, runChecks, type Diagnostic } from '../checks/registry';
import { defaultConfig, parseConfig, type Config } from './config';
import { loadDataFile, resolveDataPath, unreadDataFile, type DataFile, type FileSystem } from './data';
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
  /** Today's date; read at each analysis, so a long-running server sees midnight pass. */
  today: () => Day;
  /**
   * False in limited mode (an editor's untrusted workspace): data files are
   * never opened; their KPIs get the status `no-data` and a `data-not-read`
   * note. Default true.
   */
  readDataFiles?: boolean;
}

interface DocState {
  doc: SourceDocument;
  /** Per name declared here: the texts of those declarations (the `d:` fingerprint). */
  declared: Map<string, string>;
  /** Per global name referred to here: the declarations that refer to it. */
  referencing: Map<string, Declaration[]>;
  diagnostics: Diagnostic[];
  /** Per-declaration results and what they read, from their last check. */
  checks: DocumentChecks;
  /** Keys this document read that changed since its last check. */
  changed?: Set<string>;
}

const NOTHING: ReadonlySet<string> = new Set();

export class Workspace {
  private readonly docs = new Map<string, DocState>();
  private sortedKeys: string[] | undefined;
  /** Declarations by name, in workspace order (file key, then position). */
  private readonly index = new Map<string, DeclEntry[]>();
  /** Documents referring to a global name. */
  private readonly referrers = new Map<string, Set<string>>();
  private readonly pending = new Set<string>();
  private readonly dirty = new Set<string>();
  private config: Config = defaultConfig();
  private configProblems: string[] = [];
  private readonly dataCache = new Map<string, DataFile>();
  private statusCache = new WeakMap<KpiDecl, KpiStatus>();
  private lastToday: Day | undefined;
  /** Moves when the configuration or the date does: every declaration is checked again. */
  private epoch = 0;
  /** Whether any document was ever checked (until then, every document is due anyway). */
  private checkedAny = false;
  /** Strongly connected components of the `depends` graph, computed once per state of the documents. */
  private components: Map<KpiDecl, number> | undefined;
  private componentSizes: number[] = [];

  constructor(readonly options: WorkspaceOptions) {}

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
    const state: DocState = {
      doc,
      declared: declaredFingerprints(doc),
      referencing: new Map(),
      diagnostics: [],
      checks: new DocumentChecks(),
    };
    state.checks.added(doc.model.declarations);
    // Index first: the diff reads what the document refers to.
    for (const decl of doc.model.declarations) this.indexDecl(state, decl);
    // Changed keys matter to documents already checked; while a folder loads there are none.
    if (this.checkedAny) this.diffInto(undefined, state);
    else this.components = undefined;
    this.sortedKeys = undefined;
    this.docs.set(key, state);
    this.dirty.add(key);
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
    state.checks.removed(removed);
    state.checks.added(added);
    doc.text = text;
    doc.version = version;
    doc.path = filePath;
    doc.model = model;
    if (rebuilt.change) doc.lines = doc.lines.edited(text, rebuilt.change);
    for (const d of added) this.indexDecl(state, d);

    for (const name of names) {
      const fingerprint = declaredFingerprint(doc, this.index.get(name) ?? []);
      if (fingerprint === undefined) state.declared.delete(name);
      else state.declared.set(name, fingerprint);
      if (fingerprint !== oldDeclared.get(name)) this.pending.add(`d:${name}`);
    }
    for (const name of referenced) {
      if (referencingFingerprint(state.referencing.get(name)) !== oldReferencing.get(name)) this.pending.add(`r:${name}`);
    }
    if (dependsSignature(removed) !== dependsSignature(added)) {
      this.pending.add('g:depends');
      this.components = undefined;
    } else if (this.components) {
      // Same graph: each re-parsed kpi stands where its namesake stood.
      this.carryComponents(removed, added);
    }
    this.dirty.add(doc.key);
    return doc;
  }

  removeDocument(key: string): void {
    const old = this.docs.get(key);
    if (!old) return;
    this.diffInto(old, undefined);
    this.unindex(old);
    this.docs.delete(key);
    this.dirty.delete(key);
    this.sortedKeys = undefined;
  }

  getDocument(key: string): SourceDocument | undefined {
    return this.docs.get(key)?.doc;
  }

  /** All documents in workspace order. */
  get documents(): SourceDocument[] {
    return this.keys().map((k) => this.docs.get(k)!.doc);
  }

  private keys(): string[] {
    this.sortedKeys ??= [...this.docs.keys()].sort(compareKeys);
    return this.sortedKeys;
  }

  // ---- configuration and data -------------------------------------------

  /** Sets the text of `.kpirc.json` (undefined when there is none). Every document is checked again. */
  setConfigText(text: string | undefined): void {
    const { config, problems } = parseConfig(text);
    this.config = config;
    this.configProblems = problems;
    this.epoch++;
    for (const key of this.docs.keys()) this.dirty.add(key);
  }

  get configurationProblems(): readonly string[] {
    return this.configProblems;
  }

  get configuration(): Config {
    return this.config;
  }

  /** A data file changed, appeared or disappeared on disk. */
  dataFileChanged(absolutePath: string): void {
    const file = path.resolve(absolutePath);
    this.dataCache.clear();
    this.statusCache = new WeakMap();
    this.pending.add(`f:${file}`);
  }

  /** The data file a kpi names, loaded (cached) and checked to stay inside the workspace. */
  dataFile(doc: SourceDocument, written: string): { key: string; data: DataFile } {
    const root = this.options.root;
    const fromDir = doc.path ? path.dirname(doc.path) : root;
    const lexical = path.resolve(fromDir, written);
    const key = `f:${lexical}`;
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

  today(): Day {
    return this.lastToday ?? this.options.today();
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
    this.components ??= this.computeComponents();
    return this.components.get(kpi) ?? -1;
  }

  /** How many kpis a component holds. */
  componentSize(component: number): number {
    return this.componentSizes[component] ?? 0;
  }

  /** The kpi a `depends` name resolves to. */
  private dependencyTarget(name: string): KpiDecl | undefined {
    const decl = this.index.get(name)?.[0]?.decl;
    return decl?.kind === 'kpi' ? decl : undefined;
  }

  /** Tarjan's algorithm, iterative (a long chain of kpis must not overflow the stack). */
  private computeComponents(): Map<KpiDecl, number> {
    const index = new Map<KpiDecl, number>();
    const low = new Map<KpiDecl, number>();
    const onStack = new Set<KpiDecl>();
    const stack: KpiDecl[] = [];
    const component = new Map<KpiDecl, number>();
    let counter = 0;
    let components = 0;
    this.componentSizes = [];
    const successors = (kpi: KpiDecl) => (kpi.depends?.refs ?? []).map((r) => this.dependencyTarget(r.name)).filter((k): k is KpiDecl => k !== undefined);
    for (const state of this.docs.values()) {
      for (const root of state.doc.model.declarations) {
        if (root.kind !== 'kpi' || index.has(root)) continue;
        const work: { kpi: KpiDecl; next: KpiDecl[]; i: number }[] = [];
        const visit = (kpi: KpiDecl) => {
          index.set(kpi, counter);
          low.set(kpi, counter++);
          stack.push(kpi);
          onStack.add(kpi);
          work.push({ kpi, next: successors(kpi), i: 0 });
        };
        visit(root);
        while (work.length > 0) {
          const frame = work[work.length - 1]!;
          if (frame.i < frame.next.length) {
            const w = frame.next[frame.i++]!;
            if (!index.has(w)) visit(w);
            else if (onStack.has(w)) low.set(frame.kpi, Math.min(low.get(frame.kpi)!, index.get(w)!));
            continue;
          }
          work.pop();
          const parent = work[work.length - 1];
          if (parent) low.set(parent.kpi, Math.min(low.get(parent.kpi)!, low.get(frame.kpi)!));
          if (low.get(frame.kpi) === index.get(frame.kpi)) {
            let member: KpiDecl;
            let size = 0;
            do {
              member = stack.pop()!;
              onStack.delete(member);
              component.set(member, components);
              size++;
            } while (member !== frame.kpi);
            this.componentSizes.push(size);
            components++;
          }
        }
      }
    }
    return component;
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

  /** The shortest `depends` path from `from` to `to` (both included), or undefined. */
  dependencyPath(from: KpiDecl, to: KpiDecl): KpiDecl[] | undefined {
    const previous = new Map<KpiDecl, KpiDecl | null>([[from, null]]);
    const queue = [from];
    for (let head = 0; head < queue.length; head++) {
      const kpi = queue[head]!;
      if (kpi === to) {
        const path: KpiDecl[] = [];
        for (let k: KpiDecl | null = kpi; k; k = previous.get(k) ?? null) path.unshift(k);
        return path;
      }
      for (const ref of kpi.depends?.refs ?? []) {
        const next = this.dependencyTarget(ref.name);
        if (next && !previous.has(next)) {
          previous.set(next, kpi);
          queue.push(next);
        }
      }
    }
    return undefined;
  }

  // ---- analysis -----------------------------------------------------------

  /**
   * Checks the documents whose diagnostics may have changed since they were
   * last checked and returns their keys; diagnostics are then read with
   * `diagnostics`. With `first`, only those documents are checked now (the
   * one being typed in) and the rest wait for the next call: `hasWork` says
   * whether any wait.
   */
  analyze(first?: ReadonlySet<string>): string[] {
    const today = this.options.today();
    if (today !== this.lastToday) {
      this.lastToday = today;
      this.statusCache = new WeakMap();
      this.epoch++;
      for (const key of this.docs.keys()) this.dirty.add(key);
    }
    // Hand each changed key to the documents that read it, so they can wait.
    if (this.pending.size > 0) {
      for (const [key, state] of this.docs) {
        if (!state.checks.reads.readsAny(this.pending)) continue;
        state.changed ??= new Set();
        for (const k of this.pending) state.changed.add(k);
        this.dirty.add(key);
      }
      this.pending.clear();
    }
    const checked: string[] = [];
    this.checkedAny = true;
    for (const key of this.keys()) {
      if (!this.dirty.has(key) || (first && !first.has(key))) continue;
      const state = this.docs.get(key)!;
      state.diagnostics = runChecks(ALL_RULES, this, state.doc, this.config, this.epoch, state.changed ?? NOTHING, state.checks);
      state.changed = undefined;
      this.dirty.delete(key);
      checked.push(key);
    }
    return checked;
  }

  /** Whether some document awaits a check (after `analyze` with `first`). */
  get hasWork(): boolean {
    return this.dirty.size > 0 || this.pending.size > 0;
  }

  /** The current diagnostics of a document (run `analyze` first). */
  diagnostics(key: string): readonly Diagnostic[] {
    return this.docs.get(key)?.diagnostics ?? [];
  }

  // ---- incremental bookkeeping ----------------------------------------------

  private diffInto(old: DocState | undefined, next: DocState | undefined): void {
    diffMaps(old?.declared, next?.declared, (name) => this.pending.add(`d:${name}`));
    diffMaps(referencingFingerprints(old), referencingFingerprints(next), (name) => this.pending.add(`r:${name}`));
    if ((old ? dependsShape(old.doc) : '') !== (next ? dependsShape(next.doc) : '')) this.pending.add('g:depends');
    this.components = undefined;
  }

  /** Adds one declaration of `state`'s document to the name index and the reference index. */
  private indexDecl(state: DocState, decl: Declaration): void {
    const entry: DeclEntry = { doc: state.doc, decl };
    const list = this.index.get(decl.name.text);
    if (!list) this.index.set(decl.name.text, [entry]);
    else insertSorted(list, entry, (a, b) => compareKeys(a.doc.key, b.doc.key) || a.decl.span.start - b.decl.span.start);
    const names = new Set<string>();
    globalNamesReferenced(decl, (n) => names.add(n));
    for (const name of names) {
      const decls = state.referencing.get(name);
      if (decls) insertSorted(decls, decl, (a, b) => a.span.start - b.span.start);
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Adds `item` keeping `list` sorted; appending in order (a whole document being indexed) costs no sort. */
function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  list.push(item);
  if (list.length > 1 && compare(list[list.length - 2]!, item) > 0) list.sort(compare);
}

/** The `d:` fingerprint of a name in one document: the texts of its declarations there, in order. */
function declaredFingerprint(doc: SourceDocument, entries: readonly DeclEntry[]): string | undefined {
  const texts = entries.filter((e) => e.doc === doc).map((e) => doc.text.slice(e.decl.span.start, e.decl.span.end));
  return texts.length === 0 ? undefined : texts.join('\u0000');
}

function referencingFingerprint(decls: readonly Declaration[] | undefined): string | undefined {
  return decls && decls.length > 0 ? decls.map((d) => d.name.text).join('\u0000') : undefined;
}

/**
 * What some declarations contribute to the shape of the `depends` graph, in
 * order (among namesakes the first is the one references resolve to).
 */
function dependsSignature(decls: readonly Declaration[]): string {
  return decls.map((d) => `${d.kind} ${d.name.text}${d.kind === 'kpi' && d.depends ? ` > ${d.depends.refs.map((r) => r.name).join(' ')}` : ''}`).join('\n');
}

function dependsShape(doc: SourceDocument): string {
  const parts: string[] = [];
  for (const decl of doc.model.declarations) {
    parts.push(`${decl.kind} ${decl.name.text}`);
    if (decl.kind === 'kpi' && decl.depends) parts.push(`> ${decl.depends.refs.map((r) => r.name).join(' ')}`);
  }
  return parts.join('\n');
}

function declaredFingerprints(doc: SourceDocument): Map<string, string> {
  const map = new Map<string, string>();
  for (const decl of doc.model.declarations) {
    const text = doc.text.slice(decl.span.start, decl.span.end);
    const prev = map.get(decl.name.text);
    map.set(decl.name.text, prev === undefined ? text : `${prev}\u0000${text}`);
  }
  return map;
}

/** The `r:` fingerprint: per name, the names of the declarations here that refer to it. */
function referencingFingerprints(state: DocState | undefined): Map<string, string> | undefined {
  if (!state) return undefined;
  const map = new Map<string, string>();
  for (const [name, decls] of state.referencing) map.set(name, decls.map((d) => d.name.text).join('\u0000'));
  return map;
}

function diffMaps(a: Map<string, string> | undefined, b: Map<string, string> | undefined, changed: (name: string) => void): void {
  if (a) for (const [name, value] of a) if (b?.get(name) !== value) changed(name);
  if (b) for (const name of b.keys()) if (!a?.has(name)) changed(name);
}


export type { Span };
