// Runs the rules over one document. Severities, `.kpirc.json` and
// `// kpi-disable-next-line` are applied here, once, for every rule.
import type { Declaration } from '../model/ast';
import type { SourceDocument } from '../workspace/workspace';
import { effectiveSeverity, type Config } from './config';
import { CheckContext, type WorkspaceView } from './context';
import { applyDisableComments, moved, sortDiagnostics, type Diagnostic, type Severity } from './diagnostic';
import type { DocumentChecks } from './documentChecks';
import { appliesTo, visit, type Report, type Rule, type RuleSet } from './rule';

/**
 * Runs every enabled rule over what is due in one document: the declarations
 * never checked and those whose reads `changed` (every one when the epoch
 * moved). Returns all the document's diagnostics. Never throws: a failing rule
 * becomes one diagnostic.
 */
export function runChecks(
  rules: RuleSet,
  workspace: WorkspaceView,
  doc: SourceDocument,
  config: Config,
  epoch: number,
  changed: ReadonlySet<string>,
  checks: DocumentChecks,
): Diagnostic[] {
  const enabled: { rule: Rule; severity: Severity }[] = [];
  for (const rule of rules.rules) {
    const severity = effectiveSeverity(config, rules.codes, rule.code);
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
  const withReporters = enabled.map(({ rule, severity }) => ({ rule, report: reporter(rule, severity, current) }));
  const forKind = new Map<Declaration['kind'], { rule: Rule; report: Report }[]>();
  for (const decl of checks.takeDue(changed)) {
    let kindRules = forKind.get(decl.kind);
    if (!kindRules) forKind.set(decl.kind, (kindRules = withReporters.filter(({ rule }) => appliesTo(rule, decl.kind))));
    const ctx = new CheckContext(workspace, doc, config);
    const own: Diagnostic[] = (current.into = []);
    current.base = decl.span.start;
    // No closure per rule and declaration: a folder's first check makes hundreds of thousands of these calls.
    for (const { rule, report } of kindRules) {
      try {
        visit(rule, decl, ctx, report);
      } catch (error) {
        own.push(internalError(rule, error));
      }
    }
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
  return (span, message, data) => {
    const d: Diagnostic = { code: rule.code, severity, message, span };
    if (rule.unnecessary) d.unnecessary = true;
    if (data !== undefined) d.data = data;
    target.into.push(moved(d, -target.base));
  };
}

/** A bug in one rule must not take the others (or the server) down. */
function guarded(rule: Rule, into: Diagnostic[], work: () => void): void {
  try {
    work();
  } catch (error) {
    into.push(internalError(rule, error));
  }
}

function internalError(rule: Rule, error: unknown): Diagnostic {
  return {
    code: rule.code,
    severity: 'error',
    message: `Internal error in rule ${rule.code}: ${(error as Error)?.message ?? String(error)}. Please report it.`,
    span: { start: 0, end: 0 },
  };
}

