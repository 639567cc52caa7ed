// The table of diagnostic codes (LANGUAGE.md section 5), read off the rule
// definitions: each code with its default severity, summary and fixes, in
// one place per rule (the family modules beside this file).
import { ALL_RULES } from './index';
import type { AnyRuleDefinition } from './definition';

export type { Severity, SeveritySetting } from '../analysis/diagnostic';

/** What hovers, completion, SARIF and the configuration need to know of a rule. */
export type RuleInfo = Pick<AnyRuleDefinition, 'code' | 'severity' | 'summary'>;

export const RULES: ReadonlyMap<string, AnyRuleDefinition> = new Map(ALL_RULES.map((rule) => [rule.code, rule]));

export const RULE_CODES: readonly string[] = ALL_RULES.map((rule) => rule.code);

/** Where each rule's documentation page lives; used for LSP `codeDescription` and SARIF `helpUri`. */
export const RULE_DOCS_BASE = 'https://github.com/kpi-scorecard/kpi-scorecard/blob/main/docs/rules/';

export function ruleDocsUrl(code: string): string {
  return `${RULE_DOCS_BASE}${code}.md`;
}
