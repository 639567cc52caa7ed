// The check registry: each rule is a code from rules.ts plus functions per
// declaration kind, called once per declaration of a document. A rule reports
// through `report`, which knows its code; severities, `.kpirc.json` and
// `// kpi-disable-next-line` are applied here, once, for every rule.
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

/** A declaration's own diagnostics (offsets relative to its start) and what its checks read. */
export interface CheckedDeclaration {
  epoch: number;
  diagnostics: Diagnostic[];
  reads: Set<string>;
}

/**
 * What runChecks may reuse: results per parsed declaration object (re-parsing
 * makes a new object), valid while the epoch (configuration, today) holds and
 * none of their reads changed.
 */
export interface CheckCache {
  epoch: number;
  results: WeakMap<Declaration, CheckedDeclaration>;
  /** Keys changed since the last analysis. */
  changed: ReadonlySet<string>;
}

/**
 * Runs every enabled rule over one document, one declaration at a time so an
 * edit inside one declaration re-checks that declaration and the few whose
 * reads it changed. Never throws: a failing rule becomes one diagnostic.
 */
export function runChecks(
  rules: readonly Rule[],
  workspace: Workspace,
  doc: SourceDocument,
  config: Config,
  cache?: CheckCache,
): { diagnostics: Diagnostic[]; reads: Set<string> } {
  const enabled = rules
    .map((rule) => ({ rule, severity: effectiveSeverity(config, rule.code) }))
    .filter((r): r is { rule: Rule; severity: Severity } => r.severity !== 'off');
  const diagnostics: Diagnostic[] = [];
  const reads = new Set<string>();
  const documentCtx = new CheckContext(workspace, doc, config);
  for (const { rule, severity } of enabled) {
    if (!rule.document) continue;
    guarded(rule, diagnostics, () => rule.document!(documentCtx, reporter(rule, severity, diagnostics, 0)));
  }
  for (const decl of doc.model.declarations) {
    const base = decl.span.start;
    const cached = cache?.results.get(decl);
    let result: CheckedDeclaration;
    if (cached && cached.epoch === cache!.epoch && !intersects(cached.reads, cache!.changed)) {
      result = cached;
    } else {
      const ctx = new CheckContext(workspace, doc, config);
      const own: Diagnostic[] = [];
      for (const { rule, severity } of enabled) {
        guarded(rule, own, () => visit(rule, decl, ctx, reporter(rule, severity, own, base)));
      }
      result = { epoch: cache?.epoch ?? 0, diagnostics: own, reads: ctx.reads };
      cache?.results.set(decl, result);
    }
    for (const d of result.diagnostics) diagnostics.push({ ...d, span: { start: d.span.start + base, end: d.span.end + base } });
    for (const key of result.reads) reads.add(key);
  }
  for (const key of documentCtx.reads) reads.add(key);
  return { diagnostics: sortDiagnostics(applyDisableComments(doc, diagnostics)), reads };
}

/** A report function that files diagnostics relative to `base`. */
function reporter(rule: Rule, severity: Severity, into: Diagnostic[], base: number): Report {
  return (span, message) => {
    const d: Diagnostic = { code: rule.code, severity, message, span: { start: span.start - base, end: span.end - base } };
    if (rule.code === 'unused-declaration') d.unnecessary = true;
    into.push(d);
  };
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

/** A bug in one rule must not take the others (or the server) down. */
function guarded(rule: Rule, into: Diagnostic[], work: () => void): void {
  try {
    work();
  } catch (error) {
    into.push({
      code: rule.code,
      severity: 'error',
      message: `Internal error in rule ${rule.code}: ${(error as Error).message}. Please report it.`,
      span: { start: 0, end: 0 },
    });
  }
}

export function intersects(reads: ReadonlySet<string>, changed: ReadonlySet<string>): boolean {
  if (changed.size === 0 || reads.size === 0) return false;
  const [small, large] = reads.size < changed.size ? [reads, changed] : [changed, reads];
  for (const key of small) if (large.has(key)) return true;
  return false;
}

const DIRECTIVE = /^\/\/\s*kpi-disable-next-line\b(.*)$/;

/** Drops diagnostics silenced by `// kpi-disable-next-line code, …` on the line above their start. */
export function applyDisableComments(doc: SourceDocument, diagnostics: Diagnostic[]): Diagnostic[] {
  const silenced = new Map<number, Set<string> | 'all'>();
  for (const span of doc.model.comments) {
    const m = DIRECTIVE.exec(doc.text.slice(span.start, span.end));
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
