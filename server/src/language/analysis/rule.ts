// A rule: a code plus functions per declaration kind, called once per
// declaration of a document; it reports through `report`, which knows its code.
import type { Declaration, KpiDecl, ObjectiveDecl, ProcessDecl, RoleDecl, ScorecardDecl, SopDecl, Span, FunctionDecl } from '../model/ast';
import type { KnownCodes } from './config';
import type { CheckContext } from './context';

/**
 * How a rule reports: a span, one sentence, and the payload `P` its quick
 * fixes read (plain data, opaque to the analysis; see Diagnostic.data).
 */
export type Report<P = unknown> = (span: Span, message: string, data?: P) => void;

type Visit<D, P> = (decl: D, ctx: CheckContext, report: Report<P>) => void;

/** A rule's checks; `P` is the payload its diagnostics carry (erased, `unknown`, in the analysis). */
export interface Rule<P = unknown> {
  code: string;
  /** Its diagnostics are tagged *unnecessary* (faded in editors). */
  unnecessary?: boolean;
  /** Called once per document. */
  document?: (ctx: CheckContext, report: Report<P>) => void;
  kpi?: Visit<KpiDecl, P>;
  sop?: Visit<SopDecl, P>;
  process?: Visit<ProcessDecl, P>;
  objective?: Visit<ObjectiveDecl, P>;
  scorecard?: Visit<ScorecardDecl, P>;
  /** Roles and teams. */
  role?: Visit<RoleDecl, P>;
  function?: Visit<FunctionDecl, P>;
  /** Every declaration, whatever its kind. */
  declaration?: Visit<Declaration, P>;
}

export function visit(rule: Rule, decl: Declaration, ctx: CheckContext, report: Report): void {
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

/** The rules an analysis runs, handed in by whoever creates it (service.ts: every rule of the language). */
export interface RuleSet {
  /** Run in this order. */
  readonly rules: readonly Rule[];
  /** Every code `.kpirc.json` may name, with its default severity. */
  readonly codes: KnownCodes;
}

/** Whether `rule` has anything to say about declarations of `kind`. */
export function appliesTo(rule: Rule, kind: Declaration['kind']): boolean {
  if (rule.declaration) return true;
  switch (kind) {
    case 'role':
    case 'team':
      return rule.role !== undefined;
    default:
      return rule[kind] !== undefined;
  }
}

