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
    this.reads.add(`d:${name}`);
    return this.workspace.declarations(name);
  }

  /** The declaration `name` resolves to (the first in workspace order). */
  resolve(name: string): DeclEntry | undefined {
    return this.declarations(name)[0];
  }

  /** Whether any declaration refers to `name` (reads less than `referrers`). */
  isReferenced(name: string): boolean {
    this.reads.add(`r:${name}`);
    return this.workspace.isReferenced(name);
  }

  /** Top-level declarations that refer to `name`. */
  referrers(name: string): DeclEntry[] {
    this.reads.add(`r:${name}`);
    const result = this.workspace.referrersOf(name);
    for (const entry of result) this.reads.add(`d:${entry.decl.name.text}`);
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

/** Runs every enabled rule over one document. Never throws: a failing rule becomes one diagnostic. */
export function runChecks(rules: readonly Rule[], workspace: Workspace, doc: SourceDocument, config: Config): { diagnostics: Diagnostic[]; reads: Set<string> } {
  const ctx = new CheckContext(workspace, doc, config);
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const severity = effectiveSeverity(config, rule.code);
    if (severity === 'off') continue;
    const report: Report = (span, message) => {
      const d: Diagnostic = { code: rule.code, severity, message, span };
      if (rule.code === 'unused-declaration') d.unnecessary = true;
      diagnostics.push(d);
    };
    try {
      rule.document?.(ctx, report);
      for (const decl of doc.model.declarations) {
        rule.declaration?.(decl, ctx, report);
        switch (decl.kind) {
          case 'kpi':
            rule.kpi?.(decl, ctx, report);
            break;
          case 'sop':
            rule.sop?.(decl, ctx, report);
            break;
          case 'process':
            rule.process?.(decl, ctx, report);
            break;
          case 'objective':
            rule.objective?.(decl, ctx, report);
            break;
          case 'scorecard':
            rule.scorecard?.(decl, ctx, report);
            break;
          case 'role':
          case 'team':
            rule.role?.(decl, ctx, report);
            break;
          case 'function':
            rule.function?.(decl, ctx, report);
            break;
        }
      }
    } catch (error) {
      // A bug in one rule must not take the others (or the server) down.
      diagnostics.push({
        code: rule.code,
        severity: 'error',
        message: `Internal error in rule ${rule.code}: ${(error as Error).message}. Please report it.`,
        span: { start: 0, end: 0 },
      });
    }
  }
  return { diagnostics: sortDiagnostics(applyDisableComments(doc, diagnostics)), reads: ctx.reads };
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
