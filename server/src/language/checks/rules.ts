// The table of diagnostic codes (LANGUAGE.md section 5): one row per code with
// its default severity and a one-line summary. The check functions live in the
// family modules beside this file and are attached in index.ts.

import type { Severity, SeveritySetting } from '../analysis/diagnostic';

export type { Severity, SeveritySetting };

export interface RuleInfo {
  code: string;
  severity: Severity;
  summary: string;
}

const table: [string, Severity, string][] = [
  ['syntax-error', 'error', 'The text does not match the grammar.'],
  ['duplicate-name', 'error', 'Two declarations (or two steps of one process) share a name.'],
  ['duplicate-property', 'error', 'A once-only property appears again.'],
  ['unknown-reference', 'error', 'A reference names nothing of the expected kind.'],
  ['missing-owner', 'error', 'A kpi, sop, process, step or objective has no owner.'],
  ['multiple-owners', 'error', 'An owner lists more than one reference.'],
  ['team-owner', 'error', 'The owner is a team or a function, not one accountable role.'],
  ['missing-target', 'error', 'A kpi has no target.'],
  ['vague-target', 'warning', 'A target is a string, not a comparator and a number.'],
  ['inconsistent-thresholds', 'error', "Thresholds disagree with the target's direction, or amber is not between green and red."],
  ['unlinked-kpi', 'warning', 'A kpi is linked to no process step.'],
  ['owner-lacks-control', 'warning', "The kpi's owner owns neither its linked steps nor their processes."],
  ['missing-outcome', 'warning', 'A kpi has no outcome.'],
  ['missing-frequency', 'warning', 'A kpi has no frequency.'],
  ['checkpoint-not-finer', 'warning', 'A checkpoint is not more frequent than the frequency.'],
  ['missing-purpose', 'information', 'A kpi has neither supports nor why.'],
  ['kpi-without-sop', 'information', 'None of the steps a kpi is linked to has an SOP.'],
  ['dependency-cycle', 'error', 'depends links form a cycle.'],
  ['cross-function-dependency', 'information', 'A kpi depends on a kpi owned in another function.'],
  ['joint-review', 'warning', 'An amber or red kpi crosses functions: its owner and the other owner must review it together.'],
  ['stale-data', 'warning', "The latest actual is older than the kpi's frequency allows."],
  ['no-data', 'information', 'A kpi with a numeric target has no actual value.'],
  ['bad-data-file', 'error', 'A data file is missing, outside the workspace, or has malformed rows.'],
  ['data-not-read', 'information', 'A data file is not read because the workspace is not trusted.'],
  ['invalid-period', 'error', 'A period or date is not a real calendar value.'],
  ['incomplete-sop', 'warning', 'An sop lacks its objective, trigger or steps.'],
  ['sop-without-review', 'warning', 'An sop has no review cadence.'],
  ['sop-review-overdue', 'warning', 'An sop is overdue for review.'],
  ['unreachable-step', 'warning', "No next path reaches a step from its process's first step."],
  ['objective-unmeasured', 'warning', 'An objective has no key result and no kpi supports it.'],
  ['perspective-mismatch', 'warning', "A scorecard lists a kpi under another perspective than the kpi's own."],
  ['empty-perspective', 'warning', 'A scorecard has no kpi in one of the four perspectives.'],
  ['crowded-perspective', 'information', 'A scorecard perspective lists more kpis than the configured maximum.'],
  ['lagging-only', 'information', 'A scorecard has no leading indicator.'],
  ['unused-declaration', 'hint', 'A role, team, function or sop that nothing references.'],
  ['bad-config', 'error', '.kpirc.json cannot be read as a configuration.'],
];

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(table.map(([code, severity, summary]) => [code, { code, severity, summary }]));

export const RULE_CODES: readonly string[] = table.map(([code]) => code);

/** Where each rule's documentation page lives; used for LSP `codeDescription` and SARIF `helpUri`. */
export const RULE_DOCS_BASE = 'https://github.com/kpi-scorecard/kpi-scorecard/blob/main/docs/rules/';

export function ruleDocsUrl(code: string): string {
  return `${RULE_DOCS_BASE}${code}.md`;
}
