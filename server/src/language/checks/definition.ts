// One rule, one definition: its code, default severity and summary, the
// checks that find it and the quick fixes that repair it, in one object. A
// check reports a typed payload with each diagnostic (what its fix needs:
// where to insert, which names to offer); the fixes read that payload back,
// from the workspace's diagnostics or from an editor's `data` field, and never
// re-derive it from an offset.
import type { Severity } from '../analysis/diagnostic';
import type { Rule } from '../analysis/rule';
import type { Span } from '../model/ast';
import type { SourceDocument, Workspace } from '../workspace/workspace';
import type { Fix } from './edits';

/** What a fix sees of its diagnostic: where it is and the payload its check reported. */
export interface Reported<P> {
  code: string;
  span: Span;
  /** Absent when the check reported none, or when an editor sent back something that is not an object. */
  data?: P;
}

/** What a fix may read: the workspace as it is now (no reads are recorded: fixes are queries, not checks). */
export interface FixContext {
  workspace: Workspace;
  doc: SourceDocument;
}

export interface RuleDefinition<P = never> extends Rule<P> {
  /** The default severity; `.kpirc.json` may change it. */
  severity: Severity;
  /** One sentence for hovers, completion and SARIF. */
  summary: string;
  /** The repairs for one of this rule's diagnostics, most likely first. */
  fixes?: (diagnostic: Reported<P>, context: FixContext) => Fix[];
}

/** A rule definition as the rule set holds it, its payload type erased. */
export type AnyRuleDefinition = RuleDefinition<unknown>;

/**
 * Files a rule into the rule set. The payload type `P` is erased here, in one
 * place: a diagnostic with this rule's code was reported by this rule's own
 * checks with a `P`, so the fixes receive it back as one. An editor may send
 * anything back, so a payload that is not an object is dropped, and fixes
 * validate offsets when they turn them into edits (`absoluteSpan`).
 */
export function defineRule<P = never>(definition: RuleDefinition<P>): AnyRuleDefinition {
  const { fixes, ...rest } = definition;
  if (!fixes) return rest;
  return {
    ...rest,
    fixes: (diagnostic, context) => {
      const { data, ...where } = diagnostic;
      return fixes(isRecord(data) ? { ...where, data: data as P } : where, context);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
