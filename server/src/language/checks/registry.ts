// The check registry: each rule is a code from rules.ts plus functions per
// declaration kind, called once per declaration of a document. A rule reports
// through `report`, which knows its code; severities, `.kpirc.json` and
// `// kpi-disable-next-line` are applied here, once, for every rule.
import { DISABLE_DIRECTIVE } from '../syntax/grammar';
import type { Declaration, KpiDecl, ObjectiveDecl, ProcessDecl, RoleDecl, ScorecardDecl, SopDecl, Span, FunctionDecl } from '../model/ast';
import type { KpiStatus } from '../status';
import type { Config } from '../workspace/config';
import { effectiveSeverity } from '../workspace/config';
import type { DataFile } from '../workspace/data';
import type { DeclEntry, SourceDocument, Workspace } from '../workspace/workspace';
import type { Severity } from './rules';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Tagged *unnecessary* (faded in editors): unused declarations. */
  unnecessary?: boolean;
}

export type Report = (span: Span, message: string) => void;

/**
 * Read keys are shared strings: every declaration keeps its own set of them,
 * and one string per name instead of one per read keeps that small. The table
 * starts afresh when it grows past any plausible number of names.
 */
const keys = new Map<string, string>();
function readKey(prefix: 'd:' | 'r:', name: string): string {
  const id = prefix + name;
  let key = keys.get(id);
  if (key === undefined) {
    if (keys.size > 200_000) keys.clear();
    keys.set(id, (key = id));
  }
  return key;
}

/**
 * What a check may see of the workspace. Every read is recorded, so the
 * workspace knows which edits can change this document's diagnostics.
 */
export class CheckContext {
  readonly reads = new Set<string>();

  constructor(
    private readonly workspace: Workspace,
    readonly doc: SourceDocument,
    readonly config: Config,
  ) {}

  get today(): number {
    return this.workspace.today();
  }

  /** Declarations named `name`, in workspace order. */
  declarations(name: string): readonly DeclEntry[] {
    this.reads.add(readKey('d:', name));
    return this.workspace.declarations(name);
  }

  /** The declaration `name` resolves to (the first in workspace order). */
  resolve(name: string): DeclEntry | undefined {
    return this.declarations(name)[0];
  }

  /** Whether any declaration refers to `name` (reads less than `referrers`). */
  isReferenced(name: string): boolean {
    this.reads.add(readKey('r:', name));
    return this.workspace.isReferenced(name);
  }

  /** Top-level declarations that refer to `name`. */
  referrers(name: string): DeclEntry[] {
    this.reads.add(readKey('r:', name));
    const result = this.workspace.referrersOf(name);
    for (const entry of result) this.reads.add(readKey('d:', entry.decl.name.text));
    return result;
  }

  /** The `depends` component of a kpi (kpis on a common cycle share one); reads the whole graph's shape. */
  dependencyComponent(kpi: KpiDecl): number {
    this.reads.add('g:depends');
    return this.workspace.dependencyComponent(kpi);
  }

  dependencyComponentSize(component: number): number {
    this.reads.add('g:depends');
    return this.workspace.componentSize(component);
  }

  /** A shortest `depends` path between two kpis of one component (covered by `g:depends`). */
  dependencyPath(from: KpiDecl, to: KpiDecl): KpiDecl[] | undefined {
    this.reads.add('g:depends');
    return this.workspace.dependencyPath(from, to);
  }

  status(entry: DeclEntry<KpiDecl>): KpiStatus {
    // A kpi's status depends on its own text (recorded by whoever found it) and its data file.
    return this.workspace.status(entry, (key) => this.reads.add(key));
  }

  dataFile(written: string): DataFile {
    const { key, data } = this.workspace.dataFile(this.doc, written);
    this.reads.add(key);
    return data;
  }

  entry<D extends Declaration>(decl: D): DeclEntry<D> {
    return { doc: this.doc, decl };
  }
}

type Visit<D> = (decl: D, ctx: CheckContext, report: Report) => void;

export interface Rule {
  code: string;
  /** Called once per document. */
  document?: (ctx: CheckContext, report: Report) => void;
  kpi?: Visit<KpiDecl>;
  sop?: Visit<SopDecl>;
  process?: Visit<ProcessDecl>;
  objective?: Visit<ObjectiveDecl>;
  scorecard?: Visit<ScorecardDecl>;
  /** Roles and teams. */
  role?: Visit<RoleDecl>;
  function?: Visit<FunctionDecl>;
  /** Every declaration, whatever its kind. */
  declaration?: Visit<Declaration>;
}

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

/**
 * Runs every enabled rule over what is due in one document: the declarations
 * never checked and those whose reads `changed` (every one when the epoch
 * moved). Returns all the document's diagnostics. Never throws: a failing rule
 * becomes one diagnostic.
 */
export function runChecks(
  rules: readonly Rule[],
  workspace: Workspace,
  doc: SourceDocument,
  config: Config,
  epoch: number,
  changed: ReadonlySet<string>,
  checks: DocumentChecks,
): Diagnostic[] {
  const enabled: { rule: Rule; severity: Severity }[] = [];
  for (const rule of rules) {
    const severity = effectiveSeverity(config, rule.code);
    if (severity !== 'off') enabled.push({ rule, severity });
  }
  if (checks.epoch !== epoch) {
    checks.epoch = epoch;
    checks.added(doc.model.declarations);
  }
  const diagnostics: Diagnostic[] = [];
  const documentCtx = new CheckContext(workspace, doc, config);
  const whole: ReportTarget = { into: diagnostics, base: 0 };
  for (const { rule, severity } of enabled) {
    if (!rule.document) continue;
    guarded(rule, diagnostics, () => rule.document!(documentCtx, reporter(rule, severity, whole)));
  }
  checks.reads.setDocumentReads(documentCtx.reads);
  // One reporter per rule for the whole run, filing into the declaration at
  // hand: a folder holds tens of thousands of declarations and dozens of rules.
  const current: ReportTarget = { into: [], base: 0 };
  const reporters = new Map(enabled.map(({ rule, severity }) => [rule, reporter(rule, severity, current)]));
  const forKind = new Map<Declaration['kind'], Rule[]>();
  for (const decl of checks.takeDue(changed)) {
    let kindRules = forKind.get(decl.kind);
    if (!kindRules) forKind.set(decl.kind, (kindRules = enabled.map((r) => r.rule).filter((rule) => appliesTo(rule, decl.kind))));
    const ctx = new CheckContext(workspace, doc, config);
    const own: Diagnostic[] = (current.into = []);
    current.base = decl.span.start;
    for (const rule of kindRules) guarded(rule, own, () => visit(rule, decl, ctx, reporters.get(rule)!));
    checks.record(decl, own, ctx.reads);
  }
  for (const [decl, own] of checks.flagged) for (const d of own) diagnostics.push(moved(d, decl.span.start));
  return sortDiagnostics(applyDisableComments(doc, diagnostics));
}

/** Where a reporter files: a list, with offsets relative to `base` (both change as the declarations are checked). */
interface ReportTarget {
  into: Diagnostic[];
  base: number;
}

function reporter(rule: Rule, severity: Severity, target: ReportTarget): Report {
  return (span, message) => {
    const d: Diagnostic = { code: rule.code, severity, message, span };
    if (rule.code === 'unused-declaration') d.unnecessary = true;
    target.into.push(moved(d, -target.base));
  };
}

/** A copy of `d` with its offsets moved by `delta`. */
function moved(d: Diagnostic, delta: number): Diagnostic {
  const copy: Diagnostic = { code: d.code, severity: d.severity, message: d.message, span: { start: d.span.start + delta, end: d.span.end + delta } };
  if (d.unnecessary) copy.unnecessary = true;
  return copy;
}

function visit(rule: Rule, decl: Declaration, ctx: CheckContext, report: Report): void {
  rule.declaration?.(decl, ctx, report);
  switch (decl.kind) {
    case 'kpi':
      return rule.kpi?.(decl, ctx, report);
    case 'sop':
      return rule.sop?.(decl, ctx, report);
    case 'process':
      return rule.process?.(decl, ctx, report);
    case 'objective':
      return rule.objective?.(decl, ctx, report);
    case 'scorecard':
      return rule.scorecard?.(decl, ctx, report);
    case 'role':
    case 'team':
      return rule.role?.(decl, ctx, report);
    case 'function':
      return rule.function?.(decl, ctx, report);
  }
}

/** Whether `rule` has anything to say about declarations of `kind`. */
function appliesTo(rule: Rule, kind: Declaration['kind']): boolean {
  if (rule.declaration) return true;
  switch (kind) {
    case 'role':
    case 'team':
      return rule.role !== undefined;
    default:
      return rule[kind] !== undefined;
  }
}

/** A bug in one rule must not take the others (or the server) down. */
function guarded(rule: Rule, into: Diagnostic[], work: () => void): void {
  try {
    work();
  } catch (error) {
    into.push({
      code: rule.code,
      severity: 'error',
      message: `Internal error in rule ${rule.code}: ${(error as Error)?.message ?? String(error)}. Please report it.`,
      span: { start: 0, end: 0 },
    });
  }
}

/** Drops diagnostics silenced by `// kpi-disable-next-line code, …` on the line above their start. */
export function applyDisableComments(doc: SourceDocument, diagnostics: Diagnostic[]): Diagnostic[] {
  const silenced = new Map<number, Set<string> | 'all'>();
  for (const span of doc.model.directives) {
    const m = DISABLE_DIRECTIVE.exec(doc.text.slice(span.start, span.end));
    if (!m) continue;
    const codes = m[1]!.split(/[\s,]+/).filter(Boolean);
    const line = doc.lines.lineOf(span.start) + 1;
    if (codes.length === 0) silenced.set(line, 'all');
    else {
      const existing = silenced.get(line);
      if (existing !== 'all') silenced.set(line, new Set([...(existing ?? []), ...codes]));
    }
  }
  if (silenced.size === 0) return diagnostics;
  return diagnostics.filter((d) => {
    const rule = silenced.get(doc.lines.lineOf(d.span.start));
    return !(rule === 'all' || rule?.has(d.code));
  });
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
